"""The stored message as the API and the CLI show it (`GET /api/v1/notices/messages`, `ipclaims notices retry`)."""

from __future__ import annotations

from pydantic import BaseModel

from ipclaims.models import SourceMessage, SourceStatus


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


class SourceMessagePage(BaseModel):
    items: list[SourceMessageOut]
    next_cursor: str | None = None


def message_out(r: SourceMessage) -> SourceMessageOut:
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
    )
