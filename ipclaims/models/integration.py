"""The platform's side of a decision: webhook endpoints, the deliveries owed to them, and execution confirmations."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from ipclaims.models.base import Base, CreatedMixin, IdMixin, JSONType, StrEnumType, utcnow
from ipclaims.models.event import BigId


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"  # given up (too old, or its endpoint was deleted); visible per claim and per endpoint


class WebhookEndpoint(IdMixin, CreatedMixin, Base):
    """A platform URL that receives signed item-outcome events (Standard Webhooks).

    The secret is kept as given (`whsec_` + base64): HMAC signing needs the key itself, unlike an API key's hash.
    After a rotation the previous secret also signs (a second `v1,` signature) until `previous_valid_until`, so a
    receiver can switch secrets without dropping a message."""

    __tablename__ = "webhook_endpoint"

    url: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    secret: Mapped[str] = mapped_column(String(100))
    previous_secret: Mapped[str | None] = mapped_column(String(100))
    previous_valid_until: Mapped[datetime | None]
    active: Mapped[bool] = mapped_column(default=True)
    deleted_at: Mapped[datetime | None]


class WebhookDelivery(IdMixin, CreatedMixin, Base):
    """One event owed to one endpoint: queued in the event's transaction, delivered by the worker.

    `message_id` (the `webhook-id` header) names the event, so a receiver drops a retried duplicate; `event_id`
    orders an item's messages: a later one waits while an earlier one to the same endpoint is still pending."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        UniqueConstraint("endpoint_id", "event_id"),
        Index("ix_webhook_delivery_status_next_attempt_at", "status", "next_attempt_at"),
        Index("ix_webhook_delivery_endpoint_id_item_id_event_id", "endpoint_id", "item_id", "event_id"),
    )

    endpoint_id: Mapped[str] = mapped_column(ForeignKey("webhook_endpoint.id", ondelete="CASCADE"))
    event_id: Mapped[int] = mapped_column(BigId)
    message_id: Mapped[str] = mapped_column(String(40))
    event_type: Mapped[str] = mapped_column(String(60))
    claim_id: Mapped[str | None] = mapped_column(ForeignKey("claim.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[str] = mapped_column(String(26), index=True)
    # The exact bytes signed on every attempt: a retry carries the same body as the first try.
    payload: Mapped[str] = mapped_column(Text)
    status: Mapped[DeliveryStatus] = mapped_column(StrEnumType(DeliveryStatus, 20), default=DeliveryStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    lease_until: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    last_status_code: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(Text)


class ItemExecution(IdMixin, CreatedMixin, Base):
    """The platform's confirmation that it carried out a measure (`POST /items/{id}/executed`)."""

    __tablename__ = "item_execution"
    __table_args__ = (Index("ix_item_execution_item_id_executed_at", "item_id", "executed_at"),)

    item_id: Mapped[str] = mapped_column(ForeignKey("claim_item.id", ondelete="CASCADE"))
    message_id: Mapped[str | None] = mapped_column(String(40))
    executed_at: Mapped[datetime]
    confirmed_by_id: Mapped[str] = mapped_column(ForeignKey("account.id"))
    note: Mapped[str | None] = mapped_column(Text)


class FlagKind(StrEnum):
    REPEAT_CLAIM = "repeat_claim"  # an item URL claimed before: linked to the earlier claim
    REPEAT_AFTER_RESTORATION = "repeat_after_restoration"  # …after it was restored: legal's (DOMAIN.md §6)
    IMPERSONATION = "impersonation"  # the sender's domain looks like a verified or well-known one (DOMAIN.md §6)


class ClaimFlag(IdMixin, CreatedMixin, Base):
    """A grey area (DOMAIN.md §6) seen on a claim at intake, for staff; `legal` ones are routed to legal by the
    worker (`routed_at` set once, when the claim is escalated or found already past review)."""

    __tablename__ = "claim_flag"
    __table_args__ = (
        UniqueConstraint("dedupe_key"),
        # The worker's "legal flags not routed yet" (`routing.route_flagged`, by claim): only those rows, so a flag
        # that never goes to legal (a repeat claim: most flags) adds no entry, and routed ones leave it (0015_lean_intake).
        Index(
            "ix_claim_flag_unrouted",
            "claim_id",
            sqlite_where=text("legal IS 1 AND routed_at IS NULL"),
            postgresql_where=text("legal IS true AND routed_at IS NULL"),
        ),
    )

    dedupe_key: Mapped[str] = mapped_column(String(200))
    claim_id: Mapped[str] = mapped_column(ForeignKey("claim.id", ondelete="CASCADE"), index=True)
    kind: Mapped[FlagKind] = mapped_column(StrEnumType(FlagKind, 40))
    item_id: Mapped[str | None] = mapped_column(String(26))
    related_claim_id: Mapped[str | None] = mapped_column(String(26))
    related_item_id: Mapped[str | None] = mapped_column(String(26))
    detail: Mapped[dict[str, Any]] = mapped_column(JSONType)
    legal: Mapped[bool] = mapped_column(default=False)
    routed_at: Mapped[datetime | None]


class AccountDomain(IdMixin, CreatedMixin, Base):
    """An email domain verified as the account's own: notices from look-alikes of it are flagged."""

    __tablename__ = "account_domain"
    __table_args__ = (UniqueConstraint("account_id", "domain"),)

    account_id: Mapped[str] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    domain: Mapped[str] = mapped_column(String(253), index=True)
    verified_by_id: Mapped[str | None] = mapped_column(ForeignKey("account.id"))


# Repeat claims look items up by URL, the latest first: `ix_claim_item_url` is (url, id) on SQLite and (md5(url), id)
# on PostgreSQL, where a URL may exceed a btree entry, with a partial twin for restored items. Expression and partial
# indexes differ per dialect, so they live in migration 0011 only (the tests run on the migrations, never create_all;
# alembic's model check leaves them out).
MIGRATION_ONLY_INDEXES = frozenset({"ix_claim_item_url", "ix_claim_item_url_restored"})


class FetchStatus(StrEnum):
    PENDING = "pending"  # due (again) at `next_attempt_at`
    FETCHED = "fetched"  # stored as the item's content and matched
    REFUSED = "refused"  # the fetch was not allowed or the answer can never be an image (policy: not retried)
    FAILED = "failed"  # transient failures until IPCLAIMS_CONTENT_FETCH_MAX_ATTEMPTS: given up


class ItemFetch(IdMixin, CreatedMixin, Base):
    """The worker's fetch of one item's reported media from the content store (IPCLAIMS_CONTENT_URL_TEMPLATE)."""

    __tablename__ = "item_fetch"
    __table_args__ = (UniqueConstraint("item_id"), Index("ix_item_fetch_status_next_attempt_at", "status", "next_attempt_at"))

    item_id: Mapped[str] = mapped_column(ForeignKey("claim_item.id", ondelete="CASCADE"))
    claim_id: Mapped[str] = mapped_column(ForeignKey("claim.id", ondelete="CASCADE"), index=True)
    status: Mapped[FetchStatus] = mapped_column(StrEnumType(FetchStatus, 20), default=FetchStatus.PENDING)
    source_url: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    lease_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    fetched_at: Mapped[datetime | None]


class ConflictStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


class WorkConflict(IdMixin, CreatedMixin, Base):
    """Two holders' reference works that `match` each other (Content ID's ownership dispute): while `open`, neither
    backs a `match` verdict on a claim; once resolved, only the works the outcome keeps do."""

    __tablename__ = "work_conflict"
    __table_args__ = (UniqueConstraint("image_id", "other_work_id"), Index("ix_work_conflict_status_created_at", "status", "created_at"))

    work_id: Mapped[str] = mapped_column(ForeignKey("work.id", ondelete="CASCADE"), index=True)  # the newly registered image's
    image_id: Mapped[str] = mapped_column(ForeignKey("work_image.id", ondelete="CASCADE"))
    other_work_id: Mapped[str] = mapped_column(ForeignKey("work.id", ondelete="CASCADE"), index=True)
    other_image_id: Mapped[str | None] = mapped_column(String(26))
    status: Mapped[ConflictStatus] = mapped_column(StrEnumType(ConflictStatus, 20), default=ConflictStatus.OPEN)
    detail: Mapped[dict[str, Any]] = mapped_column(JSONType)
    # Resolution: `winner` (its work keeps matching, the other does not), `both_valid` (a licence or co-ownership:
    # both match again) or `neither` (both stay out of `match` verdicts).
    outcome: Mapped[str | None] = mapped_column(String(20))
    winner_work_id: Mapped[str | None] = mapped_column(String(26))
    reason: Mapped[str | None] = mapped_column(Text)
    resolved_by_id: Mapped[str | None] = mapped_column(ForeignKey("account.id"))
    resolved_at: Mapped[datetime | None]


class UploaderStrikes(Base):
    """Where an uploader stands against the repeat-infringer threshold (17 U.S.C. § 512(i)), kept so that crossing it
    is announced once: `above` flips when the counted strikes reach the threshold (a `repeat_infringer_threshold`
    event, `crossings` + 1) and flips back when they fall below it, so that a later crossing is a new event.
    `counted` is the count at the last flip (it is not kept up to date between flips)."""

    __tablename__ = "uploader_strikes"

    uploader: Mapped[str] = mapped_column(String(200), primary_key=True)
    above: Mapped[bool] = mapped_column(default=False)
    counted: Mapped[int] = mapped_column(Integer, default=0)
    crossings: Mapped[int] = mapped_column(Integer, default=0)
    event_id: Mapped[int | None] = mapped_column(BigId)  # the last crossing's event
    crossed_at: Mapped[datetime | None]
    cleared_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
