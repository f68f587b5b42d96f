"""`record_event`: the audit trail's one writer, and the door every follow-up goes through."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from ipclaims.events.actions import Action
from ipclaims.events.registry import follow_ups, subscribed, write
from ipclaims.events.row import EventRow
from ipclaims.models import Account, Event, utcnow

SYSTEM = "system"  # the actor role of the worker and of automatic follow-ups


def new_event(
    *,
    claim_id: str | None,
    actor: Account | None,
    subject_type: str,
    subject_id: str,
    action: Action,
    from_status: str | None = None,
    to_status: str | None = None,
    reason: str | None = None,
    data: dict[str, Any] | None = None,
    internal: bool = False,
    at: datetime | None = None,
) -> EventRow:
    return EventRow(
        at=at or utcnow(),
        actor_id=actor.id if actor else None,
        actor_role=SYSTEM if actor is None else actor.role.value,
        claim_id=claim_id,
        subject_type=subject_type,
        subject_id=subject_id,
        action=action if type(action) is Action else Action(action),
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        data=data,
        internal=internal,
    )


def record_event(
    session: Session,
    *,
    claim_id: str | None,
    actor: Account | None,
    subject_type: str,
    subject_id: str,
    action: Action,
    from_status: str | None = None,
    to_status: str | None = None,
    reason: str | None = None,
    data: dict[str, Any] | None = None,
    internal: bool = False,
    at: datetime | None = None,
    subject: Any = None,
) -> Event:
    """Add the event and write what its subscribers ask for, in the caller's transaction."""
    row = new_event(
        claim_id=claim_id,
        actor=actor,
        subject_type=subject_type,
        subject_id=subject_id,
        action=action,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        data=data,
        internal=internal,
        at=at,
    )
    event = Event(**row.values())
    session.add(event)
    if subscribed(row.action):
        session.flush()  # the event's id names what its subscribers queue (their dedupe keys)
        row.id = event.id
        write(session, follow_ups(session, row, subject) or [])
    return event
