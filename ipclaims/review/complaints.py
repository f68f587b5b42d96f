"""Internal complaints against decisions: DSA Art. 20 for EU claims, and the appeal path of the trademark policy.

An upheld complaint reverses the measure without undue delay (Art. 20(4)); the decision is taken by qualified staff,
never solely by automated means (Art. 20(6)).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ipclaims.claims import repository
from ipclaims.claims.workflow import System, transition
from ipclaims.errors import InvalidTransition, NotFound
from ipclaims.events import Action, record_event
from ipclaims.models import Account, Claim, ClaimItem, ClaimStatus, Complaint, ComplaintStatus, ItemOutcome, ItemStatus, Role, utcnow
from ipclaims.review.schemas import ComplaintDecisionIn, ComplaintIn

DECIDED = (ItemStatus.ACTIONED, ItemStatus.NO_ACTION)
# DSA Art. 20 for EU notices; the trademark policy's appeal mirrors it (CONTRACT additions "complaints").
COMPLAINT_REGIMES = frozenset({"EU_DSA", "TM_POLICY"})


def file(session: Session, actor: Account, claim_id: str, item_id: str, body: ComplaintIn) -> Complaint:
    claim = repository.get_claim(session, actor, claim_id, for_update=True)
    role = "notifier" if actor.role is Role.RIGHTS_HOLDER else body.complainant_role
    received = body.received_at.astimezone(UTC) if body.received_at and actor.role is not Role.RIGHTS_HOLDER else utcnow()
    return _file(session, actor, claim, repository.get_item(claim, item_id), body, role, received)


def file_by_uploader(session: Session, claim_id: str, item_id: str, body: ComplaintIn) -> Complaint:
    """The uploader's own complaint, from the page its link opens (the link names the claim and the item)."""
    claim = repository.get_claim_for_link(session, claim_id)
    return _file(session, None, claim, repository.get_item(claim, item_id), body, "uploader", utcnow(), via="uploader_link")


def _file(
    session: Session,
    actor: Account | None,
    claim: Claim,
    item: ClaimItem,
    body: ComplaintIn,
    role: str,
    received: datetime,
    via: str | None = None,
) -> Complaint:
    if claim.regime not in COMPLAINT_REGIMES:
        # US and Singapore uploaders answer with the statutory counter-notice (§ 512(g)(3), reg 80(4)) instead.
        raise InvalidTransition(
            f"{claim.regime} claims have no internal complaint; the uploader files a counter-notice "
            f"(POST /api/v1/claims/{claim.id}/items/{item.id}/counter-notices)"
        )
    if item.status not in DECIDED:
        raise InvalidTransition(f"item {item.position + 1} is {item.status}; a complaint answers a decision")
    complaint = Complaint(
        claim_id=claim.id,
        item_id=item.id,
        complainant_role=role,
        complainant_email=body.complainant_email,
        body=body.body,
        recorded_by_id=actor.id if actor is not None else None,
        received_at=received,
    )
    session.add(complaint)
    session.flush()
    record_event(
        session,
        claim_id=claim.id,
        actor=actor,
        subject_type="complaint",
        subject_id=complaint.id,
        action=Action.COMPLAINT_FILED,
        to_status=ComplaintStatus.OPEN,
        reason=body.body[:500],
        data={"item_id": item.id, "by": role, **({"via": via} if via else {})},
    )
    return complaint


def _get(session: Session, actor: Account, complaint_id: str) -> Complaint:
    complaint = session.get(Complaint, complaint_id)
    if complaint is None:
        raise NotFound(f"no complaint {complaint_id}")
    try:
        repository.get_claim(session, actor, complaint.claim_id)
    except NotFound:
        raise NotFound(f"no complaint {complaint_id}") from None
    return complaint


def get(session: Session, actor: Account, complaint_id: str) -> Complaint:
    return _get(session, actor, complaint_id)


def list_for_claim(session: Session, actor: Account, claim_id: str) -> list[Complaint]:
    claim = repository.get_claim(session, actor, claim_id)
    return list(session.scalars(select(Complaint).where(Complaint.claim_id == claim.id).order_by(Complaint.id)))


def decide(session: Session, actor: Account, complaint_id: str, body: ComplaintDecisionIn) -> Complaint:
    complaint = _get(session, actor, complaint_id)
    # Lock the claim, then re-read the complaint under that lock: two reviewers deciding at once must not both see
    # it open (the second waits on the lock on PostgreSQL, then finds it decided: 409).
    claim = repository.get_claim(session, actor, complaint.claim_id, for_update=True)
    session.refresh(complaint)
    item = repository.get_item(claim, complaint.item_id)
    now = utcnow()
    transition(
        session,
        complaint,
        ComplaintStatus.UPHELD if body.upheld else ComplaintStatus.DISMISSED,
        actor,
        action=Action.COMPLAINT_DECIDED,
        reason=body.reason,
        at=now,
        values={"decided_by_id": actor.id, "decided_at": now, "decision_reason": body.reason},
    )
    if body.upheld and item.status == ItemStatus.ACTIONED:
        transition(
            session,
            item,
            ItemStatus.RESTORED,
            System(actor),
            action=Action.RESTORED,
            reason=f"complaint upheld: {body.reason}",
            values={"outcome": ItemOutcome.RESTORED},
        )
    elif body.upheld and item.status == ItemStatus.NO_ACTION:
        # The notifier's complaint succeeded: the item goes back for a fresh decision.
        transition(
            session,
            item,
            ItemStatus.PENDING,
            System(actor),
            action=Action.REOPENED,
            reason=f"complaint upheld: {body.reason}",
            # Nothing of the reversed decision survives into the fresh one (its letters, its DSA statement); the
            # events keep what was decided.
            values={
                "outcome": None,
                "decided_at": None,
                "decided_by_id": None,
                "decision_reason": None,
                "public_reason": None,
                "territorial_scope": None,
            },
        )
        if claim.status == ClaimStatus.DECIDED:
            transition(
                session,
                claim,
                ClaimStatus.IN_REVIEW,
                System(actor),
                action=Action.REOPENED,
                reason="the notifier's complaint was upheld; the item needs a fresh decision",
            )
    return complaint
