"""Claim transitions, per-item decisions, withdrawal and the notice's channel (CONTRACT.md "Review and decisions")."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ipclaims.claims import repository
from ipclaims.claims.guards import ACTIONED_OUTCOMES
from ipclaims.claims.workflow import CLAIM, ITEM, System, require_permitted, transition
from ipclaims.errors import NotPermitted, Unprocessable
from ipclaims.events import Action, record_event
from ipclaims.models import Account, Claim, ClaimStatus, ItemOutcome, ItemStatus, Role, utcnow
from ipclaims.review.schemas import DecisionIn, SourceIn, TransitionIn
from ipclaims.triage import priority

REOPENED_FROM = frozenset({ClaimStatus.DECIDED, ClaimStatus.CLOSED, ClaimStatus.REJECTED, ClaimStatus.WITHDRAWN})
DECISIONS = (ItemStatus.ACTIONED, ItemStatus.NO_ACTION)


def _staff(actor: Account) -> None:
    if actor.role is Role.RIGHTS_HOLDER:
        raise NotPermitted("only staff move claims between states; a notifier may withdraw its own claim")


def transition_claim(session: Session, actor: Account, claim_id: str, body: TransitionIn) -> Claim:
    # This is the staff's endpoint: the notifier's one move, withdrawal, has its own (`withdraw`, below). Of the
    # staff, a role that no row of the claim table names (an admin) may never move a claim: 403, not 409.
    _staff(actor)
    require_permitted(actor, CLAIM, "only specialists and legal move claims between states")
    try:
        to = ClaimStatus(body.to)
    except ValueError:
        raise Unprocessable(f"to: unknown claim status {body.to!r}", errors=[{"loc": ["body", "to"], "msg": "unknown status"}]) from None
    claim = repository.get_claim(session, actor, claim_id, for_update=True)
    transition(
        session,
        claim,
        to,
        actor,
        reason=body.reason,
        action=Action.REOPENED if claim.status in REOPENED_FROM else Action.TRANSITION,
        internal=to == ClaimStatus.ESCALATED,
    )
    if to == ClaimStatus.ESCALATED and claim.assignee_id is not None:
        # Escalation hands the claim to legal's queue; the specialist's assignment ends.
        claim.assignee_id = None
    _refresh_priority(session, claim)
    return claim


def withdraw(session: Session, actor: Account, claim_id: str, reason: str | None) -> Claim:
    require_permitted(
        actor, CLAIM, "only the notifier, specialists and legal withdraw a claim", into={ClaimStatus.WITHDRAWN}
    )  # a role in no withdrawal row: 403 in every state
    claim = repository.get_claim(session, actor, claim_id, for_update=True)
    transition(session, claim, ClaimStatus.WITHDRAWN, actor, reason=reason or "withdrawn by the notifier", action=Action.WITHDRAWN)
    return claim


def set_source(session: Session, actor: Account, claim_id: str, body: SourceIn) -> Claim:
    _staff(actor)
    claim = repository.get_claim(session, actor, claim_id, for_update=True)
    before = claim.source
    claim.source = body.source
    claim.due_at = priority.due_at(session, claim)
    record_event(
        session,
        claim_id=claim.id,
        actor=actor,
        subject_type="claim",
        subject_id=claim.id,
        action=Action.SOURCE_CHANGED,
        reason=body.reason,
        data={"from": before, "to": body.source},
        internal=True,
    )
    _refresh_priority(session, claim)
    return claim


def decide_item(session: Session, actor: Account, claim_id: str, item_id: str, body: DecisionIn) -> Claim:
    # Before the lookup: a role no decision row names gets 403 whoever owns the claim.
    require_permitted(actor, ITEM, "only specialists and legal decide items", into=DECISIONS)
    claim = repository.get_claim(session, actor, claim_id, for_update=True)
    item = repository.get_item(claim, item_id)
    outcome = ItemOutcome(body.outcome)
    # The item table's decision guards (claims/guards.py) judge the claim's state, the item and the scope.
    target = ItemStatus.ACTIONED if outcome in ACTIONED_OUTCOMES else ItemStatus.NO_ACTION
    now = utcnow()
    values = {
        "outcome": outcome,
        "decision_reason": body.reason,
        "public_reason": body.public_reason,
        "territorial_scope": body.territorial_scope,
        "fair_use_flags": body.fair_use_flags,
        "decided_at": now,
        "decided_by_id": actor.id,
    }
    if body.uploader_email is not None:
        values["uploader_email"] = body.uploader_email
    transition(
        session,
        item,
        target,
        actor,
        reason=body.reason,
        action=Action.DECIDED,
        values=values,
        at=now,
        data={
            "outcome": outcome,
            "territorial_scope": body.territorial_scope,
            "fair_use_flags": body.fair_use_flags,
            # the event's `reason` is internal: the notifier reads this one (claims.presenter.event_reason)
            **({"public_reason": body.public_reason} if body.public_reason is not None else {}),
        },
    )
    if all(i.outcome is not None for i in claim.items) and claim.status != ClaimStatus.DECIDED:
        transition(session, claim, ClaimStatus.DECIDED, System(actor), action=Action.DECIDED, reason="every item has an outcome", at=now)
    _refresh_priority(session, claim)
    return claim


def _refresh_priority(session: Session, claim: Claim) -> None:
    owner = session.get(Account, claim.owner_id)
    assert owner is not None
    priority.refresh(session, claim, owner, now=utcnow())
