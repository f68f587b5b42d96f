"""One message, one claim, whatever its bytes: a copy with the same Message-ID, sender and text as a stored message
that became a claim (relayed twice with other `Received:` lines, exported twice) is that claim; another notice that a
sender's tools sent under a Message-ID they used before is a claim of its own (docs/contract-additions.md
"Duplicates"). End to end over SMTP, and across the inbox and `ipclaims notices import`."""

from __future__ import annotations

import json
import smtplib
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from ipclaims.cli import main
from ipclaims.config import get_settings
from ipclaims.db import session_scope
from ipclaims.mailroom.inbox import store, sweep
from ipclaims.models import Claim, SourceMessage, SourceStatus, utcnow
from tests.mailroom.helpers import notice_text
from tests.mailroom.smtp import AGENT, claims, inbox, rows, wait_for

SENDER = "dana.reyes@lumenphoto.example"


def _relayed(raw: str, hop: str) -> str:
    return f"Received: from {hop} by mx.platform.example; Tue, 01 Dec 2026 14:31:00 +0000\n{raw}"


def _envelope(sender: str = SENDER) -> dict[str, Any]:
    return {"mail_from": sender, "rcpt_tos": [AGENT], "peer": None, "helo": None}


def test_a_message_relayed_twice_is_one_claim_over_smtp(env: dict[str, str], set_env: Callable[..., None]) -> None:
    set_env(IPCLAIMS_INBOX_ADDRESSES=AGENT)
    with inbox() as port:
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
            assert smtp.sendmail(SENDER, [AGENT], _relayed(notice_text(SENDER), "relay-a.example")) == {}
        wait_for(lambda: any(r.status is SourceStatus.PARSED for r in rows()))
        (first,) = rows()
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:  # the second relay delivers its own copy
            smtp.ehlo()
            smtp.mail(SENDER)
            smtp.rcpt(AGENT)
            code, reply = smtp.data(_relayed(notice_text(SENDER), "relay-b.example"))
    assert (code, reply.decode()) == (250, f"2.0.0 OK: queued as {first.id}")  # as the same bytes are answered
    assert len(rows()) == 1 and len(claims()) == 1


def test_a_copy_arriving_before_the_first_was_read_is_the_same_message(env: dict[str, str]) -> None:
    first = store(_relayed(notice_text(SENDER), "relay-a.example").encode(), _envelope())
    assert store(_relayed(notice_text(SENDER), "relay-b.example").encode(), _envelope()) == first
    assert sweep(get_settings()).parsed == 1 and len(claims()) == 1


def _another_notice(raw: str) -> str:
    """The next notice a sender's ticketing system sends under the Message-ID it used before: another URL."""
    assert "/posts/1001" in raw
    return raw.replace("/posts/1001", "/posts/2002")


def _without_message_id(raw: str) -> str:
    return "\n".join(line for line in raw.split("\n") if not line.startswith("Message-ID"))


@pytest.mark.parametrize(
    ("first", "second"),
    [
        pytest.param(notice_text(SENDER), notice_text(SENDER).replace("Message-ID: <", "Message-ID: <other-"), id="another Message-ID"),
        pytest.param(notice_text(SENDER), notice_text(SENDER).replace(SENDER, "lee@lumenphoto.example"), id="another sender"),
        pytest.param(_without_message_id(notice_text(SENDER)), _without_message_id(notice_text(SENDER)), id="no Message-ID"),
        pytest.param(notice_text(SENDER), _another_notice(notice_text(SENDER)), id="another notice under the same Message-ID"),
    ],
)
def test_another_message_is_another_claim(env: dict[str, str], first: str, second: str) -> None:
    store(_relayed(first, "relay-a.example").encode(), _envelope())
    store(_relayed(second, "relay-b.example").encode(), _envelope())
    assert sweep(get_settings()).parsed == 2 and len(claims()) == 2


def test_a_copy_is_the_same_message_only_within_the_window(env: dict[str, str]) -> None:
    store(_relayed(notice_text(SENDER), "relay-a.example").encode(), _envelope())
    sweep(get_settings())
    with session_scope() as s:
        s.execute(update(SourceMessage).values(created_at=utcnow() - timedelta(days=8)))
    store(_relayed(notice_text(SENDER), "relay-b.example").encode(), _envelope())
    assert sweep(get_settings()).parsed == 1 and len(claims()) == 2


def test_the_inbox_and_import_each_find_the_others_copy(env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The inbox stored the relayed message but has not read it yet when the same mail, exported from the agent's
    # mail client, is imported: the import makes the claim, and the sweep then finds the stored copy its duplicate.
    waiting = store(_relayed(notice_text(SENDER), "relay-a.example").encode(), _envelope())
    exported = tmp_path / "from the client.eml"
    exported.write_text("X-Mailer-Export: 1\n" + notice_text(SENDER))
    assert main(["notices", "import", str(exported), "--json"]) == 0
    made = json.loads(capsys.readouterr().out)
    assert made["status"] == "in_review"
    swept = sweep(get_settings())
    assert (swept.parsed, swept.duplicates) == (0, 1)
    copy = next(r for r in rows() if r.id == waiting)
    imported = next(r for r in rows() if r.channel == "file")
    assert (copy.status, copy.claim_id, copy.reading) == (SourceStatus.DUPLICATE, made["id"], {"copy_of": imported.id})
    # And imported once more, relayed differently: a duplicate of that claim, reported as such.
    again = tmp_path / "again.eml"
    again.write_text(_relayed(notice_text(SENDER), "relay-c.example"))
    assert main(["notices", "import", str(again), "--json"]) == 0
    line = json.loads(capsys.readouterr().out)
    assert (line["status"], line["id"]) == ("duplicate", made["id"])
    assert len(claims()) == 1


def test_another_notice_under_a_reused_message_id_is_its_own_claim_over_smtp(env: dict[str, str], set_env: Callable[..., None]) -> None:
    # Some senders' tools (ticketing systems, a hand-edited resend) reuse a Message-ID for their next notice: the same
    # Message-ID and sender, another notice. Taken for a relay's copy, it was answered as the first and never read.
    set_env(IPCLAIMS_INBOX_ADDRESSES=AGENT)
    with inbox() as port:
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
            assert smtp.sendmail(SENDER, [AGENT], notice_text(SENDER)) == {}
        wait_for(lambda: any(r.status is SourceStatus.PARSED for r in rows()))
        (first,) = rows()
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
            smtp.ehlo()
            smtp.mail(SENDER)
            smtp.rcpt(AGENT)
            code, reply = smtp.data(_another_notice(notice_text(SENDER)))
        assert code == 250 and first.id not in reply.decode()
        wait_for(lambda: len(claims()) == 2)
    assert [r.status for r in rows()] == [SourceStatus.PARSED, SourceStatus.PARSED]
    assert {r.message_id for r in rows()} == {first.message_id}
    assert {c.items[0].url for c in _claims_with_items()} == {
        "https://platform.example/u/copycat/posts/1001",
        "https://platform.example/u/copycat/posts/2002",
    }


def _claims_with_items() -> list[Claim]:
    with session_scope(write=False) as s:
        found = list(s.scalars(select(Claim).options(selectinload(Claim.items))))
        s.expunge_all()
        return found


@pytest.mark.parametrize(
    "resent",
    [
        pytest.param(lambda raw: raw.replace("\n", "\r\n"), id="CRLF line ends"),
        pytest.param(lambda raw: raw.replace("\n", "  \n") + "\n\n", id="spaces at line ends, empty lines at the end"),
        pytest.param(lambda raw: raw.replace("Subject:", "X-Spam-Score: 0.1\nSubject:"), id="a header added inside"),
    ],
)
def test_a_true_resend_whose_bytes_differ_is_one_claim(env: dict[str, str], resent: Callable[[str], str]) -> None:
    # What a relay (or a mail client's export) may do to a message without changing it: its trace and headers, line
    # ends, whitespace at line ends (DKIM's relaxed body canonicalization ignores the same, RFC 6376 § 3.4.4).
    store(_relayed(notice_text(SENDER), "relay-a.example").encode(), _envelope())
    assert sweep(get_settings()).parsed == 1
    store(_relayed(resent(notice_text(SENDER)), "relay-b.example").encode(), _envelope())
    swept = sweep(get_settings())
    assert (swept.parsed, len(claims())) == (0, 1)


def test_another_notice_under_a_reused_message_id_is_imported_as_a_claim(
    env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store(_relayed(notice_text(SENDER), "relay-a.example").encode(), _envelope())
    assert sweep(get_settings()).parsed == 1
    same = tmp_path / "same.eml"
    same.write_text("X-Mailer-Export: 1\n" + notice_text(SENDER))
    other = tmp_path / "other.eml"
    other.write_text(_another_notice(notice_text(SENDER)))
    assert main(["notices", "import", str(same), str(other), "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["status"] for line in lines] == ["duplicate", "in_review"]
    assert len(claims()) == 2


def test_a_reused_message_id_is_checked_against_its_newest_messages_only(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    # A sender reusing one Message-ID for every notice: each store hashed every stored one (before the 250, under the
    # writer lock), quadratic. Only the newest `COPY_CANDIDATES` are looked at.
    from ipclaims.mailroom import arrival

    def message(n: int) -> bytes:
        text = notice_text("dana@lumenphoto.example", f"https://platform.example/u/copycat/posts/{n}")
        head, rest = text.split("Message-ID: ", 1)
        return (head + "Message-ID: <same@lumenphoto.example>\n" + rest.split("\n", 1)[1]).encode()

    envelope = {"mail_from": "dana@lumenphoto.example", "rcpt_tos": [AGENT], "peer": None, "helo": None}
    for n in range(30):
        store(message(n), envelope)
        sweep(get_settings())
    assert len(claims()) == 30
    hashed = []
    original = arrival.content_of
    monkeypatch.setattr(arrival, "content_of", lambda raw: hashed.append(1) or original(raw))
    newest = store(message(30), envelope)
    assert len(hashed) <= arrival.COPY_CANDIDATES + 1
    sweep(get_settings())
    assert len(claims()) == 31
    resent = store(b"Received: from relay.example\n" + message(30), envelope)  # a true resend of the newest, relayed
    assert sweep(get_settings()).parsed == 0 and len(claims()) == 31
    assert resent == newest  # the stored message it is a copy of (`store_received`)
