"""Request and response shapes for review, decisions, counter-notices, complaints, queue and admin calendars."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field

from ipclaims.claims.schemas import AddressIn, CompletenessOut, ReceivedAt, SignatureIn
from ipclaims.http import BoundedEmail, EmailText, StrictModel
from ipclaims.models import ClaimSource, ClaimStatus, ItemOutcome

FairUseFlag = Literal["commentary", "criticism", "parody", "news", "education", "de_minimis"]


class TransitionIn(StrictModel):
    # An enum, so a `to` that is no status is refused with the list of those there are.
    to: ClaimStatus = Field(description="the claim status to move to")
    reason: str | None = Field(default=None, max_length=5000)


class DecisionIn(StrictModel):
    outcome: Literal["removed", "disabled", "geo_blocked", "no_action"]
    reason: str | None = Field(default=None, max_length=5000, description="internal: staff and events only")
    public_reason: str | None = Field(
        default=None, max_length=5000, description="what letters and mail tell the parties; else a standard explanation"
    )
    territorial_scope: list[str] | None = Field(default=None, description="ISO 3166-1 alpha-2 codes")
    fair_use_flags: list[FairUseFlag] | None = Field(default=None, description="the reviewer's fair-use reasoning")
    uploader_email: BoundedEmail | None = Field(default=None, description="where the statement of reasons goes, when the platform knows it")


class WithdrawIn(StrictModel):
    reason: str | None = Field(default=None, max_length=5000)


class SourceIn(StrictModel):
    source: ClaimSource
    reason: str | None = Field(default=None, max_length=5000)


class AssignIn(StrictModel):
    assignee: str | None = Field(description='an account id, or "me" (the caller); null releases the claim')


class NoteIn(StrictModel):
    body: str = Field(min_length=1, max_length=20000)
    internal: bool = True


class NoteOut(BaseModel):
    id: str
    claim_id: str
    author: str
    body: str
    internal: bool
    created_at: dt.datetime


class SubscriberIn(StrictModel):
    name: str | None = None
    email: EmailText | None = None
    phone: str | None = None
    fax: str | None = None
    address: AddressIn | None = None


class CounterStatementsIn(StrictModel):
    mistake_or_misidentification: bool | None = None
    not_infringing: bool | None = None
    under_penalty_of_perjury: bool | None = None
    jurisdiction_consent: bool | None = None
    service_acceptance: bool | None = None
    accuracy: bool | None = None


class _CounterFields(StrictModel):
    subscriber: SubscriberIn | None = None
    material: str | None = None
    statements: CounterStatementsIn | None = None
    sg_address_for_service: str | None = None
    signature: SignatureIn | None = None
    received_at: ReceivedAt | None = Field(default=None, description="staff: when the notice was received")


class CounterNoticeIn(_CounterFields):
    pass


class CounterNoticePatch(_CounterFields):
    """The cure of a deficient counter-notice; objects merge key by key. Its receipt starts the clock."""


class CourtActionIn(StrictModel):
    court: str = Field(min_length=1, max_length=500)
    case_number: str = Field(min_length=1, max_length=200)
    filed_on: dt.date


class RestoreWindowOut(BaseModel):
    earliest: dt.date
    latest: dt.date


class CounterNoticeOut(BaseModel):
    id: str
    claim_id: str
    item_id: str
    regime: str
    status: str
    completeness: CompletenessOut
    restore_window: RestoreWindowOut | None
    restore_on: dt.date | None
    clock_timezone: str | None
    received_at: dt.datetime
    first_received_at: dt.datetime
    forwarded_at: dt.datetime | None
    court: dict[str, Any] | None
    subscriber: dict[str, Any] | None
    material: str | None
    statements: dict[str, Any] | None
    sg_address_for_service: str | None
    signature: dict[str, Any] | None
    created_at: dt.datetime
    updated_at: dt.datetime


class CounterNoticeList(BaseModel):
    items: list[CounterNoticeOut]
    next_cursor: str | None = None


class ComplaintIn(StrictModel):
    complainant_role: Literal["uploader", "notifier"] = "uploader"
    complainant_email: BoundedEmail | None = None
    body: str = Field(min_length=1, max_length=20000)
    received_at: ReceivedAt | None = None


class ComplaintDecisionIn(StrictModel):
    upheld: bool
    reason: str = Field(min_length=1, max_length=5000)


class ComplaintOut(BaseModel):
    id: str
    claim_id: str
    item_id: str
    complainant_role: str
    body: str | None = Field(description="null for the notifier reading the uploader's complaint")
    status: str
    received_at: dt.datetime
    decided_at: dt.datetime | None
    decision_reason: str | None


class MarkedStrike(BaseModel):
    reference: str
    notifier_id: str
    unfounded_rate: float
    decided_items: int
    reason: str


class TerminationReview(BaseModel):
    action: str = "review_for_termination"
    needs_human: bool = Field(default=True, description="always true: a recommendation, never an automatic termination")
    reason: str


class StrikesOut(BaseModel):
    uploader: str
    strikes: int
    claims: list[str] = Field(description="references of the effective notices counted")
    policy: str
    counted: int = Field(description="strikes toward the repeat-infringer threshold: `strikes` less the marked ones")
    threshold: int = Field(description="IPCLAIMS_REPEAT_INFRINGER_STRIKES")
    marked: list[MarkedStrike] = Field(
        default_factory=list, description="strikes from notifiers whose unfounded rate is above the strike-farming threshold"
    )
    recommendation: TerminationReview | None = Field(description="set when `counted` reaches `threshold`; for a human to decide")


class NotifierStats(BaseModel):
    account_id: str
    notices: int
    decided_items: int
    unfounded_items: int
    rejected_notices: int
    unfounded_rate: float | None
    basis: str


class ClosureIn(StrictModel):
    calendar: Literal["US", "SG"]
    day: dt.date
    description: str = Field(min_length=1, max_length=500)


class ClosureOut(BaseModel):
    calendar: str
    day: dt.date
    description: str
    created_at: dt.datetime
    recomputed_counter_notices: int = 0


class SlaIn(StrictModel):
    regime: Literal["US_DMCA", "EU_DSA", "SG_CA2021", "TM_POLICY"]
    source: ClaimSource
    hours: int = Field(ge=1, le=24 * 365)


class SlaOut(BaseModel):
    regime: str
    source: str
    hours: int


OUTCOME_TO_STATUS = {ItemOutcome.REMOVED, ItemOutcome.DISABLED, ItemOutcome.GEO_BLOCKED}
