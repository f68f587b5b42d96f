"""Claim intake: submit, follow, cure. The completeness report comes from the pure checkers in `ipclaims.legal`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from ipclaims import legal
from ipclaims.auth.deps import STAFF
from ipclaims.claims import notice, repository
from ipclaims.claims.schemas import ClaimIn, ClaimPatch, ItemIn
from ipclaims.claims.workflow import record_event, transition
from ipclaims.config import Settings
from ipclaims.db import autocommit_engine
from ipclaims.errors import Conflict, InvalidTransition, NotPermitted, Unprocessable
from ipclaims.http import decode_cursor, encode_cursor
from ipclaims.models import (
    Account,
    Claim,
    ClaimElement,
    ClaimItem,
    ClaimReferenceCounter,
    ClaimSource,
    ClaimStatus,
    ClaimWork,
    Event,
    Role,
    utcnow,
)
from ipclaims.review import priority

MAX_PAGE = 200


@dataclass(frozen=True)
class ClaimFilters:
    status: list[str] | None = None
    regime: str | None = None
    kind: str | None = None
    source: str | None = None
    assignee: str | None = None


_BUMP = text(
    f"INSERT INTO {ClaimReferenceCounter.__tablename__} (year, last_value) VALUES (:year, 1) "
    f"ON CONFLICT (year) DO UPDATE SET last_value = {ClaimReferenceCounter.__tablename__}.last_value + 1 "
    "RETURNING last_value"
)


def next_reference(session: Session, year: int) -> str:
    """IPC-YYYY-NNNNNN from a per-year counter bumped by one UPSERT ... RETURNING (atomic on both databases).

    On PostgreSQL the bump commits on its own (autocommit pool): inside the intake transaction the counter row
    stayed locked until that transaction committed, so every concurrent intake queued behind it — one hot row
    serialising the whole API. A rolled-back intake leaves a gap in the numbers; references stay unique. SQLite
    serialises writers anyway, so there the bump stays in the transaction (and a refused intake uses no number).
    """
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        with autocommit_engine(bind.engine).connect() as conn:
            value = conn.execute(_BUMP, {"year": year}).scalar_one()
    else:
        value = session.execute(_BUMP, {"year": year}).scalar_one()
    return f"IPC-{year}-{value:06d}"


def _check_staff_fields(actor: Account, data: ClaimIn) -> None:
    staff_only = [f for f in ("received_at", "source", "on_behalf_of") if getattr(data, f) is not None]
    if staff_only and actor.role not in STAFF:
        raise NotPermitted(f"only staff may set {', '.join(staff_only)}")


def _owner(session: Session, actor: Account, data: ClaimIn) -> Account:
    if data.on_behalf_of is None:
        return actor
    owner = session.get(Account, data.on_behalf_of)
    if owner is None or owner.role is not Role.RIGHTS_HOLDER:
        raise Unprocessable("on_behalf_of: no rights-holder account with that id",
                            errors=[{"loc": ["body", "on_behalf_of"], "msg": "unknown rights-holder account"}])
    return owner


def _check_items(items: list[Any], settings: Settings) -> None:
    if len(items) > settings.max_items:
        raise Unprocessable(f"items: at most {settings.max_items} items per claim ({len(items)} given); split the notice",
                            errors=[{"loc": ["body", "items"], "msg": f"at most {settings.max_items} items"}])


def _new_item(position: int, data: ItemIn) -> ClaimItem:
    return ClaimItem(position=position, url=data.url, description=data.description, work_index=data.work,
                     uploader=data.uploader, matches=[])


def assess(claim: Claim, settings: Settings) -> legal.Completeness:
    """Re-run the regime's checkers and store the report on the claim and its items."""
    ctx = legal.CheckContext(platform_hosts=settings.platform_host_set)
    report = legal.check_claim(claim.regime, notice.to_notice(claim), ctx)
    by_code = {e.code: e for e in claim.elements}
    claim.elements = [
        _element_row(by_code.get(r.code), position, r) for position, r in enumerate(report.elements)
    ]
    claim.complete, claim.curable = report.complete, report.curable
    for item in claim.items:
        item.locatable, item.location_detail = legal.item_location(item.url, ctx)
    return report


def _element_row(row: ClaimElement | None, position: int, result: legal.ElementResult) -> ClaimElement:
    row = row or ClaimElement(code=result.code)
    row.position, row.status, row.citation, row.detail = position, result.status.value, result.citation, result.detail
    return row


def _summary(report: legal.Completeness) -> str:
    if report.complete:
        return "all elements present"
    return "; ".join(f"{e.code} {e.status.value}" for e in report.elements if e.status.value != "present")


def submit(session: Session, actor: Account, data: ClaimIn, settings: Settings) -> Claim:
    _check_staff_fields(actor, data)
    _check_items(data.items, settings)
    owner = _owner(session, actor, data)
    now = utcnow()
    fields = data.model_dump(mode="json", exclude={"kind", "regime", "items", "received_at", "source", "on_behalf_of"})
    claim = Claim(
        reference=next_reference(session, now.year), owner_id=owner.id, submitted_by_id=actor.id,
        kind=data.kind, regime=data.regime, status=ClaimStatus.NEEDS_INFO,
        source=data.source or (ClaimSource.TRUSTED_FLAGGER if owner.trusted_flagger else ClaimSource.NOTICE),
        received_at=data.received_at.astimezone(UTC) if data.received_at else now,
        status_changed_at=now, created_at=now, updated_at=now, priority_reasons=[],
    )
    notice.set_scalars(claim, fields)
    notice.apply_complainant(claim, fields.get("complainant"))
    claim.works = [ClaimWork(position=i, **w) for i, w in enumerate(fields.get("works") or [])]
    claim.items = [_new_item(i, item) for i, item in enumerate(data.items)]
    claim.elements = []
    report = assess(claim, settings)
    claim.status = ClaimStatus.IN_REVIEW if report.complete else ClaimStatus.NEEDS_INFO
    claim.due_at = priority.due_at(session, claim)
    priority.refresh(session, claim, owner, now=now)
    session.add(claim)
    session.flush()
    record_event(session, claim_id=claim.id, actor=actor, subject_type="claim", subject_id=claim.id,
                 action="submitted", to_status=claim.status, reason=_summary(report), at=now,
                 data={"reference": claim.reference, "items": len(claim.items),
                       **({"on_behalf_of": owner.id} if owner is not actor else {})})
    return claim


def get(session: Session, actor: Account, claim_id: str) -> Claim:
    return repository.get_claim(session, actor, claim_id)


def list_claims(session: Session, actor: Account, filters: ClaimFilters, *, cursor: str | None,
                limit: int) -> tuple[list[Claim], str | None]:
    limit = max(1, min(limit, MAX_PAGE))
    query = repository.readable_by(actor).options(*repository.FULL).order_by(Claim.id.desc()).limit(limit + 1)
    if filters.status:
        query = query.where(Claim.status.in_(filters.status))
    for column, value in ((Claim.regime, filters.regime), (Claim.kind, filters.kind), (Claim.source, filters.source),
                          (Claim.assignee_id, filters.assignee)):
        if value is not None:
            query = query.where(column == value)
    if cursor:
        (last_id,) = decode_cursor(cursor, 1, (str,))
        query = query.where(Claim.id < str(last_id))
    rows = list(session.scalars(query))
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, encode_cursor(rows[-1].id) if more else None


def _merge(stored: dict[str, Any] | None, patch: dict[str, Any] | None) -> dict[str, Any] | None:
    """RFC 7396 merge: objects merge key by key, `null` removes, anything else replaces."""
    if patch is None:
        return None
    out = dict(stored or {})
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        elif value is None:
            out.pop(key, None)
        else:
            out[key] = value
    return out or None


def update(session: Session, actor: Account, claim_id: str, patch: ClaimPatch, settings: Settings) -> Claim:
    claim = repository.get_claim(session, actor, claim_id, for_update=True)
    if claim.status != ClaimStatus.NEEDS_INFO:
        raise InvalidTransition(f"claim {claim.reference} is {claim.status}; a notice can be supplemented only while needs_info")
    given = patch.model_dump(mode="json", exclude_unset=True)
    if not given:
        raise Unprocessable("the patch changes nothing; send the fields to supply")
    current = notice.to_notice(claim)
    for key in ("trademark", "statements", "signature"):
        if key in given:
            given[key] = _merge(current[key], given[key])
    notice.set_scalars(claim, given)
    if "complainant" in given:
        notice.apply_complainant(claim, _merge(current["complainant"], given["complainant"]))
    if "works" in given:
        claim.works = [ClaimWork(position=i, **w) for i, w in enumerate(given["works"] or [])]
    if patch.items is not None:
        _check_items(patch.items, settings)
        _replace_items(session, claim, patch)
    report = assess(claim, settings)
    now = utcnow()
    claim.updated_at = now
    session.flush()
    record_event(session, claim_id=claim.id, actor=actor, subject_type="claim", subject_id=claim.id,
                 action="supplemented", reason=_summary(report), data={"fields": sorted(given)}, at=now)
    if report.complete:
        transition(session, claim, ClaimStatus.IN_REVIEW, actor, as_system=True, action="completed",
                   reason="the notifier supplied the missing elements")
    owner = session.get(Account, claim.owner_id)
    assert owner is not None
    priority.refresh(session, claim, owner, now=now)
    return claim


def _replace_items(session: Session, claim: Claim, patch: ClaimPatch) -> None:
    assert patch.items is not None
    existing = {item.id: item for item in claim.items}
    kept: list[ClaimItem] = []
    for position, data in enumerate(patch.items):
        if data.id is not None:
            item = existing.pop(data.id, None)
            if item is None:
                raise Unprocessable(f"items[{position}].id: claim {claim.reference} has no item {data.id}",
                                    errors=[{"loc": ["body", "items", position, "id"], "msg": "unknown item"}])
            fields = data.model_dump(exclude_unset=True, exclude={"id"})
            for key, attr in (("url", "url"), ("description", "description"), ("work", "work_index"),
                              ("uploader", "uploader")):
                if key in fields:
                    setattr(item, attr, fields[key])
        else:
            item = _new_item(position, data)
        kept.append(item)
    decided = [item for item in existing.values() if item.outcome is not None]
    if decided:
        raise Conflict(f"items {', '.join(i.id for i in decided)} already have a decision and cannot be removed")
    # Positions are unique per claim: park the survivors first so renumbering never collides mid-flush.
    for offset, item in enumerate(kept):
        item.position = -1 - offset
    claim.items = kept
    session.flush()
    for position, item in enumerate(kept):
        item.position = position


def list_events(session: Session, actor: Account, claim_id: str, *, cursor: str | None,
                limit: int) -> tuple[list[Event], str | None]:
    claim = repository.get_claim(session, actor, claim_id)
    limit = max(1, min(limit, MAX_PAGE))
    query = select(Event).where(Event.claim_id == claim.id).order_by(Event.id).limit(limit + 1)
    if actor.role is Role.RIGHTS_HOLDER:
        query = query.where(Event.internal.is_(False))
    if cursor:
        (after,) = decode_cursor(cursor, 1, (int,))
        query = query.where(Event.id > int(after))
    rows = list(session.scalars(query))
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, encode_cursor(rows[-1].id) if more else None
