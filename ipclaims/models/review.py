"""Review-side records: counter-notices, notes, closures, SLA policy, outbox."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ipclaims.models.base import Base, CreatedMixin, IdMixin, JSONType, StrEnumType, utcnow


class CounterNoticeStatus(StrEnum):
    DEFICIENT = "deficient"
    FORWARDED = "forwarded"
    RESTORED = "restored"
    LITIGATION_HOLD = "litigation_hold"
    WITHDRAWN = "withdrawn"


class CounterNotice(IdMixin, CreatedMixin, Base):
    """A § 512(g)(3) counter-notice or a reg 80(4) restoration notice against one actioned item."""

    __tablename__ = "counter_notice"
    __table_args__ = (Index("ix_counter_notice_status_restore_on", "status", "restore_on"),)

    claim_id: Mapped[str] = mapped_column(ForeignKey("claim.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("claim_item.id", ondelete="CASCADE"), index=True)
    regime: Mapped[str] = mapped_column(String(20))
    status: Mapped[CounterNoticeStatus] = mapped_column(StrEnumType(CounterNoticeStatus, 20))
    recorded_by_id: Mapped[str | None] = mapped_column(ForeignKey("account.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    subscriber: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    material: Mapped[str | None] = mapped_column(Text)
    statements: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    sg_address_for_service: Mapped[str | None] = mapped_column(Text)
    signature: Mapped[dict[str, Any] | None] = mapped_column(JSONType)

    # First arrival, and the receipt of the notice that made it complete: the clock counts from the latter.
    first_received_at: Mapped[datetime]
    received_at: Mapped[datetime]
    complete: Mapped[bool] = mapped_column(default=False)
    curable: Mapped[bool] = mapped_column(default=False)
    elements: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    restore_earliest: Mapped[date | None] = mapped_column(Date)
    restore_latest: Mapped[date | None] = mapped_column(Date)
    # The day the worker restores (between earliest and latest, by policy) and the zone that day is counted in.
    restore_on: Mapped[date | None] = mapped_column(Date)
    clock_timezone: Mapped[str | None] = mapped_column(String(64))
    forwarded_at: Mapped[datetime | None]
    court: Mapped[dict[str, Any] | None] = mapped_column(JSONType)


class ComplaintStatus(StrEnum):
    OPEN = "open"
    UPHELD = "upheld"
    DISMISSED = "dismissed"


class Complaint(IdMixin, CreatedMixin, Base):
    """DSA Art. 20 internal complaint against a decision (EU claims), or an appeal under the trademark policy."""

    __tablename__ = "complaint"

    claim_id: Mapped[str] = mapped_column(ForeignKey("claim.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("claim_item.id", ondelete="CASCADE"), index=True)
    complainant_role: Mapped[str] = mapped_column(String(20))  # "uploader" or "notifier"
    complainant_email: Mapped[str | None] = mapped_column(String(320))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[ComplaintStatus] = mapped_column(StrEnumType(ComplaintStatus, 20), default=ComplaintStatus.OPEN)
    received_at: Mapped[datetime]
    recorded_by_id: Mapped[str | None] = mapped_column(ForeignKey("account.id"))
    decided_by_id: Mapped[str | None] = mapped_column(ForeignKey("account.id"))
    decided_at: Mapped[datetime | None]
    decision_reason: Mapped[str | None] = mapped_column(Text)


class ClaimNote(IdMixin, CreatedMixin, Base):
    __tablename__ = "claim_note"

    claim_id: Mapped[str] = mapped_column(ForeignKey("claim.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[str] = mapped_column(ForeignKey("account.id"))
    body: Mapped[str] = mapped_column(Text)
    # Internal notes are staff-only; a note shared with the notifier is not.
    internal: Mapped[bool] = mapped_column(default=True)


class Closure(CreatedMixin, Base):
    """Ad-hoc closures an admin adds to a legal calendar (e.g. an executive-order closure taken on purpose)."""

    __tablename__ = "closure"

    calendar: Mapped[str] = mapped_column(String(8), primary_key=True)  # "US" or "SG"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    description: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[str | None] = mapped_column(ForeignKey("account.id"))


class SlaPolicy(Base):
    """Hours from receipt to a first decision, per regime and source: data, editable by an admin."""

    __tablename__ = "sla_policy"

    regime: Mapped[str] = mapped_column(String(20), primary_key=True)
    source: Mapped[str] = mapped_column(String(20), primary_key=True)
    hours: Mapped[int] = mapped_column(Integer)


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class OutboxMessage(IdMixin, CreatedMixin, Base):
    """Mail the workflow owes, delivered by the worker with retries; `dedupe_key` makes each notice go once."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        UniqueConstraint("dedupe_key"),
        Index("ix_outbox_message_status_next_attempt_at", "status", "next_attempt_at"),
    )

    dedupe_key: Mapped[str] = mapped_column(String(200))
    claim_id: Mapped[str | None] = mapped_column(ForeignKey("claim.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(60))
    to_addr: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[OutboxStatus] = mapped_column(StrEnumType(OutboxStatus, 20), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A delivery in progress holds a lease; a worker that dies mid-send leaves it to expire, then it is retried.
    lease_until: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    # Set by `delivery.requeue_failed`: the retry age of given-up mail queued again counts from here.
    requeued_at: Mapped[datetime | None]
