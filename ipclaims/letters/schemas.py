"""Letter request and response shapes (CONTRACT.md "Letters"); `status`, `attempts` and `error` are additive."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from ipclaims.http import StrictModel
from ipclaims.models import Letter, LetterKind, OutboxMessage


class LetterIn(StrictModel):
    kind: LetterKind
    item_id: str | None = Field(default=None, description="for statement_of_reasons, counter_notice_forwarded, restoration")


class LetterOut(BaseModel):
    id: str
    claim_id: str
    item_id: str | None
    kind: LetterKind
    version: int
    sha256: str | None
    template_version: str
    created_at: dt.datetime
    url: str
    status: str
    attempts: int
    error: str | None = None


class LetterPage(BaseModel):
    items: list[LetterOut]
    next_cursor: str | None


class MessageOut(BaseModel):
    id: str
    kind: str
    to: str
    subject: str
    status: str
    created_at: dt.datetime
    sent_at: dt.datetime | None
    letter_id: str | None
    letter_url: str | None


class MessagePage(BaseModel):
    items: list[MessageOut]
    next_cursor: str | None


def letter_out(letter: Letter, staff: bool) -> LetterOut:
    return LetterOut(
        id=letter.id,
        claim_id=letter.claim_id,
        item_id=letter.item_id,
        kind=letter.kind,
        version=letter.version,
        sha256=letter.sha256,
        template_version=letter.template_version,
        created_at=letter.created_at,
        url=f"/api/v1/letters/{letter.id}.pdf",
        status=letter.status.value,
        attempts=letter.attempts,
        error=letter.error if staff else None,
    )


def message_out(message: OutboxMessage, letter: Letter | None) -> MessageOut:
    return MessageOut(
        id=message.id,
        kind=message.kind,
        to=message.to_addr,
        subject=message.subject,
        status=message.status.value,
        created_at=message.created_at,
        sent_at=message.sent_at,
        letter_id=letter.id if letter else None,
        letter_url=f"/api/v1/letters/{letter.id}.pdf" if letter else None,
    )
