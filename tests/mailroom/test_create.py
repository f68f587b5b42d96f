"""`POST /api/v1/notices`: the claim made through intake, its owner, its source message, idempotency."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from ipclaims.db import session_scope
from ipclaims.mailroom import reading
from ipclaims.models import Account, ApiKey, ClaimFlag, MailSender, SourceMessage
from tests.conftest import Actor
from tests.mailroom.helpers import fixture, notice_text

CREATE = "/api/v1/notices"


def _verify(client: TestClient, admin: Actor, account_id: str, domain: str) -> None:
    r = client.post(f"/api/v1/accounts/{account_id}/verified-domains", headers=admin.headers, json={"domain": domain})
    assert r.status_code == 201, r.text


def test_a_message_becomes_a_claim_through_intake(client: TestClient, specialist: Actor) -> None:
    raw = fixture("complete.eml")
    r = client.post(CREATE, headers=specialist.headers, files={"file": ("notice.eml", raw, "message/rfc822")})
    assert r.status_code == 201, r.text
    claim = r.json()
    assert claim["reference"].startswith("IPC-")
    assert claim["source"] == "email"
    assert claim["regime"] == "US_DMCA" and claim["kind"] == "copyright"
    assert claim["received_at"].startswith("2026-12-01T14:30:00")  # the message's Date, in UTC
    assert [i["url"] for i in claim["items"]] == [
        "https://platform.example/u/copycat/posts/1001",
        "https://platform.example/u/copycat/posts/1002",
    ]
    assert claim["completeness"]["elements"]  # intake's own check
    assert claim["reading"]["completeness"]["elements"] and claim["reading"]["evidence"]
    got = client.get(f"/api/v1/claims/{claim['id']}", headers=specialist.headers).json()
    assert got["source"] == "email" and got["reference"] == claim["reference"]
    original = client.get(f"/api/v1/claims/{claim['id']}/source-message", headers=specialist.headers)
    assert original.status_code == 200
    assert original.headers["content-type"].startswith("message/rfc822")
    assert original.content == raw
    with session_scope(write=False) as s:
        row = s.scalars(select(SourceMessage)).one()
        assert row.claim_id == claim["id"] and row.status.value == "parsed"
        assert row.sender == "dana.reyes@lumenphoto.example"
        assert row.message_id == "<notice-0001@lumenphoto.example>"
        assert row.subject == "DMCA notice: copied photographs"
        assert len(row.sha256) == 64 and row.reading is not None


def test_pasted_text_is_kept_as_text_and_received_now(client: TestClient, specialist: Actor) -> None:
    text = fixture("company_only.txt").decode()
    r = client.post(CREATE, headers=specialist.headers, json={"text": text})
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "needs_info"
    assert r.json()["received_at"] >= r.json()["created_at"][:10]
    original = client.get(f"/api/v1/claims/{r.json()['id']}/source-message", headers=specialist.headers)
    assert original.headers["content-type"].startswith("text/plain")
    assert original.text == text


def test_the_owner_is_the_account_with_the_senders_verified_domain(
    client: TestClient, specialist: Actor, admin: Actor, make_account: Callable[..., Actor]
) -> None:
    owner = make_account("rights_holder", name="Lumen Photo", email="legal@lumenphoto.example")
    other = make_account("rights_holder", name="Someone else", email="x@else.example")
    _verify(client, admin, owner.id, "lumenphoto.example")
    r = client.post(CREATE, headers=specialist.headers, json={"text": notice_text()})
    assert r.status_code == 201, r.text
    claim = r.json()
    assert claim["owner_id"] == owner.id
    # The owner reads its claim and its message; another holder gets 404 for both.
    assert client.get(f"/api/v1/claims/{claim['id']}", headers=owner.headers).status_code == 200
    mine = client.get(f"/api/v1/claims/{claim['id']}/source-message", headers=owner.headers)
    assert mine.status_code == 200 and b"Harbour at Dawn" in mine.content
    theirs = client.get(f"/api/v1/claims/{claim['id']}/source-message", headers=other.headers)
    assert theirs.status_code == 404 and b"Harbour" not in theirs.content
    with session_scope(write=False) as s:
        assert s.scalars(select(MailSender)).all() == []  # no placeholder made


def test_an_unknown_sender_gets_one_placeholder_notifier_reused_next_time(client: TestClient, specialist: Actor) -> None:
    first = client.post(CREATE, headers=specialist.headers, json={"text": notice_text("ana@newcomer.example")})
    second = client.post(
        CREATE, headers=specialist.headers, json={"text": notice_text("ana@newcomer.example", "https://platform.example/p/2")}
    )
    other = client.post(CREATE, headers=specialist.headers, json={"text": notice_text("bo@newcomer.example")})
    assert first.status_code == second.status_code == other.status_code == 201
    assert first.json()["owner_id"] == second.json()["owner_id"] != other.json()["owner_id"]
    with session_scope(write=False) as s:
        account = s.get(Account, first.json()["owner_id"])
        assert account is not None
        assert account.role.value == "rights_holder" and account.email == "ana@newcomer.example"
        assert account.name.startswith("Notifier by email: ")
        assert s.scalars(select(ApiKey).where(ApiKey.account_id == account.id)).all() == []


def test_a_look_alike_sender_is_flagged_as_impersonation(
    client: TestClient, specialist: Actor, admin: Actor, make_account: Callable[..., Actor]
) -> None:
    owner = make_account("rights_holder", name="Lumen Photo")
    _verify(client, admin, owner.id, "lumenphoto.example")
    # The text gives a real-looking address; the message came from a look-alike domain.
    text = notice_text("dana@lumenph0to.example").replace(
        "phone +1 207 555 0100, dana@lumenph0to.example", "phone +1 207 555 0100, dana@lumenphoto.example"
    )
    r = client.post(CREATE, headers=specialist.headers, json={"text": text})
    assert r.status_code == 201, r.text
    assert r.json()["owner_id"] != owner.id
    flags = client.get(f"/api/v1/claims/{r.json()['id']}/flags", headers=specialist.headers).json()["items"]
    assert [f["kind"] for f in flags] == ["impersonation"]
    assert flags[0]["detail"]["sender_domain"] == "lumenph0to.example"
    genuine = client.post(CREATE, headers=specialist.headers, json={"text": notice_text("dana@lumenphoto.example", "https://p.example/9")})
    kinds = [f["kind"] for f in client.get(f"/api/v1/claims/{genuine.json()['id']}/flags", headers=specialist.headers).json()["items"]]
    assert genuine.json()["owner_id"] == owner.id and "impersonation" not in kinds


def test_idempotency_key_returns_the_first_claim(client: TestClient, specialist: Actor) -> None:
    h = {**specialist.headers, "Idempotency-Key": "mail-1"}
    raw = fixture("quoted_printable.eml")
    first = client.post(CREATE, headers=h, files={"file": ("n.eml", raw, "message/rfc822")})
    again = client.post(CREATE, headers=h, files={"file": ("n.eml", raw, "message/rfc822")})
    assert first.status_code == again.status_code == 201
    assert again.headers.get("Idempotency-Replayed") == "true"
    assert again.json()["id"] == first.json()["id"]
    changed = client.post(CREATE, headers=h, files={"file": ("n.eml", raw + b"\nPS", "message/rfc822")})
    assert changed.status_code == 422
    with session_scope(write=False) as s:
        assert len(s.scalars(select(SourceMessage)).all()) == 1
    assert len(client.get("/api/v1/claims", headers=specialist.headers).json()["items"]) == 1


def test_a_claim_without_a_message_has_no_source_message(client: TestClient, holder: Actor, specialist: Actor) -> None:
    body: dict[str, Any] = {"kind": "copyright", "regime": "US_DMCA", "items": [{"url": "https://platform.example/a"}]}
    claim = client.post("/api/v1/claims", headers=holder.headers, json=body).json()
    for who in (holder, specialist):
        r = client.get(f"/api/v1/claims/{claim['id']}/source-message", headers=who.headers)
        assert r.status_code == 404 and r.headers["content-type"].startswith("application/problem+json")
    assert client.get("/api/v1/claims/nope/source-message", headers=specialist.headers).status_code == 404


def test_a_counter_notice_is_not_made_into_a_claim(client: TestClient, specialist: Actor) -> None:
    r = client.post(CREATE, headers=specialist.headers, json={"text": notice_text(), "kind": "counter_notice"})
    assert r.status_code == 422, r.text
    with session_scope(write=False) as s:
        assert s.scalars(select(SourceMessage)).all() == []
        assert s.scalars(select(ClaimFlag)).all() == []


def test_an_email_claim_is_an_article_16_notice_in_the_dsa_export(client: TestClient, specialist: Actor) -> None:
    # Art. 16(2)(d) asks for the notice believed accurate and complete; the DMCA wording says only "accurate"
    text = notice_text().replace("this notification is accurate", "this notification is accurate and complete")
    assert text != notice_text()
    r = client.post(CREATE, headers=specialist.headers, json={"text": text, "regime": "EU_DSA"})
    assert r.status_code == 201, r.text
    claim = r.json()
    item = claim["items"][0]
    decided = client.post(
        f"/api/v1/claims/{claim['id']}/items/{item['id']}/decision",
        headers=specialist.headers,
        json={"outcome": "removed", "reason": "a copy of the photograph"},
    )
    assert decided.status_code == 200, decided.text
    export = client.get("/api/v1/exports/dsa-statements", headers=specialist.headers)
    assert export.status_code == 200, export.text
    assert [s["source_type"] for s in export.json()["statements"]] == ["SOURCE_ARTICLE_16"]
    summary = client.get("/api/v1/reports/summary", headers=specialist.headers).json()
    assert summary["claims"]["by_source"]["email"] == 1


def test_a_long_or_odd_file_name_is_kept_cut_to_its_last_part(client: TestClient, specialist: Actor) -> None:
    """The upload's name is the client's: a path, control characters or 400 characters are kept as a short name, never a
    500 from the 300-character column (PostgreSQL refuses longer text and NUL characters)."""
    for sent, kept in (
        ("C:\\Users\\agent\\" + "n" * 400 + ".eml", "n" * 300),
        ("../../etc/passwd.eml", "passwd.eml"),
    ):
        raw = fixture("complete.eml")
        r = client.post(CREATE, headers=specialist.headers, files={"file": (sent, raw, "message/rfc822")})
        assert r.status_code == 201, r.text
        with session_scope(write=False) as session:
            row = session.scalars(select(SourceMessage).where(SourceMessage.claim_id == r.json()["id"])).one()
            assert row.filename == kept
    # what a client cannot send through httpx (it escapes them) but a raw multipart body can
    assert reading.clean_filename("x\x00y\x07.eml") == "xy.eml"
    assert reading.clean_filename("\x00\x01") is None
    assert reading.clean_filename("dir/") is None
