"""Request and response shapes of the integrations API (docs/contract-additions.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from ipclaims.claims.schemas import ClaimOut
from ipclaims.http import StrictModel


class EndpointIn(StrictModel):
    url: str = Field(max_length=2000, description="http(s) URL the platform receives events on; redirects are not followed")
    description: str | None = Field(default=None, max_length=500)


class EndpointOut(BaseModel):
    id: str
    url: str
    description: str | None
    active: bool
    created_at: datetime
    previous_secret_valid_until: datetime | None
    secret: str | None = Field(default=None, description="only in the answer that creates or rotates it: shown once")


class DeliveryOut(BaseModel):
    id: str
    endpoint_id: str
    message_id: str = Field(description="the `webhook-id` header: the event's id, the same on every retry")
    event_type: str
    claim_id: str | None
    item_id: str
    status: str
    attempts: int
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    created_at: datetime


class ExecutedIn(StrictModel):
    message_id: str | None = Field(default=None, max_length=40, description="the webhook-id of the event carried out")
    note: str | None = Field(default=None, max_length=2000)


class ExecutedOut(BaseModel):
    item_id: str
    executed_at: datetime
    message_id: str | None


class QueueClaimOut(ClaimOut):
    """A queue entry: the claim, and which of its items the platform has not confirmed in time."""

    execution_overdue: list[str] = Field(
        default_factory=list,
        description=(
            "ids of items whose last measure was sent to the platform more than IPCLAIMS_EXECUTION_OVERDUE_HOURS ago "
            "without a confirmation (`POST /items/{id}/executed`) since"
        ),
    )


class QueuePage(BaseModel):
    items: list[QueueClaimOut]
    next_cursor: str | None


class FlagOut(BaseModel):
    id: str
    kind: str = Field(description="repeat_claim, repeat_after_restoration or impersonation (DOMAIN.md §6)")
    item_id: str | None
    related_claim_id: str | None
    related_item_id: str | None
    detail: dict[str, Any]
    legal: bool = Field(description="whether the flag routes the claim to legal")
    routed_at: datetime | None
    created_at: datetime


class DomainIn(StrictModel):
    domain: str = Field(max_length=253)


class DomainOut(BaseModel):
    account_id: str
    domain: str
    verified_by: str | None
    created_at: datetime


class FetchOut(BaseModel):
    item_id: str
    status: str = Field(description="pending (due again at next_attempt_at), fetched, refused (not retried) or failed (given up)")
    source_url: str | None
    attempts: int
    next_attempt_at: datetime | None
    last_error: str | None
    fetched_at: datetime | None
    created_at: datetime
