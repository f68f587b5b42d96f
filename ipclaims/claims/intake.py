"""Claim intake, `POST /api/v1/claims` (CONTRACT.md "Claims"), in two steps so the pure work never waits in line.

* `prepare` is pure: it checks what may be refused outright (staff-only fields, the item count), runs the regime's
  checkers on the notice exactly as the stored claim reads back (`notice.to_notice`), and builds the rows — the
  claim, its complainant, works, items and completeness elements — as plain values.
* `store` runs in the request's write transaction (`db.Transaction`): the owner, the SLA due time and priority, the
  reference number, then the rows in one multi-row INSERT per table, the `submitted` event and the mail it owes
  (`review.followups.submitted_messages`, queued in the same transaction), and the response, built from the rows
  just written rather than read back.

Rows go in as Core INSERTs: the ORM unit of work cost more than everything else on this path together, and a new
claim needs none of what it offers (no loaded objects to reconcile, no cascades to discover). Column defaults still
apply, and values go through the column types exactly as the ORM would send them.

An error `prepare` finds is returned, not raised, and `store` raises it inside the transaction, after the
idempotency check: a refused request answers as it did when all of this was one function.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Engine, Integer, Table, bindparam, insert, text
from sqlalchemy.orm import Session

from ipclaims import idempotency, legal
from ipclaims.auth.deps import STAFF
from ipclaims.claims import notice
from ipclaims.claims.presenter import new_claim_payload
from ipclaims.claims.schemas import ClaimIn, ItemIn
from ipclaims.config import Settings
from ipclaims.db import Prepared, autocommit_engine, on_dispose, opened, run_reconnecting, send_together
from ipclaims.errors import AppError, NotPermitted, Unprocessable
from ipclaims.jobs.outbox import INSERT as OUTBOX_INSERT
from ipclaims.jobs.outbox import insert_messages
from ipclaims.letters.service import request_owed
from ipclaims.models import (
    Account,
    Claim,
    ClaimElement,
    ClaimItem,
    ClaimReferenceCounter,
    ClaimSource,
    ClaimStatus,
    ClaimWork,
    Complainant,
    Event,
    ItemStatus,
    Role,
    new_id,
    utcnow,
)
from ipclaims.review import followups, priority

NOTICE_EXCLUDE = {"kind", "regime", "items", "received_at", "source", "on_behalf_of"}

_COUNTER = ClaimReferenceCounter.__tablename__
_SEQUENCE = "claim_reference_seq"  # PostgreSQL (migration 0007)
_BUMP = Prepared(text(
    f"INSERT INTO {_COUNTER} (year, last_value) VALUES (:year, 1) "
    f"ON CONFLICT (year) DO UPDATE SET last_value = {_COUNTER}.last_value + 1 RETURNING last_value"
).bindparams(bindparam("year", type_=Integer())))
# The year's base: the sequence's last value when the year's first claim is numbered (a year counted before the
# sequence existed keeps its base, set by the migration; one with no base yet resumes above its `last_value`).
# Committed durably, whatever the connection's setting (`db.autocommit_engine` commits asynchronously): a base lost
# in a crash after processes had read it would let a later process set another one, numbering the year twice.
_BASE = Prepared(text(
    "WITH durable AS (SELECT set_config('synchronous_commit', 'on', true)) "
    f"INSERT INTO {_COUNTER} (year, last_value, sequence_base) "
    f"SELECT :year, 0, CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM {_SEQUENCE}, durable "
    f"ON CONFLICT (year) DO UPDATE SET sequence_base = "
    f"coalesce({_COUNTER}.sequence_base, EXCLUDED.sequence_base - {_COUNTER}.last_value) RETURNING sequence_base"
).bindparams(bindparam("year", type_=Integer())))
NEXTVAL = f"SELECT nextval('{_SEQUENCE}')"  # also sent with the intake's BEGIN (`db.Opening`)
_NEXTVAL = Prepared(text(NEXTVAL))
_BASES: dict[tuple[Engine, int], int] = {}  # (database, year) → sequence_base: once set, it never changes
on_dispose(_BASES.clear)


def next_reference(session: Session, year: int) -> str:
    """IPC-YYYY-NNNNNN, unique across concurrent intakes; a rolled-back intake leaves a gap, never a duplicate.

    SQLite serialises writers, so the year's counter row is bumped in the intake's own transaction (a refused
    intake uses no number). On PostgreSQL that row stayed locked until the intake committed, queueing every intake
    behind the one before it; a bump committed on a connection of its own was a second transaction per claim. So
    there the number is `nextval` of one sequence (never locked, never rolled back) minus the year's base, read
    once per process and year. Every process subtracts the same base, and the sequence never gives a value twice,
    so the year's numbers never repeat; a value at or below the base (drawn before the year's base was set) is not
    used, so they start at 1.
    """
    conn = session.connection()
    if conn.dialect.name != "postgresql":
        return f"IPC-{year}-{_BUMP.scalar(conn, {'year': year}):06d}"
    key = (conn.engine, year)
    base = _BASES.get(key)
    if base is None:
        # No pre-ping: a dropped connection is retried (the statement is idempotent once the base is set).
        base = _BASES[key] = run_reconnecting(autocommit_engine(conn.engine, ping=False),
                                              lambda c: int(_BASE.scalar(c, {"year": year})))
    drawn = opened(NEXTVAL)  # the number drawn with BEGIN (the route's `opening`)
    value = int(drawn) if drawn is not None and int(drawn) > base else int(_NEXTVAL.scalar(conn, {}))
    return f"IPC-{year}-{value - base:06d}"


def check_staff_fields(actor: Account, data: ClaimIn) -> None:
    staff_only = [f for f in ("received_at", "source", "on_behalf_of") if getattr(data, f) is not None]
    if staff_only and actor.role not in STAFF:
        raise NotPermitted(f"only staff may set {', '.join(staff_only)}")


def check_items(items: list[Any], settings: Settings) -> None:
    if len(items) > settings.max_items:
        raise Unprocessable(f"items: at most {settings.max_items} items per claim ({len(items)} given); split the notice",
                            errors=[{"loc": ["body", "items"], "msg": f"at most {settings.max_items} items"}])


def owner_of(session: Session, actor: Account, data: ClaimIn) -> Account:
    if data.on_behalf_of is None:
        return actor
    owner = session.get(Account, data.on_behalf_of)
    if owner is None or owner.role is not Role.RIGHTS_HOLDER:
        raise Unprocessable("on_behalf_of: no rights-holder account with that id",
                            errors=[{"loc": ["body", "on_behalf_of"], "msg": "unknown rights-holder account"}])
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
    """What the acknowledgment and deficiency templates read of the claim (`followups.MailClaim`)."""

    id: str
    reference: str
    regime: str
    status: str
    received_at: datetime
    status_changed_at: datetime
    items: list[dict[str, Any]]
    elements: tuple[legal.ElementResult, ...]


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
    checked = {
        "kind": data.kind, "regime": data.regime,
        "complainant": notice.complainant_echo(complainant) if complainant is not None else None,
        "rights_owner": scalars["rights_owner"], "sg_address_for_service": scalars["sg_address_for_service"],
        "works": [notice.work_echo(w) for w in works] or None,
        "items": [{"url": i["url"], "description": i["description"], "work": i["work_index"]} for i in items],
        "explanation": scalars["explanation"], "trademark": scalars["trademark"],
        "statements": scalars["statements"], "signature": scalars["signature"],
    }
    report = legal.check_claim(data.regime, checked, ctx)
    elements = [{"id": new_id(), "claim_id": claim_id, "position": position, "code": r.code, "status": r.status.value,
                 "citation": r.citation, "detail": r.detail} for position, r in enumerate(report.elements)]
    received_at = data.received_at.astimezone(UTC) if data.received_at else now
    claim = {
        "id": claim_id, "created_at": now, "submitted_by_id": actor.id, "kind": data.kind, "regime": data.regime,
        "status": (ClaimStatus.IN_REVIEW if report.complete else ClaimStatus.NEEDS_INFO).value,
        "received_at": received_at, "status_changed_at": now, "updated_at": now, **scalars,
        "complete": report.complete, "curable": report.curable,
    }
    return Draft(actor=actor, data=data, now=now, received_at=received_at, claim=claim, complainant=complainant,
                 works=works, items=items, elements=elements, report=report)


def _item_row(claim_id: str, position: int, data: ItemIn, ctx: legal.CheckContext, now: datetime) -> dict[str, Any]:
    locatable, detail = legal.item_location(data.url, ctx)
    # Columns left out (outcome, decision, scope, fair-use flags, …) are NULL, as for an ORM item never decided.
    return {"id": new_id(), "claim_id": claim_id, "position": position, "url": data.url, "description": data.description,
            "work_index": data.work, "uploader": data.uploader, "locatable": locatable, "location_detail": detail,
            "status": ItemStatus.PENDING.value, "matches": [], "created_at": now}


def _table(model: type[Any]) -> Table:
    return cast(Table, model.__table__)


# The columns each row above carries; the statements are compiled once per dialect (`db.Prepared`).
_CLAIM = Prepared(insert(_table(Claim)), (
    "id", "created_at", "reference", "owner_id", "submitted_by_id", "kind", "regime", "status", "source", "received_at",
    "status_changed_at", "updated_at", *notice.TEXT_FIELDS, *notice.OBJECT_FIELDS, "complete", "curable", "priority",
    "priority_reasons", "due_at"))
_COMPLAINANT = Prepared(insert(_table(Complainant)),
                        ("claim_id", *notice.PARTY_FIELDS, *notice.ADDRESS_FIELDS, "relationship"))
_WORK = Prepared(insert(_table(ClaimWork)), ("id", "claim_id", "position", "title", "description", "urls",
                                              "reference_work_id", "registration_number"))
_ITEM = Prepared(insert(_table(ClaimItem)), ("id", "claim_id", "position", "url", "description", "work_index",
                                              "uploader", "locatable", "location_detail", "status", "matches",
                                              "created_at"))
_ELEMENT = Prepared(insert(_table(ClaimElement)), ("id", "claim_id", "position", "code", "status", "citation", "detail"))
_EVENT = Prepared(insert(_table(Event)).returning(_table(Event).c.id), (
    "at", "actor_id", "actor_role", "claim_id", "subject_type", "subject_id", "action", "to_status", "reason", "data",
    "internal"))


def store(session: Session, prepared: Draft | AppError) -> bytes:
    """Write a prepared claim in the caller's transaction; returns the 201 body (JSON, as `ClaimOut` renders)."""
    answer = idempotency.pending()
    if isinstance(prepared, AppError):
        if answer is not None:
            answer.claim_now(session)  # a key used before answers first (its replay, or 422), as it always did
        raise prepared
    draft, data, actor = prepared, prepared.data, prepared.actor
    if answer is not None and actor.role is not Role.RIGHTS_HOLDER:
        answer.claim_now(session)  # a staff answer is rendered after the rows: the key is claimed before them
    owner = owner_of(session, actor, data)
    source = data.source or (ClaimSource.TRUSTED_FLAGGER if owner.trusted_flagger else ClaimSource.NOTICE)
    due_at = draft.received_at + timedelta(hours=priority.sla_hours(session, data.regime, source))
    rank = priority.score(source=source, due_at=due_at, items=draft.items, trusted_flagger=owner.trusted_flagger,
                          now=draft.now)
    claim = {**draft.claim, "reference": next_reference(session, draft.now.year), "owner_id": owner.id,
             "source": source, "due_at": due_at, "priority": rank.score, "priority_reasons": rank.reasons}
    conn = session.connection()
    event_data = {"reference": claim["reference"], "items": len(draft.items),
                  **({"on_behalf_of": owner.id} if owner is not actor else {})}
    mail = NewClaim(id=claim["id"], reference=claim["reference"], regime=data.regime, status=claim["status"],
                    received_at=draft.received_at, status_changed_at=draft.now, items=draft.items,
                    elements=draft.report.elements)
    to = (draft.complainant or {}).get("email") or owner.email
    # A complete claim's mail (the acknowledgment) does not name the event, so it goes in the same round trip.
    messages = followups.submitted_messages(mail, None, to) if claim["status"] != ClaimStatus.NEEDS_INFO else None
    parts: list[tuple[Prepared, Any]] = [(_CLAIM, claim)]
    if draft.complainant is not None:
        parts.append((_COMPLAINANT, draft.complainant))
    if draft.works:
        parts.append((_WORK, draft.works))
    parts += [(_ITEM, draft.items), (_ELEMENT, draft.elements), (_EVENT, {
        "at": draft.now, "actor_id": actor.id, "actor_role": actor.role.value, "claim_id": claim["id"],
        "subject_type": "claim", "subject_id": claim["id"], "action": "submitted", "to_status": claim["status"],
        "reason": summary(draft.report), "data": event_data, "internal": False,
    })]
    returning = len(parts) - 1
    if messages:
        parts.append((OUTBOX_INSERT, messages))
    payload: bytes | None = None
    guarded = False
    if answer is not None and actor.role is Role.RIGHTS_HOLDER:
        # The 201 is known before the rows are written (staff answers count the claim itself, after it): store it
        # as the Idempotency-Key's answer in the same round trip. Not claimed yet (PostgreSQL), it is the claim,
        # and the rows go in only if it does.
        payload = _render(new_claim_payload(claim, draft.complainant, draft.works, draft.items, draft.elements,
                                            notifier=None))
        statement, guarded = answer.statement(payload)
        if guarded:
            parts.insert(0, statement)
            returning += 1
        else:
            parts.append(statement)
    event = send_together(conn, parts, returning=returning, guarded=guarded)  # one statement on PostgreSQL
    try:
        row = event.fetchone()
    finally:
        event.close()
    if answer is not None and guarded:
        answer.guarded(row is not None)  # KeyTaken, with nothing written, if the key was claimed meanwhile
    event_id = row[0]
    if messages is None:  # the deficiency letter's dedupe key names the event
        insert_messages(session, followups.submitted_messages(mail, event_id, to))
        request_owed(session, mail, "deficiency", event_id=event_id)
    request_owed(session, mail, "acknowledgment")
    if payload is not None:
        return payload
    notifier = None
    if actor.role is not Role.RIGHTS_HOLDER:
        from ipclaims.review.signals import notifier_stats  # staff see the notifier's signals, as on every read

        notifier = notifier_stats(session, owner).model_dump(mode="json")
    return _render(new_claim_payload(claim, draft.complainant, draft.works, draft.items, draft.elements,
                                     notifier=notifier))


def _render(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


def submit(session: Session, actor: Account, data: ClaimIn, settings: Settings) -> bytes:
    """Both steps in one go, in the caller's transaction (the demo loader; scripts)."""
    return store(session, prepare(actor, data, settings))
