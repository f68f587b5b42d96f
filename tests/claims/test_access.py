"""Every read is scoped to the caller: another holder's claim is a 404, no key a 401, a wrong role a 403."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Actor
from tests.legal.notices import REMOVE, changed, complete_claim


@pytest.fixture
def two_holders(make_account: Any, client: Any) -> tuple[Actor, Actor, dict[str, Any]]:
    a = make_account("rights_holder", name="A")
    b = make_account("rights_holder", name="B")
    body = changed(complete_claim("US_DMCA"), [(("signature",), REMOVE)])
    claim_b = client.post("/api/v1/claims", json=body, headers=b.headers).json()
    return a, b, claim_b


def test_holder_cannot_read_list_patch_or_see_events_of_anothers_claim(client: Any, two_holders: Any) -> None:
    a, b, claim_b = two_holders
    cid = claim_b["id"]
    r = client.get(f"/api/v1/claims/{cid}", headers=a.headers)
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")
    assert claim_b["reference"] not in r.text and "signature" not in r.text
    assert client.get("/api/v1/claims", headers=a.headers).json()["items"] == []
    assert client.patch(f"/api/v1/claims/{cid}", json={"signature": {"name": "x"}}, headers=a.headers).status_code == 404
    assert client.get(f"/api/v1/claims/{cid}/events", headers=a.headers).status_code == 404
    # And the owner still can, unchanged.
    mine = client.get(f"/api/v1/claims/{cid}", headers=b.headers).json()
    assert mine["status"] == "needs_info" and mine["signature"] is None


def test_unknown_claim_and_anothers_claim_look_the_same(client: Any, two_holders: Any) -> None:
    a, _b, claim_b = two_holders
    other = client.get(f"/api/v1/claims/{claim_b['id']}", headers=a.headers)
    missing = client.get("/api/v1/claims/01ZZZZZZZZZZZZZZZZZZZZZZZZ", headers=a.headers)
    assert other.status_code == missing.status_code == 404
    assert other.json()["title"] == missing.json()["title"]


def test_staff_see_every_claim(client: Any, two_holders: Any, specialist: Actor, legal_user: Actor, admin: Actor) -> None:
    _a, _b, claim_b = two_holders
    for staff in (specialist, legal_user, admin):
        assert client.get(f"/api/v1/claims/{claim_b['id']}", headers=staff.headers).status_code == 200
        assert len(client.get("/api/v1/claims", headers=staff.headers).json()["items"]) == 1


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"}, {"Authorization": "Bearer "}])
def test_no_or_unknown_key_is_401(client: Any, headers: dict[str, str]) -> None:
    for method, path in (("get", "/api/v1/claims"), ("post", "/api/v1/claims"), ("get", "/api/v1/claims/x")):
        r = client.request(method, path, headers=headers, json=complete_claim("EU_DSA"))
        assert r.status_code == 401
        assert r.headers["content-type"].startswith("application/problem+json")


def test_revoked_key_and_inactive_account_are_401(client: Any, admin: Actor, holder: Actor) -> None:
    keys = client.get(f"/api/v1/accounts/{holder.id}/keys", headers=admin.headers).json()["items"]
    assert client.delete(f"/api/v1/accounts/{holder.id}/keys/{keys[0]['id']}", headers=admin.headers).status_code == 200
    assert client.get("/api/v1/claims", headers=holder.headers).status_code == 401
    fresh = client.post(f"/api/v1/accounts/{holder.id}/keys", json={"label": "new"}, headers=admin.headers).json()
    h = {"Authorization": f"Bearer {fresh['api_key']}"}
    assert client.get("/api/v1/claims", headers=h).status_code == 200
    client.patch(f"/api/v1/accounts/{holder.id}", json={"active": False}, headers=admin.headers)
    assert client.get("/api/v1/claims", headers=h).status_code == 401


def test_wrong_role_is_403(client: Any, holder: Actor, specialist: Actor) -> None:
    assert client.get("/api/v1/accounts", headers=holder.headers).status_code == 403
    assert client.get("/api/v1/accounts", headers=specialist.headers).status_code == 403
    r = client.post("/api/v1/accounts", json={"name": "x", "role": "admin"}, headers=specialist.headers)
    assert r.status_code == 403
    assert r.headers["content-type"].startswith("application/problem+json")


def test_admin_creates_accounts_whose_key_works(client: Any, admin: Actor) -> None:
    r = client.post("/api/v1/accounts", json={"name": "Flagger", "role": "rights_holder", "trusted_flagger": True}, headers=admin.headers)
    assert r.status_code == 201
    out = r.json()
    assert set(out) >= {"id", "role", "api_key"}
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {out['api_key']}"}).json()
    assert me["id"] == out["id"] and me["trusted_flagger"] is True
    claim = client.post("/api/v1/claims", json=complete_claim("EU_DSA"), headers={"Authorization": f"Bearer {out['api_key']}"}).json()
    assert claim["source"] == "trusted_flagger"
    assert any("Art. 22" in reason for reason in claim["priority_reasons"])


def test_api_keys_are_hashed_at_rest(client: Any, holder: Actor, session: Any) -> None:
    from sqlalchemy import text

    rows = session.execute(text("SELECT key_hash, prefix FROM api_key")).all()
    assert rows and all(holder.key not in (h, p) and len(h) == 64 for h, p in rows)


def test_rights_holder_cannot_see_internal_events(client: Any, holder: Actor, specialist: Actor, session: Any) -> None:
    from ipclaims.claims.workflow import record_event

    claim = client.post("/api/v1/claims", json=complete_claim("EU_DSA"), headers=holder.headers).json()
    record_event(
        session,
        claim_id=claim["id"],
        actor=None,
        subject_type="claim",
        subject_id=claim["id"],
        action="note",
        reason="internal memo",
        internal=True,
    )
    session.commit()
    holder_view = client.get(f"/api/v1/claims/{claim['id']}/events", headers=holder.headers).json()["items"]
    staff_view = client.get(f"/api/v1/claims/{claim['id']}/events", headers=specialist.headers).json()["items"]
    assert "internal memo" not in str(holder_view)
    assert any(e["reason"] == "internal memo" for e in staff_view)
