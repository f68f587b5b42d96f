"""The mailroom never takes the designated agent's own address for the sender's: not the complainant's email the
reading gives intake (IPCLAIMS_INBOX_ADDRESSES, IPCLAIMS_AGENT_EMAIL, the message's To when the text gives the sender
another address), nor the sender a claim's owner is found by. Synthetic messages in our own words."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from ipclaims.db import session_scope
from ipclaims.models import Account
from tests.conftest import Actor

AGENT = "notices@quaytube.example"
BODY = (
    f"Attn: Designated Agent <{AGENT}>\n\n"
    'I own the copyright in the photograph "Salt Marsh at Noon".\n'
    "It is copied without licence at https://platform.example/u/marshcopy/posts/12\n"
    "I have a good faith belief that this use is not authorized by the copyright owner, its agent, or the law.\n"
    "Under penalty of perjury, the information in this notice is accurate and I am authorized to act for the owner.\n"
    "{contact}"
    "/s/ Tomas Ruiz\n"
)


def _message(sender: str, contact: str = "", to: str = AGENT) -> bytes:
    return (
        f"From: {sender}\nTo: {to}\nSubject: Copyright notice\nDate: Tue, 01 Dec 2026 09:00:00 +0000\n\n" + BODY.format(contact=contact)
    ).encode()


def _parse(client: TestClient, who: Actor, raw: bytes) -> dict[str, Any]:
    r = client.post("/api/v1/notices/parse", headers=who.headers, files={"file": ("n.eml", raw, "message/rfc822")})
    assert r.status_code == 200, r.text
    return r.json()


def _contact_quotes(parsed: dict[str, Any]) -> list[str]:
    return [q["quote"] for q in parsed["evidence"]["contact_information"]]


def test_the_inbox_address_is_never_the_complainants_email(client: TestClient, specialist: Actor, set_env: Callable[..., None]) -> None:
    raw = _message("Tomas Ruiz <tomas@saltmarsh.example>")
    assert _parse(client, specialist, raw)["fields"]["complainant"]["email"] == AGENT  # the To differs from nothing else
    set_env(IPCLAIMS_INBOX_ADDRESSES=f"abuse@quaytube.example, {AGENT.upper()}")
    parsed = _parse(client, specialist, raw)
    assert "email" not in parsed["fields"]["complainant"] and AGENT not in _contact_quotes(parsed)


def test_the_letterhead_agent_email_is_never_the_complainants_email(
    client: TestClient, specialist: Actor, set_env: Callable[..., None]
) -> None:
    set_env(IPCLAIMS_AGENT_EMAIL=AGENT)
    parsed = _parse(client, specialist, _message("Tomas Ruiz <tomas@saltmarsh.example>", "Phone: +1 415 555 0188\n"))
    assert "email" not in parsed["fields"]["complainant"] and AGENT not in _contact_quotes(parsed)
    assert parsed["completeness"]["elements"][3]["code"] == "contact_information"
    assert parsed["completeness"]["elements"][3]["status"] == "present"  # the telephone is the sender's channel


def test_the_messages_recipient_gives_way_to_the_senders_own_address(client: TestClient, specialist: Actor) -> None:
    raw = _message("Tomas Ruiz <tomas@saltmarsh.example>", "Write to me at tomas.ruiz@saltmarsh.example\n")
    parsed = _parse(client, specialist, raw)
    assert parsed["fields"]["complainant"]["email"] == "tomas.ruiz@saltmarsh.example"
    assert AGENT not in _contact_quotes(parsed)


def test_a_message_from_the_agents_mailbox_is_owned_by_the_complainant_read_from_it(
    client: TestClient, specialist: Actor, set_env: Callable[..., None]
) -> None:
    """Staff sent the notice on from the agent's own mailbox, without a forward block: the owner is found by the
    complainant's email in the text, not by the mailbox (which would make a notifier account of the agent)."""
    set_env(IPCLAIMS_INBOX_ADDRESSES=AGENT)
    raw = _message(f"Agent <{AGENT}>", "Email: tomas@saltmarsh.example\n", to="archive@quaytube.example")
    r = client.post("/api/v1/notices", headers=specialist.headers, files={"file": ("n.eml", raw, "message/rfc822")})
    assert r.status_code == 201, r.text
    with session_scope(write=False) as s:
        owner = s.get(Account, r.json()["owner_id"])
        assert owner is not None and owner.email == "tomas@saltmarsh.example"
        assert s.scalars(select(Account).where(Account.email == AGENT)).all() == []
