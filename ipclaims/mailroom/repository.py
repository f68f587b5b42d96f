"""The stored messages as staff list them (`GET /api/v1/notices/messages`): a keyset page, newest first."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from ipclaims.mailroom.reading import Source
from ipclaims.models import SourceMessage, SourceStatus
from ipclaims.paging import Keyset, paginate


def _stored_before(created_at: datetime, last_id: str) -> ColumnElement[bool]:
    """Keyset condition for (created_at DESC, id DESC): the messages stored before the page's last one."""
    return or_(SourceMessage.created_at < created_at, and_(SourceMessage.created_at == created_at, SourceMessage.id < last_id))


# Newest first by the time stored, the id breaking ties (two messages of one instant page in one order); the
# `(status, created_at)` index serves the filtered list.
NEWEST_MESSAGES: Keyset[SourceMessage] = Keyset(
    (datetime, str), (SourceMessage.created_at.desc(), SourceMessage.id.desc()), _stored_before, lambda r: (r.created_at, r.id)
)


def list_messages(session: Session, status: str | None, *, cursor: str | None, limit: int) -> tuple[list[SourceMessage], str | None]:
    """The stored messages, newest first, a page at a time (`paging`: a cursor this API did not issue is a 422)."""
    query = select(SourceMessage)
    if status is not None:
        query = query.where(SourceMessage.status == SourceStatus(status))
    return paginate(session, query, NEWEST_MESSAGES, cursor=cursor, limit=limit)


def save(
    session: Session, row: SourceMessage | None, source: Source, values: dict[str, Any], *, channel: str, received_at: datetime
) -> SourceMessage:
    """A message kept with what became of it (`values`): a new row, its first attempt; or the stored row (the inbox's,
    a retry's) updated, one attempt more."""
    if row is None:
        row = SourceMessage(
            channel=channel,
            filename=source.filename,
            raw=source.raw,
            sha256=source.sha256,
            size_bytes=len(source.raw),
            received_at=received_at,
            attempts=1,
            **values,
        )
        session.add(row)
    else:
        for key, value in values.items():
            setattr(row, key, value)
        row.attempts += 1
    session.flush()
    return row
