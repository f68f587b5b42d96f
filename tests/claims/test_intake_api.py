"""Claim intake over HTTP: every regime, incomplete notices stored and answered, the echo, PATCH to cure."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Actor
from tests.legal.notices import REMOVE, changed, complete_claim

REGIMES = ["US_DMCA", "EU_DSA", "SG_CA2021", "TM_POLICY"]


def post(client: Any, actor: Actor, body: dict[str, Any], **headers: str) -> Any:
    return client.post("/api/v1/claims", json=body, headers={**actor.headers, **headers})


def statuses(claim: dict[str, Any]) -> dict[str, str]:
    return {e["code"]: e["status"] for e in claim["completeness"]["elements"]}


@pytest.mark.parametrize("regime", REGIMES)
def test_complete_claim_starts_in_review_with_every_element_cited(client: Any, holder: Actor, regime: str) -> None:
    r = post(client, holder, complete_claim(regime))
    assert r.status_code == 201, r.text
    claim = r.json()
    assert claim["status"] == "in_review"
    assert claim["regime"] == regime
    assert claim["reference"].startswith("IPC-20") and len(claim["reference"]) == len("IPC-2026-000001")
    assert claim["completeness"]["complete"] is True
    assert claim["completeness"]["curable"] is False
    assert all(e["status"] == "present" and e["citation"] for e in claim["completeness"]["elements"])
    assert len(claim["items"]) == len(complete_claim(regime)["items"])
    assert all(i["status"] == "pending" and i["outcome"] is None and i["matches"] == [] for i in claim["items"])
    assert claim["due_at"] is not None and claim["assignee"] is None
    again = client.get(f"/api/v1/claims/{claim['id']}", headers=holder.headers).json()
    assert again["completeness"] == claim["completeness"] and again["reference"] == claim["reference"]


def test_echoes_every_submitted_field_as_stored(client: Any, holder: Actor) -> None:
    body = complete_claim("US_DMCA")
    body["rights_owner"] = "Rights Co Holdings"
    body["sg_address_for_service"] = "1 Raffles Place, Singapore 048616"
    claim = post(client, holder, body).json()
    for field in ("rights_owner", "sg_address_for_service", "explanation"):
        assert claim[field] == body[field]
    assert claim["complainant"]["name"] == body["complainant"]["name"]
    assert claim["complainant"]["address"]["city"] == "New York"
    assert claim["works"][0]["title"] == body["works"][0]["title"]
    assert claim["works"][0]["urls"] == body["works"][0]["urls"]
    assert claim["statements"]["authority_under_penalty_of_perjury"] is True
    assert claim["statements"]["fair_use_considered"] is True
    assert claim["signature"] == body["signature"]
    assert [i["url"] for i in claim["items"]] == [i["url"] for i in body["items"]]


def test_incomplete_claim_is_stored_and_answered_201(client: Any, holder: Actor) -> None:
    body = changed(complete_claim("US_DMCA"), [(("signature",), REMOVE), (("statements", "authority_under_penalty_of_perjury"), REMOVE)])
    r = post(client, holder, body)
    assert r.status_code == 201
    claim = r.json()
    assert claim["status"] == "needs_info"
    assert statuses(claim)["signature"] == "missing"
    assert statuses(claim)["accuracy_authority_statement"] == "deficient"
    assert claim["completeness"]["curable"] is True
    listed = client.get("/api/v1/claims", headers=holder.headers).json()["items"]
    assert [c["id"] for c in listed] == [claim["id"]]


def test_only_kind_regime_and_items_are_required(client: Any, holder: Actor) -> None:
    r = post(client, holder, {"kind": "copyright", "regime": "EU_DSA", "items": [{"url": "https://x.example/v/1"}]})
    assert r.status_code == 201
    s = statuses(r.json())
    assert s == {
        "substantiated_explanation": "missing",
        "exact_location": "present",
        "notifier_identity": "missing",
        "bona_fide_statement": "missing",
    }


def test_legally_insufficient_content_is_deficient_never_422(client: Any, holder: Actor) -> None:
    body = changed(
        complete_claim("TM_POLICY"),
        [
            (("trademark", "nice_classes"), [9, 46]),
            (("complainant", "email"), "not-an-email"),
            (("signature", "name"), "   "),
            (("items",), [{"url": "not a url"}, {"url": "https://shop.example.com/"}]),
        ],
    )
    r = post(client, holder, body)
    assert r.status_code == 201, r.text
    s = statuses(r.json())
    assert s["goods_services"] == "deficient"
    assert s["contact_information"] == "deficient"
    assert s["signature"] == "deficient"
    assert s["material_location"] == "deficient"
    assert [i["locatable"] for i in r.json()["items"]] == [False, False]


def test_platform_hosts_setting_marks_off_platform_items(client: Any, holder: Actor, set_env: Any) -> None:
    set_env(IPCLAIMS_PLATFORM_HOSTS="video.example.com, shop.example.com")
    body = changed(complete_claim("US_DMCA"), [(("items", 1, "url"), "https://elsewhere.example.org/v/xyz789")])
    claim = post(client, holder, body).json()
    assert statuses(claim)["material_location"] == "deficient"
    assert [i["locatable"] for i in claim["items"]] == [True, False]
    assert "elsewhere.example.org" in claim["items"][1]["location_detail"]
    assert claim["status"] == "needs_info"


@pytest.mark.parametrize(
    "body, where",
    [
        ({"regime": "US_DMCA", "items": [{"url": "https://x.example/a"}]}, "kind"),
        ({"kind": "copyright", "items": [{"url": "https://x.example/a"}]}, "regime"),
        ({"kind": "copyright", "regime": "US_DMCA"}, "items"),
        ({"kind": "copyright", "regime": "US_DMCA", "items": []}, "items"),
        ({"kind": "patent", "regime": "US_DMCA", "items": [{"url": "https://x.example/a"}]}, "kind"),
        ({"kind": "copyright", "regime": "UK_CDPA", "items": [{"url": "https://x.example/a"}]}, "regime"),
        ({"kind": "copyright", "regime": "US_DMCA", "items": [{"url": 5}]}, "items"),
        (
            {"kind": "copyright", "regime": "US_DMCA", "items": [{"url": "https://x.example/a"}], "statements": {"good_faith": "yes"}},
            "statements",
        ),
        (
            {
                "kind": "trademark",
                "regime": "TM_POLICY",
                "items": [{"url": "https://x.example/a"}],
                "trademark": {"nice_classes": ["nine"]},
            },
            "trademark",
        ),
        ({"kind": "copyright", "regime": "US_DMCA", "items": "https://x.example/a"}, "items"),
    ],
)
def test_malformed_input_is_422_problem_json(client: Any, holder: Actor, body: dict[str, Any], where: str) -> None:
    r = post(client, holder, body)
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    problem = r.json()
    assert problem["status"] == 422 and problem["title"] and problem["type"]
    assert any(where in [str(p) for p in e["loc"]] for e in problem["errors"]), problem
    assert client.get("/api/v1/claims", headers=holder.headers).json()["items"] == []


def test_unparseable_json_is_422(client: Any, holder: Actor) -> None:
    r = client.post("/api/v1/claims", content=b'{"kind": "copyright", ', headers={**holder.headers, "Content-Type": "application/json"})
    assert r.status_code == 422
    assert "JSON" in r.json()["detail"]


def test_more_than_1000_items_is_422_and_nothing_is_stored(client: Any, holder: Actor) -> None:
    body = complete_claim("EU_DSA")
    body["items"] = [{"url": f"https://video.example.com/watch?v={i}"} for i in range(1001)]
    r = post(client, holder, body)
    assert r.status_code == 422
    assert "1000" in r.json()["detail"]
    body["items"] = body["items"][:1000]
    r = post(client, holder, body)
    assert r.status_code == 201
    assert len(r.json()["items"]) == 1000
    assert len(client.get("/api/v1/claims", headers=holder.headers).json()["items"]) == 1


def test_body_over_limit_is_413(client: Any, holder: Actor, set_env: Any) -> None:
    set_env(IPCLAIMS_MAX_BODY_BYTES="2000")
    body = complete_claim("EU_DSA")
    body["explanation"] = "x" * 5000
    r = post(client, holder, body)
    assert r.status_code == 413
    assert r.headers["content-type"].startswith("application/problem+json")

    # Streamed without a Content-Length, the limit still holds.
    def chunks() -> Any:
        for _ in range(10):
            yield b" " * 1000

    r = client.post("/api/v1/claims", content=chunks(), headers={**holder.headers, "Content-Type": "application/json"})
    assert r.status_code == 413


def test_wrong_content_type_is_415(client: Any, holder: Actor) -> None:
    r = client.post("/api/v1/claims", data={"kind": "copyright"}, headers=holder.headers)
    assert r.status_code == 415


def test_staff_may_set_received_at_and_file_on_behalf(client: Any, holder: Actor, specialist: Actor) -> None:
    body = complete_claim("US_DMCA") | {"received_at": "2026-11-02T09:30:00-05:00", "on_behalf_of": holder.id, "source": "partner"}
    r = post(client, specialist, body)
    assert r.status_code == 201, r.text
    claim = r.json()
    assert claim["received_at"].startswith("2026-11-02T14:30:00")
    assert claim["owner_id"] == holder.id and claim["source"] == "partner"
    assert any("partner" in reason for reason in claim["priority_reasons"])
    assert client.get(f"/api/v1/claims/{claim['id']}", headers=holder.headers).status_code == 200


def test_rights_holder_may_not_set_staff_fields(client: Any, holder: Actor) -> None:
    r = post(client, holder, complete_claim("US_DMCA") | {"received_at": "2026-11-02T09:30:00Z"})
    assert r.status_code == 403


def test_naive_received_at_is_422(client: Any, specialist: Actor) -> None:
    r = post(client, specialist, complete_claim("US_DMCA") | {"received_at": "2026-11-02T09:30:00"})
    assert r.status_code == 422


def test_patch_cures_a_needs_info_claim(client: Any, holder: Actor) -> None:
    body = changed(complete_claim("US_DMCA"), [(("signature",), REMOVE), (("statements", "good_faith"), REMOVE)])
    claim = post(client, holder, body).json()
    assert claim["status"] == "needs_info"
    r = client.patch(f"/api/v1/claims/{claim['id']}", json={"statements": {"good_faith": True}}, headers=holder.headers)
    assert r.status_code == 200
    partly = r.json()
    assert partly["status"] == "needs_info"
    assert statuses(partly)["good_faith_statement"] == "present"
    # Merge, not replace: the other statements survive.
    assert partly["statements"]["accuracy"] is True
    r = client.patch(f"/api/v1/claims/{claim['id']}", json={"signature": {"name": "/s/ Ada Rights"}}, headers=holder.headers)
    cured = r.json()
    assert cured["status"] == "in_review" and cured["completeness"]["complete"] is True
    events = client.get(f"/api/v1/claims/{claim['id']}/events", headers=holder.headers).json()["items"]
    assert [e["action"] for e in events] == ["submitted", "supplemented", "supplemented", "completed"]
    assert events[-1]["from"] == "needs_info" and events[-1]["to"] == "in_review"
    assert all(e["at"] and e["actor"] == holder.id for e in events)
    # No longer needs_info: a further PATCH is a 409.
    r = client.patch(f"/api/v1/claims/{claim['id']}", json={"explanation": "more"}, headers=holder.headers)
    assert r.status_code == 409


def test_patch_items_keeps_identified_items_and_replaces_the_rest(client: Any, holder: Actor) -> None:
    body = changed(
        complete_claim("US_DMCA"), [(("items",), [{"url": "https://video.example.com/"}, {"url": "https://video.example.com/v/2"}])]
    )
    claim = post(client, holder, body).json()
    assert statuses(claim)["material_location"] == "deficient"
    keep = claim["items"][1]["id"]
    r = client.patch(
        f"/api/v1/claims/{claim['id']}",
        headers=holder.headers,
        json={"items": [{"id": keep}, {"url": "https://video.example.com/v/3", "work": 0}]},
    )
    assert r.status_code == 200, r.text
    cured = r.json()
    assert [i["url"] for i in cured["items"]] == ["https://video.example.com/v/2", "https://video.example.com/v/3"]
    assert cured["items"][0]["id"] == keep and cured["items"][0]["position"] == 0
    assert cured["status"] == "in_review"
    r = client.patch(f"/api/v1/claims/{claim['id']}", headers=holder.headers, json={"items": [{"id": "nope"}]})
    assert r.status_code == 409  # no longer needs_info


def test_patch_unknown_item_id_is_422(client: Any, holder: Actor) -> None:
    claim = post(client, holder, changed(complete_claim("US_DMCA"), [(("signature",), REMOVE)])).json()
    r = client.patch(f"/api/v1/claims/{claim['id']}", headers=holder.headers, json={"items": [{"id": "nope"}]})
    assert r.status_code == 422
    assert client.get(f"/api/v1/claims/{claim['id']}", headers=holder.headers).json()["items"] == claim["items"]


def test_list_filters_and_cursor(client: Any, holder: Actor) -> None:
    ids = []
    for regime in REGIMES + REGIMES:
        ids.append(post(client, holder, complete_claim(regime)).json()["id"])
    post(client, holder, changed(complete_claim("EU_DSA"), [(("explanation",), REMOVE)]))
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/v1/claims", params=params, headers=holder.headers).json()
        seen += [c["id"] for c in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 9 and len(set(seen)) == 9
    eu = client.get("/api/v1/claims", params={"regime": "EU_DSA"}, headers=holder.headers).json()["items"]
    assert len(eu) == 3
    needs = client.get("/api/v1/claims", params={"status": "needs_info"}, headers=holder.headers).json()["items"]
    assert len(needs) == 1 and needs[0]["regime"] == "EU_DSA"
    both = client.get("/api/v1/claims", params={"status": "needs_info,in_review", "kind": "trademark"}, headers=holder.headers).json()[
        "items"
    ]
    assert {c["regime"] for c in both} == {"TM_POLICY"} and len(both) == 2
    assert client.get("/api/v1/claims", params={"status": "bogus"}, headers=holder.headers).status_code == 422
    assert client.get("/api/v1/claims", params={"cursor": "garbage!"}, headers=holder.headers).status_code == 422


def test_references_are_sequential_and_unique(client: Any, holder: Actor) -> None:
    refs = [post(client, holder, complete_claim("EU_DSA")).json()["reference"] for _ in range(3)]
    numbers = [int(r.rsplit("-", 1)[1]) for r in refs]
    assert numbers == sorted(numbers) and len(set(numbers)) == 3 and numbers[1] == numbers[0] + 1


def test_idempotency_key_replays_the_first_response(client: Any, holder: Actor, make_account: Any) -> None:
    body = complete_claim("US_DMCA")
    first = post(client, holder, body, **{"Idempotency-Key": "k-1"})
    again = post(client, holder, body, **{"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers.get("idempotency-replayed") == "true"
    assert len(client.get("/api/v1/claims", headers=holder.headers).json()["items"]) == 1
    # Same key, different body: refused, nothing new stored.
    other = post(client, holder, complete_claim("EU_DSA"), **{"Idempotency-Key": "k-1"})
    assert other.status_code == 422
    # The key is scoped to the account.
    someone = make_account("rights_holder")
    theirs = post(client, someone, body, **{"Idempotency-Key": "k-1"})
    assert theirs.status_code == 201 and theirs.json()["id"] != first.json()["id"]


def test_openapi_and_docs_and_health(client: Any) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/claims" in spec["paths"]
    assert "ClaimIn" in spec["components"]["schemas"]
    assert client.get("/docs").status_code == 200
    assert client.get("/healthz").json() == {"status": "ok"}


def test_unknown_route_is_problem_json(client: Any, holder: Actor) -> None:
    r = client.get("/api/v1/nothing-here", headers=holder.headers)
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")
