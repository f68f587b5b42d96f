"""Request and response shapes of the claims API (CONTRACT.md "Claims"); never the ORM classes themselves."""

from __future__ import annotations

import datetime as dt
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

from ipclaims.http import EmailText, StrictModel
from ipclaims.models import ClaimKind, ClaimSource, ClaimStatus

Regime = Literal["US_DMCA", "EU_DSA", "SG_CA2021", "TM_POLICY"]

# Clock arithmetic (SLA due times, restore windows in business days) must never overflow on a date a client typed.
EARLIEST_RECEIPT = datetime(1970, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=1)


def _plausible_receipt(value: datetime) -> datetime:
    """Staff-set receipt times are taken as given (a notice received by post last week), but not from the future."""
    if value < EARLIEST_RECEIPT:
        raise ValueError("a receipt time before 1970 is not plausible")
    if value > datetime.now(UTC) + FUTURE_SLACK:
        raise ValueError("a receipt time in the future is not plausible")
    return value


ReceivedAt = Annotated[AwareDatetime, AfterValidator(_plausible_receipt)]
# Ids and positions the database stores as integers; bounded so an absurd number is a 422, not an overflow.
MAX_INDEX = 1_000_000
Relationship = Literal["owner", "agent", "other"]
InfringementType = Literal["confusion", "counterfeit", "impersonation", "username"]


class AddressIn(StrictModel):
    street: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None


class ComplainantIn(StrictModel):
    name: str | None = None
    organization: str | None = None
    email: EmailText | None = None
    phone: str | None = None
    fax: str | None = None
    address: AddressIn | None = None
    relationship: Relationship | None = None


class WorkIn(StrictModel):
    title: str | None = None
    description: str | None = None
    urls: list[str] | None = None
    reference_work_id: str | None = Field(default=None, max_length=26, description="id of a registered reference work")
    registration_number: str | None = None


class ItemIn(StrictModel):
    url: str | None = None
    description: str | None = None
    work: int | None = Field(default=None, ge=0, le=MAX_INDEX, description="index into `works`")
    uploader: str | None = Field(default=None, max_length=200, description="platform account that posted the item")


class ItemPatch(ItemIn):
    id: str | None = Field(default=None, description="an existing item to keep (and update); omit for a new item")


class TrademarkIn(StrictModel):
    mark: str | None = None
    registration_number: str | None = None
    registry: str | None = None
    jurisdictions: list[str] | None = None
    nice_classes: list[int] | None = None
    goods_services: str | None = None
    infringement_type: InfringementType | None = None


class StatementsIn(StrictModel):
    good_faith: bool | None = None
    accuracy: bool | None = None
    authority_under_penalty_of_perjury: bool | None = None
    fair_use_considered: bool | None = None
    bona_fide: bool | None = None
    removal_requested: bool | None = None


class SignatureIn(StrictModel):
    name: str | None = None
    date: dt.date | None = None


class _ClaimFields(StrictModel):
    complainant: ComplainantIn | None = None
    rights_owner: str | None = None
    sg_address_for_service: str | None = None
    works: list[WorkIn] | None = None
    explanation: str | None = None
    trademark: TrademarkIn | None = None
    statements: StatementsIn | None = None
    signature: SignatureIn | None = None


class ClaimIn(_ClaimFields):
    kind: ClaimKind
    regime: Regime
    items: list[ItemIn] = Field(min_length=1)
    # Staff only (CONTRACT.md): a notice received by post last week is taken with its own date.
    received_at: ReceivedAt | None = None
    source: ClaimSource | None = Field(default=None, description="staff only: the channel the notice came through")
    on_behalf_of: str | None = Field(default=None, description="staff only: the rights-holder account that owns the claim")


class ClaimPatch(_ClaimFields):
    """What the notifier supplies while `needs_info`. Objects merge key by key; lists replace the stored list."""

    items: list[ItemPatch] | None = Field(default=None, min_length=1)


class ElementOut(BaseModel):
    code: str
    status: Literal["present", "missing", "deficient"]
    citation: str
    detail: str


class CompletenessOut(BaseModel):
    complete: bool
    curable: bool
    elements: list[ElementOut]


class ItemOut(BaseModel):
    id: str
    position: int
    url: str | None
    description: str | None
    work: int | None
    locatable: bool
    location_detail: str | None
    status: str
    outcome: str | None
    decision_reason: str | None = Field(default=None, description="internal: staff only (null for the claim's owner)")
    public_reason: str | None = Field(default=None, description="what the parties are told of the decision")
    territorial_scope: list[str] | None = None
    decided_at: datetime | None = None
    uploader: str | None = None
    matches: list[dict[str, Any]]


class ClaimOut(BaseModel):
    id: str
    reference: str
    kind: ClaimKind
    regime: str
    status: ClaimStatus
    source: ClaimSource
    received_at: datetime
    created_at: datetime
    updated_at: datetime
    completeness: CompletenessOut
    items: list[ItemOut]
    priority: int
    priority_reasons: list[str]
    due_at: datetime | None
    overdue: bool
    assignee: str | None
    owner_id: str
    complainant: dict[str, Any] | None
    rights_owner: str | None
    sg_address_for_service: str | None
    works: list[dict[str, Any]] | None
    explanation: str | None
    trademark: dict[str, Any] | None
    statements: dict[str, Any] | None
    signature: dict[str, Any] | None
    notifier: dict[str, Any] | None = Field(default=None, description="staff only: abuse signals about the notifier")


class ClaimPage(BaseModel):
    items: list[ClaimOut]
    next_cursor: str | None


class EventOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    id: str = Field(description="opaque, like every id (CONTRACT.md); events are listed oldest first")
    at: datetime
    actor: str | None
    actor_role: str
    action: str
    subject_type: str
    subject_id: str
    from_: str | None = Field(serialization_alias="from")
    to: str | None
    reason: str | None
    data: dict[str, Any] | None = None


class EventPage(BaseModel):
    items: list[EventOut]
    next_cursor: str | None
