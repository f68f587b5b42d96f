"""Contract details of the review API: Idempotency-Key on every state-changing POST, list shapes, role refusals."""

from __future__ import annotations

from typing import Any

from tests.conftest import Actor
from tests.review.flows import counter, decided_claim, submit


def _events(client: Any, claim: dict[str, Any], staff: Actor) -> list[dict[str, Any]]:
    return client.get(f"/api/v1/claims/{claim['id']}/events", headers=staff.headers).json()["items"]


def test_a_retried_decision_with_its_key_replays_instead_of_409(client: Any, holder: Actor, specialist: Actor) -> None:
    claim = submit(client, holder, "EU_DSA")
    url = f"/api/v1/claims/{claim['id']}/items/{claim['items'][0]['id']}/decision"
    headers = {**specialist.headers, "Idempotency-Key": "decide-1"}
    first = client.post(url, json={"outcome": "removed", "reason": "copy"}, headers=headers)
    again = client.post(url, json={"outcome": "removed", "reason": "copy"}, headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.headers.get("idempotency-replayed") == "true"
    assert again.json() == first.json()
    assert sum(e["action"] == "decided" and e["subject_type"] == "item" for e in _events(client, claim, specialist)) == 1
    # The same key with another body is refused; without a key the repeat is the 409 it always was.
    other = client.post(url, json={"outcome": "no_action", "reason": "copy"}, headers=headers)
    assert other.status_code == 422
    assert client.post(url, json={"outcome": "removed"}, headers=specialist.headers).status_code == 409


def test_a_retried_counter_notice_with_its_key_is_recorded_once(client: Any, holder: Actor, specialist: Actor) -> None:
    claim = decided_claim(client, holder, specialist, "US_DMCA")
    first = counter(client, specialist, claim, received_at="2025-11-26T11:00:00-05:00")
    item_id = claim["items"][1]["id"]
    from tests.legal.notices import complete_counter_notice

    body = complete_counter_notice("US_DMCA") | {"received_at": "2025-12-19T16:00:00-05:00"}
    headers = {**specialist.headers, "Idempotency-Key": "cn-2"}
    url = f"/api/v1/claims/{claim['id']}/items/{item_id}/counter-notices"
    a = client.post(url, json=body, headers=headers)
    b = client.post(url, json=body, headers=headers)
    assert a.status_code == b.status_code == 201
    assert a.json()["id"] == b.json()["id"] != first["id"]
    assert b.json()["restore_window"] == {"earliest": "2026-01-06", "latest": "2026-01-12"}
    listed = client.get(f"/api/v1/claims/{claim['id']}/counter-notices", headers=specialist.headers).json()
    assert len(listed["items"]) == 2


def test_a_retried_transition_and_note_replay(client: Any, holder: Actor, specialist: Actor) -> None:
    claim = submit(client, holder, "EU_DSA")
    headers = {**specialist.headers, "Idempotency-Key": "esc-1"}
    url = f"/api/v1/claims/{claim['id']}/transitions"
    a = client.post(url, json={"to": "escalated", "reason": "parody?"}, headers=headers)
    b = client.post(url, json={"to": "escalated", "reason": "parody?"}, headers=headers)
    assert a.status_code == b.status_code == 200 and b.headers.get("idempotency-replayed") == "true"
    assert sum(e["to"] == "escalated" for e in _events(client, claim, specialist)) == 1
    notes = f"/api/v1/claims/{claim['id']}/notes"
    n1 = client.post(notes, json={"body": "asked legal"}, headers={**specialist.headers, "Idempotency-Key": "n-1"})
    n2 = client.post(notes, json={"body": "asked legal"}, headers={**specialist.headers, "Idempotency-Key": "n-1"})
    assert n1.status_code == n2.status_code == 201 and n1.json()["id"] == n2.json()["id"]
    assert len(client.get(notes, headers=specialist.headers).json()["items"]) == 1


def test_keys_are_per_account(client: Any, holder: Actor, specialist: Actor, make_account: Any) -> None:
    other = make_account("specialist")
    claim = submit(client, holder, "EU_DSA")
    notes = f"/api/v1/claims/{claim['id']}/notes"
    for actor in (specialist, other):
        r = client.post(notes, json={"body": "same words"}, headers={**actor.headers, "Idempotency-Key": "k"})
        assert r.status_code == 201 and "idempotency-replayed" not in r.headers
    assert len(client.get(notes, headers=specialist.headers).json()["items"]) == 2


def test_lists_are_items_and_next_cursor(client: Any, holder: Actor, specialist: Actor, admin: Actor) -> None:
    claim = submit(client, holder, "EU_DSA")
    for path, actor in (
        (f"/api/v1/claims/{claim['id']}/notes", holder),
        (f"/api/v1/claims/{claim['id']}/complaints", holder),
        (f"/api/v1/claims/{claim['id']}/counter-notices", holder),
        (f"/api/v1/claims/{claim['id']}/events", holder),
        ("/api/v1/admin/closures", specialist),
        ("/api/v1/admin/sla", specialist),
        ("/api/v1/queue", specialist),
        ("/api/v1/accounts", admin),
        (f"/api/v1/accounts/{holder.id}/keys", admin),
    ):
        body = client.get(path, headers=actor.headers).json()
        assert set(body) == {"items", "next_cursor"}, path
        assert isinstance(body["items"], list) and body["next_cursor"] is None, path


def test_an_admin_may_never_move_a_claim(client: Any, holder: Actor, admin: Actor) -> None:
    claim = submit(client, holder, "EU_DSA")
    r = client.post(f"/api/v1/claims/{claim['id']}/transitions", json={"to": "rejected", "reason": "x"}, headers=admin.headers)
    assert r.status_code == 403 and r.headers["content-type"].startswith("application/problem+json")


def test_internal_complaints_are_for_eu_and_trademark_claims_only(client: Any, holder: Actor, specialist: Actor) -> None:
    for regime, expected in (("US_DMCA", 409), ("SG_CA2021", 409), ("EU_DSA", 201), ("TM_POLICY", 201)):
        claim = decided_claim(client, holder, specialist, regime)
        r = client.post(
            f"/api/v1/claims/{claim['id']}/items/{claim['items'][0]['id']}/complaints",
            json={"complainant_role": "uploader", "body": "it is my own work"},
            headers=specialist.headers,
        )
        assert r.status_code == expected, (regime, r.text)
        if expected == 409:
            assert "counter-notice" in r.json()["detail"]


def test_staff_see_the_notifiers_unfounded_rate_on_the_claim(client: Any, holder: Actor, specialist: Actor) -> None:
    decided_claim(client, holder, specialist, "EU_DSA", outcomes=("no_action",))
    claim = submit(client, holder, "EU_DSA")
    staff_view = client.get(f"/api/v1/claims/{claim['id']}", headers=specialist.headers).json()
    assert staff_view["notifier"]["account_id"] == holder.id
    assert staff_view["notifier"]["decided_items"] == 1 and staff_view["notifier"]["unfounded_items"] == 1
    assert staff_view["notifier"]["unfounded_rate"] == 1.0
    queued = client.get("/api/v1/queue", headers=specialist.headers).json()["items"]
    assert all(c["notifier"] is not None for c in queued)
    assert client.get(f"/api/v1/claims/{claim['id']}", headers=holder.headers).json()["notifier"] is None


def test_withdrawing_a_held_counter_notice_puts_the_takedown_back(client: Any, holder: Actor, specialist: Actor, legal_user: Actor) -> None:
    claim = decided_claim(client, holder, specialist, "US_DMCA")
    cn = counter(client, specialist, claim, received_at="2025-11-26T11:00:00-05:00")
    r = client.post(
        f"/api/v1/counter-notices/{cn['id']}/court-action",
        headers=holder.headers,
        json={"court": "S.D.N.Y.", "case_number": "1:25-cv-7", "filed_on": "2025-12-01"},
    )
    assert r.status_code == 200 and r.json()["status"] == "litigation_hold"
    # Only legal withdraws a counter-notice under a litigation hold.
    assert client.post(f"/api/v1/counter-notices/{cn['id']}/withdraw", json={}, headers=specialist.headers).status_code == 409
    r = client.post(f"/api/v1/counter-notices/{cn['id']}/withdraw", json={"reason": "subscriber withdrew"}, headers=legal_user.headers)
    assert r.status_code == 200 and r.json()["status"] == "withdrawn"
    item = client.get(f"/api/v1/claims/{claim['id']}", headers=holder.headers).json()["items"][0]
    assert item["status"] == "actioned" and item["outcome"] == "removed"


def test_sg_clock_uses_the_singapore_date_whatever_ipclaims_timezone_says(
    client: Any, holder: Actor, specialist: Actor, set_env: Any
) -> None:
    # 01:00 on Fri 13 Feb 2026 in Singapore is still Thu 12 Feb in Honolulu and in New York.
    set_env(IPCLAIMS_TIMEZONE="Pacific/Honolulu")
    claim = decided_claim(client, holder, specialist, "SG_CA2021")
    cn = counter(client, specialist, claim, received_at="2026-02-12T17:00:00+00:00")
    assert cn["clock_timezone"] == "Asia/Singapore"
    assert cn["restore_window"] == {"earliest": "2026-03-03", "latest": "2026-03-09"}  # DOMAIN.md worked example
    us = decided_claim(client, holder, specialist, "US_DMCA")
    us_cn = counter(client, specialist, us, received_at="2026-02-12T17:00:00+00:00")
    assert us_cn["clock_timezone"] == "Pacific/Honolulu"  # the US clock does follow the setting


def test_a_filing_dated_today_in_singapore_is_not_in_the_future(client: Any, holder: Actor, specialist: Actor, monkeypatch: Any) -> None:
    from datetime import UTC, datetime

    from ipclaims.review import counter_notices

    claim = decided_claim(client, holder, specialist, "SG_CA2021")
    cn = counter(client, specialist, claim, received_at="2026-02-13T10:00:00+08:00")
    # 17:30 UTC on 2 March is already 3 March (01:30) in Singapore.
    monkeypatch.setattr(counter_notices, "utcnow", lambda: datetime(2026, 3, 2, 17, 30, tzinfo=UTC))
    r = client.post(
        f"/api/v1/counter-notices/{cn['id']}/court-action",
        headers=holder.headers,
        json={"court": "General Division of the High Court", "case_number": "HC/OC 123/2026", "filed_on": "2026-03-03"},
    )
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "litigation_hold"


def test_state_changing_json_posts_take_the_one_idempotency_dependency() -> None:
    """Every JSON POST that changes state answers a retry with its first response through `idempotency.Idempotent`
    (not a copy of its own), with the status its route declares. Not: account and key creation (the record would
    keep a one-time key in clear text), intake (its own write path), uploads (content-addressed, retry-safe)."""
    from fastapi.routing import APIRoute

    from ipclaims import idempotency, main

    def calls(dependant: Any) -> set[Any]:
        return {dependant.call} | {c for d in dependant.dependencies for c in calls(d)}

    exempt = {
        "/api/v1/accounts",
        "/api/v1/accounts/{account_id}/keys",
        "/api/v1/claims",
        "/api/v1/match",
        "/api/v1/claims/{claim_id}/items/{item_id}/content",
        "/api/v1/works/{work_id}/images",
        # The answer carries a webhook secret shown once: a record would keep it in clear text (as for API keys).
        "/api/v1/admin/webhooks",
        "/api/v1/admin/webhooks/{endpoint_id}/rotate",
    }
    # Renders between a read and a short write transaction, so it cannot hold the request's session (`once`): it runs
    # `idempotency.run` inside that write (tests/letters/test_letters.py replays it).
    own_write = {"/api/v1/claims/{claim_id}/letters"}
    routers = (
        main.claims_router,
        main.review_router,
        main.works_router,
        main.matching_router,
        main.accounts_router,
        main.integrations_router,
        main.letters_router,
        main.reports_router,
    )
    posts = [r for router in routers for r in router.routes if isinstance(r, APIRoute) and "POST" in r.methods and r.path not in exempt]
    assert len(posts) == 17
    assert [r.path for r in posts if r.path not in own_write and idempotency.once not in calls(r.dependant)] == []
    assert [r.path for r in posts if r.path in own_write] == sorted(own_write)


def test_a_replay_keeps_the_status_the_route_declares(client: Any, holder: Actor, specialist: Actor) -> None:
    claim = submit(client, holder, "EU_DSA")
    headers = {**specialist.headers, "Idempotency-Key": "rel-1"}
    first = client.post(f"/api/v1/claims/{claim['id']}/release", headers=headers)
    again = client.post(f"/api/v1/claims/{claim['id']}/release", headers=headers)
    assert (first.status_code, again.status_code) == (200, 200) and again.headers["Idempotency-Replayed"] == "true"
    work = {**holder.headers, "Idempotency-Key": "w-1"}
    made = [client.post("/api/v1/works", json={"title": "Poster"}, headers=work) for _ in range(2)]
    assert [r.status_code for r in made] == [201, 201] and made[0].json() == made[1].json()
