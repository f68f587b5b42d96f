"""Notices that arrived as messages (CONTRACT.md "Notices in free text and email"): the original bytes, kept with
the claim made from them, and the placeholder notifier account made for each sender without a verified domain."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ipclaims.models.base import Base, CreatedMixin, IdMixin, JSONType, StrEnumType


class SourceStatus(StrEnum):
    RECEIVED = "received"  # stored (an SMTP message is stored before its 250 reply), not yet read into a claim
    PARSED = "parsed"  # a claim was made from it (`claim_id`)
    FAILED = "failed"  # could not be read into a claim; `error` says why, the bytes stay for staff
    # Mail that is no new notice, linked to the claim it is about (`claim_id`): an answer to one of the claim's letters
    # from its notifier, whose reading supplied what the claim lacked (`reply`), or a second copy of the message the
    # claim was made from (same Message-ID, sender and text), or a forward of its notice (`duplicate`).
    REPLY = "reply"
    DUPLICATE = "duplicate"


class SourceMessage(IdMixin, CreatedMixin, Base):
    __tablename__ = "source_message"
    __table_args__ = (
        Index("ix_source_message_status_created_at", "status", "created_at"),
        # A copy of a message (relayed twice, exported twice) is found by its Message-ID. Hash on PostgreSQL: an id
        # of 998 characters may exceed a btree entry, and the lookup is by equality only.
        Index("ix_source_message_message_id", "message_id", postgresql_using="hash"),
        # A forward of a notice that made a claim, and the notice after its forward, are found by `notice_key`.
        Index("ix_source_message_notice_key", "notice_key"),
    )

    claim_id: Mapped[str | None] = mapped_column(ForeignKey("claim.id", ondelete="CASCADE"), index=True)
    status: Mapped[SourceStatus] = mapped_column(StrEnumType(SourceStatus, 20), default=SourceStatus.RECEIVED)
    channel: Mapped[str] = mapped_column(String(20))  # api, file (the CLI import), smtp (the inbox), web (the import page)
    media_type: Mapped[str] = mapped_column(String(100))  # message/rfc822, text/plain or a document's (mailroom.documents)
    filename: Mapped[str | None] = mapped_column(String(300))
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size_bytes: Mapped[int]
    sender: Mapped[str | None] = mapped_column(String(320))
    subject: Mapped[str | None] = mapped_column(Text)
    message_id: Mapped[str | None] = mapped_column(Text)
    # The notice the message carries (itself, or the message it forwards), for one that made a claim:
    # `mailroom.forwarded.key_of`, the SHA-256 of its sender and the words of its text as read.
    notice_key: Mapped[str | None] = mapped_column(String(64))
    envelope: Mapped[dict[str, Any] | None] = mapped_column(JSONType)  # SMTP MAIL FROM / RCPT TO / peer
    regime: Mapped[str | None] = mapped_column(String(20))  # asked for by the importer, else read from the text
    received_at: Mapped[datetime]
    reading: Mapped[dict[str, Any] | None] = mapped_column(JSONType)  # the text's judgements and their evidence
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(default=0)
    processed_at: Mapped[datetime | None]


class SourceMessagePart(Base):
    """A claim made from a message, and which part of it the claim is: a notice listing more URLs than a claim takes
    (`IPCLAIMS_MAX_ITEMS`) is made into several claims, its URLs in order (issue 20, `mailroom.parts`). Written for
    every message made into claims (one row for one claim); the message's own `claim_id` stays the first part, so a
    copy of the message is a duplicate of it and the message keeps one pointer at its claim. A claim is made from one
    message (primary key); both sides go with their row (no foreign key points back from here: no cycle)."""

    __tablename__ = "source_message_part"
    __table_args__ = (UniqueConstraint("message_id", "part"),)

    claim_id: Mapped[str] = mapped_column(ForeignKey("claim.id", ondelete="CASCADE"), primary_key=True)
    message_id: Mapped[str] = mapped_column(ForeignKey("source_message.id", ondelete="CASCADE"))
    part: Mapped[int]  # 1, 2, …: the order of the notice's URLs
    items: Mapped[int]  # how many of the notice's URLs the part took when it was made


class MailSender(CreatedMixin, Base):
    """One placeholder rights-holder account per sender address (no API key), reused for its next notice."""

    __tablename__ = "mail_sender"

    address: Mapped[str] = mapped_column(String(320), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
