"""Repeat infringers (17 U.S.C. § 512(i)): an uploader's strikes counted, and the threshold's crossing announced once.

A strike is an effective notice: a claim not withdrawn with at least one of the uploader's items whose measure
stands. Strikes from a notifier whose unfounded rate is above IPCLAIMS_STRIKE_FARMING_UNFOUNDED_RATE are marked and
not counted (strike farming, DOMAIN.md §6). `review.signals` reports them; the subscriber here watches the events
that change an uploader's strikes and, when the counted strikes reach IPCLAIMS_REPEAT_INFRINGER_STRIKES, records one
internal `repeat_infringer_threshold` event (delivered to the platform as `uploader.repeat_infringer_threshold` by
`webhooks`). `uploader_strikes` remembers that the uploader is above, so later strikes announce nothing; once the
counted strikes fall below the threshold again (a restoration, a withdrawal) a new crossing is a new event. The event
only recommends a termination review to a human: nothing is terminated here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from sqlalchemy import Table, case, func, select
from sqlalchemy.orm import Session

from ipclaims.config import Settings, get_settings
from ipclaims.db import Prepared, insert_or_ignore
from ipclaims.events import Action, EventRow, Rows, record_event
from ipclaims.models import Claim, ClaimItem, ClaimStatus, ItemStatus, UploaderStrikes, utcnow

# An effective notice is one whose measure still stands: not withdrawn, not countered-and-restored, not reversed.
EFFECTIVE_ITEM = (ItemStatus.ACTIONED, ItemStatus.COUNTERED, ItemStatus.LITIGATION_HOLD)
# The events that can change an uploader's strikes: a measure decided, restored or standing again, a claim withdrawn,
# a decision reopened (which changes its notifier's unfounded rate).
ACTIONS = frozenset({Action.DECIDED, Action.RESTORED, Action.COUNTER_WITHDRAWN, Action.WITHDRAWN, Action.REOPENED})
RECOMMENDATION = {"action": "review_for_termination", "needs_human": True}

_STATE = Prepared(
    insert_or_ignore(cast(Table, UploaderStrikes.__table__), ("uploader", "above", "counted", "crossings", "updated_at"), ("uploader",))
)


def strike_rows(session: Session, uploader: str) -> list[tuple[str, str]]:
    """The uploader's effective notices: (claim reference, notifier account id), by reference."""
    rows = session.execute(
        select(Claim.reference, Claim.owner_id)
        .join(ClaimItem, ClaimItem.claim_id == Claim.id)
        .where(ClaimItem.uploader == uploader, ClaimItem.status.in_(EFFECTIVE_ITEM), Claim.status != ClaimStatus.WITHDRAWN)
        .group_by(Claim.reference, Claim.owner_id)
        .order_by(Claim.reference)
    ).all()
    return [(str(ref), str(owner)) for ref, owner in rows]


def farming_notifiers(session: Session, owners: set[str], settings: Settings) -> dict[str, tuple[float, int]]:
    """Of these notifier accounts, those above the unfounded-rate threshold: account id → (rate, decided items)."""
    if not owners:
        return {}
    rows = session.execute(
        select(
            Claim.owner_id,
            func.count(ClaimItem.id),
            func.coalesce(func.sum(case((ClaimItem.status == ItemStatus.NO_ACTION, 1), else_=0)), 0),
        )
        .join(Claim, Claim.id == ClaimItem.claim_id)
        .where(Claim.owner_id.in_(sorted(owners)), ClaimItem.outcome.is_not(None))
        .group_by(Claim.owner_id)
    ).all()
    out: dict[str, tuple[float, int]] = {}
    for owner, decided, unfounded in rows:
        decided, unfounded = int(decided), int(unfounded)
        rate = unfounded / decided if decided else 0.0
        if decided >= settings.strike_farming_min_decided and rate > settings.strike_farming_unfounded_rate:
            out[owner] = (round(rate, 4), decided)
    return out


def counted_strikes(session: Session, uploader: str, settings: Settings) -> tuple[list[str], list[str]]:
    """(every strike's reference, the counted ones'): the marked (farmed) ones left out of the second."""
    rows = strike_rows(session, uploader)
    if len(rows) < settings.repeat_infringer_strikes:
        # Below the threshold even if every strike counts: the notifiers' rates cannot change the answer.
        return [ref for ref, _ in rows], [ref for ref, _ in rows]
    farmed = farming_notifiers(session, {owner for _, owner in rows}, settings)
    return [ref for ref, _ in rows], [ref for ref, owner in rows if owner not in farmed]


def _uploaders(session: Session, event: EventRow, subject: Any) -> list[tuple[str, ClaimItem | None]]:
    """The uploaders whose strikes the event may change, each with the item that may tip it (None for a claim)."""
    if event.subject_type == "item":
        item = subject if isinstance(subject, ClaimItem) else session.get(ClaimItem, event.subject_id)
        return [(item.uploader, item)] if item is not None and item.uploader else []
    if event.subject_type == "claim" and (event.action is Action.WITHDRAWN or event.action is Action.REOPENED):
        found = session.scalars(
            select(ClaimItem.uploader).where(ClaimItem.claim_id == event.subject_id, ClaimItem.uploader.is_not(None)).distinct()
        )
        return [(u, None) for u in sorted(str(u) for u in found)]
    return []


def subscriber(session: Session, event: EventRow, subject: Any = None) -> Iterable[Rows]:
    settings = get_settings()
    for uploader, item in _uploaders(session, event, subject):
        evaluate(session, uploader, item, settings, at=event.at)
    return []


def evaluate(session: Session, uploader: str, item: ClaimItem | None, settings: Settings, *, at: Any = None) -> bool:
    """Compare the uploader's counted strikes with the threshold; True when this call recorded a crossing.

    Recounted at every event that touches the uploader, whichever way the event seems to go: a decision on another
    uploader's item can mark a notifier for strike farming and so lower this uploader's counted strikes, which no
    event of theirs announced; skipping the count for an uploader stored as above would keep them above on that
    stale answer and miss their next crossing. The row is locked only to change it, and re-read under the lock, so
    two transactions crossing at once announce it once, and the lock is rare (a crossing, a fall below)."""
    at = at or utcnow()
    threshold = settings.repeat_infringer_strikes
    known = session.get(UploaderStrikes, uploader)
    strikes, counted = counted_strikes(session, uploader, settings)
    above = len(counted) >= threshold
    if bool(known is not None and known.above) == above or (above and item is None):
        # Unchanged; or reached by a claim-level event with no item to carry it: announced at a later item event.
        return False
    if above:
        _STATE.run(session.connection(), [{"uploader": uploader, "above": False, "counted": 0, "crossings": 0, "updated_at": at}])
    state = session.get(UploaderStrikes, uploader, with_for_update=True, populate_existing=True)
    if state is None or state.above == above:
        return False  # another transaction changed it first
    if not above:
        # Below again: the next crossing is a new event.
        state.above, state.counted, state.updated_at, state.cleared_at = False, len(counted), at, at
        session.flush()
        return False
    assert item is not None
    state.above, state.counted, state.updated_at = True, len(counted), at
    state.crossings += 1
    state.crossed_at = at
    event = record_event(
        session,
        claim_id=item.claim_id,
        actor=None,
        subject_type="item",
        subject_id=item.id,
        action=Action.REPEAT_INFRINGER_THRESHOLD,
        reason=(
            f"{len(counted)} effective notices against uploader {uploader} from notifiers not marked for strike farming "
            f"(threshold {threshold}); a human decides whether to terminate (17 U.S.C. § 512(i))"
        ),
        data={
            "uploader": uploader,
            "strikes": len(strikes),
            "counted": len(counted),
            "threshold": threshold,
            "crossing": state.crossings,
            "claims": counted,
            "recommendation": RECOMMENDATION,
        },
        internal=True,
        at=at,
    )
    state.event_id = event.id
    session.flush()
    return True
