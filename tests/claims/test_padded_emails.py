"""Whitespace around an email address (issue 16 defect 7): validation strips it, so what is stored and mailed to is
the stripped address — never a 500 from the 320-character outbox column (PostgreSQL) nor a folded `To:` (SQLite)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from tests.conftest import Actor
from tests.legal.notices import REMOVE, changed, complete_claim, complete_counter_notice
from tests.review.flows import counter, decided_claim

PAD = " " * 200


def _outbox_addresses(session: Any) -> list[str]:
    from ipclaims.models import OutboxMessage

    session.expire_all()
    return list(session.scalars(select(OutboxMessage.to_addr)))


def test_a_padded_complainant_email_is_stored_and_mailed_stripped(client: Any, holder: Actor, session: Any) -> None:
    body = complete_claim("US_DMCA")
    body["complainant"]["email"] = f"{PAD}ada@rights.example.com\t{PAD}\n"
    r = client.post("/api/v1/claims", json=body, headers=holder.headers)
    assert r.status_code == 201, r.text
    claim = r.json()
    assert claim["complainant"]["email"] == "ada@rights.example.com"
    assert client.get(f"/api/v1/claims/{claim['id']}", headers=holder.headers).json()["complainant"]["email"] == "ada@rights.example.com"
    assert "ada@rights.example.com" in _outbox_addresses(session)
    assert all(a == a.strip() for a in _outbox_addresses(session))


def test_a_padded_email_in_a_patch_is_stored_stripped(client: Any, holder: Actor) -> None:
    body = changed(complete_claim("US_DMCA"), [(("signature",), REMOVE)])
    claim = client.post("/api/v1/claims", json=body, headers=holder.headers).json()
    r = client.patch(
        f"/api/v1/claims/{claim['id']}", headers=holder.headers, json={"complainant": {"email": f"{PAD}new@rights.example.com{PAD}"}}
    )
    assert r.status_code == 200, r.text
    assert r.json()["complainant"]["email"] == "new@rights.example.com"


def test_a_padded_subscriber_email_is_stored_and_mailed_stripped(client: Any, holder: Actor, specialist: Actor, session: Any) -> None:
    claim = decided_claim(client, holder, specialist, "US_DMCA")
    body = changed(complete_counter_notice("US_DMCA"), [(("statements", "jurisdiction_consent"), REMOVE)])
    body["subscriber"]["email"] = f"{PAD}sub@mail.example.com{PAD}"
    cn = counter(client, specialist, claim, body=body)
    assert cn["status"] == "deficient" and cn["subscriber"]["email"] == "sub@mail.example.com"
    r = client.patch(
        f"/api/v1/counter-notices/{cn['id']}",
        headers=specialist.headers,
        json={"subscriber": {"email": f"{PAD}cured@mail.example.com{PAD}"}, "statements": {"jurisdiction_consent": True}},
    )
    assert r.status_code == 200, r.text
    assert r.json()["subscriber"]["email"] == "cured@mail.example.com"
    addresses = _outbox_addresses(session)
    assert "sub@mail.example.com" in addresses and "cured@mail.example.com" in addresses
    assert all(a == a.strip() for a in addresses)


def test_padded_account_complaint_and_uploader_emails_are_stored_stripped(
    client: Any, holder: Actor, specialist: Actor, admin: Actor, session: Any
) -> None:
    r = client.post(
        "/api/v1/accounts",
        headers=admin.headers,
        json={"name": "Padded", "role": "specialist", "email": f"{PAD}padded@ops.example.com{PAD}"},
    )
    assert r.status_code == 201, r.text
    account = client.get("/api/v1/me", headers={"Authorization": f"Bearer {r.json()['api_key']}"}).json()
    assert account["email"] == "padded@ops.example.com"
    r = client.patch(f"/api/v1/accounts/{account['id']}", headers=admin.headers, json={"email": f"{PAD}again@ops.example.com{PAD}"})
    assert r.status_code == 200, r.text
    assert r.json()["email"] == "again@ops.example.com"

    claim = client.post("/api/v1/claims", json=complete_claim("EU_DSA"), headers=holder.headers).json()
    item_id = claim["items"][0]["id"]
    r = client.post(
        f"/api/v1/claims/{claim['id']}/items/{item_id}/decision",
        headers=specialist.headers,
        json={"outcome": "removed", "reason": "copies the work", "uploader_email": f"{PAD}up@mail.example.com{PAD}"},
    )
    assert r.status_code == 200, r.text
    r = client.post(
        f"/api/v1/claims/{claim['id']}/items/{item_id}/complaints",
        headers=specialist.headers,
        json={"complainant_role": "uploader", "complainant_email": f"{PAD}up@mail.example.com{PAD}", "body": "This is my own photo."},
    )
    assert r.status_code == 201, r.text
    addresses = _outbox_addresses(session)
    assert "up@mail.example.com" in addresses
    assert all(a == a.strip() for a in addresses)
