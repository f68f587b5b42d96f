"""Small helpers that drive a claim through the API to the state a test needs."""

from __future__ import annotations

from typing import Any

from tests.conftest import Actor
from tests.legal.notices import complete_claim, complete_counter_notice


def submit(client: Any, holder: Actor, regime: str = "US_DMCA", **overrides: Any) -> dict[str, Any]:
    body = complete_claim(regime) | overrides
    r = client.post("/api/v1/claims", json=body, headers=holder.headers)
    assert r.status_code == 201, r.text
    return r.json()


def decide(
    client: Any, reviewer: Actor, claim: dict[str, Any], item: int = 0, outcome: str = "removed", expect: int = 200, **extra: Any
) -> Any:
    item_id = claim["items"][item]["id"]
    r = client.post(
        f"/api/v1/claims/{claim['id']}/items/{item_id}/decision",
        json={"outcome": outcome, "reason": "copies the registered work", **extra},
        headers=reviewer.headers,
    )
    assert r.status_code == expect, r.text
    return r.json()


def decided_claim(
    client: Any, holder: Actor, reviewer: Actor, regime: str = "US_DMCA", outcomes: tuple[str, ...] | None = None
) -> dict[str, Any]:
    claim = submit(client, holder, regime)
    outcomes = outcomes or tuple("removed" for _ in claim["items"])
    for i, outcome in enumerate(outcomes):
        claim = decide(client, reviewer, claim, i, outcome)
    return claim


def counter(
    client: Any, staff: Actor, claim: dict[str, Any], item: int = 0, expect: int = 201, body: dict[str, Any] | None = None, **overrides: Any
) -> dict[str, Any]:
    payload = (body if body is not None else complete_counter_notice(claim["regime"])) | overrides
    item_id = claim["items"][item]["id"]
    r = client.post(f"/api/v1/claims/{claim['id']}/items/{item_id}/counter-notices", json=payload, headers=staff.headers)
    assert r.status_code == expect, r.text
    return r.json()
