"""A bulk notice by mail and by file: the SMTP inbox end to end with a real `smtplib` client, `ipclaims notices
import`, copies of the message (a duplicate of the first part, never new parts), and all parts or none."""

from __future__ import annotations

import json
import smtplib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from ipclaims.cli import main
from ipclaims.config import get_settings
from ipclaims.db import session_scope
from ipclaims.errors import Unprocessable
from ipclaims.mailroom import service
from ipclaims.mailroom.inbox import store, sweep
from ipclaims.models import ClaimItem, SourceStatus
from tests.conftest import Actor
from tests.mailroom.parts import SENDER, bulk_notice, bulk_urls
from tests.mailroom.smtp import AGENT, claims, inbox, rows, wait_for


def _envelope() -> dict[str, Any]:
    return {"mail_from": SENDER, "rcpt_tos": [AGENT], "peer": None, "helo": None}


def _urls_of(claim_id: str) -> list[str]:
    with session_scope(write=False) as s:
        return list(s.scalars(select(ClaimItem.url).where(ClaimItem.claim_id == claim_id).order_by(ClaimItem.position)))


def test_a_bulk_notice_by_smtp_becomes_its_parts_and_a_relayed_copy_is_the_first(
    env: dict[str, str], set_env: Callable[..., None], client: TestClient, specialist: Actor
) -> None:
    set_env(IPCLAIMS_INBOX_ADDRESSES=AGENT)
    raw = bulk_notice(2500).replace("\n", "\r\n").encode()  # on the wire, as a relay sends it
    with inbox() as port:
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
            assert smtp.sendmail(SENDER, [AGENT], raw) == {}
        wait_for(lambda: any(r.status is SourceStatus.PARSED for r in rows()))
        (row,) = rows()
        made = claims()
        assert len(made) == 3 and row.raw == raw and row.claim_id is not None
        by_reference = sorted(made, key=lambda c: c.reference)
        assert row.claim_id == by_reference[0].id
        urls = bulk_urls(2500)
        assert [_urls_of(c.id) for c in by_reference] == [urls[:1000], urls[1000:2000], urls[2000:]]
        assert {(str(c.source), c.owner_id, c.received_at) for c in made} == {("email", made[0].owner_id, made[0].received_at)}
        for n, claim in enumerate(by_reference, 1):
            got = client.get(f"/api/v1/claims/{claim.id}/source-message", headers=specialist.headers)
            assert got.status_code == 200 and got.content == raw and got.headers["x-notice-part"] == str(n)
        # The relay sends it again, with its own Received: line: the stored message, no new parts.
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
            smtp.ehlo()
            smtp.mail(SENDER)
            smtp.rcpt(AGENT)
            code, reply = smtp.data(b"Received: from relay-b.example by mx.platform.example\r\n" + raw)
        assert (code, reply.decode()) == (250, f"2.0.0 OK: queued as {row.id}")
    assert len(rows()) == 1 and len(claims()) == 3


def test_import_makes_the_parts_and_reports_them_and_a_copy_is_a_duplicate_of_the_first(
    env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The inbox stored the message but has not read it when the same mail, exported from the agent's client, is imported.
    waiting = store(bulk_notice(2500).encode(), _envelope())
    exported = tmp_path / "bulk.eml"
    exported.write_text("X-Mailer-Export: 1\n" + bulk_notice(2500))
    assert main(["notices", "import", str(exported), "--json"]) == 0
    line = json.loads(capsys.readouterr().out)
    assert line["claims"] == 3 and [p["items"] for p in line["parts"]] == [1000, 1000, 500]
    assert line["id"] == line["parts"][0]["id"] and line["reference"] == line["parts"][0]["reference"]
    assert {p["id"] for p in line["parts"]} == {c.id for c in claims()}
    # The sweep finds the stored copy a duplicate of the first part.
    swept = sweep(get_settings())
    assert (swept.parsed, swept.duplicates) == (0, 1)
    copy = next(r for r in rows() if r.id == waiting)
    assert (copy.status, copy.claim_id) == (SourceStatus.DUPLICATE, line["id"])
    # The same bytes imported again: a duplicate of the first part, nothing stored.
    assert main(["notices", "import", str(exported), "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert (again["status"], again["id"], again["reference"]) == ("duplicate", line["id"], line["reference"])
    assert len(claims()) == 3 and len(rows()) == 2
    # Without --json the line says how many claims the notice made, and which.
    other = tmp_path / "other.txt"
    other.write_text(bulk_notice(1001, tag="other", message_id="<other@lumenphoto.example>"))
    assert main(["notices", "import", str(other)]) == 0
    out = capsys.readouterr().out
    (first, second) = sorted((c for c in claims() if c.id not in {p["id"] for p in line["parts"]}), key=lambda c: c.reference)
    assert f"{first.reference} in_review" in out and f"2 claims: {first.reference}, {second.reference}" in out


def test_all_parts_or_none_a_failed_part_leaves_the_message_failed_and_no_claim(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    stored = store(bulk_notice(2500).encode(), _envelope())
    real = service.intake.store
    made: list[int] = []

    def third_refused(*args: Any, **kwargs: Any) -> bytes:
        made.append(1)
        if len(made) == 3:
            raise Unprocessable("refused for the test")
        return real(*args, **kwargs)

    monkeypatch.setattr(service.intake, "store", third_refused)
    swept = sweep(get_settings())
    assert (swept.parsed, swept.failed) == (0, 1) and len(made) == 3
    (row,) = rows()
    assert (row.id, row.status, row.claim_id, row.error) == (stored, SourceStatus.FAILED, None, "refused for the test")
    assert claims() == []
    monkeypatch.undo()
    with session_scope() as s:  # tried again by staff: all three parts
        again = service.retry(s, stored, get_settings())
        assert again.status is SourceStatus.PARSED
    assert len(claims()) == 3
