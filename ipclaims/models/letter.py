"""Letters: one row per rendering of a letter (CONTRACT.md "Letters"); the bytes live content-addressed on disk."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from ipclaims.models.base import Base, CreatedMixin, IdMixin, StrEnumType


class LetterKind(StrEnum):
    ACKNOWLEDGMENT = "acknowledgment"
    DEFICIENCY = "deficiency"
    DECISION = "decision"
    STATEMENT_OF_REASONS = "statement_of_reasons"
    COUNTER_NOTICE_FORWARDED = "counter_notice_forwarded"
    RESTORATION = "restoration"
    REJECTION = "rejection"


class LetterStatus(StrEnum):
    PENDING = "pending"
    RENDERED = "rendered"
    FAILED = "failed"


class Letter(IdMixin, CreatedMixin, Base):
    """A rendering is never overwritten: asking again is a new row with the next `version` for (claim, kind, item).

    `dedupe_key` names the fact an owed letter reports (e.g. ``decision:<event id>``) so a follow-up that runs twice
    requests it once; letters staff ask for have none. `sha256` is both the integrity check and the file's name.
    """

    __tablename__ = "letter"
    __table_args__ = (
        UniqueConstraint("dedupe_key"),
        # Versions never repeat for (claim, kind, item), concurrent requests included (`letters.subscriber.
        # next_version` serialises them; these refuse anything that slips past). NULLs are distinct in a unique
        # index, so the letters of no item have their own, partial one.
        Index("uq_letter_item_version", "claim_id", "kind", "item_id", "version", unique=True),
        Index(
            "uq_letter_claim_version",
            "claim_id",
            "kind",
            "version",
            unique=True,
            sqlite_where=text("item_id IS NULL"),
            postgresql_where=text("item_id IS NULL"),
        ),
        Index("ix_letter_status_created_at", "status", "created_at"),
        Index("ix_letter_created_at", "created_at"),
    )

    claim_id: Mapped[str] = mapped_column(ForeignKey("claim.id", ondelete="CASCADE"))
    item_id: Mapped[str | None] = mapped_column(ForeignKey("claim_item.id", ondelete="CASCADE"))
    counter_notice_id: Mapped[str | None] = mapped_column(ForeignKey("counter_notice.id", ondelete="CASCADE"))
    kind: Mapped[LetterKind] = mapped_column(StrEnumType(LetterKind, 40))
    version: Mapped[int] = mapped_column(Integer)
    template_version: Mapped[str] = mapped_column(String(40))
    status: Mapped[LetterStatus] = mapped_column(StrEnumType(LetterStatus, 20), default=LetterStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    sha256: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int | None] = mapped_column(Integer)
    requested_by_id: Mapped[str | None] = mapped_column(ForeignKey("account.id"))
    dedupe_key: Mapped[str | None] = mapped_column(String(200))
    rendered_at: Mapped[datetime | None]
