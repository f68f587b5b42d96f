"""Counter-notices (§ 512(g)(3)) and restoration notices (reg 80(4)) against actioned items, and their clocks.

A complete notice is forwarded to the notifier at once and its restore window counted in business days from the day
after receipt (DOMAIN.md §2). A deficient one starts no clock; its cure starts the clock from the cure's receipt.
Only proof of a filed action — court and case number — stops restoration; a threat does not (§ 512(g)(2)(C)).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from ipclaims import legal
from ipclaims.claims import repository
from ipclaims.claims.workflow import COUNTER_NOTICE, System, require_permitted, transition
from ipclaims.config import Settings
from ipclaims.errors import InvalidTransition, NotFound, Unprocessable
from ipclaims.events import Action, record_event
from ipclaims.http import merge_patch
from ipclaims.models import (
    Account,
    Claim,
    ClaimItem,
    Closure,
    CounterNotice,
    CounterNoticeStatus,
    ItemOutcome,
    ItemStatus,
    Role,
    utcnow,
)
from ipclaims.review.schemas import CounterNoticeIn, CounterNoticePatch, CourtActionIn

OPEN = (CounterNoticeStatus.DEFICIENT, CounterNoticeStatus.FORWARDED, CounterNoticeStatus.LITIGATION_HOLD)
CALENDAR = {"US_DMCA": "US", "SG_CA2021": "SG"}
FIELDS = ("subscriber", "material", "statements", "sg_address_for_service", "signature")


def closures(session: Session, regime: str) -> list[date]:
    return list(session.scalars(select(Closure.day).where(Closure.calendar == CALENDAR[regime])))


def notice_dict(counter: CounterNotice) -> dict[str, Any]:
    return {f: getattr(counter, f) for f in FIELDS}


def check(regime: str, body: CounterNoticeIn, settings: Settings) -> legal.Completeness:
    """What `create` would find missing, without storing anything (the uploader's form asks before it sends)."""
    notice = body.model_dump(mode="json", include=set(FIELDS))
    return legal.check_counter_notice(regime, notice, legal.CheckContext(platform_hosts=settings.platform_host_set))


def _assess(counter: CounterNotice, settings: Settings) -> legal.Completeness:
    report = legal.check_counter_notice(counter.regime, notice_dict(counter), legal.CheckContext(platform_hosts=settings.platform_host_set))
    counter.complete, counter.curable = report.complete, report.curable
    counter.elements = [{"code": e.code, "status": e.status.value, "citation": e.citation, "detail": e.detail} for e in report.elements]
    return report


def _schedule(session: Session, counter: CounterNotice, settings: Settings) -> None:
    days_off = closures(session, counter.regime)
    window = legal.restore_window(counter.regime, counter.received_at, us_timezone=settings.timezone, closures=days_off)
    counter.restore_earliest, counter.restore_latest = window.earliest, window.latest
    counter.restore_on = legal.restore_day(
        counter.regime, counter.received_at, settings.restore_business_day, us_timezone=settings.timezone, closures=days_off
    )
    counter.clock_timezone = legal.clock_zone(counter.regime, settings.timezone)


def _forward(session: Session, counter: CounterNotice, item: ClaimItem, actor: Account | None, settings: Settings) -> None:
    """A deficient notice cured: the clock starts from the cure's receipt."""
    _schedule(session, counter, settings)
    values = {
        "restore_earliest": counter.restore_earliest,
        "restore_latest": counter.restore_latest,
        "restore_on": counter.restore_on,
        "clock_timezone": counter.clock_timezone,
        "forwarded_at": utcnow(),
        "received_at": counter.received_at,
        "elements": counter.elements,
        "complete": True,
        "curable": False,
    }
    transition(
        session,
        counter,
        CounterNoticeStatus.FORWARDED,
        System(actor),
        action=Action.CURED,
        values=values,
        reason=f"complete; restore window {counter.restore_earliest} – {counter.restore_latest}",
        data=_window_data(counter),
    )
    _counter_item(session, item, actor)


def _window_data(counter: CounterNotice) -> dict[str, str]:
    return {"earliest": str(counter.restore_earliest), "latest": str(counter.restore_latest), "restore_on": str(counter.restore_on)}


def _counter_item(session: Session, item: ClaimItem, actor: Account | None) -> None:
    transition(
        session,
        item,
        ItemStatus.COUNTERED,
        System(actor),
        action=Action.COUNTERED,
        reason="a complete counter-notice was forwarded to the notifier",
    )


def _received_at(value: datetime | None, actor: Account) -> datetime:
    # Staff record what arrived by post or email with its own date; otherwise receipt is now.
    return value.astimezone(UTC) if value is not None and actor.role is not Role.RIGHTS_HOLDER else utcnow()


def create(session: Session, actor: Account, claim_id: str, item_id: str, body: CounterNoticeIn, settings: Settings) -> CounterNotice:
    claim = repository.get_claim(session, actor, claim_id, for_update=True)
    return _create(session, actor, claim, repository.get_item(claim, item_id), body, settings, _received_at(body.received_at, actor))


def create_by_uploader(session: Session, claim_id: str, item_id: str, body: CounterNoticeIn, settings: Settings) -> CounterNotice:
    """The uploader's own counter-notice, from the page its link opens (the link, not an account, names the claim and
    the item): the same checks, clock and events as one staff record, received now, recorded by no account."""
    claim = repository.get_claim_for_link(session, claim_id)
    return _create(session, None, claim, repository.get_item(claim, item_id), body, settings, utcnow(), via=UPLOADER_LINK)


UPLOADER_LINK = "uploader_link"


def _create(
    session: Session,
    actor: Account | None,
    claim: Claim,
    item: ClaimItem,
    body: CounterNoticeIn,
    settings: Settings,
    received: datetime,
    via: str | None = None,
) -> CounterNotice:
    regime = legal.counter_notice_regime(claim.regime)
    if regime is None:
        raise InvalidTransition(
            f"{claim.regime} claims have no statutory counter-notice; the uploader files an internal complaint "
            f"(POST /api/v1/claims/{claim.id}/items/{item.id}/complaints; Regulation (EU) 2022/2065, Art. 20)"
        )
    if item.status != ItemStatus.ACTIONED:
        raise InvalidTransition(f"item {item.position + 1} is {item.status}; a counter-notice answers an actioned item")
    open_one = session.scalars(select(CounterNotice.id).where(CounterNotice.item_id == item.id, CounterNotice.status.in_(OPEN))).first()
    if open_one is not None:
        raise InvalidTransition(f"item {item.position + 1} already has an open counter-notice {open_one}; cure that one")
    counter = CounterNotice(
        claim_id=claim.id,
        item_id=item.id,
        regime=regime,
        status=CounterNoticeStatus.DEFICIENT,
        recorded_by_id=actor.id if actor is not None else None,
        first_received_at=received,
        received_at=received,
        elements=[],
        **body.model_dump(mode="json", include=set(FIELDS)),
    )
    report = _assess(counter, settings)
    if report.complete:
        _schedule(session, counter, settings)
        counter.status, counter.forwarded_at = CounterNoticeStatus.FORWARDED, utcnow()
    session.add(counter)
    session.flush()
    record_event(
        session,
        claim_id=claim.id,
        actor=actor,
        subject_type="counter_notice",
        subject_id=counter.id,
        action=Action.RECEIVED,
        to_status=counter.status,
        reason=(
            f"complete; restore window {counter.restore_earliest} – {counter.restore_latest}"
            if report.complete
            else "; ".join(f"{c} missing or deficient" for c in report.missing_codes())
        ),
        data={
            "item_id": item.id,
            "received_at": received.isoformat(),
            **({"via": via} if via else {}),
            **(_window_data(counter) if report.complete else {}),
        },
    )
    if report.complete:
        _counter_item(session, item, actor)
    return counter


def _get(session: Session, actor: Account, counter_id: str, *, for_update: bool = False) -> tuple[CounterNotice, Claim]:
    query = select(CounterNotice).where(CounterNotice.id == counter_id)
    counter = session.scalars(query.with_for_update() if for_update else query).first()
    if counter is None:
        raise NotFound(f"no counter-notice {counter_id}")
    try:
        claim = repository.get_claim(session, actor, counter.claim_id)
    except NotFound:
        raise NotFound(f"no counter-notice {counter_id}") from None
    if actor.role is Role.RIGHTS_HOLDER and counter.forwarded_at is None:
        # The notifier receives a copy once it is forwarded (§ 512(g)(2)(B)), not before: a deficient one, or one
        # withdrawn while deficient, is not the notifier's to see.
        raise NotFound(f"no counter-notice {counter_id}")
    return counter, claim


def get(session: Session, actor: Account, counter_id: str) -> CounterNotice:
    return _get(session, actor, counter_id)[0]


def list_for_claim(session: Session, actor: Account, claim_id: str | Claim) -> list[CounterNotice]:
    claim = repository.readable(session, actor, claim_id)
    query = select(CounterNotice).where(CounterNotice.claim_id == claim.id).order_by(CounterNotice.id)
    if actor.role is Role.RIGHTS_HOLDER:
        query = query.where(CounterNotice.forwarded_at.is_not(None))
    return list(session.scalars(query))


def cure(session: Session, actor: Account, counter_id: str, body: CounterNoticePatch, settings: Settings) -> CounterNotice:
    counter, claim = _get(session, actor, counter_id, for_update=True)
    if counter.status != CounterNoticeStatus.DEFICIENT:
        raise InvalidTransition(f"counter-notice {counter.id} is {counter.status}; only a deficient one is cured")
    given = body.model_dump(mode="json", exclude_unset=True, include=set(FIELDS))
    if not given:
        raise Unprocessable("the patch changes nothing; send the missing parts")
    for key, value in given.items():
        setattr(counter, key, merge_patch(getattr(counter, key), value))
    report = _assess(counter, settings)
    counter.received_at = _received_at(body.received_at, actor)
    record_event(
        session,
        claim_id=claim.id,
        actor=actor,
        subject_type="counter_notice",
        subject_id=counter.id,
        action=Action.SUPPLEMENTED,
        reason="; ".join(report.missing_codes()) or "complete",
        data={"fields": sorted(given), "received_at": counter.received_at.isoformat()},
    )
    if report.complete:
        item = repository.get_item(repository.get_claim(session, actor, claim.id), counter.item_id)
        _forward(session, counter, item, actor, settings)
    return counter


def court_action(session: Session, actor: Account, counter_id: str, body: CourtActionIn) -> CounterNotice:
    require_permitted(
        actor, COUNTER_NOTICE, "the notifier, specialists and legal record a court action", into={CounterNoticeStatus.LITIGATION_HOLD}
    )  # a role in no such row: 403 in every state
    counter, claim = _get(session, actor, counter_id, for_update=True)
    if counter.status != CounterNoticeStatus.FORWARDED:
        raise InvalidTransition(f"counter-notice {counter.id} is {counter.status}; a court action stops a running restoration clock only")
    # "Today" on the clock's own calendar: a Singapore filing dated this morning in Singapore is still yesterday in UTC.
    if body.filed_on > utcnow().astimezone(ZoneInfo(counter.clock_timezone or "UTC")).date():
        raise Unprocessable(
            "filed_on: an action not yet filed does not stop restoration (a threat is not a filing)",
            errors=[{"loc": ["body", "filed_on"], "msg": "in the future"}],
        )
    court = {
        "court": body.court.strip(),
        "case_number": body.case_number.strip(),
        "filed_on": body.filed_on.isoformat(),
        "recorded_at": utcnow().isoformat(),
        "recorded_by": actor.id,
    }
    if not court["court"] or not court["case_number"]:
        raise Unprocessable("court and case_number are required: only proof of a filed action stops restoration")
    item = repository.get_item(repository.get_claim(session, actor, claim.id), counter.item_id)
    transition(
        session,
        counter,
        CounterNoticeStatus.LITIGATION_HOLD,
        actor,
        action=Action.COURT_ACTION,
        values={"court": court},
        reason=f"action filed: {court['court']}, case {court['case_number']}",
        data=court,
    )
    transition(
        session,
        item,
        ItemStatus.LITIGATION_HOLD,
        System(actor),
        action=Action.LITIGATION_HOLD,
        reason="the notifier filed an action seeking a court order",
    )
    return counter


def withdraw(session: Session, actor: Account, counter_id: str, reason: str | None) -> CounterNotice:
    require_permitted(
        actor, COUNTER_NOTICE, "only specialists and legal withdraw a counter-notice", into={CounterNoticeStatus.WITHDRAWN}
    )  # a role in no such row: 403 in every state
    counter, claim = _get(session, actor, counter_id, for_update=True)
    item = repository.get_item(repository.get_claim(session, actor, claim.id), counter.item_id)
    was = counter.status
    transition(session, counter, CounterNoticeStatus.WITHDRAWN, actor, action=Action.WITHDRAWN, reason=reason)
    # The takedown stands again once the counter-notice is gone: from a running window (the system's follow-up),
    # or from a litigation hold, which only legal can lift (and only legal withdraws a held counter-notice).
    if was == CounterNoticeStatus.FORWARDED:
        transition(
            session, item, ItemStatus.ACTIONED, System(actor), action=Action.COUNTER_WITHDRAWN, reason="the counter-notice was withdrawn"
        )
    elif was == CounterNoticeStatus.LITIGATION_HOLD:
        transition(
            session,
            item,
            ItemStatus.ACTIONED,
            actor,
            action=Action.COUNTER_WITHDRAWN,
            reason="the counter-notice was withdrawn during the litigation hold",
        )
    return counter


def restore(session: Session, counter: CounterNotice, *, actor: Account | None, reason: str, at: datetime | None = None) -> None:
    """Restore the item of a forwarded counter-notice (the worker, when `restore_on` arrives, at its sweep's time;
    or legal, now)."""
    claim = session.scalars(select(Claim).where(Claim.id == counter.claim_id).options(*repository.FULL)).one()
    item = repository.get_item(claim, counter.item_id)
    transition(session, counter, CounterNoticeStatus.RESTORED, actor or System(), action=Action.RESTORED, reason=reason, at=at)
    transition(
        session,
        item,
        ItemStatus.RESTORED,
        actor or System(),
        action=Action.RESTORED,
        reason=reason,
        values={"outcome": ItemOutcome.RESTORED},
        at=at,
    )


def restore_by_legal(session: Session, actor: Account, counter_id: str, reason: str | None) -> CounterNotice:
    """Legal restores before the worker would (e.g. the notifier confirms it will not sue), or ends a hold."""
    require_permitted(
        actor, COUNTER_NOTICE, "only legal restores an item outside the worker's schedule", into={CounterNoticeStatus.RESTORED}
    )  # before the lookup: 403 whoever owns the claim
    counter, _claim = _get(session, actor, counter_id, for_update=True)
    today = utcnow().astimezone(ZoneInfo(counter.clock_timezone or "UTC")).date()
    if counter.status == CounterNoticeStatus.FORWARDED and counter.restore_earliest and today < counter.restore_earliest:
        # § 512(g)(2)(C): not less than 10 business days after receipt.
        raise InvalidTransition(f"the statute forbids restoring before {counter.restore_earliest}")
    restore(session, counter, actor=actor, reason=reason or "restored by legal")
    return counter


def reschedule_open(session: Session, calendar: str, settings: Settings) -> int:
    """After an admin changes a calendar, recount the windows still running on it (one event each)."""
    regimes = [r for r, c in CALENDAR.items() if c == calendar]
    changed = 0
    for counter in session.scalars(
        select(CounterNotice)
        .where(CounterNotice.status == CounterNoticeStatus.FORWARDED, CounterNotice.regime.in_(regimes))
        .with_for_update()
    ):
        before = (counter.restore_earliest, counter.restore_latest, counter.restore_on)
        _schedule(session, counter, settings)
        if (counter.restore_earliest, counter.restore_latest, counter.restore_on) != before:
            changed += 1
            record_event(
                session,
                claim_id=counter.claim_id,
                actor=None,
                subject_type="counter_notice",
                subject_id=counter.id,
                action=Action.RESCHEDULED,
                reason=f"calendar {calendar} changed: restore on {counter.restore_on}",
                data={"before": [str(d) for d in before], "after": str(counter.restore_on)},
            )
    return changed
