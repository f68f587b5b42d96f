"""Possible impersonation raises priority at intake, and only staff are told (issue 21)."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import Actor
from tests.integrations.test_grey_areas import one_item
from tests.review.flows import submit

REASON = "possible impersonation"


def test_impersonation_priority_applies_at_intake_and_is_hidden_from_the_notifier(client: Any, holder: Actor, specialist: Actor) -> None:
    honest = submit(client, holder, **one_item("https://video.example.com/watch?v=h1", "legal@paypal.com"))
    fake = submit(client, holder, **one_item("https://video.example.com/watch?v=h2", "legal@paypa1.com"))
    # Before any worker sweep: staff already see the raised priority and why.
    staff_view = client.get(f"/api/v1/claims/{fake['id']}", headers=specialist.headers).json()
    assert staff_view["priority"] == honest["priority"] + 25
    assert any(REASON in r for r in staff_view["priority_reasons"])
    # The notifier, in its intake answer and on every read, sees neither the term nor its weight.
    for seen in (fake, client.get(f"/api/v1/claims/{fake['id']}", headers=holder.headers).json()):
        assert seen["priority"] == honest["priority"]
        assert REASON not in json.dumps(seen["priority_reasons"])
    listed = client.get("/api/v1/claims", headers=holder.headers).json()["items"]
    assert REASON not in json.dumps(listed)
    queue = client.get("/api/v1/queue", headers=specialist.headers).json()["items"]
    assert next(c for c in queue if c["id"] == fake["id"])["priority"] == staff_view["priority"]


def test_staff_submitting_on_behalf_see_the_term_in_the_answer(client: Any, holder: Actor, specialist: Actor) -> None:
    body = one_item("https://video.example.com/watch?v=h3", "legal@micros0ft-legal.com")
    r = client.post("/api/v1/claims", json={**body, "on_behalf_of": holder.id}, headers=specialist.headers)
    assert r.status_code == 201, r.text
    assert any(REASON in reason for reason in r.json()["priority_reasons"])


def test_an_incomplete_flagged_notice_is_raised_too(client: Any, holder: Actor, specialist: Actor) -> None:
    # An incomplete notice's deficiency letter needs the event's id: its follow-ups run after the claim is written.
    body = one_item("https://video.example.com/watch?v=h4", "legal@paypa1.com")
    body.pop("signature", None)
    r = client.post("/api/v1/claims", json=body, headers=holder.headers)
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "needs_info" and REASON not in json.dumps(r.json())
    staff_view = client.get(f"/api/v1/claims/{r.json()['id']}", headers=specialist.headers).json()
    assert any(REASON in reason for reason in staff_view["priority_reasons"])
