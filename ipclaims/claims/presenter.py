"""Claims as the API shows them. One serializer, `claim_json`, from rows: a claim read back (`claim_out`, via
`claim_row`/`item_row`) and one intake has just written render through the same lines. The notifier sees its own
claim; staff also see the abuse signals about the notifier."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy.orm import object_session

from ipclaims.claims import notice, repository
from ipclaims.claims.schemas import ClaimOut, EventOut, ItemOut
from ipclaims.claims.workflow import OPEN_CLAIM
from ipclaims.events import Action
from ipclaims.models import Account, Claim, ClaimElement, ClaimItem, Event, Role, utcnow
from ipclaims.triage import priority


def item_row(item: ClaimItem, *, staff: bool) -> dict[str, Any]:
    """An item's row as the viewer may read it: a decision's `reason` is internal (staff only, issue 17); the
    parties read its `public_reason`."""
    return {
        "id": item.id,
        "position": item.position,
        "url": item.url,
        "description": item.description,
        "work_index": item.work_index,
        "locatable": item.locatable,
        "location_detail": item.location_detail,
        "status": item.status,
        "outcome": item.outcome,
        "decision_reason": item.decision_reason if staff else None,
        "public_reason": item.public_reason,
        "territorial_scope": item.territorial_scope,
        "decided_at": item.decided_at,
        "uploader": item.uploader,
        "matches": item.matches,
    }


def item_json(i: Mapping[str, Any]) -> dict[str, Any]:
    """`ItemOut` as JSON, from an item's row; a new item's row has no decision columns yet."""
    return {
        "id": i["id"],
        "position": i["position"],
        "url": i["url"],
        "description": i["description"],
        "work": i["work_index"],
        "locatable": i["locatable"],
        "location_detail": i["location_detail"],
        "status": str(i["status"]),
        "outcome": _str(i.get("outcome")),
        "decision_reason": i.get("decision_reason"),
        "public_reason": i.get("public_reason"),
        "territorial_scope": i.get("territorial_scope"),
        "decided_at": _when(i.get("decided_at")),
        "uploader": i["uploader"],
        "matches": list(i["matches"] or []),
    }


def item_out(item: ClaimItem, viewer: Account) -> ItemOut:
    return ItemOut.model_validate(item_json(item_row(item, staff=viewer.role is not Role.RIGHTS_HOLDER)))


def notifier_signals(claim: Claim) -> dict[str, object] | None:
    """The notifier's unfounded-notice counts (DSA Art. 23(3)) for staff reading the claim, from its own session."""
    session = object_session(claim)
    owner = session.get(Account, claim.owner_id) if session is not None else None
    return repository.notifier_signals(session, owner) if session is not None and owner else None


def claim_out(claim: Claim, viewer: Account, *, notifier: dict[str, object] | None = None, now: datetime | None = None) -> ClaimOut:
    if viewer.role is Role.RIGHTS_HOLDER:
        notifier = None
    elif notifier is None:
        notifier = notifier_signals(claim)
    return ClaimOut.model_validate(
        claim_json(
            claim_row(claim),
            notice.complainant_row_of(claim.complainant),
            [notice.work_dict(w) for w in claim.works],
            [item_row(i, staff=viewer.role is not Role.RIGHTS_HOLDER) for i in claim.items],
            [element_row(e) for e in claim.elements],
            notifier=notifier,
            now=now,
            staff=viewer.role is not Role.RIGHTS_HOLDER,
        )
    )


def claim_row(claim: Claim) -> dict[str, Any]:
    return {c: getattr(claim, c) for c in _CLAIM_COLUMNS}


_CLAIM_COLUMNS = (
    "id",
    "reference",
    "kind",
    "regime",
    "status",
    "source",
    "received_at",
    "created_at",
    "updated_at",
    "complete",
    "curable",
    "priority",
    "priority_reasons",
    "due_at",
    "assignee_id",
    "owner_id",
    *notice.TEXT_FIELDS,
    *notice.OBJECT_FIELDS,
)


def element_row(e: ClaimElement) -> dict[str, Any]:
    return {"code": e.code, "status": e.status, "citation": e.citation, "detail": e.detail}


def event_out(event: Event, reader: Account | None = None) -> EventOut:
    action, source = event.action, event.from_status
    if (
        reader is not None
        and reader.role is Role.RIGHTS_HOLDER
        and event.subject_type == "counter_notice"
        and event.to_status == "forwarded"
        and source is not None
    ):
        # The notifier learns of a counter-notice when it is forwarded, as a receipt: that it was deficient and cured
        # before (from `deficient`, action `cured`) is the uploader's business with the platform, not the notifier's.
        action, source = "received", None
    return EventOut(
        id=str(event.id),
        at=event.at,
        actor=event.actor_id,
        actor_role=event.actor_role,
        action=action,
        subject_type=event.subject_type,
        subject_id=event.subject_id,
        from_=source,
        to=event.to_status,
        reason=event_reason(event, reader),
        data=event.data,
    )


# Actions whose `reason`, when staff took them, is what a staff member typed: a rejection, a reopening, a
# withdrawal, legal's early restoration (counter-notice and item), a complaint's decision and its copy on the item
# (review/complaints.py, "complaint upheld: …"). The worker's (actor role `system`) reasons are generated text (the
# restore window) and stay; so does a request for information (`needs_info`): it is addressed to the notifier.
STAFF_WORDED = frozenset({Action.TRANSITION, Action.REOPENED, Action.WITHDRAWN, Action.RESTORED, Action.COMPLAINT_DECIDED})
NOT_STAFF = frozenset({"system", Role.RIGHTS_HOLDER.value})


def event_reason(event: Event, reader: Account | None) -> str | None:
    """What a reader is told of why. Staff read every reason. A rights holder reads no staff free text (issue 17):
    an item decision shows its public reason (kept in the event's data) or none; the other staff-worded reasons
    (`STAFF_WORDED`) none, except a `needs_info` request."""
    if reader is None or reader.role is not Role.RIGHTS_HOLDER:
        return event.reason
    if event.subject_type == "item" and event.action == Action.DECIDED:
        public = (event.data or {}).get("public_reason")
        return public if isinstance(public, str) else None
    if event.action == Action.COMPLAINT_FILED and (event.data or {}).get("by") != "notifier":
        return None  # the uploader's statement: the notifier is told that a complaint was filed, not what it says
    staff_worded = Action(event.action) in STAFF_WORDED and event.to_status != "needs_info"
    return None if staff_worded and event.actor_role not in NOT_STAFF else event.reason


_WHEN = TypeAdapter(datetime)


def _when(value: datetime | None) -> str | None:
    return None if value is None else _WHEN.dump_python(value, mode="json")


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def claim_json(
    claim: Mapping[str, Any],
    complainant: Mapping[str, Any] | None,
    works: Sequence[Mapping[str, Any]],
    items: Sequence[Mapping[str, Any]],
    elements: Sequence[Mapping[str, Any]],
    *,
    notifier: dict[str, Any] | None,
    now: datetime | None = None,
    staff: bool,
) -> dict[str, Any]:
    """The claim as the API shows it (`ClaimOut`, as JSON), from its rows: the one serializer, for a claim read back
    (`claim_out`) and for one intake has just written, whose answer is rendered straight from the rows it wrote
    (no model built, nothing read back). `notifier`: the notifier's signals, for staff only."""
    now = now or utcnow()
    due_at = claim["due_at"]
    rank, reasons = claim["priority"], list(claim["priority_reasons"] or [])
    if not staff:  # a notifier is never told it is suspected of impersonation (DOMAIN.md §6)
        rank, reasons = priority.shown_to_notifier(rank, reasons)
    return {
        "id": claim["id"],
        "reference": claim["reference"],
        "kind": str(claim["kind"]),
        "regime": claim["regime"],
        "status": str(claim["status"]),
        "source": str(claim["source"]),
        "received_at": _when(claim["received_at"]),
        "created_at": _when(claim["created_at"]),
        "updated_at": _when(claim["updated_at"]),
        "completeness": {
            "complete": claim["complete"],
            "curable": claim["curable"],
            "elements": [{"code": e["code"], "status": e["status"], "citation": e["citation"], "detail": e["detail"]} for e in elements],
        },
        "items": [item_json(i) for i in items],
        "priority": rank,
        "priority_reasons": reasons,
        "due_at": _when(due_at),
        "overdue": bool(due_at and due_at < now and claim["status"] in OPEN_CLAIM),
        "assignee": claim.get("assignee_id"),
        "owner_id": claim["owner_id"],
        "complainant": notice.complainant_echo(complainant) if complainant is not None else None,
        "rights_owner": claim["rights_owner"],
        "sg_address_for_service": claim["sg_address_for_service"],
        "works": [notice.work_echo(w) for w in works] or None,
        "explanation": claim["explanation"],
        "trademark": claim["trademark"],
        "statements": claim["statements"],
        "signature": claim["signature"],
        "notifier": notifier,
    }
