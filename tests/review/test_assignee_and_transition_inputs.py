"""First-hour refusals (issue 16): `"assignee": "me"` assigns the claim to the caller, and a `to` that is not a claim
status is a 422 that lists the statuses there are."""

from __future__ import annotations

from typing import Any

from tests.conftest import Actor
from tests.review.flows import submit

STATUSES = ("needs_info", "in_review", "escalated", "decided", "closed", "rejected", "withdrawn")


def test_assignee_me_is_the_caller(client: Any, holder: Actor, specialist: Actor, legal_user: Actor) -> None:
    claim = submit(client, holder, "EU_DSA")
    url = f"/api/v1/claims/{claim['id']}/assignee"
    r = client.put(url, json={"assignee": "me"}, headers=specialist.headers)
    assert r.status_code == 200, r.text
    assert r.json()["assignee"] == specialist.id
    mine = client.get("/api/v1/queue", params={"assignee": "me"}, headers=specialist.headers).json()["items"]
    assert [c["id"] for c in mine] == [claim["id"]]
    r = client.put(url, json={"assignee": "me"}, headers=legal_user.headers)
    assert r.status_code == 200 and r.json()["assignee"] == legal_user.id
    events = client.get(f"/api/v1/claims/{claim['id']}/events", headers=specialist.headers).json()["items"]
    assert [e["data"]["to"] for e in events if e["action"] == "assigned"] == [specialist.id, legal_user.id]


def test_assignee_me_for_an_admin_says_why_not(client: Any, holder: Actor, admin: Actor) -> None:
    claim = submit(client, holder, "EU_DSA")
    r = client.put(f"/api/v1/claims/{claim['id']}/assignee", json={"assignee": "me"}, headers=admin.headers)
    assert r.status_code == 422, r.text
    detail = r.json()["detail"]
    assert "admin" in detail and "specialist or legal" in detail


def test_assignee_that_is_no_account_says_so(client: Any, holder: Actor, specialist: Actor) -> None:
    claim = submit(client, holder, "EU_DSA")
    r = client.put(f"/api/v1/claims/{claim['id']}/assignee", json={"assignee": "01NOSUCHACCOUNT0000000000"}, headers=specialist.headers)
    assert r.status_code == 422
    assert "no account" in r.json()["detail"]


def test_a_to_that_is_no_status_lists_the_valid_ones(client: Any, holder: Actor, specialist: Actor) -> None:
    claim = submit(client, holder, "EU_DSA")
    for bogus in ("approved", "IN_REVIEW", ""):
        r = client.post(f"/api/v1/claims/{claim['id']}/transitions", json={"to": bogus, "reason": "r"}, headers=specialist.headers)
        assert r.status_code == 422, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        problem = r.json()
        assert problem["errors"][0]["loc"] == ["body", "to"]
        for status in STATUSES:
            assert status in problem["detail"] and status in problem["errors"][0]["msg"], (status, problem)
    r = client.post(
        f"/api/v1/claims/{claim['id']}/transitions", json={"to": "escalated", "reason": "fair use?"}, headers=specialist.headers
    )
    assert r.status_code == 200 and r.json()["status"] == "escalated"
