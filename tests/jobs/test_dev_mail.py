"""Mail without IPCLAIMS_SMTP_URL: development delivers it to a local Maildir and says so; production keeps it pending
and says why; `ipclaims outbox show ID` prints a message."""

from __future__ import annotations

import mailbox
from email.header import decode_header, make_header
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from ipclaims.cli import main
from ipclaims.config import get_settings
from ipclaims.jobs import delivery
from ipclaims.jobs.worker import run_once
from ipclaims.models import OutboxMessage
from tests.conftest import Actor
from tests.legal.notices import REMOVE, changed, complete_claim


def outbox(session: Any) -> list[dict[str, Any]]:
    """The outbox as plain rows; the read transaction ends here (SQLite: the worker needs the write lock next)."""
    session.expire_all()
    rows = [
        {"id": m.id, "kind": m.kind, "status": m.status, "subject": m.subject, "body": m.body}
        for m in session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
    ]
    session.commit()
    return rows


def test_development_delivers_to_a_maildir_and_says_where(
    client: Any, holder: Actor, session: Any, set_env: Any, env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    set_env(IPCLAIMS_ENV="development")
    claim = client.post(
        "/api/v1/claims", json=changed(complete_claim("US_DMCA"), [(("signature",), REMOVE)]), headers=holder.headers
    ).json()
    assert main(["worker", "--once"]) == 0
    captured = capsys.readouterr()
    assert '"sent": 2' in captured.out
    maildir = Path(env["IPCLAIMS_DATA_DIR"]) / "mail"
    assert str(maildir) in captured.err and "IPCLAIMS_SMTP_URL is unset" in captured.err
    messages = list(mailbox.Maildir(maildir, create=False))
    assert len(messages) == 2
    assert {m["To"] for m in messages} == {"ada@rights.example.com"}
    assert all(claim["reference"] in str(make_header(decode_header(m["Subject"]))) for m in messages)
    rows = outbox(session)
    assert [r["status"] for r in rows] == ["sent", "sent"]
    assert run_once()["sent"] == 0  # delivered once, not on every sweep

    deficiency = next(r for r in rows if r["kind"] == "deficiency")
    assert main(["outbox", "show", deficiency["id"]]) == 0
    shown = capsys.readouterr().out
    head, _, body = shown.partition("\n\n")
    assert "To: ada@rights.example.com" in head and f"Subject: {deficiency['subject']}" in head
    assert "X-Outbox-Status: sent (attempts: 1)" in head and "X-Outbox-Kind: deficiency" in head
    assert body == deficiency["body"]


def test_production_without_smtp_keeps_mail_pending_and_says_why(
    client: Any, holder: Actor, session: Any, set_env: Any, env: dict[str, str]
) -> None:
    set_env(IPCLAIMS_ENV="production", IPCLAIMS_SECRET_KEY="a-production-secret-" + "x" * 24)
    client.post("/api/v1/claims", json=complete_claim("EU_DSA"), headers=holder.headers)
    settings = get_settings()
    assert run_once()["sent"] == 0
    assert [r["status"] for r in outbox(session)] == ["pending"]
    assert not (Path(env["IPCLAIMS_DATA_DIR"]) / "mail").exists()
    note = delivery.explain(settings)
    assert note is not None and "1 message(s) pending" in note and "until it is set" in note


def test_with_smtp_configured_there_is_nothing_to_explain(env: dict[str, str], set_env: Any) -> None:
    set_env(IPCLAIMS_ENV="development", IPCLAIMS_SMTP_URL="smtp://127.0.0.1:2525")
    assert delivery.explain(get_settings()) is None
    assert delivery.transport(get_settings()) is delivery.send
