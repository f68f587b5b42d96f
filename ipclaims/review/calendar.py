"""Admin-editable legal calendars (ad-hoc closures) and SLA policy rows."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ipclaims.config import Settings
from ipclaims.db import after_commit
from ipclaims.errors import Conflict, NotFound
from ipclaims.events import Action, record_event
from ipclaims.models import Account, Closure, SlaPolicy
from ipclaims.review import counter_notices
from ipclaims.review.schemas import ClosureIn, SlaIn
from ipclaims.triage import priority


def list_closures(session: Session) -> list[Closure]:
    return list(session.scalars(select(Closure).order_by(Closure.calendar, Closure.day)))


def add_closure(session: Session, admin: Account, body: ClosureIn, settings: Settings) -> tuple[Closure, int]:
    if session.get(Closure, (body.calendar, body.day)) is not None:
        raise Conflict(f"{body.day} is already a closure on the {body.calendar} calendar")
    closure = Closure(calendar=body.calendar, day=body.day, description=body.description, created_by_id=admin.id)
    session.add(closure)
    session.flush()
    record_event(
        session,
        claim_id=None,
        actor=admin,
        subject_type="calendar",
        subject_id=body.calendar,
        action=Action.CLOSURE_ADDED,
        reason=body.description,
        data={"day": body.day.isoformat()},
        internal=True,
    )
    return closure, counter_notices.reschedule_open(session, body.calendar, settings)


def remove_closure(session: Session, admin: Account, calendar: str, day: str, settings: Settings) -> int:
    closure = session.get(Closure, (calendar, date.fromisoformat(day)))
    if closure is None:
        raise NotFound(f"no closure on {day} in the {calendar} calendar")
    session.delete(closure)
    session.flush()
    record_event(
        session,
        claim_id=None,
        actor=admin,
        subject_type="calendar",
        subject_id=calendar,
        action=Action.CLOSURE_REMOVED,
        data={"day": day},
        internal=True,
    )
    return counter_notices.reschedule_open(session, calendar, settings)


def list_sla(session: Session) -> list[SlaPolicy]:
    return list(session.scalars(select(SlaPolicy).order_by(SlaPolicy.regime, SlaPolicy.source)))


def set_sla(session: Session, admin: Account, body: SlaIn) -> SlaPolicy:
    row = session.get(SlaPolicy, (body.regime, body.source.value))
    before = row.hours if row else None
    if row is None:
        row = SlaPolicy(regime=body.regime, source=body.source.value, hours=body.hours)
        session.add(row)
    row.hours = body.hours
    session.flush()
    priority.forget_sla()  # at once, and again after the commit (a concurrent read may have cached the old row)
    after_commit(session, priority.forget_sla)
    record_event(
        session,
        claim_id=None,
        actor=admin,
        subject_type="sla_policy",
        subject_id=f"{body.regime}"[:26],
        action=Action.SLA_CHANGED,
        data={"source": body.source.value, "before": before, "after": body.hours},
        internal=True,
    )
    return row
