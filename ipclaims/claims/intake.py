"""Claim intake, `POST /api/v1/claims` (CONTRACT.md "Claims"), in two steps so the pure work never waits in line.

* `prepare` is pure: it checks what may be refused outright (staff-only fields, the item count), runs the regime's
  checkers on the notice exactly as the stored claim reads back (`notice.to_notice`), and builds the rows — the
  claim, its complainant, works, items and completeness elements — as plain values.
* `store` runs in the request's write transaction (`db.Transaction`): the owner, the SLA due time and priority, the
  reference number (`references`), then the rows, the `submitted` event and what its subscribers ask for (the
  mail, `events.follow_ups`), written together by `repository.insert_new_claim` (one statement on PostgreSQL), and
  the response, built from the rows just written rather than read back.

An error `prepare` finds is returned, not raised, and `store` raises it inside the transaction, after the
idempotency check: a refused request answers as it did when all of this was one function.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from ipclaims import idempotency, legal
from ipclaims.auth.deps import STAFF
from ipclaims.claims import notice, references, repository
from ipclaims.claims.presenter import claim_json
from ipclaims.claims.schemas import ClaimIn, ItemIn
from ipclaims.config import Settings
from ipclaims.errors import AppError, NotPermitted, Unprocessable
from ipclaims.events import Action, follow_ups, new_event, write
from ipclaims.models import Account, ClaimSource, ClaimStatus, ItemStatus, Role, new_id, utcnow
from ipclaims.triage import priority

NOTICE_EXCLUDE = {"kind", "regime", "items", "received_at", "source", "on_behalf_of"}
# The statuses a new claim's rows are written with, as plain strings (an enum's `.value` is a Python-level property).
_IN_REVIEW, _NEEDS_INFO, _PENDING = ClaimStatus.IN_REVIEW.value, ClaimStatus.NEEDS_INFO.value, ItemStatus.PENDING.value


def check_staff_fields(actor: Account, data: ClaimIn) -> None:
    staff_only = [f for f in ("received_at", "source", "on_behalf_of") if getattr(data, f) is not None]
    if staff_only and actor.role not in STAFF:
        raise NotPermitted(f"only staff may set {', '.join(staff_only)}")


def check_items(items: list[Any], settings: Settings) -> None:
    if len(items) > settings.max_items:
        raise Unprocessable(
            f"items: at most {settings.max_items} items per claim ({len(items)} given); split the notice",
            errors=[{"loc": ["body", "items"], "msg": f"at most {settings.max_items} items"}],
        )


def owner_of(session: Session, actor: Account, data: ClaimIn) -> Account:
    if data.on_behalf_of is None:
        return actor
    owner = session.get(Account, data.on_behalf_of)
    if owner is None or owner.role is not Role.RIGHTS_HOLDER:
        raise Unprocessable(
            "on_behalf_of: no rights-holder account with that id",
            errors=[{"loc": ["body", "on_behalf_of"], "msg": "unknown rights-holder account"}],
        )
    return owner


def summary(report: legal.Completeness) -> str:
    """The `submitted` / `supplemented` event's reason: what is still missing, element by element."""
    if report.complete:
        return "all elements present"
    return "; ".join(f"{e.code} {e.status.value}" for e in report.elements if e.status.value != "present")


@dataclass
class Draft:
    """A checked notice and its rows, everything that does not need the database."""

    actor: Account
    data: ClaimIn
    now: datetime
    received_at: datetime
    claim: dict[str, Any]
    complainant: dict[str, Any] | None
    works: list[dict[str, Any]]
    items: list[dict[str, Any]]
    elements: list[dict[str, Any]]
    report: legal.Completeness


@dataclass(frozen=True)
class NewClaim:
    """What the acknowledgment and deficiency templates read of the claim (`notifications.mail.MailClaim`): the
    `submitted` event's subject, given to its subscribers before the claim can be read back."""

    id: str
    reference: str
    regime: str
    status: str
    received_at: datetime
    status_changed_at: datetime
    items: list[dict[str, Any]]
    elements: tuple[legal.ElementResult, ...]
    owner_id: str
    complainant: Contact | None


@dataclass(frozen=True)
class Contact:
    email: str | None


def prepare(actor: Account, data: ClaimIn, settings: Settings, *, now: datetime | None = None) -> Draft | AppError:
    """Check and build a claim without touching the database; an expected refusal comes back as the error."""
    try:
        check_staff_fields(actor, data)
        check_items(data.items, settings)
    except AppError as exc:
        return exc
    now = now or utcnow()
    claim_id = new_id()
    fields = data.model_dump(mode="json", exclude=NOTICE_EXCLUDE)
    scalars = notice.scalar_values(fields)
    given = fields.get("complainant")
    complainant = {"claim_id": claim_id, **notice.complainant_row(given)} if given is not None else None
    works = [{"id": new_id(), "claim_id": claim_id, "position": i, **w} for i, w in enumerate(fields.get("works") or [])]
    ctx = legal.CheckContext(platform_hosts=settings.platform_host_set)
    items = [_item_row(claim_id, i, item, ctx, now) for i, item in enumerate(data.items)]
    # The notice as `notice.to_notice` reads the stored claim back: the checkers see what PATCH will see later.
    checked = notice.notice_of(data.kind, data.regime, complainant, scalars, works, [notice.item_echo(i) for i in items])
    report = legal.check_claim(data.regime, checked, ctx)
    elements = [
        {"id": new_id(), "claim_id": claim_id, "intake_status": str(r.status), **notice.element_values(position, r)}
        for position, r in enumerate(report.elements)
    ]
    received_at = data.received_at.astimezone(UTC) if data.received_at else now
    claim = {
        "id": claim_id,
        "created_at": now,
        "submitted_by_id": actor.id,
        "kind": data.kind,
        "regime": data.regime,
        "status": _IN_REVIEW if report.complete else _NEEDS_INFO,
        "received_at": received_at,
        "status_changed_at": now,
        "updated_at": now,
        **scalars,
        "complete": report.complete,
        "curable": report.curable,
    }
    return Draft(
        actor=actor,
        data=data,
        now=now,
        received_at=received_at,
        claim=claim,
        complainant=complainant,
        works=works,
        items=items,
        elements=elements,
        report=report,
    )


def _item_row(claim_id: str, position: int, data: ItemIn, ctx: legal.CheckContext, now: datetime) -> dict[str, Any]:
    locatable, detail = legal.item_location(data.url, ctx)
    # Columns left out (outcome, decision, scope, fair-use flags, …) are NULL, as for an ORM item never decided.
    return {
        "id": new_id(),
        "claim_id": claim_id,
        **notice.new_item_values(position, data),
        "locatable": locatable,
        "location_detail": detail,
        "status": _PENDING,
        "created_at": now,
    }


def store(session: Session, prepared: Draft | AppError, record: idempotency.KeyRecord | None = None) -> bytes:
    """Write a prepared claim in the caller's transaction; returns the 201 body (JSON, as `ClaimOut` renders).

    `record`: the Idempotency-Key's (`idempotency.run_with_record`). A rights holder's answer is known before the
    rows are written, so on PostgreSQL the record goes, with its answer, in the same statement as the rows, guarding
    them. Otherwise it is claimed first: a staff answer counts the claim itself (it is rendered after the rows), and
    on SQLite, where writers take turns anyway, claiming first keeps a replay from using a reference number.
    """
    if isinstance(prepared, AppError):
        if record is not None:
            record.claim(session)  # a key used before answers first (its replay, or 422), as it always did
        raise prepared
    draft, data, actor = prepared, prepared.data, prepared.actor
    guarded = record is not None and actor.role is Role.RIGHTS_HOLDER and session.get_bind().dialect.name == "postgresql"
    if record is not None and not guarded:
        record.claim(session)
    owner = owner_of(session, actor, data)
    source = data.source or (ClaimSource.TRUSTED_FLAGGER if owner.trusted_flagger else ClaimSource.NOTICE)
    due_at = draft.received_at + timedelta(hours=priority.sla_hours(session, data.regime, source))
    rank = priority.score(source=source, due_at=due_at, items=draft.items, trusted_flagger=owner.trusted_flagger, now=draft.now)
    claim = {
        **draft.claim,
        "reference": references.next_reference(session, draft.now.year),
        "owner_id": owner.id,
        "source": source,
        "due_at": due_at,
        "priority": rank.score,
        "priority_reasons": rank.reasons,
    }
    rows = repository.NewClaimRows(claim, draft.complainant, draft.works, draft.items, draft.elements)
    event = new_event(
        claim_id=claim["id"],
        actor=actor,
        subject_type="claim",
        subject_id=claim["id"],
        action=Action.SUBMITTED,
        to_status=claim["status"],
        reason=summary(draft.report),
        at=draft.now,
        data={"reference": claim["reference"], "items": len(draft.items), **({"on_behalf_of": owner.id} if owner is not actor else {})},
    )
    subject = NewClaim(
        id=claim["id"],
        reference=claim["reference"],
        regime=data.regime,
        status=claim["status"],
        received_at=draft.received_at,
        status_changed_at=draft.now,
        items=draft.items,
        elements=draft.report.elements,
        owner_id=owner.id,
        complainant=Contact(draft.complainant["email"]) if draft.complainant is not None else None,
    )
    # What the event's subscribers ask for goes in the same statement, unless a subscriber must name the event
    # (an incomplete claim's deficiency letter): then it follows, once the event has its id.
    follow = follow_ups(session, event, subject)
    if follow is not None and priority.flags_impersonation(follow, claim["id"]):
        _impersonation_priority(claim)  # before the rows are written: no second statement
    payload: bytes | None = None
    guard = None
    if guarded:
        assert record is not None
        payload = idempotency.render_plain(
            claim_json(claim, draft.complainant, draft.works, draft.items, draft.elements, notifier=None, staff=False)
        )
        guard = record.with_answer(payload)
    event_id = repository.insert_new_claim(session, rows, event.values(), follow or [], guard=guard)
    if event_id is None:
        raise idempotency.KeyTaken  # nothing was written: the key was claimed meanwhile
    if follow is None:
        event.id = event_id
        later = follow_ups(session, event, subject) or []
        write(session, later)
        if priority.flags_impersonation(later, claim["id"]):
            _impersonation_priority(claim)
            repository.set_priority(session, claim["id"], claim["priority"], claim["priority_reasons"])
    if payload is not None:
        return payload
    notifier = None
    staff = actor.role is not Role.RIGHTS_HOLDER
    if staff:  # staff see the notifier's signals, as on every read
        notifier = repository.notifier_signals(session, owner)
    return idempotency.render_plain(
        claim_json(claim, draft.complainant, draft.works, draft.items, draft.elements, notifier=notifier, staff=staff)
    )


def _impersonation_priority(claim: dict[str, Any]) -> None:
    """A possible impersonation (DOMAIN.md §6) raises priority at intake, not a sweep later; the notifier's view
    hides the term (`priority.shown_to_notifier`)."""
    raised = priority.with_impersonation(priority.Priority(claim["priority"], list(claim["priority_reasons"])))
    claim["priority"], claim["priority_reasons"] = raised.score, raised.reasons


def submit(session: Session, actor: Account, data: ClaimIn, settings: Settings) -> bytes:
    """Both steps in one go, in the caller's transaction (the demo loader; scripts)."""
    return store(session, prepare(actor, data, settings))
