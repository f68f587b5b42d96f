"""A notice whose `From` is a look-alike of a verified domain (DOMAIN.md §6) carries its `impersonation` flag and the
priority term at once: in the 201 and in the claim, from the same transaction, as intake raises them for an API
claim, not at the next worker sweep. On SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from email.message import EmailMessage
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from ipclaims.config import get_settings
from ipclaims.db import session_scope
from ipclaims.mailroom.inbox import store, sweep
from ipclaims.models import Claim, SourceMessage
from ipclaims.triage.priority import IMPERSONATION_WEIGHT
from tests.conftest import Actor
from tests.mailroom.helpers import notice_text

CREATE = "/api/v1/notices"
GENUINE, LOOK_ALIKE = "aurora-studios.example", "aurora-studi0s.example"
TERM = f"+{IMPERSONATION_WEIGHT[0]} {IMPERSONATION_WEIGHT[1]}"


def _verified_owner(client: TestClient, admin: Actor, make_account: Callable[..., Actor]) -> Actor:
    owner = make_account("rights_holder", name="Aurora Studios", email=f"legal@{GENUINE}")
    r = client.post(f"/api/v1/accounts/{owner.id}/verified-domains", headers=admin.headers, json={"domain": GENUINE})
    assert r.status_code == 201, r.text
    return owner


def _from_look_alike(url: str = "https://platform.example/clip/5501") -> str:
    """From the look-alike domain; the text itself gives the genuine address (what a forger would write)."""
    return notice_text(f"rights@{LOOK_ALIKE}", url).replace(f"0100, rights@{LOOK_ALIKE}", f"0100, rights@{GENUINE}")


def _flags(client: TestClient, staff: Actor, claim_id: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = client.get(f"/api/v1/claims/{claim_id}/flags", headers=staff.headers).json()["items"]
    return [f for f in items if f["kind"] == "impersonation"]


def test_the_201_and_the_claim_carry_the_flag_and_its_priority(
    client: TestClient, specialist: Actor, admin: Actor, make_account: Callable[..., Actor]
) -> None:
    owner = _verified_owner(client, admin, make_account)
    plain = client.post(CREATE, headers=specialist.headers, json={"text": notice_text(f"rights@{GENUINE}", "https://p.example/1")})
    assert plain.status_code == 201 and plain.json()["owner_id"] == owner.id
    assert TERM not in plain.json()["priority_reasons"]
    r = client.post(CREATE, headers=specialist.headers, json={"text": _from_look_alike()})
    assert r.status_code == 201, r.text
    answer = r.json()
    assert answer["complainant"]["email"] == f"rights@{GENUINE}" and answer["owner_id"] != owner.id
    assert answer["priority_reasons"].count(TERM) == 1
    stored = client.get(f"/api/v1/claims/{answer['id']}", headers=specialist.headers).json()
    assert stored["priority"] == answer["priority"] and stored["priority_reasons"] == answer["priority_reasons"]
    flags = _flags(client, specialist, answer["id"])
    assert [f["detail"]["sender_domain"] for f in flags] == [LOOK_ALIKE]
    with session_scope(write=False) as s:
        claim = s.get(Claim, answer["id"])
        assert claim is not None and claim.priority == answer["priority"] and TERM in claim.priority_reasons


def test_a_look_alike_in_both_from_and_the_text_raises_the_priority_once(
    client: TestClient, specialist: Actor, admin: Actor, make_account: Callable[..., Actor]
) -> None:
    _verified_owner(client, admin, make_account)
    r = client.post(CREATE, headers=specialist.headers, json={"text": notice_text(f"rights@{LOOK_ALIKE}", "https://p.example/2")})
    assert r.status_code == 201, r.text
    assert r.json()["priority_reasons"].count(TERM) == 1
    assert len(_flags(client, specialist, r.json()["id"])) == 1


def test_an_eml_upload_and_an_inbox_message_carry_it_too(
    client: TestClient, specialist: Actor, admin: Actor, make_account: Callable[..., Actor]
) -> None:
    _verified_owner(client, admin, make_account)
    msg = EmailMessage()
    head, _, body = _from_look_alike("https://platform.example/clip/7").partition("\n\n")
    for line in head.splitlines():
        name, _, value = line.partition(": ")
        msg[name] = value
    msg.set_content(body)
    multipart = msg.as_bytes()
    r = client.post(CREATE, headers=specialist.headers, files={"file": ("n.eml", multipart, "message/rfc822")})
    assert r.status_code == 201, r.text
    assert TERM in r.json()["priority_reasons"]
    stored = store(_from_look_alike("https://platform.example/clip/8").encode(), {"mail_from": f"rights@{LOOK_ALIKE}"})
    assert sweep(get_settings()).parsed == 1
    with session_scope(write=False) as s:
        claim_id = s.scalar(select(SourceMessage.claim_id).where(SourceMessage.id == stored))
        claim = s.get(Claim, claim_id)
        assert claim is not None and TERM in claim.priority_reasons
