"""A stored message read, its bytes, and a failed one tried again: `GET /api/v1/notices/messages/{id}`,
`GET .../{id}/raw`, `POST .../{id}/retry` and `ipclaims notices retry ID` (docs/contract-additions.md), on SQLite
and on PostgreSQL."""

from __future__ import annotations

import hashlib
import json
import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from ipclaims.cli import main
from ipclaims.config import get_settings
from ipclaims.db import session_scope
from ipclaims.errors import Conflict
from ipclaims.mailroom import reading, service
from ipclaims.mailroom.api import source_response
from ipclaims.mailroom.inbox import store, sweep
from ipclaims.models import Claim, SourceMessage, SourceStatus
from tests.conftest import Actor
from tests.mailroom.helpers import notice_text

MESSAGES = "/api/v1/notices/messages"
AGENT = "copyright-agent@platform.example"
COUNTER_NOTICE = (
    "From: Up Loader <up@loader.example>\nSubject: counter notification\n\n"
    "This is a counter-notification under 17 U.S.C. 512(g). I swear under penalty of perjury that I have a good "
    "faith belief the material was removed as a result of mistake or misidentification. I consent to the "
    "jurisdiction of the Federal District Court. Material was at https://platform.example/p/1\n/s/ Up Loader\n"
)


def _envelope(mail_from: str = "bounces@relay.example") -> dict[str, Any]:
    return {"mail_from": mail_from, "rcpt_tos": [AGENT], "peer": "127.0.0.1", "helo": "relay.example"}


def _failed_by_a_reader_bug(monkeypatch: pytest.MonkeyPatch, raw: bytes | None = None) -> str:
    """A message the inbox stored and could not read because of a bug in the reader (since fixed): `failed`."""
    stored = store(raw or notice_text().encode(), _envelope())

    def broken(*_args: object, **_kwargs: object) -> Any:
        raise RuntimeError("the reader tripped")

    monkeypatch.setattr(reading, "read", broken)
    assert sweep(get_settings()).failed == 1
    monkeypatch.undo()
    return stored


def _row(message_id: str) -> SourceMessage:
    with session_scope(write=False) as s:
        row = s.get(SourceMessage, message_id)
        assert row is not None
        s.expunge(row)
        return row


def _claims() -> int:
    with session_scope(write=False) as s:
        return len(s.scalars(select(Claim.id)).all())


def test_a_message_is_read_as_in_the_list_and_its_bytes_as_stored(client: TestClient, specialist: Actor, holder: Actor) -> None:
    raw = COUNTER_NOTICE.replace("\n", "\r\n").encode()
    stored = store(raw, _envelope())
    sweep(get_settings())
    one = client.get(f"{MESSAGES}/{stored}", headers=specialist.headers)
    assert one.status_code == 200, one.text
    listed = client.get(MESSAGES, headers=specialist.headers, params={"status": "failed"}).json()["items"]
    assert [one.json()] == listed
    assert one.json()["status"] == "failed" and "counter-notice" in one.json()["error"]
    original = client.get(f"{MESSAGES}/{stored}/raw", headers=specialist.headers)
    assert original.status_code == 200
    assert original.headers["content-type"].startswith("message/rfc822")
    assert original.headers["x-content-sha256"] == hashlib.sha256(raw).hexdigest() == one.json()["sha256"]
    assert original.content == raw
    for path in (f"{MESSAGES}/{stored}", f"{MESSAGES}/{stored}/raw"):
        assert client.get(path, headers=holder.headers).status_code == 403
        assert client.get(path).status_code == 401
    for path in (f"{MESSAGES}/nope", f"{MESSAGES}/nope/raw"):
        missing = client.get(path, headers=specialist.headers)
        assert missing.status_code == 404 and missing.headers["content-type"].startswith("application/problem+json")


def test_pasted_text_is_served_as_text(client: TestClient, specialist: Actor) -> None:
    made = client.post("/api/v1/notices", headers=specialist.headers, json={"text": "Please remove https://platform.example/p/9"})
    assert made.status_code == 201, made.text
    original = client.get(f"{MESSAGES}/{made.json()['source_message_id']}/raw", headers=specialist.headers)
    assert original.headers["content-type"] == "text/plain; charset=utf-8"
    assert original.text == "Please remove https://platform.example/p/9"


def test_a_failed_message_keeps_its_sender_and_subject(env: dict[str, str]) -> None:
    # Read, but not a claim (a counter-notice): the From address, not the relay's envelope sender.
    counter = store(COUNTER_NOTICE.encode(), _envelope())
    # Not readable at all (binary after the headers), with an encoded subject.
    unreadable = store(
        b"From: =?utf-8?q?Ren=C3=A9e?= <renee@studio.example>\r\nSubject: =?utf-8?q?Avis_de_retrait_=E2=80=93_photo?=\r\n"
        b"Message-ID: <x-1@studio.example>\r\n\r\n" + bytes(range(1, 32)) * 300,
        _envelope(),
    )
    # No From header: the envelope's sender is all there is.
    headless = store(b"\x01\x02\x03 not a message " * 200, _envelope("MAILER@Relay.example"))
    # Control characters and a NUL in the subject (PostgreSQL refuses NUL in text), a very long one.
    odd = store(b"From: x@y.example\r\nSubject: bad\x00 sub\x07ject " + b"z" * 5000 + b"\r\n\r\n\x00\x01" * 500, _envelope())
    assert sweep(get_settings()).failed == 4
    assert (subject := _row(odd).subject) is not None and subject.startswith("bad subject zz") and len(subject) == 998
    rows = {i: _row(i) for i in (counter, unreadable, headless)}
    assert all(r.status is SourceStatus.FAILED and r.error for r in rows.values())
    assert (rows[counter].sender, rows[counter].subject) == ("up@loader.example", "counter notification")
    assert (rows[unreadable].sender, rows[unreadable].subject) == ("renee@studio.example", "Avis de retrait – photo")
    assert rows[unreadable].message_id == "<x-1@studio.example>"
    assert (rows[headless].sender, rows[headless].subject) == ("mailer@relay.example", None)


def test_a_failed_message_is_tried_again_and_becomes_one_claim(
    client: TestClient, specialist: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    failed = _failed_by_a_reader_bug(monkeypatch)
    before = _row(failed)
    assert before.error == "RuntimeError: the reader tripped" and before.attempts == 1
    assert before.subject == "Notice of infringement" and before.sender == "dana.reyes@lumenphoto.example"
    retried = client.post(f"{MESSAGES}/{failed}/retry", headers=specialist.headers)
    assert retried.status_code == 200, retried.text
    body = retried.json()
    assert body["status"] == "parsed" and body["error"] is None and body["attempts"] == 2
    assert body == client.get(f"{MESSAGES}/{failed}", headers=specialist.headers).json()
    claim = client.get(f"/api/v1/claims/{body['claim_id']}", headers=specialist.headers).json()
    assert claim["source"] == "email" and claim["received_at"].startswith("2026-12-01T14:30:00")
    # Tried again: not failed any more, so 409, and still one claim.
    again = client.post(f"{MESSAGES}/{failed}/retry", headers=specialist.headers)
    assert again.status_code == 409 and again.headers["content-type"].startswith("application/problem+json")
    assert "parsed" in again.json()["detail"]
    assert _claims() == 1
    assert client.post(f"{MESSAGES}/nope/retry", headers=specialist.headers).status_code == 404


def test_a_retry_that_fails_again_answers_the_row_with_the_new_reason(client: TestClient, specialist: Actor, holder: Actor) -> None:
    stored = store(COUNTER_NOTICE.encode(), _envelope())
    sweep(get_settings())
    assert client.post(f"{MESSAGES}/{stored}/retry", headers=holder.headers).status_code == 403
    retried = client.post(f"{MESSAGES}/{stored}/retry", headers=specialist.headers)
    assert retried.status_code == 200, retried.text
    assert retried.json()["status"] == "failed" and "counter-notice" in retried.json()["error"]
    assert retried.json()["attempts"] == 2 and retried.json()["claim_id"] is None
    assert retried.json()["subject"] == "counter notification"
    assert _claims() == 0


def test_a_received_message_is_not_retried(client: TestClient, specialist: Actor) -> None:
    waiting = store(notice_text().encode(), _envelope())
    r = client.post(f"{MESSAGES}/{waiting}/retry", headers=specialist.headers)
    assert r.status_code == 409 and "received" in r.json()["detail"]
    assert _row(waiting).status is SourceStatus.RECEIVED


def test_two_retries_at_once_make_one_claim(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    failed = _failed_by_a_reader_bug(monkeypatch)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def retry() -> None:
        start.wait()
        try:
            with session_scope() as s:
                outcomes.append(service.retry(s, failed, get_settings()).status.value)
        except Conflict:
            outcomes.append("409")

    threads = [threading.Thread(target=retry) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(outcomes) == ["409", "parsed"]
    assert _claims() == 1


def test_cli_retry_tries_a_failed_message_again(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    failed = _failed_by_a_reader_bug(monkeypatch)
    assert main(["notices", "retry", failed]) == 0
    row = json.loads(capsys.readouterr().out)
    assert row["id"] == failed and row["status"] == "parsed" and row["claim_id"]
    assert main(["notices", "retry", failed]) == 1
    assert "parsed" in capsys.readouterr().err
    assert main(["notices", "retry", "nope"]) == 1
    assert capsys.readouterr().err.startswith("ipclaims notices retry: ")
    counter = store(COUNTER_NOTICE.encode(), _envelope())
    sweep(get_settings())
    assert main(["notices", "retry", counter]) == 1  # tried, failed again: the row, with its reason
    again = json.loads(capsys.readouterr().out)
    assert again["status"] == "failed" and again["attempts"] == 2
    assert _claims() == 1


@pytest.mark.parametrize(
    ("raw", "charset"),
    [
        ("Pasted notice from José".encode(), "utf-8"),
        ("Notice from José Müller".encode("cp1252"), "windows-1252"),
        ("Notice from José".encode("utf-16"), "utf-16"),
    ],
)
def test_stored_text_is_served_in_the_charset_it_was_read_in(raw: bytes, charset: str) -> None:
    row = SourceMessage(raw=raw, media_type="text/plain", sha256=hashlib.sha256(raw).hexdigest())
    response = source_response(row, "IPC-1")
    assert response.headers["content-type"] == f"text/plain; charset={charset}"
    assert response.body == raw
