"""Events and their subscribers (ipclaims.events): every path that records an event — intake, decisions,
counter-notices, the worker — passes through the one registry, and what a subscriber returns is written in the
event's transaction."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from ipclaims.events import Action, EventRow, Rows, registry, subscribe
from ipclaims.jobs.worker import run_once
from ipclaims.models import Event, new_id
from ipclaims.notifications import mail, outbox
from tests.conftest import Actor
from tests.legal.notices import REMOVE, changed, complete_claim
from tests.review.flows import counter, decided_claim

CALLS = {"record_event", "transition", "new_event"}
SOURCE = Path(__file__).resolve().parents[2] / "ipclaims"


@pytest.fixture
def seen() -> Iterator[list[tuple[str, str, int | None, bool]]]:
    """Every event any path records, as (action, subject_type, event id, whether a subject was handed over)."""
    out: list[tuple[str, str, int | None, bool]] = []

    def watcher(_session: Session, event: EventRow, subject: Any) -> Iterable[Rows]:
        out.append((event.action, event.subject_type, event.id, subject is not None))
        return []

    with registry.isolated():
        registry._SUBSCRIBERS.clear()
        subscribe(Action, watcher)
        yield out


def test_a_subscriber_sees_intake_decision_counter_notice_and_worker_events(
    client: Any, holder: Actor, specialist: Actor, seen: list[tuple[str, str, int | None, bool]]
) -> None:
    claim = decided_claim(client, holder, specialist, "US_DMCA")
    counter(client, specialist, claim, received_at="2025-11-26T11:00:00-05:00")
    run_once(now=datetime.fromisoformat("2025-12-11T09:00:00-05:00"))  # the window elapses: the worker restores
    actions = [(action, subject_type) for action, subject_type, _, _ in seen]
    assert actions[0] == ("submitted", "claim")
    assert ("decided", "item") in actions and ("decided", "claim") in actions
    assert ("received", "counter_notice") in actions
    assert actions[-2:] == [("restored", "counter_notice"), ("restored", "item")]
    # Intake hands its new claim to the subscribers (it cannot be read back yet); a complete claim's event is
    # seen before it is written, in the same statement as what its subscribers return.
    assert seen[0][2:] == (None, True)
    assert all(event_id is not None for _, _, event_id, _ in seen[1:])


def test_intake_asks_again_once_the_event_is_written_when_a_subscriber_needs_its_id(
    client: Any, holder: Actor, session: Session, seen: list[tuple[str, str, int | None, bool]]
) -> None:
    registry._SUBSCRIBERS[Action.SUBMITTED].append(mail.subscriber)  # after the watcher: it sees both calls
    body = changed(complete_claim("US_DMCA"), [(("signature",), REMOVE)])  # the deficiency letter names the event
    r = client.post("/api/v1/claims", json=body, headers=holder.headers)
    assert r.status_code == 201, r.text
    assert [(a, i is None) for a, _, i, _ in seen] == [("submitted", True), ("submitted", False)]
    kinds = session.scalars(
        text("SELECT kind FROM outbox_message WHERE claim_id = :id ORDER BY created_at, id"), {"id": r.json()["id"]}
    ).all()
    assert kinds == ["acknowledgment", "deficiency"]


def test_a_new_kind_of_follow_up_is_one_subscriber(client: Any, holder: Actor, session: Session) -> None:
    """Rows a subscriber returns are written with the event: on intake's one statement, and on any other path."""

    def webhook(_session: Session, event: EventRow, _subject: Any) -> Iterable[Rows]:
        at = datetime.now(UTC)
        row = {
            "id": new_id(),
            "dedupe_key": f"hook:{event.action}:{event.subject_id}",
            "claim_id": event.claim_id,
            "kind": "webhook",
            "to_addr": "hooks@platform.example",
            "subject": "s",
            "body": "b",
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": at,
            "lease_until": None,
            "sent_at": None,
            "last_error": None,
            "created_at": at,
        }
        return [outbox.queue([row])]

    with registry.isolated():
        subscribe([Action.SUBMITTED, Action.TRANSITION], webhook)
        claim = client.post("/api/v1/claims", json=complete_claim("EU_DSA"), headers=holder.headers).json()
    keys = session.scalars(
        text("SELECT dedupe_key FROM outbox_message WHERE claim_id = :id ORDER BY dedupe_key"), {"id": claim["id"]}
    ).all()
    assert keys == [f"acknowledgment:{claim['id']}", f"hook:submitted:{claim['id']}"]


def test_registering_twice_changes_nothing() -> None:
    with registry.isolated():
        registry._SUBSCRIBERS.clear()  # letters and webhooks also subscribe to some of mail's actions
        subscribe(mail.ACTIONS, mail.subscriber)
        subscribe(mail.ACTIONS, mail.subscriber)
        assert all(registry._SUBSCRIBERS[action] == [mail.subscriber] for action in mail.ACTIONS)


def test_the_registry_is_keyed_by_action() -> None:
    with registry.isolated():
        registry._SUBSCRIBERS.clear()
        subscribe([Action.NOTE], mail.subscriber)
        assert registry.subscribed("note") and not registry.subscribed("submitted")
        with pytest.raises(ValueError):
            registry.subscribed("no_such_action")


def _actions_in_source() -> list[tuple[str, int, ast.expr]]:
    """Every `action=` given to a call that records an event in ipclaims/, and every comparison with `Event.action` / `event.action`."""
    found = []
    for path in SOURCE.rglob("*.py"):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) in CALLS:
                found += [(str(path), node.lineno, k.value) for k in node.keywords if k.arg == "action"]
            elif isinstance(node, ast.Compare) and isinstance(node.left, ast.Attribute) and node.left.attr == "action":
                found += [(str(path), node.lineno, c) for c in node.comparators]
    return found


def _members(expr: ast.expr) -> list[str] | None:
    """The `Action` members an expression can take, or None if it is anything else (a literal, a variable)."""
    if isinstance(expr, ast.IfExp):
        a, b = _members(expr.body), _members(expr.orelse)
        return None if a is None or b is None else a + b
    if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) and expr.value.id == "Action":
        return [expr.attr]
    return None


def test_every_action_in_use_is_an_action_member() -> None:
    used = _actions_in_source()
    assert len(used) > 25  # the walk finds the call sites
    free = [
        (path, line) for path, line, expr in used if _members(expr) is None and not (isinstance(expr, ast.Name) and expr.id == "action")
    ]
    assert free == [], "spell actions as Action members"
    members = {m for _, _, expr in used for m in _members(expr) or []}
    assert members <= set(Action.__members__)
    # Every member is recorded somewhere (SUBMITTED by intake through `new_event`).
    assert set(Action.__members__) - members <= {"SUBMITTED"}


def test_actions_keep_their_api_values() -> None:
    assert {a.value for a in Action} == {
        "submitted",
        "supplemented",
        "completed",
        "transition",
        "reopened",
        "withdrawn",
        "expired",
        "needs_info_reminder",
        "sla_breached",
        "source_changed",
        "intake_corrected",
        "notice_part",
        "reply_received",
        "assigned",
        "released",
        "note",
        "decided",
        "content_matched",
        "countered",
        "litigation_hold",
        "counter_withdrawn",
        "restored",
        "executed",
        "content_fetch_failed",
        "repeat_infringer_threshold",
        "ownership_conflict",
        "conflict_resolved",
        "received",
        "cured",
        "court_action",
        "rescheduled",
        "complaint_filed",
        "complaint_decided",
        "account_updated",
        "closure_added",
        "closure_removed",
        "sla_changed",
    }


def test_recorded_actions_read_back_as_their_values(client: Any, holder: Actor, session: Session) -> None:
    claim = client.post("/api/v1/claims", json=complete_claim("EU_DSA"), headers=holder.headers).json()
    assert session.scalars(select(Event.action).where(Event.claim_id == claim["id"])).all() == ["submitted"]
    events = client.get(f"/api/v1/claims/{claim['id']}/events", headers=holder.headers).json()["items"]
    assert [e["action"] for e in events] == ["submitted"]
    assert datetime.fromisoformat(events[0]["at"]) <= datetime.now(UTC) + timedelta(seconds=1)
