"""Claim transitions, per-item decisions, withdrawal and the notice's channel (CONTRACT.md "Review and decisions")."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ipclaims.claims import repository
from ipclaims.claims.workflow import CLAIM_TRANSITIONS, record_event, transition
from ipclaims.errors import InvalidTransition, NotPermitted, Unprocessable
from ipclaims.legal.territory import invalid_codes
from ipclaims.models import Account, Claim, ClaimItem, ClaimStatus, ItemOutcome, ItemStatus, Role, utcnow
from ipclaims.review import priority
from ipclaims.review.schemas import DecisionIn, SourceIn, TransitionIn

REASON_REQUIRED = {ClaimStatus.ESCALATED, ClaimStatus.REJECTED, ClaimStatus.NEEDS_INFO}
ACTIONED = {ItemOutcome.REMOVED, ItemOutcome.DISABLED, ItemOutcome.GEO_BLOCKED}


def _staff(actor: Account) -> None:
    if actor.role is Role.RIGHTS_HOLDER:
        raise NotPermitted("only staff move claims between states; a notifier may withdraw its own claim")


def _reviewer(actor: Account) -> None:
    # An admin appears in no row of CLAIM_TRANSITIONS: a move it may never make in any state is a 403, not a 409.
    _staff(actor)
    if actor.role not in (Role.SPECIALIST, Role.LEGAL):
        raise NotPermitted("only specialists and legal move claims between states")


def transition_claim(session: Session, actor: Account, claim_id: str, body: TransitionIn) -> Claim:
    _reviewer(actor)
    try:
        to = ClaimStatus(body.to)
    except ValueError:
        raise Unprocessable(f"to: unknown claim status {body.to!r}",
                            errors=[{"loc": ["body", "to"], "msg": "unknown status"}]) from None
    claim = repository.get_claim(session, actor, claim_id, for_update=True)
    if (claim.status, to) not in CLAIM_TRANSITIONS:
        raise InvalidTransition(f"claim {claim.reference} cannot go from {claim.status} to {to}")
    if to == ClaimStatus.DECIDED:
        raise InvalidTransition("a claim becomes decided when every item has an outcome; decide the items")
    if to in REASON_REQUIRED and not (body.reason or "").strip():
        raise Unprocessable(f"reason: required to move a claim to {to}",
                            errors=[{"loc": ["body", "reason"], "msg": "required"}])
    reopen = claim.status in (ClaimStatus.DECIDED, ClaimStatus.CLOSED, ClaimStatus.REJECTED, ClaimStatus.WITHDRAWN)
    transition(session, claim, to, actor, reason=body.reason, action="reopened" if reopen else "transition",
               internal=to == ClaimStatus.ESCALATED)
    if to == ClaimStatus.ESCALATED and claim.assignee_id is not None:
        # Escalation hands the claim to legal's queue; the specialist's assignment ends.
        claim.assignee_id = None
    _refresh_priority(session, claim)
    return claim


def withdraw(session: Session, actor: Account, claim_id: str, reason: str | None) -> Claim:
    claim = repository.get_claim(session, actor, claim_id, for_update=True)
    transition(session, claim, ClaimStatus.WITHDRAWN, actor, reason=reason or "withdrawn by the notifier",
               action="withdrawn")
    return claim


def set_source(session: Session, actor: Account, claim_id: str, body: SourceIn) -> Claim:
    _staff(actor)
    claim = repository.get_claim(session, actor, claim_id, for_update=True)
    before = claim.source
    claim.source = body.source
    claim.due_at = priority.due_at(session, claim)
    record_event(session, claim_id=claim.id, actor=actor, subject_type="claim", subject_id=claim.id,
                 action="source_changed", reason=body.reason, data={"from": before, "to": body.source}, internal=True)
    _refresh_priority(session, claim)
    return claim


def _check_decision(claim: Claim, item: ClaimItem, actor: Account, body: DecisionIn) -> None:
    if actor.role not in (Role.SPECIALIST, Role.LEGAL):
        raise NotPermitted("only specialists and legal decide items")
    if claim.status == ClaimStatus.ESCALATED and actor.role is not Role.LEGAL:
        raise InvalidTransition(f"claim {claim.reference} is escalated: only legal decides it")
    # Legal may also correct an item of a decided claim directly (a reversal; DOMAIN.md §3), without reopening it.
    decidable = (ClaimStatus.IN_REVIEW, ClaimStatus.ESCALATED) + ((ClaimStatus.DECIDED,) if actor.role is Role.LEGAL else ())
    if claim.status not in decidable:
        raise InvalidTransition(f"claim {claim.reference} is {claim.status}; items are decided while in_review or escalated")
    outcome = ItemOutcome(body.outcome)
    if outcome in ACTIONED and not item.locatable:
        # DOMAIN.md §6: act only on locatable items.
        raise InvalidTransition(f"item {item.position + 1} is not locatable ({item.location_detail}); "
                                "only no_action can be decided until the notifier supplies a specific URL")
    scope = body.territorial_scope or []
    bad = invalid_codes(scope)
    if bad:
        raise Unprocessable(f"territorial_scope: {', '.join(bad)} not ISO 3166-1 alpha-2",
                            errors=[{"loc": ["body", "territorial_scope"], "msg": f"unknown codes {bad}"}])
    if outcome == ItemOutcome.GEO_BLOCKED and not scope:
        raise Unprocessable("territorial_scope: a geo-block needs the countries it applies to",
                            errors=[{"loc": ["body", "territorial_scope"], "msg": "required for geo_blocked"}])


def decide_item(session: Session, actor: Account, claim_id: str, item_id: str, body: DecisionIn) -> Claim:
    claim = repository.get_claim(session, actor, claim_id, for_update=True)
    item = repository.get_item(claim, item_id)
    _check_decision(claim, item, actor, body)
    outcome = ItemOutcome(body.outcome)
    target = ItemStatus.ACTIONED if outcome in ACTIONED else ItemStatus.NO_ACTION
    now = utcnow()
    values = {"outcome": outcome, "decision_reason": body.reason, "public_reason": body.public_reason,
              "territorial_scope": body.territorial_scope,
              "fair_use_flags": body.fair_use_flags, "decided_at": now, "decided_by_id": actor.id}
    if body.uploader_email is not None:
        values["uploader_email"] = body.uploader_email
    transition(session, item, target, actor, reason=body.reason, action="decided", values=values, at=now,
               data={"outcome": outcome, "territorial_scope": body.territorial_scope,
                     "fair_use_flags": body.fair_use_flags})
    if all(i.outcome is not None for i in claim.items) and claim.status != ClaimStatus.DECIDED:
        transition(session, claim, ClaimStatus.DECIDED, actor, as_system=True, action="decided",
                   reason="every item has an outcome", at=now)
    _refresh_priority(session, claim)
    return claim


def _refresh_priority(session: Session, claim: Claim) -> None:
    owner = session.get(Account, claim.owner_id)
    assert owner is not None
    priority.refresh(session, claim, owner, now=utcnow())
