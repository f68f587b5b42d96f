"""Owed letters are follow-ups of events (ipclaims/letters/subscriber.py, registered at start-up), mail that
carries a letter waits for it, versions never collide, and no internal text reaches a party."""

from __future__ import annotations

import ast
import json
from datetime import timedelta
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ipclaims.config import get_settings
from ipclaims.db import session_scope
from ipclaims.events import Action, NeedsEventId, new_event, registry
from ipclaims.jobs import delivery
from ipclaims.jobs.worker import run_once
from ipclaims.letters import render, service, subscriber, worker
from ipclaims.letters.worker import render_pending
from ipclaims.models import Account, CounterNotice, Letter, LetterKind, OutboxMessage, utcnow
from ipclaims.review.counter_notices import restore
from tests.conftest import Actor
from tests.letters.helpers import INTERNAL, PUBLIC, countered, decided
from tests.races import race
from tests.review.flows import counter, decide, submit

PACKAGE = Path(__file__).resolve().parents[2] / "ipclaims"
MEMO = "ESCALATION-MEMO-7731 ask legal about the licence chain"
NOTE = "INTERNAL-NOTE-9924 holder is a repeat filer"
REJECT = "REJECT-REASON-5521 notifier looks like a troll"
SECRETS = (INTERNAL, MEMO, NOTE, REJECT)


def _owed(session: Session, claim_id: str) -> list[tuple[str, str | None, int]]:
    session.expire_all()
    rows = session.scalars(select(Letter).where(Letter.claim_id == claim_id).order_by(Letter.created_at, Letter.id))
    out = [(x.kind.value, x.item_id, x.version) for x in rows]
    session.rollback()  # hold no transaction open while the app writes (SQLite)
    return out


def test_the_subscriber_is_registered_at_start_up(app: Any) -> None:
    for action in subscriber.ACTIONS:
        assert subscriber.subscriber in registry._SUBSCRIBERS[action], action


def test_the_subscriber_imports_no_domain_and_no_renderer() -> None:
    """notifications/ registers it, so it keeps to that lower layer's imports (tests/events/test_layers.py)."""
    above = ("claims", "review", "works", "matching", "jobs", "auth", "http", "main", "cli")
    heavy = ("render", "service", "worker", "context", "api", "export", "messages", "archive", "cli")
    for name in ("subscriber.py", "templates.py"):
        for node in ast.walk(ast.parse((PACKAGE / "letters" / name).read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("ipclaims"):
                parts = node.module.split(".")
                assert parts[1] not in above, (name, node.module)
                assert not (parts[1] == "letters" and len(parts) > 2 and parts[2] in heavy), (name, node.module)


def test_intake_asks_the_database_nothing_for_its_letters() -> None:
    """A new claim's letters go in intake's one batch: the subscriber reads nothing, and only an incomplete claim's
    deficiency (which names the event) waits for the event's id, as its mail does."""
    session = mock.Mock(spec=Session)
    session.configure_mock(
        **{m: mock.Mock(side_effect=AssertionError(f"query: {m}")) for m in ("execute", "scalar", "scalars", "get", "connection")}
    )
    event = new_event(claim_id="C1", actor=None, subject_type="claim", subject_id="C1", action=Action.SUBMITTED, to_status="in_review")
    [rows] = subscriber.subscriber(session, event, None)
    assert rows.into is subscriber.INSERT
    assert [(r["kind"], r["version"], r["status"], r["dedupe_key"]) for r in rows.rows] == [
        ("acknowledgment", 1, "pending", "acknowledgment:C1:::once")
    ]
    incomplete = new_event(
        claim_id="C1", actor=None, subject_type="claim", subject_id="C1", action=Action.SUBMITTED, to_status="needs_info"
    )
    with pytest.raises(NeedsEventId):
        list(subscriber.subscriber(session, incomplete, None))
    incomplete.id = 7
    [rows] = subscriber.subscriber(session, incomplete, None)
    assert [r["kind"] for r in rows.rows] == ["acknowledgment", "deficiency"]


def test_each_event_requests_the_letter_it_owes(client: Any, holder: Actor, specialist: Actor, session: Session) -> None:
    incomplete = submit(client, holder, "US_DMCA", statements=None)
    assert _owed(session, incomplete["id"]) == [("acknowledgment", None, 1), ("deficiency", None, 1)]
    r = client.post(f"/api/v1/claims/{incomplete['id']}/transitions", json={"to": "rejected", "reason": REJECT}, headers=specialist.headers)
    assert r.status_code == 200, r.text
    assert _owed(session, incomplete["id"])[-1] == ("rejection", None, 1)

    again = submit(client, holder, "EU_DSA")
    r = client.post(f"/api/v1/claims/{again['id']}/transitions", json={"to": "needs_info", "reason": "x"}, headers=specialist.headers)
    assert r.status_code == 200, r.text
    assert _owed(session, again["id"]) == [("acknowledgment", None, 1), ("deficiency", None, 1)]

    claim = countered(client, holder, specialist, "US_DMCA")  # item 0 removed, the others no_action; countered
    first = claim["items"][0]["id"]
    assert _owed(session, claim["id"]) == [
        ("acknowledgment", None, 1),
        ("statement_of_reasons", first, 1),
        ("decision", None, 1),
        ("counter_notice_forwarded", first, 1),
    ]  # a statement of reasons only for the item actioned
    with session_scope() as s:
        restore(s, s.scalars(select(CounterNotice).where(CounterNotice.claim_id == claim["id"])).one(), actor=None, reason=INTERNAL)
    assert _owed(session, claim["id"])[-1] == ("restoration", first, 1)
    assert client.get(f"/api/v1/claims/{claim['id']}/letters", headers=holder.headers).json()["items"]


def test_concurrent_requests_for_one_letter_get_distinct_versions(client: Any, holder: Actor, specialist: Actor, session: Session) -> None:
    claim = decided(client, holder, specialist, "US_DMCA")  # owes decision v1

    def ask(_i: int) -> int:
        with session_scope() as s:
            actor = s.get(Account, specialist.id)
            assert actor is not None
            return service.create(s, actor, claim["id"], "decision", None).version

    versions = race(3, ask)
    assert sorted(versions) == [2, 3, 4]
    assert sorted(v for kind, _, v in _owed(session, claim["id"]) if kind == "decision") == [1, 2, 3, 4]


def test_a_repeated_version_is_refused_by_the_database(client: Any, holder: Actor, session: Session) -> None:
    claim = submit(client, holder, "US_DMCA")
    twin = subscriber.row(LetterKind.ACKNOWLEDGMENT, claim["id"], version=1, event_id=99)  # another fact, same version
    with pytest.raises(IntegrityError):
        subscriber.INSERT.run(session.connection(), [twin])
    session.rollback()


@pytest.fixture
def smtp(set_env: Any) -> Any:
    from aiosmtpd.controller import Controller

    from tests.jobs.test_worker import Inbox, free_port

    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    set_env(IPCLAIMS_SMTP_URL=f"smtp://127.0.0.1:{port}")
    try:
        yield inbox
    finally:
        controller.stop()


def _pdfs(message: Any) -> list[Any]:
    return [p for p in message.walk() if p.get_content_type() == "application/pdf"]


def test_mail_waits_for_its_letter(client: Any, holder: Actor, smtp: Any, session: Session) -> None:
    claim = submit(client, holder, "US_DMCA")
    now = utcnow()
    assert delivery.deliver_due(now, get_settings()) == {"sent": 0, "failed": 0}  # its letter is not rendered yet
    session.expire_all()
    held = session.scalars(select(OutboxMessage).where(OutboxMessage.claim_id == claim["id"])).one()
    assert held.status.value == "pending" and held.attempts == 0 and held.next_attempt_at > now
    session.rollback()
    assert render_pending(now, get_settings())["letters_rendered"] == 1
    assert delivery.deliver_due(now + timedelta(minutes=2), get_settings())["sent"] == 1
    [(_, message)] = smtp.messages
    assert len(_pdfs(message)) == 1


def test_mail_goes_without_a_letter_that_failed_for_good(client: Any, holder: Actor, smtp: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    submit(client, holder, "US_DMCA")

    def broken(html: str) -> bytes:
        raise RuntimeError("pango exploded")

    monkeypatch.setattr(render, "pdf_from_html", broken)
    now = utcnow()
    for attempt in range(service.MAX_ATTEMPTS):
        assert render_pending(now, get_settings())["letters_failed"] == 1, attempt
        sent = delivery.deliver_due(now + timedelta(minutes=2 * attempt + 2), get_settings())["sent"]
        assert sent == (1 if attempt == service.MAX_ATTEMPTS - 1 else 0), attempt
    [(_, message)] = smtp.messages
    assert _pdfs(message) == []


def test_mail_to_both_parties_carries_the_letter_only_to_its_addressee(
    client: Any, holder: Actor, specialist: Actor, smtp: Any, session: Session
) -> None:
    """The counter-notice-forwarded and restoration letters are addressed to the notifier (its name, organisation,
    street and email in the address block): the uploader's copy of the same mail carries no letter."""
    claim = countered(client, holder, specialist, "US_DMCA")
    with session_scope() as s:
        restore(s, s.scalars(select(CounterNotice).where(CounterNotice.claim_id == claim["id"])).one(), actor=None, reason=INTERNAL)
    now = utcnow()
    render_pending(now, get_settings())
    delivery.deliver_due(now + timedelta(minutes=2), get_settings())
    notifier, uploader = "ada@rights.example.com", "uma@mail.example.com"
    got: dict[tuple[str, str], list[Any]] = {}
    for rcpt, message in smtp.messages:
        kind = "restoration" if "Material restored" in message["Subject"] else "forwarded" if "received" in message["Subject"] else None
        if kind is not None:
            got[(kind, rcpt[0])] = _pdfs(message)
    assert sorted(got) == [("forwarded", notifier), ("forwarded", uploader), ("restoration", notifier), ("restoration", uploader)]
    for kind in ("forwarded", "restoration"):
        assert len(got[(kind, notifier)]) == 1, kind
        assert got[(kind, uploader)] == [], kind  # would show "Ada Rights, Rights Co, 1 Main Street, ada@rights…"
    # The messages view agrees: only the notifier's copies name a letter.
    staff = client.get(f"/api/v1/claims/{claim['id']}/messages", headers=specialist.headers).json()["items"]
    both = [m for m in staff if m["kind"] in ("counter_notice_forwarded", "restoration")]
    assert sorted((m["kind"], m["to"], bool(m["letter_id"])) for m in both) == [
        ("counter_notice_forwarded", notifier, True),
        ("counter_notice_forwarded", uploader, False),
        ("restoration", notifier, True),
        ("restoration", uploader, False),
    ]


def test_no_internal_text_reaches_a_party(client: Any, holder: Actor, specialist: Actor, legal_user: Actor, session: Session) -> None:
    """A decision's reason, an escalation memo, an internal note and a rejection's reason are staff's: none reaches
    any letter (its HTML, every kind), any mail, or the notifier's claim, events, letters and messages views."""
    claim = submit(client, holder, "US_DMCA")
    cid = claim["id"]
    assert client.post(f"/api/v1/claims/{cid}/notes", json={"body": NOTE, "internal": True}, headers=specialist.headers).status_code == 201
    r = client.post(f"/api/v1/claims/{cid}/transitions", json={"to": "escalated", "reason": MEMO}, headers=specialist.headers)
    assert r.status_code == 200, r.text
    for i, item in enumerate(claim["items"]):
        r = client.post(
            f"/api/v1/claims/{cid}/items/{item['id']}/decision",
            json={
                "outcome": "removed" if i == 0 else "no_action",
                "reason": INTERNAL,
                "public_reason": PUBLIC if i == 0 else None,
                "uploader_email": "uploader@example.org",
            },
            headers=legal_user.headers,
        )
        assert r.status_code == 200, r.text
    rejected = submit(client, holder, "EU_DSA", statements=None)
    r = client.post(f"/api/v1/claims/{rejected['id']}/transitions", json={"to": "rejected", "reason": REJECT}, headers=specialist.headers)
    assert r.status_code == 200, r.text
    run_once()

    session.expire_all()
    mail = [m.subject + m.body for m in session.scalars(select(OutboxMessage))]
    assert mail and any(PUBLIC in m for m in mail)
    letters = list(session.scalars(select(Letter)))
    assert {x.kind for x in letters} >= {
        LetterKind.ACKNOWLEDGMENT,
        LetterKind.DECISION,
        LetterKind.STATEMENT_OF_REASONS,
        LetterKind.DEFICIENCY,
        LetterKind.REJECTION,
    }
    html = [service.html_of(session, x, get_settings()) for x in letters]
    assert any(PUBLIC in h for h in html)
    for secret in SECRETS:
        assert not [m for m in mail if secret in m], secret
        assert not [h for h in html if secret in h], secret

    views = [
        client.get(f"/api/v1/claims/{c}{path}", headers=holder.headers)
        for c in (cid, rejected["id"])
        for path in ("", "/events", "/letters", "/messages")
    ]
    assert all(v.status_code == 200 for v in views), [v.text for v in views if v.status_code != 200]
    for secret in (INTERNAL, MEMO, NOTE, REJECT):
        assert not [v.request.url for v in views if secret in v.text], secret
    owner_view = views[0].json()["items"]
    assert owner_view[0]["public_reason"] == PUBLIC and owner_view[0]["decision_reason"] is None
    decided_events = [e for e in views[1].json()["items"] if e["action"] == "decided" and e["subject_type"] == "item"]
    assert [e["reason"] for e in decided_events] == [PUBLIC] + [None] * (len(claim["items"]) - 1)
    # Staff still read what they recorded.
    staff_view = client.get(f"/api/v1/claims/{cid}", headers=specialist.headers).json()["items"]
    assert staff_view[0]["decision_reason"] == INTERNAL
    staff_events = client.get(f"/api/v1/claims/{cid}/events", headers=specialist.headers).text
    assert INTERNAL in staff_events and MEMO in staff_events and NOTE in staff_events
    assert REJECT in client.get(f"/api/v1/claims/{rejected['id']}/events", headers=specialist.headers).text
    assert session.execute(text("SELECT count(*) FROM letter WHERE status = 'rendered'")).scalar() == len(letters)


RESTORE = "RESTORE-REASON-3318 holder's counsel said on the phone they will not sue"
UPHELD = "COMPLAINT-REASON-4407 reviewer thinks the notifier overreached"
WINDOW = "restored after the restore window elapsed"
ASK = "Please identify the copyrighted work for item 1 (§ 512(c)(3)(A)(ii))."


def _events(client: Any, actor: Actor, claim_id: str) -> list[dict[str, Any]]:
    r = client.get(f"/api/v1/claims/{claim_id}/events", headers=actor.headers)
    assert r.status_code == 200, r.text
    return r.json()["items"]


def test_staff_reasons_for_restoring_and_complaints_stay_with_staff(
    client: Any, holder: Actor, specialist: Actor, legal_user: Actor
) -> None:
    """Legal's early restoration and a complaint's decision (copied onto the item it restores or reopens) are staff
    text: the notifier's events show those moves without a reason; the worker's restoration keeps its own text."""
    early = decided(client, holder, specialist, "US_DMCA")
    cn = counter(client, specialist, early, received_at="2025-11-26T11:00:00-05:00")
    r = client.post(f"/api/v1/counter-notices/{cn['id']}/restore", json={"reason": RESTORE}, headers=legal_user.headers)
    assert r.status_code == 200, r.text

    scheduled = countered(client, holder, specialist, "US_DMCA")
    with session_scope() as s:
        restore(s, s.scalars(select(CounterNotice).where(CounterNotice.claim_id == scheduled["id"])).one(), actor=None, reason=WINDOW)

    eu = []
    for outcome, role in (("removed", "uploader"), ("no_action", "notifier")):
        claim = decide(client, specialist, submit(client, holder, "EU_DSA"), 0, outcome)
        r = client.post(
            f"/api/v1/claims/{claim['id']}/items/{claim['items'][0]['id']}/complaints",
            json={"complainant_role": role, "complainant_email": f"{role}@mail.example", "body": "please look again"},
            headers=specialist.headers,
        )
        assert r.status_code == 201, r.text
        r = client.post(
            f"/api/v1/complaints/{r.json()['id']}/decision", json={"upheld": True, "reason": UPHELD}, headers=legal_user.headers
        )
        assert r.status_code == 200, r.text
        eu.append(claim)

    # A request for information is addressed to the notifier: its reason stays in the notifier's events.
    asked = submit(client, holder, "EU_DSA")
    r = client.post(f"/api/v1/claims/{asked['id']}/transitions", json={"to": "needs_info", "reason": ASK}, headers=specialist.headers)
    assert r.status_code == 200, r.text
    assert [e["reason"] for e in _events(client, holder, asked["id"]) if e["to"] == "needs_info"] == [ASK]

    mine = {c["id"]: _events(client, holder, c["id"]) for c in (early, scheduled, *eu)}
    staff = {c["id"]: _events(client, specialist, c["id"]) for c in (early, scheduled, *eu)}
    restored = [(e["subject_type"], e["reason"]) for e in mine[early["id"]] if e["action"] == "restored"]
    assert restored == [("counter_notice", None), ("item", None)]
    assert [(e["subject_type"], e["reason"]) for e in mine[scheduled["id"]] if e["action"] == "restored"] == [
        ("counter_notice", WINDOW),
        ("item", WINDOW),
    ]
    moved = [
        (e["subject_type"], e["action"], e["reason"])
        for c in eu
        for e in mine[c["id"]]
        if e["action"] in ("complaint_decided", "restored", "reopened")
    ]
    assert ("item", "restored", None) in moved and ("item", "reopened", None) in moved
    assert [r for _, a, r in moved if a == "complaint_decided"] == [None, None]
    for secret in (RESTORE, UPHELD):
        assert not [c for c, events in mine.items() if secret in json.dumps(events)], secret
        assert [c for c, events in staff.items() if secret in json.dumps(events)], secret  # staff still read it


def test_a_batch_renders_in_the_process_pool(client: Any, holder: Actor, specialist: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    """A few letters render in the worker's own process; a batch of POOL_MIN or more in the pool (both cores)."""
    decided(client, holder, specialist, "US_DMCA")  # acknowledgment, statement of reasons, decision
    monkeypatch.setattr(worker, "POOL_MIN", 2)
    started = []
    real = worker._pool

    def pool(size: int) -> Any:
        started.append(size)
        return real(size)

    monkeypatch.setattr(worker, "_pool", pool)
    assert render_pending(utcnow(), get_settings()) == {"letters_rendered": 3, "letters_failed": 0}
    assert len(started) == 1
