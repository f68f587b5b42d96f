"""`ipclaims inbox` end to end: a real `smtplib` client against the running SMTP server on a free port."""

from __future__ import annotations

import json
import smtplib
import socket
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from ipclaims.cli import main
from ipclaims.config import get_settings
from ipclaims.db import session_scope
from ipclaims.mailroom import inbox as inbox_module
from ipclaims.mailroom import reading
from ipclaims.mailroom.inbox import Inbox, store, sweep
from ipclaims.models import Account, Claim, SourceMessage, SourceStatus
from tests.conftest import Actor
from tests.mailroom.helpers import fixture, notice_text
from tests.mailroom.smtp import wait_for

AGENT = "copyright-agent@platform.example"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def running(env: dict[str, str], set_env: Callable[..., None]) -> Iterator[tuple[Inbox, int]]:
    set_env(IPCLAIMS_INBOX_ADDRESSES=f"{AGENT}, dmca@platform.example", IPCLAIMS_MAX_NOTICE_BYTES="60000")
    port = _free_port()
    server = Inbox(get_settings(), "127.0.0.1", port, interval=0.2)
    server.start()
    yield server, port
    server.stop()


def _rows() -> list[SourceMessage]:
    with session_scope(write=False) as s:
        rows = list(s.scalars(select(SourceMessage).order_by(SourceMessage.created_at)))
        s.expunge_all()
        return rows


def test_a_message_is_stored_then_becomes_a_claim(running: tuple[Inbox, int]) -> None:
    _, port = running
    raw = fixture("complete.eml").replace(b"\n", b"\r\n")  # on the wire, as a relay sends it
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
        smtp.ehlo()
        assert smtp.has_extn("size") and int(smtp.esmtp_features["size"]) == 60000
        refused = smtp.sendmail("dana.reyes@lumenphoto.example", [AGENT], raw)
    assert refused == {}
    wait_for(lambda: any(r.status is SourceStatus.PARSED for r in _rows()))
    (row,) = _rows()
    assert row.raw == raw and row.channel == "smtp"
    assert row.envelope is not None and row.envelope["rcpt_tos"] == [AGENT]
    assert row.envelope["mail_from"] == "dana.reyes@lumenphoto.example"
    with session_scope(write=False) as s:
        claim = s.get(Claim, row.claim_id)
        assert claim is not None and str(claim.source) == "email"
        assert claim.received_at.isoformat().startswith("2026-12-01T14:30:00")


def _support_desk_forward() -> str:
    """Dana Reyes's notice as the platform's support desk forwards it inline from Gmail (LF line ends)."""
    notice = notice_text().split("\n\n", 1)[1]
    return (
        "From: Platform Support <support@platform.example>\n"
        f"To: {AGENT}\n"
        "Subject: Fwd: Notice of infringement\n"
        "Date: Tue, 01 Dec 2026 10:00:00 -0500\n"
        "Message-ID: <fwd-1@platform.example>\n"
        "\n"
        "Forwarding this to the agent.\n"
        "\n"
        "---------- Forwarded message ---------\n"
        "From: Dana Reyes <dana.reyes@lumenphoto.example>\n"
        "Date: Mon, Nov 30, 2026 at 2:15\u202fPM\n"
        "Subject: Notice of infringement\n"
        "To: <support@platform.example>\n"
        "\n"
        f"{notice}"
    )


@pytest.mark.parametrize("wire", ["smtp-crlf", "stored-lf"])
def test_a_forwarded_notice_belongs_to_its_original_sender_and_is_dated_by_it(running: tuple[Inbox, int], wire: str) -> None:
    _, port = running
    if wire == "smtp-crlf":
        raw = _support_desk_forward().replace("\n", "\r\n").encode()  # on the wire, as a relay sends it (8-bit: U+202F)
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
            assert smtp.sendmail("support@platform.example", [AGENT], raw) == {}
    else:
        store(_support_desk_forward().encode(), {"mail_from": "support@platform.example", "rcpt_tos": [AGENT], "peer": None, "helo": None})
    wait_for(lambda: any(r.status is SourceStatus.PARSED for r in _rows()))
    (row,) = _rows()
    assert (b"\r\n" in row.raw) == (wire == "smtp-crlf")
    with session_scope(write=False) as s:
        claim = s.get(Claim, row.claim_id)
        assert claim is not None
        owner = s.get(Account, claim.owner_id)
        assert owner is not None and owner.email == "dana.reyes@lumenphoto.example"  # not the support desk
        # Gmail prints the original's date in the forwarder's zone (-0500, from the forward's own Date).
        assert claim.received_at.astimezone(UTC) == datetime(2026, 11, 30, 19, 15, tzinfo=UTC)


def test_oversize_and_wrong_recipients_are_refused_and_nothing_stored(running: tuple[Inbox, int]) -> None:
    _, port = running
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
        with pytest.raises(smtplib.SMTPRecipientsRefused) as wrong:
            smtp.sendmail("someone@else.example", ["postmaster@platform.example"], notice_text())
        assert wrong.value.recipients["postmaster@platform.example"][0] == 550
        big = notice_text() + "\n" + ("x" * 70 + "\n") * 1_000
        # The client declares the size (SIZE=): refused at MAIL FROM.
        with pytest.raises(smtplib.SMTPSenderRefused) as declared:
            smtp.sendmail("someone@else.example", [AGENT], big)
        assert declared.value.smtp_code == 552
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
        # No SIZE declared: refused after DATA.
        smtp.ehlo()
        smtp.esmtp_features.pop("size", None)
        with pytest.raises(smtplib.SMTPDataError) as undeclared:
            smtp.sendmail("someone@else.example", [AGENT], big)
        assert undeclared.value.smtp_code == 552
    assert _rows() == []


def test_a_message_that_cannot_be_a_claim_stays_visible_with_its_error(running: tuple[Inbox, int]) -> None:
    _, port = running
    counter_notice = (
        "From: Uploader <up@loader.example>\nSubject: counter notification\n\n"
        "This is a counter-notification under 17 U.S.C. 512(g). I swear under penalty of perjury that I have a good "
        "faith belief the material was removed as a result of mistake or misidentification. I consent to the "
        "jurisdiction of the Federal District Court. Material was at https://platform.example/p/1\n/s/ Up Loader\n"
    )
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
        smtp.sendmail("up@loader.example", [AGENT], counter_notice)
    wait_for(lambda: any(r.status is SourceStatus.FAILED for r in _rows()))
    (row,) = _rows()
    assert row.claim_id is None and row.error and "counter-notice" in row.error


def test_a_crash_between_storing_and_reading_loses_nothing_and_makes_one_claim(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = notice_text().encode()
    stored = store(raw, {"mail_from": "dana.reyes@lumenphoto.example", "rcpt_tos": [AGENT], "peer": None, "helo": None})

    def crash(*_args: object, **_kwargs: object) -> bytes:
        raise KeyboardInterrupt  # the process dies mid-read: nothing the sweep catches

    monkeypatch.setattr(inbox_module.service, "create", crash)
    with pytest.raises(KeyboardInterrupt):
        sweep(get_settings())
    monkeypatch.undo()
    (row,) = _rows()
    assert row.id == stored and row.status is SourceStatus.RECEIVED  # rolled back: still waiting
    first, second = sweep(get_settings()), sweep(get_settings())
    assert (first.parsed, second.parsed) == (1, 0)
    # The relay never saw our 250 and sends the same message again: it is the stored one, not a second claim.
    assert store(raw, {"mail_from": "dana.reyes@lumenphoto.example", "rcpt_tos": [AGENT], "peer": None, "helo": None}) == stored
    assert sweep(get_settings()).parsed == 0
    with session_scope(write=False) as s:
        assert len(s.scalars(select(Claim)).all()) == 1


def test_a_failed_message_is_read_and_tried_again_by_staff(
    running: tuple[Inbox, int], client: TestClient, specialist: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, port = running

    def broken(*_args: object, **_kwargs: object) -> Any:
        raise RuntimeError("the reader tripped")

    monkeypatch.setattr(reading, "read", broken)  # a bug in the reader, fixed after the message came
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
        smtp.sendmail("bounces+dana@relay.example", [AGENT], notice_text())
    wait_for(lambda: any(r.status is SourceStatus.FAILED for r in _rows()))
    monkeypatch.undo()
    (row,) = _rows()
    listed = client.get("/api/v1/notices/messages", headers=specialist.headers, params={"status": "failed"}).json()["items"]
    assert [m["id"] for m in listed] == [row.id]
    # The sender the message names, not the relay's envelope; its subject, though it was never read.
    assert (listed[0]["sender"], listed[0]["subject"]) == ("dana.reyes@lumenphoto.example", "Notice of infringement")
    assert listed[0]["error"] == "RuntimeError: the reader tripped"
    one = client.get(f"/api/v1/notices/messages/{row.id}", headers=specialist.headers)
    assert one.json() == listed[0]
    raw = client.get(f"/api/v1/notices/messages/{row.id}/raw", headers=specialist.headers)
    assert raw.content == row.raw and raw.headers["content-type"].startswith("message/rfc822")
    retried = client.post(f"/api/v1/notices/messages/{row.id}/retry", headers=specialist.headers)
    assert retried.status_code == 200, retried.text
    assert retried.json()["status"] == "parsed" and retried.json()["claim_id"]
    assert client.post(f"/api/v1/notices/messages/{row.id}/retry", headers=specialist.headers).status_code == 409
    time.sleep(0.5)  # the inbox's sweeper has had its turns: it does not read the row again
    with session_scope(write=False) as s:
        assert [c.id for c in s.scalars(select(Claim))] == [retried.json()["claim_id"]]


def test_the_same_bytes_by_smtp_and_by_import_are_one_claim(
    running: tuple[Inbox, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, port = running
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
        smtp.sendmail("dana.reyes@lumenphoto.example", [AGENT], notice_text())
    wait_for(lambda: any(r.status is SourceStatus.PARSED for r in _rows()))
    (row,) = _rows()
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:  # the relay sends it again
        smtp.ehlo()
        smtp.mail("dana.reyes@lumenphoto.example")
        smtp.rcpt(AGENT)
        code, reply = smtp.data(notice_text())
    assert (code, reply.decode()) == (250, f"2.0.0 OK: queued as {row.id}")
    saved = tmp_path / "from the mailbox.eml"
    saved.write_bytes(row.raw)  # the same message, saved from the agent's mail client
    assert main(["notices", "import", str(saved), "--json"]) == 0
    line = json.loads(capsys.readouterr().out)
    with session_scope(write=False) as s:
        claim = s.scalars(select(Claim)).one()
    assert line["status"] == "duplicate" and line["id"] == claim.id == row.claim_id and line["reference"] == claim.reference
    assert len(_rows()) == 1
