"""The inbox's sweep and a staff retry read a stored message before their write transaction, never inside it: on
SQLite that transaction holds the one write turn every writer waits for (a 3.7 MB message of 100,000 tiny parts took
the email parser ~50 s there, while intake answered 500 after its 30 s busy timeout and the next SMTP message 451);
on PostgreSQL it holds the message's row lock. And a message of more parts than the reader takes is refused from a
scan of its bytes, before the email parser reads a part of it. On SQLite and on PostgreSQL."""

from __future__ import annotations

import sqlite3
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, make_url, text

from ipclaims import notices
from ipclaims.config import get_settings
from ipclaims.db import session_scope
from ipclaims.mailroom.ahead import Ahead
from ipclaims.mailroom.inbox import store, sweep
from ipclaims.mailroom.reading import RFC822, Source
from ipclaims.models import Claim, ClaimStatus, SourceMessage, SourceStatus
from ipclaims.notices import message as message_module
from tests.conftest import Actor
from tests.mailroom.helpers import notice_text

AGENT = "copyright-agent@platform.example"
SENDER = "dana.reyes@lumenphoto.example"


def _envelope() -> dict[str, Any]:
    return {"mail_from": SENDER, "rcpt_tos": [AGENT], "peer": "127.0.0.1", "helo": "mail.example"}


def _row(message_id: str) -> SourceMessage:
    with session_scope(write=False) as s:
        row = s.get(SourceMessage, message_id)
        assert row is not None
        s.expunge(row)
        return row


def _write_open(url: str) -> bool:
    """Whether a write transaction is open on the database, seen from a connection of its own: on SQLite the write
    lock (BEGIN IMMEDIATE with no wait fails), on PostgreSQL a transaction that has written (it has an xid)."""
    if url.startswith("sqlite"):
        con = sqlite3.connect(make_url(url).database or "", timeout=0, isolation_level=None)
        try:
            con.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:
            return True
        finally:
            con.close()  # rolls back
        return False
    engine = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=None)
    try:
        with engine.connect() as conn:
            writing = conn.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
                    "AND backend_xid IS NOT NULL"
                )
            )
    finally:
        engine.dispose()
    return bool(writing)


@pytest.fixture
def reads(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """`read_notice` (the reading, after the email parse) records whether a write transaction was open around it."""
    seen: list[bool] = []
    real = notices.read_notice

    def watched(*args: Any, **kwargs: Any) -> Any:
        seen.append(_write_open(env["IPCLAIMS_DATABASE_URL"]))
        return real(*args, **kwargs)

    monkeypatch.setattr(notices, "read_notice", watched)
    return seen


def test_the_sweep_reads_a_message_before_its_write(reads: list[bool]) -> None:
    stored = store(notice_text().encode(), _envelope())
    assert sweep(get_settings()).parsed == 1
    assert reads == [False]
    row = _row(stored)
    assert row.status is SourceStatus.PARSED and row.claim_id is not None and row.attempts == 1


def test_a_reply_is_read_before_the_sweeps_write(reads: list[bool]) -> None:
    incomplete = "\n".join(line for line in notice_text().split("\n") if not line.startswith(("I have a good faith", "I swear", "/s/")))
    store(incomplete.encode(), _envelope())
    assert sweep(get_settings()).parsed == 1
    with session_scope(write=False) as s:
        (claim,) = s.query(Claim).all()
        assert claim.status is ClaimStatus.NEEDS_INFO
        reference = claim.reference
    reply = (
        f"From: Dana Reyes <{SENDER}>\nTo: {AGENT}\nSubject: Re: {reference}\nMessage-ID: <reply-1@lumenphoto.example>\n\n"
        "I have a good faith belief that use of the material in the manner complained of is not authorized by the "
        "copyright owner, its agent, or the law.\n/s/ Dana Reyes\n"
    )
    replied = store(reply.encode(), _envelope())
    reads.clear()
    assert sweep(get_settings()).replies == 1
    assert reads == [False]
    assert _row(replied).status is SourceStatus.REPLY


def test_a_staff_retry_reads_the_message_before_its_write(reads: list[bool], client: TestClient, specialist: Actor) -> None:
    # Automatic mail is kept failed unread; a person's retry reads it as a notice.
    automatic = notice_text().replace("Subject:", "Auto-Submitted: auto-replied\nSubject:", 1)
    stored = store(automatic.encode(), _envelope())
    assert sweep(get_settings()).failed == 1
    assert reads == []
    retried = client.post(f"/api/v1/notices/messages/{stored}/retry", headers=specialist.headers)
    assert retried.status_code == 200, retried.text
    assert retried.json()["status"] == "parsed" and retried.json()["attempts"] == 2
    assert reads == [False]


def _many_parts(n: int) -> bytes:
    head = (
        f"From: Dana Reyes <{SENDER}>\r\nTo: {AGENT}\r\nSubject: Notice\r\nMessage-ID: <parts-{n}@mail.example>\r\n"
        "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
    )
    return (head + "--b\r\n\r\n" * n + "--b--\r\n").encode()


def test_a_message_of_too_many_parts_is_kept_failed_without_being_parsed(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[int] = []

    def parser(raw: bytes) -> Any:
        parsed.append(len(raw))
        raise AssertionError("the email parser read a message of 20,000 parts")

    monkeypatch.setattr(message_module, "_parse_email", parser)
    stored = store(_many_parts(20_000), _envelope())
    started = time.monotonic()
    assert sweep(get_settings()).failed == 1
    assert time.monotonic() - started < 5
    assert parsed == []
    row = _row(stored)
    assert row.status is SourceStatus.FAILED and row.claim_id is None
    assert row.error == "the notice cannot be read: the message nests too deeply or has too many parts"
    assert row.subject == "Notice" and row.sender == SENDER


def test_a_message_another_sweep_took_while_it_was_read_makes_one_claim(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Between its reading and its write the row may be taken (a second inbox, a staff retry): the write's
    conditional update finds it taken and leaves it to the one that took it."""
    stored = store(notice_text().encode(), _envelope())
    real = notices.read_notice
    inner: list[Any] = []

    def meanwhile(*args: Any, **kwargs: Any) -> Any:
        if not inner:
            inner.append(None)
            inner[0] = sweep(get_settings())  # the other sweep reads it and makes its claim, while this one reads
        return real(*args, **kwargs)

    monkeypatch.setattr(notices, "read_notice", meanwhile)
    outer = sweep(get_settings())
    assert inner[0].parsed == 1 and outer.parsed == 0 and outer.waiting == 0
    row = _row(stored)
    assert row.status is SourceStatus.PARSED and row.attempts == 1
    with session_scope(write=False) as s:
        assert s.query(Claim).count() == 1


def test_what_was_read_ahead_is_used_only_for_the_same_reading(env: dict[str, str], reads: list[bool]) -> None:
    source = Source(notice_text().encode(), RFC822)
    read = Ahead(source).read_now()
    assert len(reads) == 1
    assert read.read(source) is read.outcome and len(reads) == 1  # as read ahead
    assert read.read(source, regime="EU_DSA").reading.regime == "EU_DSA" and len(reads) == 2  # asked for another: read again
    unread = Ahead(source, needed=False).read_now()
    assert unread.outcome is None and len(reads) == 2
