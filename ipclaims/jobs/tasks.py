"""The worker's sweeps. Timers are data (STYLE.md habit 8): each sweep selects what is due, then acts on each row in
a transaction of its own, locking it (FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite's BEGIN IMMEDIATE serialises
writers) and re-checking its state under the lock before acting through the transition function. A sweep that dies
between selecting and acting leaves nothing half done, and a rerun finds each row either still due or already done.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import Session

from ipclaims import idempotency
from ipclaims.claims.repository import FULL
from ipclaims.claims.workflow import OPEN_CLAIM, System, transition
from ipclaims.config import Settings
from ipclaims.db import session_scope
from ipclaims.events import Action, record_event
from ipclaims.integrations import content, routing
from ipclaims.integrations import delivery as webhook_delivery
from ipclaims.jobs import delivery
from ipclaims.jobs.hashing import reindex_stale
from ipclaims.legal.clock import reply_expires_at
from ipclaims.letters.worker import render_pending
from ipclaims.models import Account, Claim, ClaimStatus, CounterNotice, CounterNoticeStatus, Event
from ipclaims.reports import rollups
from ipclaims.review.counter_notices import restore
from ipclaims.triage import priority

log = logging.getLogger("ipclaims.worker")

Task = Callable[[datetime, Settings], dict[str, int]]


def _locked(session: Session, model: type, row_id: str) -> object | None:
    return session.scalars(select(model).where(model.id == row_id).with_for_update(skip_locked=True)).first()  # type: ignore[attr-defined]


def _each(ids: list[str], act: Callable[[Session, str], bool]) -> int:
    """Act on each row in a transaction of its own. One row that fails is logged and rolled back alone: it must not
    hold up every row after it, sweep after sweep (a restoration that is due for others too)."""
    done = 0
    for row_id in ids:
        try:
            with session_scope() as session:
                if act(session, row_id):
                    done += 1
        except Exception:
            log.exception("%s: row %s failed; rolled back, retried next sweep", getattr(act, "__name__", "task"), row_id)
    return done


def restore_due(now: datetime, settings: Settings) -> dict[str, int]:
    """§ 512(g)(2)(C) / s 322(4)(d): restore on the scheduled business day, counted in the notice's own zone."""
    horizon = (now + timedelta(days=1)).date()  # no zone is more than a day ahead of UTC
    with session_scope(write=False) as session:
        candidates = session.execute(
            select(CounterNotice.id, CounterNotice.restore_on, CounterNotice.clock_timezone)
            .where(CounterNotice.status == CounterNoticeStatus.FORWARDED, CounterNotice.restore_on <= horizon)
            .order_by(CounterNotice.restore_on, CounterNotice.id)
        ).all()

    def today(zone: str | None) -> date:  # a window without a zone of its own runs on IPCLAIMS_TIMEZONE's calendar
        return now.astimezone(ZoneInfo(zone or settings.timezone)).date()

    due = [cid for cid, day, zone in candidates if today(zone) >= day]

    def act(session: Session, cid: str) -> bool:
        counter = _locked(session, CounterNotice, cid)
        if not isinstance(counter, CounterNotice) or counter.status != CounterNoticeStatus.FORWARDED:
            return False  # restored, withdrawn or put on hold meanwhile
        if counter.restore_on is None or today(counter.clock_timezone) < counter.restore_on:
            return False  # its window moved meanwhile (a closure added, a cure received): not due yet
        restore(
            session,
            counter,
            actor=None,
            at=now,
            reason=f"the restoration window opened on {counter.restore_earliest}; no filed action was notified",
        )
        return True

    return {"restored": _each(due, act)}


def needs_info(now: datetime, settings: Settings) -> dict[str, int]:
    """Remind the notifier once, then close an uncured notice as rejected (CONTRACT.md "needs_info")."""
    days = settings.needs_info_expiry_days

    def expires_at(regime: str, requested_at: datetime) -> datetime:
        # The end of the local day the letter and the mail promised (legal.clock), not the instant N days on.
        return reply_expires_at(regime, requested_at, days, us_timezone=settings.timezone)

    # Every reply deadline ends at least N days after the request, give or take a DST hour: a day's margin selects
    # every claim that may be due, and the exact local instant decides.
    maybe_expired = now - timedelta(days=days - 1)
    remind_before = now - timedelta(days=settings.needs_info_reminder_days)
    with session_scope(write=False) as session:
        candidates = session.execute(
            select(Claim.id, Claim.regime, Claim.status_changed_at).where(
                Claim.status == ClaimStatus.NEEDS_INFO, Claim.status_changed_at <= maybe_expired
            )
        ).all()
        expired = [cid for cid, regime, at in candidates if now >= expires_at(regime, at)]
        reminders = list(
            session.scalars(
                select(Claim.id).where(
                    Claim.status == ClaimStatus.NEEDS_INFO,
                    Claim.status_changed_at <= remind_before,
                    ~exists().where(
                        Event.claim_id == Claim.id, Event.action == Action.NEEDS_INFO_REMINDER, Event.at >= Claim.status_changed_at
                    ),
                )
            )
        )
    closing = set(expired)
    reminders = [cid for cid in reminders if cid not in closing]

    def expire(session: Session, cid: str) -> bool:
        claim = _locked(session, Claim, cid)
        if not isinstance(claim, Claim) or claim.status != ClaimStatus.NEEDS_INFO:
            return False
        if now < expires_at(claim.regime, claim.status_changed_at):
            return False  # cured and asked again meanwhile: a new deadline
        transition(
            session,
            claim,
            ClaimStatus.REJECTED,
            System(),
            action=Action.EXPIRED,
            reason=f"the missing information was not supplied within {days} days",
        )
        return True

    def remind(session: Session, cid: str) -> bool:
        claim = _locked(session, Claim, cid)
        if not isinstance(claim, Claim) or claim.status != ClaimStatus.NEEDS_INFO:
            return False
        if session.scalar(
            select(exists().where(Event.claim_id == cid, Event.action == Action.NEEDS_INFO_REMINDER, Event.at >= claim.status_changed_at))
        ):
            return False
        record_event(
            session,
            claim_id=cid,
            actor=None,
            subject_type="claim",
            subject_id=cid,
            action=Action.NEEDS_INFO_REMINDER,
            reason="reminder sent to the notifier",
        )
        return True

    return {"expired": _each(expired, expire), "reminded": _each(reminders, remind)}


def sla(now: datetime, settings: Settings) -> dict[str, int]:
    """Flag each open claim once when its SLA passes; keep priorities current as deadlines approach."""
    soon = now + priority.DEADLINE_SOON
    with session_scope(write=False) as session:
        breached = list(
            session.scalars(select(Claim.id).where(Claim.status.in_(OPEN_CLAIM), Claim.due_at < now, Claim.sla_breached_at.is_(None)))
        )
        approaching = list(
            session.scalars(select(Claim.id).where(Claim.status.in_(OPEN_CLAIM), and_(Claim.due_at >= now, Claim.due_at < soon)))
        )

    def flag(session: Session, cid: str) -> bool:
        claim = _locked(session, Claim, cid)
        if not isinstance(claim, Claim) or claim.sla_breached_at is not None or claim.status not in OPEN_CLAIM:
            return False
        claim.sla_breached_at = now
        record_event(
            session,
            claim_id=cid,
            actor=None,
            subject_type="claim",
            subject_id=cid,
            action=Action.SLA_BREACHED,
            reason=f"due {claim.due_at.isoformat() if claim.due_at else '?'}",
            internal=True,
        )
        _reprioritise(session, claim, now)
        return True

    def refresh(session: Session, cid: str) -> bool:
        claim = _locked(session, Claim, cid)
        if not isinstance(claim, Claim):
            return False
        before = claim.priority
        _reprioritise(session, claim, now)
        return claim.priority != before

    return {"sla_breached": _each(breached, flag), "reprioritised": _each(approaching, refresh)}


def _reprioritise(session: Session, claim: Claim, now: datetime) -> None:
    session.scalars(select(Claim).where(Claim.id == claim.id).options(*FULL)).one()
    owner = session.get(Account, claim.owner_id)
    assert owner is not None
    priority.refresh(session, claim, owner, now=now)


def outbox(now: datetime, settings: Settings) -> dict[str, int]:
    return delivery.deliver_due(now, settings)


def housekeeping(now: datetime, settings: Settings) -> dict[str, int]:
    with session_scope() as session:
        return {
            "idempotency_pruned": idempotency.prune(session),
            # PostgreSQL: the rollups' connection shards of past days, folded into one row (SQLite writes one shard)
            "rollup_rows_folded": rollups.compact(session.connection(), now.astimezone(UTC).date()),
        }


# Order matters: state changes first, so the mail they queue goes out in the same sweep.
TASKS: list[tuple[str, Task]] = [
    ("restore_due", restore_due),
    ("needs_info", needs_info),
    ("sla", sla),
    ("letters", render_pending),
    ("route_flagged", routing.route_flagged),
    ("fetch_content", content.fetch_content),
    ("outbox", outbox),
    ("webhooks", webhook_delivery.deliver_due),
    ("housekeeping", housekeeping),
    ("reindex", reindex_stale),
]
