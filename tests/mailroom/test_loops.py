"""No mail loops (RFC 3834 §2, RFC 3464): automatic mail the inbox receives is kept, never made a claim, and nothing
is sent to it; the mail the workflow sends is marked automatic, so responders do not answer it either. End to end:
a real `smtplib` client against `ipclaims inbox`, the worker's real SMTP delivery."""

from __future__ import annotations

import smtplib
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ipclaims.cli import main
from ipclaims.config import get_settings
from ipclaims.jobs.worker import run_once
from ipclaims.mailroom import screen
from ipclaims.mailroom.inbox import store, sweep
from ipclaims.models import SourceStatus
from tests.conftest import Actor
from tests.mailroom.helpers import notice_text
from tests.mailroom.smtp import AGENT, catcher, claims, inbox, outbox, rows, wait_for

SENDER = "dana.reyes@lumenphoto.example"


def _with_headers(extra: str, body: str | None = None) -> str:
    """Dana Reyes's complete notice, with `extra` header lines: without them it would be a claim with letters."""
    head, text = notice_text(SENDER).split("\n\n", 1)
    return f"{head}\n{extra}\n\n{body or text}" if extra else f"{head}\n\n{body or text}"


def _bounce() -> str:
    """A delivery status notification (RFC 3464) that quotes the notice it could not deliver."""
    boundary = "dsn-boundary-1"
    return (
        "From: Mail Delivery System <postmaster@lumenphoto.example>\n"
        f"To: {AGENT}\n"
        "Subject: Returned message: see transcript\n"
        "Message-ID: <dsn-1@lumenphoto.example>\n"
        "MIME-Version: 1.0\n"
        f'Content-Type: multipart/report; report-type=delivery-status; boundary="{boundary}"\n'
        "\n"
        f"--{boundary}\n"
        "Content-Type: text/plain\n\n"
        "Your message could not be delivered.\n"
        f"--{boundary}\n"
        "Content-Type: message/delivery-status\n\n"
        "Reporting-MTA: dns; mx.lumenphoto.example\n\n"
        "Final-Recipient: rfc822; nobody@lumenphoto.example\nAction: failed\nStatus: 5.1.1\n"
        f"--{boundary}\n"
        "Content-Type: message/rfc822\n\n"
        f"{notice_text(SENDER)}\n"
        f"--{boundary}--\n"
    )


# (what arrives, MAIL FROM, a word the error must say)
CASES = {
    "bounce": (_bounce(), "<>", "MAIL FROM:<>"),
    "dsn-with-a-return-path": (_bounce(), "postmaster@lumenphoto.example", "delivery status report"),
    "out-of-office": (
        _with_headers("Auto-Submitted: auto-replied").replace(
            "Subject: Notice of infringement", "Subject: Automatic reply: [IPC-2026-000014]"
        ),
        SENDER,
        "Auto-Submitted: auto-replied",
    ),
    "newsletter": (_with_headers("Precedence: bulk"), SENDER, "Precedence: bulk"),
    "x-autoreply": (_with_headers("X-Autoreply: yes"), SENDER, "X-Autoreply"),
    "x-autorespond": (_with_headers("X-Autorespond: vacation"), SENDER, "X-Autorespond"),
    "list-id": (_with_headers("List-Id: Photographers <photo.lists.example>"), SENDER, "List-Id"),
    "list-unsubscribe": (_with_headers("List-Unsubscribe: <mailto:leave@lists.example>"), SENDER, "List-Unsubscribe"),
    "vacation-subject-only": (
        _with_headers("").replace("Subject: Notice of infringement", "Subject: Out of Office: back on Monday"),
        SENDER,
        "Out of Office",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_automatic_mail_is_kept_but_never_a_claim_and_nothing_is_sent(
    env: dict[str, str], set_env: Callable[..., None], case: str, client: TestClient, specialist: Actor
) -> None:
    set_env(IPCLAIMS_INBOX_ADDRESSES=AGENT)
    raw, mail_from, word = CASES[case]
    with inbox() as port, smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
        assert smtp.sendmail(mail_from, [AGENT], raw) == {}  # accepted: nothing is lost
        wait_for(lambda: any(r.status is not SourceStatus.RECEIVED for r in rows()))
    (row,) = rows()
    assert row.status is SourceStatus.FAILED and row.claim_id is None
    assert row.error is not None and word in row.error and "no claim made, nothing sent" in row.error
    assert claims() == [] and outbox() == []
    listed = client.get("/api/v1/notices/messages", headers=specialist.headers, params={"status": "failed"}).json()["items"]
    assert [m["id"] for m in listed] == [row.id] and listed[0]["error"] == row.error


def test_a_person_may_still_make_a_claim_of_it(env: dict[str, str], client: TestClient, specialist: Actor) -> None:
    """A staff retry is a person's decision (a notice a vendor sent through a mailing service that marks everything
    bulk): it makes the claim, whose letters then go out marked automatic themselves."""
    raw, _, _ = CASES["newsletter"]
    stored = store(raw.encode(), {"mail_from": SENDER, "rcpt_tos": [AGENT], "peer": None, "helo": None})
    assert sweep(get_settings()).failed == 1 and claims() == []
    retried = client.post(f"/api/v1/notices/messages/{stored}/retry", headers=specialist.headers)
    assert retried.status_code == 200, retried.text
    assert retried.json()["status"] == "parsed" and retried.json()["claim_id"] == claims()[0].id
    assert [m.kind for m in outbox()] == ["acknowledgment"]


def test_import_of_automatic_mail_is_an_error_and_makes_no_claim(
    env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved = tmp_path / "vacation.eml"
    saved.write_text(CASES["out-of-office"][0])
    assert main(["notices", "import", str(saved), "--json"]) == 1
    out = capsys.readouterr().out
    assert "Auto-Submitted: auto-replied" in out and '"status": 422' in out
    assert claims() == [] and rows() == []


def _sent(caught: list[EmailMessage], kind_word: str) -> EmailMessage:
    return next(m for m in caught if kind_word in str(m["Subject"]))


def test_our_letters_are_marked_automatic_and_the_inbox_does_not_answer_them(
    env: dict[str, str], set_env: Callable[..., None], client: TestClient, holder: Actor
) -> None:
    """The acknowledgment and the request for information answer a notice (`auto-replied`); the others are
    `auto-generated`. Should one come back to the inbox (a notifier whose address forwards to the agent), it is
    screened like any automatic mail: no claim of our own letter, no loop."""
    with catcher() as (caught, port):
        set_env(IPCLAIMS_SMTP_URL=f"smtp://127.0.0.1:{port}", IPCLAIMS_INBOX_ADDRESSES=AGENT)
        body = {
            "kind": "copyright",
            "regime": "US_DMCA",
            "complainant": {"name": "Ada Lovelace", "email": "ada@rights.example.com"},
            "works": [{"title": "Harbour at Dawn"}],
            "items": [{"url": "https://platform.example/p/1"}],
        }
        made = client.post("/api/v1/claims", json=body, headers=holder.headers)
        assert made.status_code == 201, made.text
        assert run_once()["sent"] == 2
        letters = caught.parsed()
    assert _sent(letters, "We received")["Auto-Submitted"] == "auto-replied"
    assert _sent(letters, "Information needed")["Auto-Submitted"] == "auto-replied"
    assert all(m["X-Auto-Response-Suppress"] == "OOF, AutoReply" for m in letters)
    for _, raw in caught.messages:
        assert screen.automatic(raw, {"mail_from": "agent@platform.example"}) is not None
    with inbox() as port, smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
        smtp.sendmail("ada@rights.example.com", [AGENT], caught.messages[1][1])
        wait_for(lambda: any(r.status is SourceStatus.FAILED for r in rows()))
    assert len(claims()) == 1


def test_later_mail_is_auto_generated() -> None:
    from ipclaims.notifications.outbox import auto_submitted

    assert {k: auto_submitted(k) for k in ("acknowledgment", "deficiency", "decision", "needs_info_reminder", "restoration")} == {
        "acknowledgment": "auto-replied",
        "deficiency": "auto-replied",
        "decision": "auto-generated",
        "needs_info_reminder": "auto-generated",
        "restoration": "auto-generated",
    }


@pytest.mark.parametrize(
    "headers",
    ["Auto-Submitted: no", "X-Autoreply: no", "Precedence: first-class", "Subject: Re: infringement of my photograph"],
)
def test_mail_a_person_sent_is_not_screened(headers: str) -> None:
    raw = _with_headers(headers).encode()
    assert screen.automatic(raw, {"mail_from": SENDER}) is None
