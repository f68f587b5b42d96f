"""A forward of a notice that made a claim is that claim (docs/contract-additions.md "Duplicates"): the agent's
mailbox gets the notice and a colleague forwards it too, attached or inline, in either order. Before, the forward
made a second claim and a second acknowledgment went to the sender (found by a probe). The forward is stored all the
same, marked `duplicate` with the claim; a forward of another notice, or of one never claimed, is a notice of its
own."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable
from datetime import timedelta
from email.parser import BytesHeaderParser
from email.utils import parseaddr
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from ipclaims.cli import main
from ipclaims.config import get_settings
from ipclaims.db import session_scope
from ipclaims.mailroom import reading, service
from ipclaims.mailroom.cli import import_file
from ipclaims.mailroom.inbox import store, sweep
from ipclaims.models import SourceMessage, SourceStatus, utcnow
from tests.mailroom.forwards import attached, body, inline, notice
from tests.mailroom.smtp import AGENT, claims, outbox, rows

FORWARDS: dict[str, Callable[[], bytes]] = {
    "attached": lambda: attached(notice()),
    "inline": lambda: inline(),
    "inline, the date shown in another zone": lambda: inline(shown_date="Tue, Dec 1, 2026 at 9:30 AM"),
    "attached, the notice a plain message": lambda: attached(notice(multipart=False)),
}


def _arrives(raw: bytes) -> str:
    sender = parseaddr(str(BytesHeaderParser().parsebytes(raw)["From"]))[1]
    return store(raw, {"mail_from": sender, "rcpt_tos": [AGENT], "peer": None, "helo": None})


def _row(row_id: str) -> Any:
    return next(r for r in rows() if r.id == row_id)


@pytest.mark.parametrize("forward", FORWARDS.values(), ids=FORWARDS.keys())
def test_a_forward_of_a_claimed_notice_is_that_claim(env: dict[str, str], forward: Callable[[], bytes]) -> None:
    first = _arrives(notice() if forward is not FORWARDS["attached, the notice a plain message"] else notice(multipart=False))
    assert sweep(get_settings()).parsed == 1
    (claim,) = claims()
    letters = len(outbox())
    copy = _arrives(forward())
    swept = sweep(get_settings())
    assert (swept.parsed, swept.duplicates) == (0, 1)
    kept = _row(copy)
    assert (kept.status, kept.claim_id, kept.reading) == (SourceStatus.DUPLICATE, claim.id, {"copy_of": first})
    assert len(claims()) == 1 and len(outbox()) == letters  # no second acknowledgment
    assert len(rows()) == 2  # the forward is kept, with the colleague's own words


@pytest.mark.parametrize("forward", [FORWARDS["attached"], FORWARDS["inline"]], ids=["attached", "inline"])
def test_the_notice_arriving_after_its_forward_is_the_forwards_claim(env: dict[str, str], forward: Callable[[], bytes]) -> None:
    first = _arrives(forward())
    assert sweep(get_settings()).parsed == 1
    (claim,) = claims()
    direct = _arrives(notice())
    assert sweep(get_settings()).duplicates == 1
    assert (_row(direct).status, _row(direct).claim_id, _row(direct).reading) == (SourceStatus.DUPLICATE, claim.id, {"copy_of": first})
    assert len(claims()) == 1


def test_two_colleagues_forwarding_one_notice_make_one_claim(env: dict[str, str]) -> None:
    _arrives(attached(notice(), by="sam@trust.example"))
    _arrives(inline(by="lee@platform.example"))
    _arrives(attached(notice(), by="kim@trust.example", note="Did anyone take this one?"))
    swept = sweep(get_settings())
    assert (swept.parsed, swept.duplicates) == (1, 2)
    assert len(claims()) == 1


OTHER_URL = "https://platform.example/u/copycat/posts/2002"
OTHERS: dict[str, Callable[[], bytes]] = {
    "attached, another Message-ID": lambda: attached(notice(message_id="<notice-2@lumenphoto.example>")),
    "attached, another sender": lambda: attached(notice(sender="lee@lumenphoto.example", text=body())),
    "attached, other text under the same Message-ID": lambda: attached(notice(text=body(OTHER_URL))),
    "attached, the notice without a Message-ID": lambda: attached(notice(message_id=None)),
    "inline, sent a day later": lambda: inline(shown_date="Wed, Dec 2, 2026 at 2:30 PM"),
    "inline, sent 40 minutes later": lambda: inline(shown_date="Tue, Dec 1, 2026 at 3:10 PM"),
    "inline, other text": lambda: inline(text=body(OTHER_URL)),
    "inline, another sender": lambda: inline(sender="lee@lumenphoto.example", text=body()),
}


@pytest.mark.parametrize("other", OTHERS.values(), ids=OTHERS.keys())
def test_a_forward_of_another_notice_is_a_claim_of_its_own(env: dict[str, str], other: Callable[[], bytes]) -> None:
    _arrives(notice())
    assert sweep(get_settings()).parsed == 1
    _arrives(other())
    assert sweep(get_settings()).parsed == 1
    assert len(claims()) == 2


def test_a_forward_of_a_notice_never_claimed_is_a_new_notice(env: dict[str, str]) -> None:
    _arrives(notice(message_id="<notice-2@lumenphoto.example>", text=body(OTHER_URL)))
    _arrives(notice())
    sweep(get_settings())
    with_failed = _arrives(attached(notice(message_id="<notice-3@lumenphoto.example>", text=body("https://platform.example/p/3"))))
    assert sweep(get_settings()).parsed == 1 and _row(with_failed).status is SourceStatus.PARSED
    assert len(claims()) == 3


def test_import_reports_a_forward_of_a_claimed_notice_as_its_duplicate(
    env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _arrives(notice())
    sweep(get_settings())
    (claim,) = claims()
    for name, raw in (("attached.eml", attached(notice())), ("inline.eml", inline())):
        (tmp_path / name).write_bytes(raw)
    assert main(["notices", "import", str(tmp_path / "attached.eml"), str(tmp_path / "inline.eml"), "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(line["status"], line["id"], line["source_message_id"]) for line in lines] == [("duplicate", claim.id, first)] * 2
    assert len(claims()) == 1 and len(rows()) == 1


def test_the_inbox_finds_the_claim_an_imported_forward_made(
    env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "fw.eml").write_bytes(attached(notice()))
    assert main(["notices", "import", str(tmp_path / "fw.eml"), "--json"]) == 0
    made = json.loads(capsys.readouterr().out)
    direct = _arrives(notice())
    assert sweep(get_settings()).duplicates == 1
    assert _row(direct).claim_id == made["id"] and len(claims()) == 1
    # and the notice imported after its forward is the same claim
    (tmp_path / "notice.eml").write_bytes(notice())
    assert main(["notices", "import", str(tmp_path / "notice.eml"), "--json"]) == 0
    assert (line := json.loads(capsys.readouterr().out))["status"] == "duplicate" and line["id"] == made["id"]


def test_a_forward_is_the_claim_only_within_the_window(env: dict[str, str]) -> None:
    _arrives(notice())
    sweep(get_settings())
    with session_scope() as s:
        s.execute(update(SourceMessage).values(created_at=utcnow() - timedelta(days=8)))
    _arrives(attached(notice()))
    assert sweep(get_settings()).parsed == 1 and len(claims()) == 2


def test_a_notice_and_its_forward_imported_at_once_make_one_claim(
    env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Other bytes, so the lock on the bytes' digest does not order them: the one on the notice's key does (PostgreSQL).
    # Each waits, once it has read its file, for the other to have read its own (SQLite's writers take turns: there
    # the first waits in vain, a moment).
    files = [tmp_path / "notice.eml", tmp_path / "fw.eml"]
    files[0].write_bytes(notice())
    files[1].write_bytes(attached(notice()))
    start, both_read, read = threading.Barrier(2), threading.Barrier(2, timeout=3), reading.read

    def read_then_wait(*args: Any, **kwargs: Any) -> reading.Read:
        done = read(*args, **kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):
            both_read.wait()
        return done

    monkeypatch.setattr(reading, "read", read_then_wait)
    with session_scope() as s:
        service.mailbox_account(s)  # made once before: its first insert would order the two imports by itself
    results: list[dict[str, Any]] = []

    def run(path: Path) -> None:
        start.wait()
        results.append(import_file(path, None))

    threads = [threading.Thread(target=run, args=(f,)) for f in files]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(r["status"] == "duplicate" for r in results) == [False, True], results
    assert len({r["id"] for r in results}) == 1 and len(claims()) == 1


# A reviewer's findings: an inline forward's shown time was taken for the notice's when off by any whole number of
# quarter hours up to 14 hours, and a follow-up was taken for a forward, so a real notice became a duplicate.
SENDER_ADDR = "dana.reyes@lumenphoto.example"
FOLLOW_UP_NOTE = (
    "Following up: the photo below is still up, and it has been reposted at https://platform.example/u/copycat/posts/2002 .\n"
    "I have a good faith belief this use is not authorized. Please remove both.\n"
)
NOT_THE_NOTICE: dict[str, Callable[[], bytes]] = {
    # the same sender's notice sent again at 11:30 -0500, reaching the agent only as a colleague's forward
    "inline, sent two hours later": lambda: inline(shown_date="Tue, Dec 1, 2026 at 4:30 PM"),
    "inline, sent 13 h 45 min later": lambda: inline(shown_date="Wed, Dec 2, 2026 at 4:15 AM"),
    "the holder's follow-up, the first notice inline below": lambda: (
        f"From: Dana Reyes <{SENDER_ADDR}>\nTo: {AGENT}\nSubject: Fwd: Notice of infringement - still up, and reposted\n"
        "Date: Thu, 03 Dec 2026 10:00:00 -0500\nMessage-ID: <followup-1@lumenphoto.example>\n"
        "Content-Type: text/plain; charset=utf-8\n\n"
        f"{FOLLOW_UP_NOTE}\n"
        "---------- Forwarded message ---------\n"
        f"From: Dana Reyes <{SENDER_ADDR}>\nDate: Tue, Dec 1, 2026 at 9:30 AM\nSubject: Notice of infringement\n"
        f"To: <{AGENT}>\n\n{body()}"
    ).encode(),
    "the holder's follow-up, the first notice attached": lambda: attached(notice(), by=SENDER_ADDR, note=FOLLOW_UP_NOTE),
    "a colleague's inline forward under a statement of its own": lambda: inline(by="lee@platform.example").replace(
        b"FYI, see below.", FOLLOW_UP_NOTE.encode()
    ),
}


@pytest.mark.parametrize("message", NOT_THE_NOTICE.values(), ids=NOT_THE_NOTICE.keys())
def test_a_later_notice_or_follow_up_is_not_the_claimed_notice(env: dict[str, str], message: Callable[[], bytes]) -> None:
    _arrives(notice())  # 09:30 -0500
    assert sweep(get_settings()).parsed == 1
    later = _arrives(message())
    swept = sweep(get_settings())
    assert (swept.parsed, swept.duplicates) == (1, 0) and len(claims()) == 2
    assert _row(later).status != SourceStatus.DUPLICATE


def test_a_forward_printed_in_the_forwarders_own_zone_is_still_the_claim(env: dict[str, str]) -> None:
    # the forward's Date is -0800: the colleague's client printed 14:30 UTC as 6:30 AM
    fw = inline(shown_date="Tue, Dec 1, 2026 at 6:30 AM").replace(b"10:00:00 +0000", b"10:00:00 -0800")
    _arrives(notice())
    sweep(get_settings())
    _arrives(fw)
    assert sweep(get_settings()).duplicates == 1 and len(claims()) == 1


def test_the_claim_is_looked_for_among_a_bounded_number_of_stored_messages(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    # Each stored message of the notice's key is read again (attachments too): 30 inline forwards of one notice text,
    # each shown at another time (a claim of its own), made the 31st read all 30. Now only the newest few.
    from datetime import datetime

    from ipclaims.mailroom import forwarded

    for day in range(25, 31):
        for minute in (0, 3, 6, 9, 12):
            shown = datetime(2026, 11, day, 15, minute)
            _arrives(inline(by=f"lee{day}{minute}@platform.example", shown_date=f"{shown:%a, %b} {day}, 2026 at 3:{minute:02d} PM"))
            sweep(get_settings())
    assert len(claims()) == 30
    parsed = []
    original = forwarded.notices.parse_message
    monkeypatch.setattr(forwarded.notices, "parse_message", lambda *a, **k: parsed.append(1) or original(*a, **k))
    _arrives(inline(by="kim@platform.example", shown_date="Tue, Dec 1, 2026 at 3:06 PM"))
    assert sweep(get_settings()).parsed == 1 and len(claims()) == 31
    assert len(parsed) <= 11, len(parsed)  # the message read, and the newest 10 stored with its key, not all 30
