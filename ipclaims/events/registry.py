"""What an event asks of the world: subscribers, registered at start-up, keyed by action.

A subscriber is called in the transaction that records the event and returns the durable work the event owes
(`Rows`: outbox mail today; letters, webhook deliveries and timers are rows the same way). It does not write them
itself: `record_event` writes them at once, and a recorder that batches its own statements (intake, one statement
on PostgreSQL) sends them in its batch. Nothing is sent from here; the worker delivers what the rows describe, so a
rolled-back transaction leaves no follow-up behind.

A new kind of follow-up is one new subscriber, registered beside the others (`ipclaims.notifications.register`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from ipclaims.db import Prepared
from ipclaims.events.actions import Action
from ipclaims.events.row import EventRow


@dataclass(frozen=True)
class Rows:
    """Rows for one INSERT (`into`), to be written in the event's own transaction."""

    into: Prepared
    rows: Sequence[Mapping[str, Any]]


class NeedsEventId(Exception):
    """Raised by a subscriber given an event not written yet (`event.id` None) when its rows must name the event
    (a dedupe key): the recorder then writes the event first and asks again (`follow_ups` returns None)."""


# `subject`: what the event is about, when the recorder has it in hand (intake's new claim, before it can be read
# back); None otherwise, and the subscriber loads it by `event.subject_id`.
Subscriber = Callable[[Session, EventRow, Any], Iterable[Rows]]

_SUBSCRIBERS: dict[Action, list[Subscriber]] = {}


def subscribe(actions: Iterable[Action], subscriber: Subscriber) -> None:
    """Call `subscriber` for every event of these actions; registering the same one again changes nothing."""
    for action in actions:
        listeners = _SUBSCRIBERS.setdefault(Action(action), [])
        if subscriber not in listeners:
            listeners.append(subscriber)


def subscribed(action: str) -> bool:
    return bool(_SUBSCRIBERS.get(Action(action)))


def follow_ups(session: Session, event: EventRow, subject: Any = None) -> list[Rows] | None:
    """The rows every subscriber of `event.action` asks for, in registration order.

    None when `event` is not written yet and a subscriber needs its id: write the event, then ask again.
    """
    out: list[Rows] = []
    # `event.action` is an `Action` already (`new_event`): no conversion on the way (intake asks once per claim).
    for subscriber in _SUBSCRIBERS.get(event.action, ()):
        try:
            out.extend(subscriber(session, event, subject))
        except NeedsEventId:
            if event.id is None:
                return None
            raise
    return out


def write(session: Session, work: Iterable[Rows]) -> None:
    conn = session.connection()
    for rows in work:
        if rows.rows:
            rows.into.run(conn, list(rows.rows))


@contextmanager
def isolated() -> Iterator[None]:
    """Tests: subscribe freely inside, the registry as it was afterwards."""
    saved = {action: list(listeners) for action, listeners in _SUBSCRIBERS.items()}
    try:
        yield
    finally:
        _SUBSCRIBERS.clear()
        _SUBSCRIBERS.update(saved)
