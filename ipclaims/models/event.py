from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ipclaims.models.base import Base, CreatedMixin, JSONType, utcnow

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a bigint identity.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Event(Base):
    """The audit trail: who changed what, when, from which state to which, and why."""

    __tablename__ = "event"
    __table_args__ = (Index("ix_event_claim_id_id", "claim_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[str | None] = mapped_column(ForeignKey("account.id"))
    actor_role: Mapped[str] = mapped_column(String(20))
    claim_id: Mapped[str | None] = mapped_column(ForeignKey("claim.id", ondelete="CASCADE"))
    subject_type: Mapped[str] = mapped_column(String(30))
    subject_id: Mapped[str] = mapped_column(String(26))
    action: Mapped[str] = mapped_column(String(60))
    from_status: Mapped[str | None] = mapped_column(String(30))
    to_status: Mapped[str | None] = mapped_column(String(30))
    reason: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    # Staff-only entries (internal notes, escalation memos) are not shown to the notifier.
    internal: Mapped[bool] = mapped_column(default=False)


class IdempotencyRecord(CreatedMixin, Base):
    """The first response to an `Idempotency-Key`, replayed for the same key and body from the same account."""

    __tablename__ = "idempotency_record"
    __table_args__ = (UniqueConstraint("account_id", "key"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int]
    response_body: Mapped[str] = mapped_column(Text)
