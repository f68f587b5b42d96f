"""The stored messages as staff list them (`GET /api/v1/notices/messages`): a keyset page, newest first."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

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
