"""The review queue (priority, due time, filters, assignment) and the abuse signals (strikes, unfounded rate)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ipclaims.jobs.worker import run_once
from tests.conftest import Actor
from tests.legal.notices import complete_claim
from tests.races import race
from tests.review.flows import counter, decide, decided_claim, submit


def test_queue_orders_by_priority_then_due_time_with_reasons(client: Any, holder: Actor, specialist: Actor, make_account: Any) -> None:
    flagger = make_account("rights_holder", trusted_flagger=True)
    plain = submit(client, holder, "TM_POLICY")
    flagged = submit(client, flagger, "EU_DSA")
    press = client.post(
        "/api/v1/claims", json=complete_claim("EU_DSA") | {"source": "press", "on_behalf_of": holder.id}, headers=specialist.headers
    ).json()
    many = client.post(
        "/api/v1/claims",
        headers=holder.headers,
        json=complete_claim("EU_DSA") | {"items": [{"url": f"https://video.example.com/watch?v={i}"} for i in range(16)]},
    ).json()
    queue = client.get("/api/v1/queue", headers=specialist.headers).json()["items"]
    order = [c["id"] for c in queue]
    assert order.index(flagged["id"]) < order.index(press["id"]) < order.index(many["id"]) < order.index(plain["id"])
    by_id = {c["id"]: c for c in queue}
    assert any("Art. 22" in r for r in by_id[flagged["id"]]["priority_reasons"])
    assert any("press" in r for r in by_id[press["id"]]["priority_reasons"])
    assert any("16 reported items" in r for r in by_id[many["id"]]["priority_reasons"])
    assert by_id[press["id"]]["due_at"] < by_id[plain["id"]]["due_at"]
    # Cursor pages keep the same order.
    pages, cursor = [], None
    while True:
        page = client.get("/api/v1/queue", params={"limit": 1, **({"cursor": cursor} if cursor else {})}, headers=specialist.headers).json()
        pages += [c["id"] for c in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert pages == order


def test_equal_priority_is_ordered_by_due_time(client: Any, holder: Actor, specialist: Actor, admin: Actor) -> None:
    r = client.put("/api/v1/admin/sla", json={"regime": "TM_POLICY", "source": "notice", "hours": 4}, headers=admin.headers)
    assert r.status_code == 200
    eu = submit(client, holder, "EU_DSA")  # 72 h
    tm = client.post(
        "/api/v1/claims", json=complete_claim("TM_POLICY") | {"items": [{"url": "https://shop.example.com/l/1"}]}, headers=holder.headers
    ).json()
    ids = [c["id"] for c in client.get("/api/v1/queue", headers=specialist.headers).json()["items"]]
    assert ids.index(tm["id"]) < ids.index(eu["id"])
    sla = {(r["regime"], r["source"]): r["hours"] for r in client.get("/api/v1/admin/sla", headers=specialist.headers).json()["items"]}
    assert sla[("TM_POLICY", "notice")] == 4 and sla[("US_DMCA", "notice")] == 48


def test_queue_filters_and_access(client: Any, holder: Actor, specialist: Actor, legal_user: Actor) -> None:
    eu = submit(client, holder, "EU_DSA")
    us = submit(client, holder, "US_DMCA")
    client.post(
        f"/api/v1/claims/{us['id']}/transitions", json={"to": "escalated", "reason": "fair use question"}, headers=specialist.headers
    )
    assert client.get("/api/v1/queue", headers=holder.headers).status_code == 403
    escalated = client.get("/api/v1/queue", params={"status": "escalated"}, headers=legal_user.headers).json()["items"]
    assert [c["id"] for c in escalated] == [us["id"]]
    eu_only = client.get("/api/v1/queue", params={"regime": "EU_DSA"}, headers=specialist.headers).json()["items"]
    assert [c["id"] for c in eu_only] == [eu["id"]]
    assert client.get("/api/v1/queue", params={"assignee": "me"}, headers=specialist.headers).json()["items"] == []


def test_assign_claim_next_and_release(client: Any, holder: Actor, specialist: Actor, legal_user: Actor, make_account: Any) -> None:
    a = submit(client, holder, "EU_DSA")
    b = submit(client, holder, "EU_DSA")
    mine = client.post("/api/v1/queue/claim-next", headers=specialist.headers).json()
    assert mine["assignee"] == specialist.id and mine["id"] in (a["id"], b["id"])
    other = make_account("specialist")
    theirs = client.post("/api/v1/queue/claim-next", headers=other.headers).json()
    assert theirs["id"] != mine["id"] and theirs["assignee"] == other.id
    assert client.post("/api/v1/queue/claim-next", headers=specialist.headers).status_code == 404
    assert client.post("/api/v1/queue/claim-next", headers=holder.headers).status_code == 403
    released = client.post(f"/api/v1/claims/{mine['id']}/release", headers=specialist.headers).json()
    assert released["assignee"] is None
    r = client.put(f"/api/v1/claims/{mine['id']}/assignee", json={"assignee": holder.id}, headers=specialist.headers)
    assert r.status_code == 422
    r = client.put(f"/api/v1/claims/{mine['id']}/assignee", json={"assignee": legal_user.id}, headers=specialist.headers)
    assert r.status_code == 200 and r.json()["assignee"] == legal_user.id
    listed = client.get("/api/v1/queue", params={"assignee": legal_user.id}, headers=specialist.headers).json()["items"]
    assert [c["id"] for c in listed] == [mine["id"]]


def test_claim_next_raced_by_many_reviewers_hands_out_distinct_claims(client: Any, holder: Actor, make_account: Any) -> None:
    for _ in range(4):
        submit(client, holder, "EU_DSA")
    reviewers = [make_account("specialist") for _ in range(6)]
    results = race(6, lambda i: client.post("/api/v1/queue/claim-next", headers=reviewers[i].headers))
    got = [r.json()["id"] for r in results if r.status_code == 200]
    assert sorted(r.status_code for r in results) == [200] * 4 + [404] * 2
    assert len(set(got)) == 4


def test_escalated_claims_are_legals_to_claim(client: Any, holder: Actor, specialist: Actor, legal_user: Actor) -> None:
    claim = submit(client, holder, "EU_DSA")
    client.post(f"/api/v1/claims/{claim['id']}/transitions", json={"to": "escalated", "reason": "r"}, headers=specialist.headers)
    assert client.post("/api/v1/queue/claim-next", headers=specialist.headers).status_code == 404
    assert client.post("/api/v1/queue/claim-next", headers=legal_user.headers).json()["id"] == claim["id"]
    r = client.put(f"/api/v1/claims/{claim['id']}/assignee", json={"assignee": specialist.id}, headers=legal_user.headers)
    assert r.status_code == 409


def test_source_is_set_by_staff_and_changes_priority_and_due(client: Any, holder: Actor, specialist: Actor) -> None:
    claim = submit(client, holder, "EU_DSA")
    r = client.put(
        f"/api/v1/claims/{claim['id']}/source", json={"source": "authority", "reason": "police referral"}, headers=specialist.headers
    )
    assert r.status_code == 200
    updated = r.json()
    assert updated["source"] == "authority" and updated["priority"] > claim["priority"]
    assert updated["due_at"] < claim["due_at"]
    assert client.put(f"/api/v1/claims/{claim['id']}/source", json={"source": "press"}, headers=holder.headers).status_code == 403
    assert client.put(f"/api/v1/claims/{claim['id']}/source", json={"source": "tv"}, headers=specialist.headers).status_code == 422


def test_strikes_count_only_effective_notices(client: Any, holder: Actor, specialist: Actor, legal_user: Actor) -> None:
    def claim_against(uploader: str) -> dict[str, Any]:
        body = complete_claim("US_DMCA")
        for item in body["items"]:
            item["uploader"] = uploader
        return client.post("/api/v1/claims", json=body, headers=holder.headers).json()

    effective = claim_against("repeat_uploader")
    decide(client, specialist, effective, 0, "removed")
    decide(client, specialist, effective, 1, "removed")
    restored = claim_against("repeat_uploader")
    decide(client, specialist, restored, 0, "removed")
    restored = decide(client, specialist, restored, 1, "no_action")
    cn = counter(client, specialist, restored, item=0, received_at="2025-11-26T11:00:00-05:00")
    run_once(now=datetime.fromisoformat("2025-12-11T09:00:00-05:00"))
    assert client.get(f"/api/v1/counter-notices/{cn['id']}", headers=specialist.headers).json()["status"] == "restored"
    reversed_ = claim_against("repeat_uploader")
    decide(client, specialist, reversed_, 0, "removed")
    decide(client, specialist, reversed_, 1, "removed")
    decide(client, legal_user, reversed_, 0, "no_action")
    decide(client, legal_user, reversed_, 1, "no_action")
    pending = claim_against("repeat_uploader")  # not decided: not a strike
    assert pending["status"] == "in_review"
    strikes = client.get("/api/v1/uploaders/repeat_uploader/strikes", headers=specialist.headers).json()
    assert strikes["strikes"] == 1 and strikes["claims"] == [effective["reference"]]
    assert "512(i)" in strikes["policy"]
    assert client.get("/api/v1/uploaders/repeat_uploader/strikes", headers=holder.headers).status_code == 403


def test_notifier_unfounded_rate(client: Any, holder: Actor, specialist: Actor) -> None:
    decided_claim(client, holder, specialist, "US_DMCA", outcomes=("removed", "no_action"))
    decided_claim(client, holder, specialist, "EU_DSA", outcomes=("no_action",))
    stats = client.get(f"/api/v1/notifiers/{holder.id}/stats", headers=specialist.headers).json()
    assert stats["decided_items"] == 3 and stats["unfounded_items"] == 2
    assert abs(stats["unfounded_rate"] - 2 / 3) < 1e-3
    assert "Art. 23" in stats["basis"]
