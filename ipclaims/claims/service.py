"""Claim intake: submit, follow, cure. The completeness report comes from the pure checkers in `ipclaims.legal`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ipclaims import legal, paging
from ipclaims.claims import intake, notice, repository
from ipclaims.claims.schemas import ClaimIn, ClaimPatch, ItemIn
from ipclaims.claims.workflow import System, transition
from ipclaims.config import Settings
from ipclaims.errors import Conflict, InvalidTransition, Unprocessable
from ipclaims.events import Action, record_event
from ipclaims.http import merge_patch
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
from ipclaims.paging import Keyset, paginate
from ipclaims.triage import priority

MAX_PAGE = paging.MAX_PAGE
NEWEST_CLAIMS: Keyset[Claim] = Keyset((str,), (Claim.id.desc(),), lambda last_id: Claim.id < last_id, lambda c: (c.id,))
OLDEST_EVENTS: Keyset[Event] = Keyset((int,), (Event.id.asc(),), lambda last_id: Event.id > last_id, lambda e: (e.id,))


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
    claim.elements = [_element_row(by_code.get(r.code), position, r) for position, r in enumerate(report.elements)]
    claim.complete, claim.curable = report.complete, report.curable
    for item in claim.items:
        item.locatable, item.location_detail = legal.item_location(item.url, ctx)
    return report


def _element_row(row: ClaimElement | None, position: int, result: legal.ElementResult) -> ClaimElement:
    row = row or ClaimElement(code=result.code, intake_status=result.status.value)
    for key, value in notice.element_values(position, result).items():
        setattr(row, key, value)
    return row


def submit(session: Session, actor: Account, data: ClaimIn, settings: Settings) -> bytes:
    """Intake (`claims.intake`): checks, rows and the `submitted` event in the caller's transaction; the 201 body."""
    return intake.submit(session, actor, data, settings)


def get(session: Session, actor: Account, claim_id: str) -> Claim:
    return repository.get_claim(session, actor, claim_id)


def item_by_reference(session: Session, actor: Account, reference: str, number: int) -> tuple[str, str] | None:
    """(claim id, item id) of a claim's item named as its pages show them: the reference and the item's number."""
    return repository.item_by_reference(session, actor, reference, number)


def list_claims(
    session: Session, actor: Account, filters: ClaimFilters, *, cursor: str | None, limit: int
) -> tuple[list[Claim], str | None]:
    query = repository.readable_by(actor).options(*repository.FULL)
    if filters.status:
        query = query.where(Claim.status.in_(filters.status))
    for column, value in (
        (Claim.regime, filters.regime),
        (Claim.kind, filters.kind),
        (Claim.source, filters.source),
        (Claim.assignee_id, filters.assignee),
    ):
        if value is not None:
            query = query.where(column == value)
    return paginate(session, query, NEWEST_CLAIMS, cursor=cursor, limit=limit)


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
            given[key] = merge_patch(current[key], given[key])
    notice.set_scalars(claim, given)
    if "complainant" in given:
        notice.apply_complainant(claim, merge_patch(current["complainant"], given["complainant"]))
    if "works" in given:
        _replace_works(session, claim, given["works"] or [])
    if patch.items is not None:
        intake.check_items(patch.items, settings)
        _replace_items(session, claim, patch)
    if "works" in given or "items" in given:
        _check_work_indexes(claim)
    report = assess(claim, settings)
    now = utcnow()
    claim.updated_at = now
    session.flush()
    record_event(
        session,
        claim_id=claim.id,
        actor=actor,
        subject_type="claim",
        subject_id=claim.id,
        action=Action.SUPPLEMENTED,
        reason=intake.summary(report),
        data={"fields": sorted(given)},
        at=now,
    )
    if report.complete:
        transition(
            session,
            claim,
            ClaimStatus.IN_REVIEW,
            System(actor),
            action=Action.COMPLETED,
            reason="the notifier supplied the missing elements",
        )
    owner = session.get(Account, claim.owner_id)
    assert owner is not None
    priority.refresh(session, claim, owner, now=now)
    return claim


def _replace_works(session: Session, claim: Claim, works: list[dict[str, Any]]) -> None:
    """`works` replaces the stored list. The old rows go (and are flushed) before the new ones are added: both sets
    hold positions 0.. under the unique (claim_id, position) index, and the unit of work inserts before it deletes."""
    claim.works = []
    session.flush()
    claim.works = [ClaimWork(position=i, **w) for i, w in enumerate(works)]


def _check_work_indexes(claim: Claim) -> None:
    """An item's `work` is an index into `works`: after either list is replaced, each must still point into it."""
    count = len(claim.works)
    for item in claim.items:
        if item.work_index is not None and item.work_index >= count:
            where = f"items[{item.position}].work"
            raise Unprocessable(
                f"{where}: refers to works[{item.work_index}], but the claim has {count} works; "
                "send `items` with each `work` pointing into the new `works` list",
                errors=[{"loc": ["body", "items", item.position, "work"], "msg": f"index out of range (works has {count} entries)"}],
            )


def _replace_items(session: Session, claim: Claim, patch: ClaimPatch) -> None:
    assert patch.items is not None
    existing = {item.id: item for item in claim.items}
    kept: list[ClaimItem] = []
    for position, data in enumerate(patch.items):
        if data.id is not None:
            item = existing.pop(data.id, None)
            if item is None:
                raise Unprocessable(
                    f"items[{position}].id: claim {claim.reference} has no item {data.id}",
                    errors=[{"loc": ["body", "items", position, "id"], "msg": "unknown item"}],
                )
            fields = data.model_dump(exclude_unset=True, exclude={"id"})
            for key, attr in (("url", "url"), ("description", "description"), ("work", "work_index"), ("uploader", "uploader")):
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


def list_events(
    session: Session, actor: Account, claim_id: str | Claim, *, cursor: str | None, limit: int
) -> tuple[list[Event], str | None]:
    claim = repository.readable(session, actor, claim_id)
    query = select(Event).where(Event.claim_id == claim.id)
    if actor.role is Role.RIGHTS_HOLDER:
        query = query.where(Event.internal.is_(False), repository.shown_to_notifier())
    return paginate(session, query, OLDEST_EVENTS, cursor=cursor, limit=limit)
