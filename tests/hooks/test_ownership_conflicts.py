"""Ownership conflicts (issue 21): two holders registering a matching reference image are both flagged, staff see
a queue, and no claim gets a `match` from either work until the conflict is resolved."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from ipclaims.db import session_scope
from ipclaims.models import Event
from tests import images
from tests.conftest import Actor

ROCKET = images.encode(images.photo("rocket"), "PNG")
COPY = images.encode(images.EDITS["crop_75_corner"](images.photo("rocket")))


def register(client: Any, owner: Actor, data: bytes = ROCKET, title: str = "Rocket") -> str:
    work = client.post("/api/v1/works", json={"title": title}, headers=owner.headers).json()
    r = client.post(f"/api/v1/works/{work['id']}/images", files={"file": ("r.png", data, "image/png")}, headers=owner.headers)
    assert r.status_code == 201, r.text
    return str(work["id"])


def claim_with_content(client: Any, owner: Actor, work_id: str) -> tuple[str, str]:
    body = {
        "kind": "copyright",
        "regime": "EU_DSA",
        "explanation": "copies of our photograph",
        "complainant": {"name": "A", "email": "a@holder.example"},
        "statements": {"bona_fide": True},
        "items": [{"url": "https://videos.example.com/watch/rocket", "work": 0}],
        "works": [{"title": "Rocket", "reference_work_id": work_id}],
    }
    r = client.post("/api/v1/claims", json=body, headers=owner.headers)
    assert r.status_code == 201, r.text
    claim = r.json()
    item_id = claim["items"][0]["id"]
    r = client.post(
        f"/api/v1/claims/{claim['id']}/items/{item_id}/content", files={"file": ("e.jpg", COPY, "image/jpeg")}, headers=owner.headers
    )
    assert r.status_code == 200, r.text
    return claim["id"], item_id


def match_for(client: Any, reader: Actor, claim_id: str, work_id: str) -> dict[str, Any]:
    claim = client.get(f"/api/v1/claims/{claim_id}", headers=reader.headers).json()
    return next(m for m in claim["items"][0]["matches"] if m["work_id"] == work_id)


def queue(client: Any, staff: Actor, status: str = "open") -> list[dict[str, Any]]:
    r = client.get(f"/api/v1/conflicts?status={status}", headers=staff.headers)
    assert r.status_code == 200, r.text
    return r.json()["items"]


def test_two_holders_registering_the_same_image_both_get_the_conflict(
    client: Any, holder: Actor, specialist: Actor, make_account: Callable[..., Actor]
) -> None:
    other = make_account("rights_holder", name="Holder B", email="b@holder-b.example")
    mine = register(client, holder)
    before, _ = claim_with_content(client, holder, mine)
    assert match_for(client, holder, before, mine)["verdict"] == "match"  # no conflict yet
    theirs = register(client, other)
    [conflict] = queue(client, specialist)
    assert conflict["work"]["id"] == theirs and conflict["other_work"]["id"] == mine
    assert conflict["work"]["owner_id"] == other.id and conflict["other_work"]["owner_id"] == holder.id
    assert conflict["detail"]["score"] >= 0.7 and conflict["status"] == "open"
    # Both works are flagged, each to its own holder; an event on each.
    for owner, work_id in ((holder, mine), (other, theirs)):
        seen = client.get(f"/api/v1/works/{work_id}", headers=owner.headers).json()
        assert [(c["id"], c["status"]) for c in seen["conflicts"]] == [(conflict["id"], "open")]
    with session_scope(write=False) as s:
        flagged = {e.subject_id for e in s.scalars(select(Event).where(Event.action == "ownership_conflict"))}
    assert flagged == {mine, theirs}

    # A claim relying on either work gets no `match`: the one matched before is downgraded, a new one too.
    stored = match_for(client, specialist, before, mine)
    assert stored["verdict"] == "possible" and stored["conflict"]["id"] == conflict["id"]
    assert "ownership conflict" in stored["conflict"]["reason"]
    staff_view = client.get(f"/api/v1/claims/{before}", headers=specialist.headers).json()
    assert not any("reported content matches" in r for r in staff_view["priority_reasons"])
    assert any("possibly matches" in r for r in staff_view["priority_reasons"])
    theirs_claim, _ = claim_with_content(client, other, theirs)
    assert match_for(client, other, theirs_claim, theirs)["verdict"] == "possible"
    again, _ = claim_with_content(client, holder, mine)
    assert match_for(client, holder, again, mine)["verdict"] == "possible"
    staff_lookup = client.post("/api/v1/match", files={"file": ("q.jpg", COPY, "image/jpeg")}, headers=specialist.headers).json()
    assert staff_lookup["matches"] and all(m["verdict"] != "match" for m in staff_lookup["matches"])

    # Resolution: the first registrant wins; its matches are `match` again, the other work's stay downgraded.
    bad = {"outcome": "winner", "winner_work_id": "01NOTAWORK0000000000000000", "reason": "x"}
    assert client.post(f"/api/v1/conflicts/{conflict['id']}/resolve", json=bad, headers=specialist.headers).status_code == 422
    body = {"outcome": "winner", "winner_work_id": mine, "reason": "Holder A holds the registration certificate"}
    assert client.post(f"/api/v1/conflicts/{conflict['id']}/resolve", json=body, headers=holder.headers).status_code == 403
    r = client.post(f"/api/v1/conflicts/{conflict['id']}/resolve", json=body, headers=specialist.headers)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "resolved" and r.json()["winner_work_id"] == mine and r.json()["resolved_by"] == specialist.id
    assert client.post(f"/api/v1/conflicts/{conflict['id']}/resolve", json=body, headers=specialist.headers).status_code == 409
    assert queue(client, specialist) == [] and [c["id"] for c in queue(client, specialist, "resolved")] == [conflict["id"]]
    assert match_for(client, specialist, before, mine)["verdict"] == "match"
    assert match_for(client, specialist, before, mine)["conflict"] is None
    lost = match_for(client, specialist, theirs_claim, theirs)
    assert lost["verdict"] == "possible" and "resolved against" in lost["conflict"]["reason"]
    with session_scope(write=False) as s:
        resolved = list(s.scalars(select(Event).where(Event.action == "conflict_resolved")))
    assert {e.subject_id for e in resolved} == {mine, theirs} and all(e.reason == body["reason"] for e in resolved)


def test_the_same_holder_registering_an_image_twice_is_no_conflict(client: Any, holder: Actor, specialist: Actor) -> None:
    register(client, holder)
    register(client, holder, title="Rocket, again")
    assert queue(client, specialist) == []


def test_an_unrelated_image_opens_no_conflict(client: Any, holder: Actor, specialist: Actor, make_account: Callable[..., Actor]) -> None:
    other = make_account("rights_holder", name="Holder B", email="b@holder-b.example")
    register(client, holder)
    register(client, other, images.encode(images.photo("coffee"), "PNG"), title="Coffee")
    assert queue(client, specialist) == []
    assert client.get("/api/v1/conflicts", headers=holder.headers).status_code == 403


def test_both_valid_restores_both(client: Any, holder: Actor, specialist: Actor, make_account: Callable[..., Actor]) -> None:
    other = make_account("rights_holder", name="Holder B", email="b@holder-b.example")
    mine = register(client, holder)
    theirs = register(client, other)
    [conflict] = queue(client, specialist)
    body = {"outcome": "both_valid", "reason": "B is A's exclusive licensee"}
    assert client.post(f"/api/v1/conflicts/{conflict['id']}/resolve", json=body, headers=specialist.headers).status_code == 200
    for owner, work_id in ((holder, mine), (other, theirs)):
        claim_id, _ = claim_with_content(client, owner, work_id)
        assert match_for(client, owner, claim_id, work_id)["verdict"] == "match"
