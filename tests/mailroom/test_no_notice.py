"""Mail with nothing of a notice in it (spam to the designated agent's address) is kept `failed` and answered by
nothing: no claim, no placeholder notifier, no acknowledgment or request for information mailed back to whoever sent
it (backscatter). A real notice, however incomplete, is still a claim waiting for information; a staff retry still
makes a claim of the spam. End to end: a real `smtplib` client against `ipclaims inbox`, and `ipclaims notices import`."""

from __future__ import annotations

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
from ipclaims.jobs.worker import run_once
from ipclaims.mailroom.inbox import store, sweep
from ipclaims.models import Account, ClaimStatus, SourceStatus
from tests.conftest import Actor
from tests.mailroom.smtp import AGENT, claims, inbox, outbox, rows, wait_for

SPAMMER = "deals@spammy.example"


def _mail(body: str, *, sender: str = SPAMMER, subject: str = "Best prices of the season") -> str:
    return (
        f"From: Deals <{sender}>\n"
        f"To: {AGENT}\n"
        f"Subject: {subject}\n"
        "Date: Wed, 02 Dec 2026 09:00:00 -0500\n"
        f"Message-ID: <{abs(hash((sender, body)))}@mail.example>\n"
        "\n"
        f"{body}\n"
    )


SPAM = _mail("Buy replica watches at 90% off, this week only!\nShop now: https://deals.spammy.example/watches/replica?ref=agent\n")


def _envelope(sender: str = SPAMMER) -> dict[str, Any]:
    return {"mail_from": sender, "rcpt_tos": [AGENT], "peer": None, "helo": None}


def _placeholders() -> list[str]:
    with session_scope(write=False) as s:
        return [n for n in s.scalars(select(Account.name)) if n and n.startswith("Notifier by email")]


def test_spam_by_smtp_is_kept_failed_and_nothing_is_mailed_back(
    env: dict[str, str], set_env: Callable[..., None], client: TestClient, specialist: Actor
) -> None:
    set_env(IPCLAIMS_INBOX_ADDRESSES=AGENT)
    with inbox() as port, smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
        assert smtp.sendmail(SPAMMER, [AGENT], SPAM.replace("\n", "\r\n")) == {}  # accepted: nothing is lost
        wait_for(lambda: any(r.status is not SourceStatus.RECEIVED for r in rows()))
    (row,) = rows()
    assert row.status is SourceStatus.FAILED and row.claim_id is None and row.sender == SPAMMER
    assert row.error is not None and row.error.startswith("nothing of a notice: no element of a US_DMCA notice")
    assert "no reported URL on the platform" in row.error and row.error.endswith("not a notice; no claim made, nothing sent")
    assert claims() == [] and _placeholders() == []
    assert run_once()["sent"] == 0 and outbox() == []  # no acknowledgment, no request for information: no backscatter
    listed = client.get("/api/v1/notices/messages", headers=specialist.headers, params={"status": "failed"}).json()["items"]
    assert [(m["id"], m["error"]) for m in listed] == [(row.id, row.error)]


def test_spam_is_screened_with_the_platform_hosts_configured_too(env: dict[str, str], set_env: Callable[..., None]) -> None:
    set_env(IPCLAIMS_PLATFORM_HOSTS="platform.example")
    store(SPAM.encode(), _envelope())
    assert sweep(get_settings()).failed == 1
    assert claims() == [] and rows()[0].error is not None and "nothing of a notice" in rows()[0].error


@pytest.mark.parametrize(
    ("body", "hosts"),
    [
        # The probe's own example: nothing but a URL on the platform and a word of ownership.
        ("please take down https://github.com/x/y, it is my code", ""),
        # The platform's own URL, no word at all.
        ("https://platform.example/u/copycat/posts/1001", "platform.example"),
        # Off the platform, but a complaint: the letters tell the sender what is missing.
        ("Someone copied my photo without permission: https://elsewhere.example/p/1", "platform.example"),
        # No URL at all, but a complaint.
        ("I want to report a copyright infringement on your site. Please call me back.", ""),
        # No URL and no complaint word, but a signed letter with contact details: something of a notice.
        ("Hello,\nplease look into the account of my former colleague.\n\nDana Reyes\n12 Pier Road, Portland, ME 04101", ""),
    ],
)
def test_a_real_but_incomplete_notice_is_still_a_claim_needing_information(
    env: dict[str, str], set_env: Callable[..., None], client: TestClient, body: str, hosts: str
) -> None:
    set_env(IPCLAIMS_PLATFORM_HOSTS=hosts)
    sender = "someone@lumenphoto.example"
    store(_mail(body, sender=sender, subject="hello").encode(), _envelope(sender))
    assert sweep(get_settings()).parsed == 1, rows()[0].error
    (claim,) = claims()
    assert claim.status is ClaimStatus.NEEDS_INFO
    assert [m.kind for m in outbox()] == ["acknowledgment", "deficiency"]


def test_a_staff_retry_still_makes_a_claim_of_it(env: dict[str, str], client: TestClient, specialist: Actor) -> None:
    stored = store(SPAM.encode(), _envelope())
    assert sweep(get_settings()).failed == 1 and claims() == []
    retried = client.post(f"/api/v1/notices/messages/{stored}/retry", headers=specialist.headers)
    assert retried.status_code == 200, retried.text
    assert retried.json()["status"] == "parsed" and retried.json()["claim_id"] == claims()[0].id
    assert claims()[0].status is ClaimStatus.NEEDS_INFO


def test_import_of_spam_is_an_error_and_stores_nothing(env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    saved = tmp_path / "deals.eml"
    saved.write_text(SPAM)
    assert main(["notices", "import", str(saved), "--json"]) == 1
    out = capsys.readouterr().out
    assert "nothing of a notice" in out and '"status": 422' in out
    assert claims() == [] and rows() == [] and _placeholders() == []
