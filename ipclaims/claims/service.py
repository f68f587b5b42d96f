"""Claim intake: submit, follow, cure. The completeness report comes from the pure checkers in `ipclaims.legal`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ipclaims import legal
from ipclaims.claims import intake, notice, repository
from ipclaims.claims.schemas import ClaimIn, ClaimPatch, ItemIn
from ipclaims.claims.workflow import transition
from ipclaims.config import Settings
from ipclaims.errors import Conflict, InvalidTransition, Unprocessable
from ipclaims.events import Action, record_event
from ipclaims.http import decode_cursor, encode_cursor
from ipclaims.models import (
    Account,
    Claim,
    ClaimElement,
    ClaimItem,
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


def _new_item(position: int, data: ItemIn) -> ClaimItem:
    return ClaimItem(**notice.new_item_values(position, data))


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
    for key, value in notice.element_values(position, result).items():
        setattr(row, key, value)
    return row


def submit(session: Session, actor: Account, data: ClaimIn, settings: Settings) -> bytes:
    """Intake (`claims.intake`): checks, rows and the `submitted` event in the caller's transaction; the 201 body."""
    return intake.submit(session, actor, data, settings)


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
        intake.check_items(patch.items, settings)
        _replace_items(session, claim, patch)
    report = assess(claim, settings)
    now = utcnow()
    claim.updated_at = now
    session.flush()
    record_event(session, claim_id=claim.id, actor=actor, subject_type="claim", subject_id=claim.id,
                 action=Action.SUPPLEMENTED, reason=intake.summary(report), data={"fields": sorted(given)}, at=now)
    if report.complete:
        transition(session, claim, ClaimStatus.IN_REVIEW, actor, as_system=True, action=Action.COMPLETED,
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
