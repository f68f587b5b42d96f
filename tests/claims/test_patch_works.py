"""PATCH a needs_info claim's `works` (issue 16 defect 3): the list is replaced, never a unique-index 500, and the
items' `work` indexes must still point into it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Actor
from tests.legal.notices import REMOVE, changed, complete_claim


def _work(title: str) -> dict[str, Any]:
    return {
        "title": title,
        "description": None,
        "urls": [f"https://rights.example.com/{title}"],
        "reference_work_id": None,
        "registration_number": None,
    }


def _needs_info(client: Any, holder: Actor, works: list[dict[str, Any]], items: list[dict[str, Any]]) -> dict[str, Any]:
    body = changed(complete_claim("US_DMCA"), [(("signature",), REMOVE), (("works",), works), (("items",), items)])
    r = client.post("/api/v1/claims", json=body, headers=holder.headers)
    assert r.status_code == 201, r.text
    claim = r.json()
    assert claim["status"] == "needs_info"
    return claim


@pytest.mark.parametrize(("before", "after"), [(1, 1), (1, 2), (2, 1), (2, 2), (2, 3)])
def test_patch_replaces_the_works_list(client: Any, holder: Actor, before: int, after: int) -> None:
    items = [{"url": "https://video.example.com/v/1", "work": 0}]
    claim = _needs_info(client, holder, [_work(f"old-{n}") for n in range(before)], items)
    new_works = [_work(f"new-{n}") for n in range(after)]
    r = client.patch(f"/api/v1/claims/{claim['id']}", json={"works": new_works}, headers=holder.headers)
    assert r.status_code == 200, r.text
    patched = r.json()
    assert [w["title"] for w in patched["works"]] == [f"new-{n}" for n in range(after)]
    assert patched["items"][0]["work"] == 0
    again = client.get(f"/api/v1/claims/{claim['id']}", headers=holder.headers).json()
    assert again["works"] == patched["works"]
    # A second correction in a row, with the signature that cures the notice.
    r = client.patch(
        f"/api/v1/claims/{claim['id']}", headers=holder.headers, json={"works": [_work("final")], "signature": {"name": "/s/ Ada Rights"}}
    )
    assert r.status_code == 200, r.text
    assert [w["title"] for w in r.json()["works"]] == ["final"]
    assert r.json()["status"] == "in_review"


def test_patch_works_and_items_together_renumbers_consistently(client: Any, holder: Actor) -> None:
    items = [{"url": "https://video.example.com/v/1", "work": 0}, {"url": "https://video.example.com/v/2", "work": 1}]
    claim = _needs_info(client, holder, [_work("a"), _work("b")], items)
    keep = claim["items"][1]["id"]
    r = client.patch(
        f"/api/v1/claims/{claim['id']}", headers=holder.headers, json={"works": [_work("b")], "items": [{"id": keep, "work": 0}]}
    )
    assert r.status_code == 200, r.text
    patched = r.json()
    assert [w["title"] for w in patched["works"]] == ["b"]
    assert [(i["id"], i["work"]) for i in patched["items"]] == [(keep, 0)]


def test_patch_leaving_an_item_pointing_past_the_works_is_422_and_changes_nothing(client: Any, holder: Actor) -> None:
    items = [{"url": "https://video.example.com/v/1", "work": 0}, {"url": "https://video.example.com/v/2", "work": 1}]
    claim = _needs_info(client, holder, [_work("a"), _work("b")], items)
    r = client.patch(f"/api/v1/claims/{claim['id']}", json={"works": [_work("a")]}, headers=holder.headers)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["errors"][0]["loc"] == ["body", "items", 1, "work"]
    r = client.patch(
        f"/api/v1/claims/{claim['id']}",
        headers=holder.headers,
        json={"items": [{"id": claim["items"][0]["id"]}, {"url": "https://video.example.com/v/3", "work": 4}]},
    )
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["loc"] == ["body", "items", 1, "work"]
    r = client.patch(f"/api/v1/claims/{claim['id']}", json={"works": None}, headers=holder.headers)
    assert r.status_code == 422, r.text
    stored = client.get(f"/api/v1/claims/{claim['id']}", headers=holder.headers).json()
    assert stored["works"] == claim["works"] and stored["items"] == claim["items"]
