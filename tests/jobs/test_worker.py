"""The worker: restorations on the legal date, needs_info reminders and expiry, SLA breaches, SMTP outbox.

Time is passed in (`run_once(now=...)`), so the sweeps are tested on the calendar dates the law names.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from typing import Any

import pytest
from sqlalchemy import select, text

from ipclaims.jobs import delivery, tasks
from ipclaims.jobs.worker import run_once
from ipclaims.models import OutboxMessage
from tests.conftest import Actor
from tests.legal.notices import REMOVE, changed, complete_claim
from tests.races import race
from tests.review.flows import counter, decided_claim


def at(value: str) -> datetime:
    return datetime.fromisoformat(value)


def outbox(session: Any, kind: str | None = None) -> list[OutboxMessage]:
    session.expire_all()
    rows = list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.created_at, OutboxMessage.id)))
    session.commit()
    return [m for m in rows if kind is None or m.kind == kind]


@pytest.fixture
def forwarded(client: Any, holder: Actor, specialist: Actor) -> tuple[dict[str, Any], dict[str, Any]]:
    claim = decided_claim(client, holder, specialist, "US_DMCA")
    cn = counter(client, specialist, claim, received_at="2025-11-26T11:00:00-05:00")
    assert cn["restore_on"] == "2025-12-11"
    return claim, cn


def test_restores_on_the_scheduled_business_day_once(
    client: Any, holder: Actor, session: Any, forwarded: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    claim, cn = forwarded
    assert run_once(now=at("2025-12-10T23:59:00-05:00"))["restored"] == 0
    assert run_once(now=at("2025-12-11T00:01:00-05:00"))["restored"] == 1
    assert run_once(now=at("2025-12-12T09:00:00-05:00"))["restored"] == 0
    item = client.get(f"/api/v1/claims/{claim['id']}", headers=holder.headers).json()["items"][0]
    assert item["status"] == "restored" and item["outcome"] == "restored"
    assert client.get(f"/api/v1/counter-notices/{cn['id']}", headers=holder.headers).json()["status"] == "restored"
    mails = outbox(session, "restoration")
    assert sorted(m.to_addr for m in mails) == ["ada@rights.example.com", "uma@mail.example.com"]
    events = client.get(f"/api/v1/claims/{claim['id']}/events", headers=holder.headers).json()["items"]
    assert sum(e["action"] == "restored" for e in events) == 2  # the counter-notice and the item, once each
    assert all(e["actor"] is None and e["actor_role"] == "system" for e in events if e["action"] == "restored")


def test_sg_restoration_follows_the_singapore_date(client: Any, holder: Actor, specialist: Actor, session: Any) -> None:
    claim = decided_claim(client, holder, specialist, "SG_CA2021")
    cn = counter(client, specialist, claim, received_at="2026-02-13T10:00:00+08:00")
    assert cn["restore_on"] == "2026-03-03"
    # 00:30 on 3 March in Singapore is still 2 March in New York and in UTC.
    assert run_once(now=at("2026-03-02T23:00:00+08:00"))["restored"] == 0
    assert run_once(now=at("2026-03-02T16:30:00+00:00"))["restored"] == 1  # 00:30 on 3 March in Singapore
    # The letters date the restoration on the same (Singapore) calendar, never the day before the window opened.
    mails = outbox(session, "restoration")
    assert len(mails) == 2 and all("restored on 2026-03-03," in m.body for m in mails), [m.body for m in mails]


def test_us_restoration_letter_dates_in_the_configured_zone(
    client: Any, holder: Actor, session: Any, forwarded: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    assert run_once(now=at("2025-12-12T02:30:00+00:00"))["restored"] == 1  # 21:30 on 11 December in New York
    assert all("restored on 2025-12-11," in m.body for m in outbox(session, "restoration"))


def test_a_window_moved_between_select_and_act_is_not_restored_early(
    client: Any, holder: Actor, admin: Actor, monkeypatch: pytest.MonkeyPatch, forwarded: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    """A closure added while the sweep runs moves the window a business day: the row, re-read under its lock, is
    no longer due, whatever the sweep selected a moment before (§ 512(g)(2)(C): not less than 10 business days)."""
    _claim, cn = forwarded
    real = tasks._locked

    def closure_lands_first(session: Any, model: type, row_id: str) -> object | None:
        r = client.post("/api/v1/admin/closures", json={"calendar": "US", "day": "2025-12-01", "description": "x"}, headers=admin.headers)
        assert r.status_code == 201 and r.json()["recomputed_counter_notices"] == 1
        return real(session, model, row_id)

    monkeypatch.setattr(tasks, "_locked", closure_lands_first)
    assert run_once(now=at("2025-12-11T09:00:00-05:00"))["restored"] == 0
    monkeypatch.setattr(tasks, "_locked", real)
    moved = client.get(f"/api/v1/counter-notices/{cn['id']}", headers=holder.headers).json()
    assert moved["status"] == "forwarded" and moved["restore_on"] == "2025-12-12"
    assert run_once(now=at("2025-12-12T09:00:00-05:00"))["restored"] == 1


def test_one_failing_row_does_not_hold_up_the_others(
    client: Any, holder: Actor, specialist: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    claims = [decided_claim(client, holder, specialist, "US_DMCA") for _ in range(3)]
    ids = [counter(client, specialist, c, received_at="2025-11-26T11:00:00-05:00")["id"] for c in claims]
    real = tasks.restore

    def first_one_breaks(session: Any, counter_notice: Any, **kwargs: Any) -> None:
        if counter_notice.id == ids[0]:
            raise RuntimeError("a broken row")
        real(session, counter_notice, **kwargs)

    monkeypatch.setattr(tasks, "restore", first_one_breaks)
    assert run_once(now=at("2025-12-11T09:00:00-05:00"))["restored"] == 2
    monkeypatch.setattr(tasks, "restore", real)
    assert run_once(now=at("2025-12-11T09:05:00-05:00"))["restored"] == 1  # the broken one, once it is fixed


def test_litigation_hold_and_withdrawal_stop_restoration(client: Any, holder: Actor, specialist: Actor) -> None:
    held = decided_claim(client, holder, specialist, "US_DMCA")
    cn = counter(client, specialist, held, received_at="2025-11-26T11:00:00-05:00")
    r = client.post(
        f"/api/v1/counter-notices/{cn['id']}/court-action",
        headers=holder.headers,
        json={"court": "S.D.N.Y.", "case_number": "1:25-cv-1", "filed_on": "2025-12-01"},
    )
    assert r.status_code == 200
    assert run_once(now=at("2026-01-30T12:00:00-05:00"))["restored"] == 0
    assert client.get(f"/api/v1/claims/{held['id']}", headers=holder.headers).json()["items"][0]["status"] == "litigation_hold"


def test_worker_killed_between_select_and_act_then_rerun_acts_once(
    client: Any, holder: Actor, session: Any, monkeypatch: pytest.MonkeyPatch, forwarded: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    claim, _cn = forwarded
    real = tasks.restore

    def killed(*args: Any, **kwargs: Any) -> None:
        real(*args, **kwargs)  # the restoration and its mail are written in the open transaction …
        raise KeyboardInterrupt  # … and the process dies before the commit

    monkeypatch.setattr(tasks, "restore", killed)
    with pytest.raises(KeyboardInterrupt):
        run_once(now=at("2025-12-11T09:00:00-05:00"))
    assert client.get(f"/api/v1/claims/{claim['id']}", headers=holder.headers).json()["items"][0]["status"] == "countered"
    assert outbox(session, "restoration") == []
    monkeypatch.setattr(tasks, "restore", real)
    assert run_once(now=at("2025-12-11T09:05:00-05:00"))["restored"] == 1
    assert run_once(now=at("2025-12-11T09:10:00-05:00"))["restored"] == 0
    assert len(outbox(session, "restoration")) == 2


def test_two_workers_sweeping_at_once_restore_each_item_once(client: Any, holder: Actor, specialist: Actor, session: Any) -> None:
    claims = [decided_claim(client, holder, specialist, "US_DMCA") for _ in range(3)]
    for c in claims:
        counter(client, specialist, c, received_at="2025-11-26T11:00:00-05:00")
    results = race(2, lambda _i: tasks.restore_due(at("2025-12-11T09:00:00-05:00"), _settings())["restored"], timeout=120)
    assert sum(results) == 3
    assert len(outbox(session, "restoration")) == 6


def _settings() -> Any:
    from ipclaims.config import get_settings

    return get_settings()


def test_needs_info_reminder_then_expiry(client: Any, holder: Actor, session: Any) -> None:
    body = changed(complete_claim("US_DMCA"), [(("signature",), REMOVE)])
    claim = client.post("/api/v1/claims", json=body, headers=holder.headers).json()
    start = datetime.now(UTC)
    assert [m.kind for m in outbox(session)] == ["acknowledgment", "deficiency"]
    deficiency = outbox(session, "deficiency")[0]
    assert "signature" in deficiency.body and "512(c)(3)(A)(i)" in deficiency.body and claim["reference"] in deficiency.subject
    assert run_once(now=start + timedelta(days=3)).get("reminded") == 0
    assert run_once(now=start + timedelta(days=8))["reminded"] == 1
    assert run_once(now=start + timedelta(days=9))["reminded"] == 0
    assert run_once(now=start + timedelta(days=15))["expired"] == 1
    final = client.get(f"/api/v1/claims/{claim['id']}", headers=holder.headers).json()
    assert final["status"] == "rejected"
    assert [m.kind for m in outbox(session)] == ["acknowledgment", "deficiency", "needs_info_reminder", "rejection"]
    assert run_once(now=start + timedelta(days=16))["expired"] == 0


def test_cured_claim_is_not_expired(client: Any, holder: Actor) -> None:
    body = changed(complete_claim("US_DMCA"), [(("signature",), REMOVE)])
    claim = client.post("/api/v1/claims", json=body, headers=holder.headers).json()
    client.patch(f"/api/v1/claims/{claim['id']}", json={"signature": {"name": "Ada"}}, headers=holder.headers)
    assert run_once(now=datetime.now(UTC) + timedelta(days=30))["expired"] == 0


def test_sla_breach_is_flagged_once_and_raises_priority(client: Any, holder: Actor, specialist: Actor) -> None:
    claim = client.post("/api/v1/claims", json=complete_claim("EU_DSA"), headers=holder.headers).json()
    due = datetime.fromisoformat(claim["due_at"])
    assert run_once(now=due - timedelta(hours=13))["sla_breached"] == 0
    soon = run_once(now=due - timedelta(hours=6))
    assert soon["reprioritised"] == 1
    assert any(
        "SLA due time" in r for r in client.get(f"/api/v1/claims/{claim['id']}", headers=specialist.headers).json()["priority_reasons"]
    )
    assert run_once(now=due + timedelta(minutes=1))["sla_breached"] == 1
    assert run_once(now=due + timedelta(hours=1))["sla_breached"] == 0
    events = client.get(f"/api/v1/claims/{claim['id']}/events", headers=specialist.headers).json()["items"]
    assert sum(e["action"] == "sla_breached" for e in events) == 1
    queue = client.get("/api/v1/queue", params={"overdue": "true"}, headers=specialist.headers).json()["items"]
    assert queue == [] or all(c["overdue"] for c in queue)  # overdue relative to the real clock


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def test_outbox_is_delivered_over_real_smtp(client: Any, holder: Actor, session: Any, set_env: Any, smtp_server: tuple[Inbox, int]) -> None:
    inbox, port = smtp_server
    set_env(IPCLAIMS_SMTP_URL=f"smtp://127.0.0.1:{port}")
    body = changed(complete_claim("US_DMCA"), [(("signature",), REMOVE)])
    claim = client.post("/api/v1/claims", json=body, headers=holder.headers).json()
    summary = run_once()
    assert summary["sent"] == 2 and summary["failed"] == 0
    assert {tuple(r) for r, _ in inbox.messages} == {("ada@rights.example.com",)}
    subjects = sorted(m["Subject"] for _, m in inbox.messages)
    assert all(claim["reference"] in s for s in subjects)
    assert len({m["Message-ID"] for _, m in inbox.messages}) == 2
    assert run_once()["sent"] == 0
    assert all(m.status == "sent" and m.attempts == 1 for m in outbox(session))


def test_smtp_down_is_retried_with_backoff_and_nothing_is_lost(client: Any, holder: Actor, session: Any, set_env: Any) -> None:
    from aiosmtpd.controller import Controller

    port = free_port()  # nothing listens here yet
    set_env(IPCLAIMS_SMTP_URL=f"smtp://127.0.0.1:{port}")
    client.post("/api/v1/claims", json=complete_claim("EU_DSA"), headers=holder.headers)
    now = datetime.now(UTC)
    first = run_once(now=now)
    assert first["sent"] == 0 and first["failed"] == 1
    [message] = outbox(session)
    assert message.status == "pending" and message.attempts == 1 and message.last_error
    assert message.next_attempt_at >= now + timedelta(seconds=29)
    assert run_once(now=now + timedelta(seconds=5))["failed"] == 0  # not due yet: no hammering
    assert run_once(now=now + timedelta(seconds=31))["failed"] == 1
    [message] = outbox(session)
    assert message.attempts == 2 and message.next_attempt_at >= now + timedelta(seconds=31 + 59)
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        assert run_once(now=now + timedelta(minutes=5))["sent"] == 1
    finally:
        controller.stop()
    assert len(inbox.messages) == 1
    [message] = outbox(session)
    assert message.status == "sent" and message.attempts == 3


def test_an_outage_of_hours_loses_no_mail(client: Any, holder: Actor, session: Any, set_env: Any) -> None:
    """Connection failures never use up the attempts: mail waits out an outage (here six hours, well past the
    attempts a permanent refusal gets) and is given up only at IPCLAIMS_OUTBOX_MAX_AGE_HOURS; then queued again."""
    from aiosmtpd.controller import Controller

    from ipclaims.cli import main

    port = free_port()  # nothing listens here
    set_env(IPCLAIMS_SMTP_URL=f"smtp://127.0.0.1:{port}", IPCLAIMS_OUTBOX_MAX_ATTEMPTS="3", IPCLAIMS_OUTBOX_MAX_AGE_HOURS="24")
    client.post("/api/v1/claims", json=complete_claim("EU_DSA"), headers=holder.headers)
    now = datetime.now(UTC)
    for hour in range(0, 7):
        for minute in (0, 30):
            run_once(now=now + timedelta(hours=hour, minutes=minute))
    [message] = outbox(session)
    assert message.status == "pending" and message.attempts > 3
    assert message.last_error.startswith("not delivered: ConnectionRefusedError")
    assert run_once(now=now + timedelta(hours=25))["failed"] == 1
    [message] = outbox(session)
    assert message.status == "failed"
    assert run_once(now=now + timedelta(hours=30))["failed"] == 0  # given up: no more attempts
    assert main(["outbox", "retry"]) == 0
    [message] = outbox(session)
    assert message.status == "pending" and message.attempts == 0 and message.requeued_at is not None
    # Queued again, its retry age starts over: the outage still going on does not give it up at once.
    assert run_once()["failed"] == 1
    [message] = outbox(session)
    assert message.status == "pending" and message.attempts == 1
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        assert run_once(now=datetime.now(UTC) + timedelta(minutes=2))["sent"] == 1
    finally:
        controller.stop()
    assert len(inbox.messages) == 1


class Refusing(Inbox):
    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any) -> str:
        return "550 5.1.1 no such mailbox"


def test_a_permanent_refusal_is_given_up_after_the_attempts(client: Any, holder: Actor, session: Any, set_env: Any) -> None:
    from aiosmtpd.controller import Controller

    port = free_port()
    controller = Controller(Refusing(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        set_env(IPCLAIMS_SMTP_URL=f"smtp://127.0.0.1:{port}", IPCLAIMS_OUTBOX_MAX_ATTEMPTS="2")
        client.post("/api/v1/claims", json=complete_claim("EU_DSA"), headers=holder.headers)
        now = datetime.now(UTC)
        assert run_once(now=now)["failed"] == 1
        assert run_once(now=now + timedelta(minutes=5))["failed"] == 1
        [message] = outbox(session)
        assert message.status == "failed" and message.attempts == 2
        assert message.last_error.startswith("refused: SMTPRecipientsRefused")
    finally:
        controller.stop()


def test_a_message_that_cannot_be_built_is_recorded_and_the_rest_still_go(
    client: Any, holder: Actor, session: Any, set_env: Any, smtp_server: tuple[Inbox, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox, port = smtp_server
    set_env(IPCLAIMS_SMTP_URL=f"smtp://127.0.0.1:{port}")
    body = changed(complete_claim("US_DMCA"), [(("signature",), REMOVE)])  # acknowledgment and deficiency letter
    client.post("/api/v1/claims", json=body, headers=holder.headers)
    real = delivery._message
    seen: list[str] = []

    def broken_first(m: Any, settings: Any) -> Any:
        seen.append(m.id)
        if len(seen) == 1:
            raise UnicodeEncodeError("ascii", "x", 0, 1, "cannot encode")
        return real(m, settings)

    monkeypatch.setattr(delivery, "_message", broken_first)
    summary = run_once()
    assert summary["sent"] == 1 and summary["failed"] == 1
    broken = [m for m in outbox(session) if m.status != "sent"]
    assert len(broken) == 1 and broken[0].attempts == 1 and broken[0].last_error.startswith("refused: UnicodeEncodeError")
    assert len(inbox.messages) == 1  # the other one went out in the same sweep


def test_mail_leased_by_a_worker_that_died_is_sent_once_after_the_lease(
    client: Any, holder: Actor, session: Any, set_env: Any, smtp_server: tuple[Inbox, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox, port = smtp_server
    set_env(IPCLAIMS_SMTP_URL=f"smtp://127.0.0.1:{port}")
    client.post("/api/v1/claims", json=complete_claim("EU_DSA"), headers=holder.headers)
    real_send = delivery.send

    def die(*_args: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(delivery, "send", die)
    now = datetime.now(UTC)
    with pytest.raises(KeyboardInterrupt):
        run_once(now=now)
    monkeypatch.setattr(delivery, "send", real_send)
    assert run_once(now=now + timedelta(seconds=10))["sent"] == 0  # still leased by the dead worker
    assert run_once(now=now + delivery.LEASE + timedelta(seconds=1))["sent"] == 1
    assert run_once(now=now + delivery.LEASE + timedelta(minutes=2))["sent"] == 0
    assert len(inbox.messages) == 1


def test_without_smtp_url_mail_stays_in_the_outbox(client: Any, holder: Actor, session: Any) -> None:
    client.post("/api/v1/claims", json=complete_claim("EU_DSA"), headers=holder.headers)
    assert run_once()["sent"] == 0
    assert [m.status for m in outbox(session)] == ["pending"]


def test_statement_of_reasons_goes_to_a_known_uploader(client: Any, holder: Actor, specialist: Actor, session: Any) -> None:
    claim = client.post("/api/v1/claims", json=complete_claim("US_DMCA"), headers=holder.headers).json()
    item = claim["items"][0]["id"]
    client.post(
        f"/api/v1/claims/{claim['id']}/items/{item}/decision",
        headers=specialist.headers,
        json={"outcome": "removed", "reason": "full copy", "uploader_email": "uploader@mail.example"},
    )
    [sor] = outbox(session, "statement_of_reasons")
    assert sor.to_addr == "uploader@mail.example"
    assert "512(g)(3)" in sor.body and "512(f)" in sor.body


def test_failing_task_does_not_stop_the_others(monkeypatch: pytest.MonkeyPatch, env: Any) -> None:
    def broken(now: datetime, settings: Any) -> dict[str, int]:
        raise RuntimeError("boom")

    monkeypatch.setattr(tasks, "TASKS", [("broken", broken), *tasks.TASKS])
    import ipclaims.jobs.worker as worker

    monkeypatch.setattr(worker, "TASKS", tasks.TASKS)
    summary = run_once()
    assert summary["broken_errors"] == 1 and "restored" in summary


def test_idempotency_records_are_pruned(client: Any, holder: Actor, session: Any) -> None:
    client.post("/api/v1/claims", json=complete_claim("EU_DSA"), headers={**holder.headers, "Idempotency-Key": "old"})
    session.execute(text("UPDATE idempotency_record SET created_at = :t"), {"t": datetime(2020, 1, 1)})
    session.commit()
    assert run_once()["idempotency_pruned"] == 1
