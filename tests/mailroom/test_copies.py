"""One message, one claim, whatever its bytes: a copy with the same Message-ID and sender as a stored message that
became a claim (relayed twice with other `Received:` lines, exported twice) is that claim (docs/contract-additions.md
"Duplicates"). End to end over SMTP, and across the inbox and `ipclaims notices import`."""

from __future__ import annotations

import json
import smtplib
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from ipclaims.cli import main
from ipclaims.config import get_settings
from ipclaims.db import session_scope
from ipclaims.mailroom.inbox import store, sweep
from ipclaims.models import SourceMessage, SourceStatus, utcnow
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


def _without_message_id(raw: str) -> str:
    return "\n".join(line for line in raw.split("\n") if not line.startswith("Message-ID"))


@pytest.mark.parametrize(
    ("first", "second"),
    [
        pytest.param(notice_text(SENDER), notice_text(SENDER).replace("Message-ID: <", "Message-ID: <other-"), id="another Message-ID"),
        pytest.param(notice_text(SENDER), notice_text(SENDER).replace(SENDER, "lee@lumenphoto.example"), id="another sender"),
        pytest.param(_without_message_id(notice_text(SENDER)), _without_message_id(notice_text(SENDER)), id="no Message-ID"),
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
