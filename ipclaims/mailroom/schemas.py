"""The stored message as the API and the CLI show it (`GET /api/v1/notices/messages`, `ipclaims notices retry`)."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from ipclaims.mailroom import parts
from ipclaims.models import SourceMessage, SourceStatus


class PartOut(BaseModel):
    id: str = Field(description="the claim's id")
    reference: str
    part: int = Field(description="1, 2, …: the order of the notice's URLs")
    items: int = Field(description="how many of the notice's URLs the claim took when it was made")


class SourceMessageOut(BaseModel):
    id: str
    status: SourceStatus
    channel: str
    claim_id: str | None
    sender: str | None
    subject: str | None
    message_id: str | None
    sha256: str
    size_bytes: int
    received_at: str
    error: str | None
    attempts: int
    parts: list[PartOut] = Field(
        default_factory=list,
        description="the claims made of the message, in order (one, or several for a notice of more URLs than a claim takes)",
    )


class SourceMessagePage(BaseModel):
    items: list[SourceMessageOut]
    next_cursor: str | None = None


def messages_out(session: Session, rows: Sequence[SourceMessage]) -> list[SourceMessageOut]:
    """Each message with the claims made of it (`parts`), read in one query for the page."""
    made = parts.parts_of(session, [r.id for r in rows])
    return [message_out(r, made.get(r.id, ())) for r in rows]


def message_out(r: SourceMessage, made: Sequence[parts.Part] = ()) -> SourceMessageOut:
    return SourceMessageOut(
        id=r.id,
        status=r.status,
        channel=r.channel,
        claim_id=r.claim_id,
        sender=r.sender,
        subject=r.subject,
        message_id=r.message_id,
        sha256=r.sha256,
        size_bytes=r.size_bytes,
        received_at=r.received_at.isoformat(),
        error=r.error,
        attempts=r.attempts,
        parts=[PartOut(**p.json()) for p in made],
    )
