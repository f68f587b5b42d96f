from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ipclaims.models.base import Base, CreatedMixin, IdMixin, JSONType, StrEnumType, utcnow


class ClaimKind(StrEnum):
    COPYRIGHT = "copyright"
    TRADEMARK = "trademark"


class ClaimStatus(StrEnum):
    NEEDS_INFO = "needs_info"
    IN_REVIEW = "in_review"
    ESCALATED = "escalated"
    DECIDED = "decided"
    CLOSED = "closed"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class ClaimSource(StrEnum):
    """How a notice reached the team: the escalation channels a trust & safety team answers."""

    NOTICE = "notice"
    TRUSTED_FLAGGER = "trusted_flagger"
    PARTNER = "partner"
    PRESS = "press"
    AUTHORITY = "authority"
    EMAIL = "email"  # a notice read from a message or pasted text (ipclaims.mailroom)


class ItemStatus(StrEnum):
    PENDING = "pending"
    ACTIONED = "actioned"
    NO_ACTION = "no_action"
    COUNTERED = "countered"
    RESTORED = "restored"
    LITIGATION_HOLD = "litigation_hold"


class ItemOutcome(StrEnum):
    REMOVED = "removed"
    DISABLED = "disabled"
    GEO_BLOCKED = "geo_blocked"
    NO_ACTION = "no_action"
    RESTORED = "restored"


def _set(name: str, column: str, *more: str) -> Index:
    """An index of the rows where `column` is set (``WHERE column IS NOT NULL``, both databases): for a column a new
    row leaves NULL and every query seeking the index compares, so intake writes no entry into it."""
    where = text(f"{column} IS NOT NULL")
    return Index(name, column, *more, sqlite_where=where, postgresql_where=where)


class Claim(IdMixin, CreatedMixin, Base):
    __tablename__ = "claim"
    __table_args__ = (
        Index("ix_claim_owner_id_id", "owner_id", "id"),
        Index("ix_claim_status_priority_due_at", "status", "priority", "due_at"),
        # Reports: every figure is over a range of receipt dates; the grouped columns ride along so the claim
        # counts, first-action times and SLA figures are index-only scans (migration 0011_reports).
        Index("ix_claim_received_at", "received_at", "regime", "kind", "status", "source", "owner_id", "first_action_at", "due_at", "id"),
        # Partial: a new claim has no assignee, and only ``assignee_id = ?`` seeks it (migration 0015_lean_intake).
        _set("ix_claim_assignee_id", "assignee_id"),
    )

    reference: Mapped[str] = mapped_column(String(20), unique=True)
    # The rights-holder account the claim belongs to (visibility); `submitted_by` differs when staff file for them.
    owner_id: Mapped[str] = mapped_column(ForeignKey("account.id"))
    submitted_by_id: Mapped[str] = mapped_column(ForeignKey("account.id"))
    kind: Mapped[ClaimKind] = mapped_column(StrEnumType(ClaimKind, 20))
    regime: Mapped[str] = mapped_column(String(20), index=True)
    status: Mapped[ClaimStatus] = mapped_column(StrEnumType(ClaimStatus, 20))
    source: Mapped[ClaimSource] = mapped_column(StrEnumType(ClaimSource, 20), default=ClaimSource.NOTICE)
    received_at: Mapped[datetime]
    status_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    rights_owner: Mapped[str | None] = mapped_column(Text)
    sg_address_for_service: Mapped[str | None] = mapped_column(Text)
    explanation: Mapped[str | None] = mapped_column(Text)
    trademark: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    statements: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    signature: Mapped[dict[str, Any] | None] = mapped_column(JSONType)

    complete: Mapped[bool] = mapped_column(default=False)
    curable: Mapped[bool] = mapped_column(default=False)
    priority: Mapped[int] = mapped_column(Integer, default=0)
    priority_reasons: Mapped[list[str]] = mapped_column(JSONType, default=list)
    due_at: Mapped[datetime | None] = mapped_column(index=True)
    # Set once by the worker when `due_at` passes while the claim is still open (one event, one alert).
    sla_breached_at: Mapped[datetime | None]
    assignee_id: Mapped[str | None] = mapped_column(ForeignKey("account.id"))
    # Kept by the database (trigger on `event`, migration 0011_reports), never written by the application: the time
    # of the earliest staff decision or transition, the summary's "first action".
    first_action_at: Mapped[datetime | None]

    complainant: Mapped[Complainant | None] = relationship(
        back_populates="claim", lazy="raise", cascade="all, delete-orphan", uselist=False
    )
    works: Mapped[list[ClaimWork]] = relationship(
        back_populates="claim", lazy="raise", cascade="all, delete-orphan", order_by="ClaimWork.position"
    )
    items: Mapped[list[ClaimItem]] = relationship(
        back_populates="claim", lazy="raise", cascade="all, delete-orphan", order_by="ClaimItem.position"
    )
    elements: Mapped[list[ClaimElement]] = relationship(
        back_populates="claim", lazy="raise", cascade="all, delete-orphan", order_by="ClaimElement.position"
    )


class Complainant(Base):
    """The notifier's identity and contact data: personal data, kept apart from the claim so it can be redacted.

    Unbounded text (migration 0005): a notice is stored as written and judged by the legal checkers, so an over-long
    email is an element `deficient`, not a database error.
    """

    __tablename__ = "complainant"

    claim_id: Mapped[str] = mapped_column(ForeignKey("claim.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str | None] = mapped_column(Text)
    organization: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(Text)
    fax: Mapped[str | None] = mapped_column(Text)
    street: Mapped[str | None] = mapped_column(Text)
    city: Mapped[str | None] = mapped_column(Text)
    region: Mapped[str | None] = mapped_column(Text)
    postal_code: Mapped[str | None] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(Text)
    relation: Mapped[str | None] = mapped_column("relationship", String(20))

    claim: Mapped[Claim] = relationship(back_populates="complainant", lazy="raise")


class ClaimWork(IdMixin, Base):
    __tablename__ = "claim_work"
    __table_args__ = (UniqueConstraint("claim_id", "position"),)

    # Looked up through the unique (claim_id, …) index: one on claim_id alone would only slow every intake down.
    claim_id: Mapped[str] = mapped_column(ForeignKey("claim.id", ondelete="CASCADE"))
    position: Mapped[int]
    title: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    urls: Mapped[list[str] | None] = mapped_column(JSONType)
    reference_work_id: Mapped[str | None] = mapped_column(String(26))  # not indexed: nothing selects works by it
    registration_number: Mapped[str | None] = mapped_column(Text)

    claim: Mapped[Claim] = relationship(back_populates="works", lazy="raise")


class ClaimItem(IdMixin, CreatedMixin, Base):
    __tablename__ = "claim_item"
    # decided_at: the DSA statements (range on the decision date, keyset on it and id). Partial, like the uploader's:
    # an item is written undecided and mostly without an uploader, and intake writes no entry for it in either
    # (migration 0015_lean_intake; the summary's item figures, which read received_at, come from the rollups).
    __table_args__ = (
        UniqueConstraint("claim_id", "position"),
        _set("ix_claim_item_decided_at_id", "decided_at", "id", "received_at"),
        _set("ix_claim_item_uploader", "uploader"),
    )

    claim_id: Mapped[str] = mapped_column(ForeignKey("claim.id", ondelete="CASCADE"))
    position: Mapped[int]
    url: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    work_index: Mapped[int | None]
    # DOMAIN.md §6: act only on locatable items; an unlocatable one is kept and explained, never silently dropped.
    locatable: Mapped[bool] = mapped_column(default=False)
    location_detail: Mapped[str | None] = mapped_column(Text)
    status: Mapped[ItemStatus] = mapped_column(StrEnumType(ItemStatus, 20), default=ItemStatus.PENDING)
    outcome: Mapped[ItemOutcome | None] = mapped_column(StrEnumType(ItemOutcome, 20))
    decision_reason: Mapped[str | None] = mapped_column(Text)  # internal: staff and events only
    public_reason: Mapped[str | None] = mapped_column(Text)  # what letters and mail tell the parties
    territorial_scope: Mapped[list[str] | None] = mapped_column(JSONType)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[str | None] = mapped_column(ForeignKey("account.id"))
    uploader: Mapped[str | None] = mapped_column(String(200))
    uploader_email: Mapped[str | None] = mapped_column(String(320))
    # The reviewer's fair-use reasoning (Lenz v. Universal): commentary, criticism, parody, news, education, de_minimis.
    fair_use_flags: Mapped[list[str] | None] = mapped_column(JSONType)
    matches: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    # Copies of the claim's: intake writes them; the database (triggers, migration 0011_reports) fills any row without them.
    received_at: Mapped[datetime | None]
    owner_id: Mapped[str | None] = mapped_column(String(26))

    claim: Mapped[Claim] = relationship(back_populates="items", lazy="raise")


class ClaimElement(IdMixin, Base):
    """The completeness report, one row per element of the claim's regime (codes in DOMAIN.md §2)."""

    __tablename__ = "claim_element"
    __table_args__ = (
        UniqueConstraint("claim_id", "code"),
        # Reports: the few elements that stood short at intake, without reading the ~90 % that were present.
        Index(
            "ix_claim_element_intake_gap",
            "received_at",
            "regime",
            "code",
            "intake_status",
            "claim_id",
            sqlite_where=text("intake_status IN ('missing', 'deficient')"),
            postgresql_where=text("intake_status IN ('missing', 'deficient')"),
        ),
    )

    claim_id: Mapped[str] = mapped_column(ForeignKey("claim.id", ondelete="CASCADE"))
    position: Mapped[int]
    code: Mapped[str] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(20))  # never queried on its own: elements are read with their claim
    # The status when the notice arrived, kept when a cure updates `status`: reports count what notifiers send.
    intake_status: Mapped[str | None] = mapped_column(String(20))
    # Copies of the claim's: intake writes them; the database (triggers, migration 0011_reports) fills any row without them.
    received_at: Mapped[datetime | None]
    regime: Mapped[str | None] = mapped_column(String(20))
    citation: Mapped[str] = mapped_column(Text)
    detail: Mapped[str] = mapped_column(Text)

    claim: Mapped[Claim] = relationship(back_populates="elements", lazy="raise")


class ClaimReferenceCounter(Base):
    """One row per year of claim reference numbers (IPC-YYYY-NNNNNN), unique across concurrent intakes.

    SQLite: `last_value` is bumped by one UPSERT ... RETURNING in the intake's transaction (writers take turns).
    PostgreSQL: `sequence_base`, set once per year, turns `claim_reference_seq` into the year's numbers."""

    __tablename__ = "claim_reference_counter"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_value: Mapped[int] = mapped_column(Integer)  # SQLite: the year's last number
    # PostgreSQL: the year's number is `claim_reference_seq` minus this (`claims.references`).
    sequence_base: Mapped[int | None] = mapped_column(BigInteger)
