"""Who proposes a move, what a guard sees, and the guards the transition tables name (claims/workflow.py).

A guard is a precondition of one row of a table beyond who may take it: it reads the proposed move and raises
`InvalidTransition` (409) or `Unprocessable` (422) to refuse it. Guards hold no role lists; the rows do.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ipclaims.errors import InvalidTransition, Unprocessable
from ipclaims.legal.territory import invalid_codes
from ipclaims.models import Account, Claim, ClaimItem, ClaimStatus, ItemOutcome, Role

# The outcomes that take an item down; a decision for one of them moves the item to `actioned`.
ACTIONED_OUTCOMES = frozenset({ItemOutcome.REMOVED, ItemOutcome.DISABLED, ItemOutcome.GEO_BLOCKED})


class Party(StrEnum):
    """Who a table row names: the system, the claim's owner, another rights holder, or a staff role."""

    SYSTEM = "system"  # the worker, and follow-ups the system takes on a caller's behalf
    OWNER = "owner"  # the rights holder that owns the claim
    OTHER_HOLDER = "other_holder"  # any other rights holder: named by no row
    SPECIALIST = Role.SPECIALIST.value
    LEGAL = Role.LEGAL.value
    ADMIN = Role.ADMIN.value


# A notifier refused by a row is a 403 (CONTRACT.md: a role that may never do the action); staff and the system 409.
NOTIFIERS = frozenset({Party.OWNER, Party.OTHER_HOLDER})


@dataclass(frozen=True)
class System:
    """The system as the actor of a move, instead of a flag: the worker (`System()`), or a follow-up taken on a
    caller's behalf (`System(reviewer)`: the claim becoming decided after the last item decision). The table checks
    the System party; the event names the account it acted for, if any."""

    on_behalf_of: Account | None = None


@dataclass(frozen=True)
class Proposal:
    """A move being asked for, as every guard of its row sees it."""

    target: Any  # the Claim, ClaimItem, CounterNotice or Complaint to move
    claim: Claim  # the target's claim (the target itself for a claim)
    to: str
    party: Party
    reason: str | None = None
    values: Mapping[str, Any] = field(default_factory=dict)  # what the move writes beside the status

    @property
    def outcome(self) -> ItemOutcome | None:
        """The outcome a decision proposes; None for a move that is not a decision (a counter-notice withdrawn)."""
        value = self.values.get("outcome")
        return ItemOutcome(value) if value is not None else None


Guard = Callable[[Proposal], None]

REASON_REQUIRED = frozenset({ClaimStatus.ESCALATED, ClaimStatus.REJECTED, ClaimStatus.NEEDS_INFO})


def reason_given(p: Proposal) -> None:
    """Escalation, rejection and a request for information say why: the notifier (or legal) reads it."""
    if not (p.reason or "").strip():
        raise Unprocessable(f"reason: required to move a claim to {p.to}", errors=[{"loc": ["body", "reason"], "msg": "required"}])


# The guards below check a decision: a move of an item that proposes an outcome. Other moves into the same states
# (a counter-notice withdrawn puts the takedown back) carry no outcome and pass them.


def legal_decides_escalated(p: Proposal) -> None:
    """An escalated claim is legal's (CONTRACT.md: a specialist deciding an escalated claim is a 409)."""
    if p.outcome is not None and p.claim.status == ClaimStatus.ESCALATED and p.party is not Party.LEGAL:
        raise InvalidTransition(f"claim {p.claim.reference} is escalated: only legal decides it")


def claim_under_review(p: Proposal) -> None:
    """Items are decided while their claim is in review or escalated; legal may also correct an item of a decided
    claim directly (a reversal; DOMAIN.md §3), without reopening it."""
    if p.outcome is None:
        return
    decidable = {ClaimStatus.IN_REVIEW, ClaimStatus.ESCALATED} | ({ClaimStatus.DECIDED} if p.party is Party.LEGAL else set())
    if p.claim.status not in decidable:
        raise InvalidTransition(f"claim {p.claim.reference} is {p.claim.status}; items are decided while in_review or escalated")


def locatable(p: Proposal) -> None:
    """DOMAIN.md §6: act only on locatable items."""
    item: ClaimItem = p.target
    if p.outcome in ACTIONED_OUTCOMES and not item.locatable:
        raise InvalidTransition(
            f"item {item.position + 1} is not locatable ({item.location_detail}); "
            "only no_action can be decided until the notifier supplies a specific URL"
        )


def scope_known(p: Proposal) -> None:
    bad = invalid_codes(p.values.get("territorial_scope") or [])
    if bad:
        raise Unprocessable(
            f"territorial_scope: {', '.join(bad)} not ISO 3166-1 alpha-2",
            errors=[{"loc": ["body", "territorial_scope"], "msg": f"unknown codes {bad}"}],
        )


def geo_block_scoped(p: Proposal) -> None:
    if p.outcome == ItemOutcome.GEO_BLOCKED and not p.values.get("territorial_scope"):
        raise Unprocessable(
            "territorial_scope: a geo-block needs the countries it applies to",
            errors=[{"loc": ["body", "territorial_scope"], "msg": "required for geo_blocked"}],
        )


# In this order: the 409s of the claim's and the item's state before the 422s of the decision's scope.
DECISION: tuple[Guard, ...] = (legal_decides_escalated, claim_under_review, locatable, scope_known, geo_block_scoped)
