"""ORM → response shapes. The notifier sees its own claim; staff also see the abuse signals about the notifier."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy.orm import object_session

from ipclaims.claims import notice, repository
from ipclaims.claims.schemas import ClaimOut, CompletenessOut, ElementOut, EventOut, ItemOut
from ipclaims.claims.workflow import OPEN_CLAIM
from ipclaims.models import Account, Claim, ClaimItem, Event, Role, utcnow


def item_out(item: ClaimItem) -> ItemOut:
    return ItemOut(
        id=item.id, position=item.position, url=item.url, description=item.description, work=item.work_index,
        locatable=item.locatable, location_detail=item.location_detail, status=item.status, outcome=item.outcome,
        decision_reason=item.decision_reason, territorial_scope=item.territorial_scope, decided_at=item.decided_at,
        uploader=item.uploader, matches=list(item.matches or []),
    )


def notifier_signals(claim: Claim) -> dict[str, object] | None:
    """The notifier's unfounded-notice counts (DSA Art. 23(3)) for staff reading the claim, from its own session."""
    session = object_session(claim)
    owner = session.get(Account, claim.owner_id) if session is not None else None
    return repository.notifier_signals(session, owner) if session is not None and owner else None


def claim_out(claim: Claim, viewer: Account, *, notifier: dict[str, object] | None = None,
              now: datetime | None = None) -> ClaimOut:
    now = now or utcnow()
    if notifier is None and viewer.role is not Role.RIGHTS_HOLDER:
        notifier = notifier_signals(claim)
    echo = notice.to_notice(claim)
    return ClaimOut(
        id=claim.id, reference=claim.reference, kind=claim.kind, regime=claim.regime, status=claim.status,
        source=claim.source, received_at=claim.received_at, created_at=claim.created_at, updated_at=claim.updated_at,
        completeness=CompletenessOut(
            complete=claim.complete, curable=claim.curable,
            elements=[ElementOut(code=e.code, status=e.status, citation=e.citation, detail=e.detail)
                      for e in claim.elements],
        ),
        items=[item_out(i) for i in claim.items],
        priority=claim.priority, priority_reasons=list(claim.priority_reasons or []), due_at=claim.due_at,
        overdue=bool(claim.due_at and claim.due_at < now and claim.status in OPEN_CLAIM),
        assignee=claim.assignee_id, owner_id=claim.owner_id,
        complainant=echo["complainant"], rights_owner=claim.rights_owner,
        sg_address_for_service=claim.sg_address_for_service, works=echo["works"], explanation=claim.explanation,
        trademark=claim.trademark, statements=claim.statements, signature=claim.signature,
        notifier=notifier if viewer.role is not Role.RIGHTS_HOLDER else None,
    )


def event_out(event: Event) -> EventOut:
    return EventOut(id=str(event.id), at=event.at, actor=event.actor_id, actor_role=event.actor_role, action=event.action,
                    subject_type=event.subject_type, subject_id=event.subject_id, from_=event.from_status,
                    to=event.to_status, reason=event.reason, data=event.data)


_WHEN = TypeAdapter(datetime)


def _when(value: datetime | None) -> str | None:
    return None if value is None else _WHEN.dump_python(value, mode="json")


def new_claim_payload(claim: Mapping[str, Any], complainant: Mapping[str, Any] | None, works: Sequence[Mapping[str, Any]],
                      items: Sequence[Mapping[str, Any]], elements: Sequence[Mapping[str, Any]], *,
                      notifier: dict[str, Any] | None, now: datetime | None = None) -> dict[str, Any]:
    """`claim_out(...).model_dump(mode="json")` for a claim intake has just inserted, from its rows.

    The same keys in the same order with the same values (pydantic's own datetime format), without building the
    model or reading the rows back; tests/claims compare it byte for byte with `GET /api/v1/claims/{id}`. A new
    claim has no decision, no match and no assignee yet; `notifier` is given for a staff submitter only.
    """
    now = now or utcnow()
    due_at = claim["due_at"]
    return {
        "id": claim["id"], "reference": claim["reference"], "kind": str(claim["kind"]), "regime": claim["regime"],
        "status": str(claim["status"]), "source": str(claim["source"]), "received_at": _when(claim["received_at"]),
        "created_at": _when(claim["created_at"]), "updated_at": _when(claim["updated_at"]),
        "completeness": {
            "complete": claim["complete"], "curable": claim["curable"],
            "elements": [{"code": e["code"], "status": e["status"], "citation": e["citation"], "detail": e["detail"]}
                         for e in elements],
        },
        "items": [{"id": i["id"], "position": i["position"], "url": i["url"], "description": i["description"],
                   "work": i["work_index"], "locatable": i["locatable"], "location_detail": i["location_detail"],
                   "status": str(i["status"]), "outcome": None, "decision_reason": None, "territorial_scope": None,
                   "decided_at": None, "uploader": i["uploader"], "matches": list(i["matches"])} for i in items],
        "priority": claim["priority"], "priority_reasons": list(claim["priority_reasons"]), "due_at": _when(due_at),
        "overdue": bool(due_at and due_at < now and claim["status"] in OPEN_CLAIM),
        "assignee": None, "owner_id": claim["owner_id"],
        "complainant": notice.complainant_echo(complainant) if complainant is not None else None,
        "rights_owner": claim["rights_owner"], "sg_address_for_service": claim["sg_address_for_service"],
        "works": [notice.work_echo(w) for w in works] or None, "explanation": claim["explanation"],
        "trademark": claim["trademark"], "statements": claim["statements"], "signature": claim["signature"],
        "notifier": notifier,
    }
