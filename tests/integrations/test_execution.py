"""The platform confirms execution; unconfirmed measures are flagged overdue in the queue (issue 21)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import update

from ipclaims.db import session_scope
from ipclaims.models import Event, WebhookDelivery, utcnow
from tests.conftest import Actor
from tests.review.flows import decide, submit


def _queue_entry(client: Any, staff: Actor, claim_id: str) -> dict[str, Any]:
    r = client.get("/api/v1/queue", params={"status": ["in_review", "decided"]}, headers=staff.headers)
    assert r.status_code == 200, r.text
    return next(c for c in r.json()["items"] if c["id"] == claim_id)


def test_an_unconfirmed_measure_is_overdue_until_the_platform_confirms(
    client: Any, holder: Actor, specialist: Actor, admin: Actor, set_env: Any
) -> None:
    set_env(IPCLAIMS_EXECUTION_OVERDUE_HOURS="2")
    assert client.post("/api/v1/admin/webhooks", json={"url": "https://p.example/h"}, headers=admin.headers).status_code == 201
    claim = decide(client, specialist, submit(client, holder), 0, "removed")
    item_id = claim["items"][0]["id"]
    assert _queue_entry(client, specialist, claim["id"])["execution_overdue"] == []
    with session_scope() as s:  # three hours pass without a confirmation
        s.execute(update(WebhookDelivery).values(created_at=utcnow() - timedelta(hours=3)))
    assert _queue_entry(client, specialist, claim["id"])["execution_overdue"] == [item_id]
    r = client.post(f"/api/v1/items/{item_id}/executed", json={"note": "removed at 10:02"}, headers=specialist.headers)
    assert r.status_code == 201, r.text
    assert r.json()["item_id"] == item_id
    assert _queue_entry(client, specialist, claim["id"])["execution_overdue"] == []
    with session_scope() as s:
        actions = [e.action for e in s.query(Event).filter(Event.subject_id == item_id).order_by(Event.id)]
    assert actions[-1] == "executed"
    # The notifier's own view is unchanged: the flag is the queue's.
    assert client.get(f"/api/v1/claims/{claim['id']}", headers=holder.headers).json().get("execution_overdue", "absent") == "absent"


def test_confirming_an_unknown_item_is_404_and_holders_may_not_confirm(client: Any, holder: Actor, specialist: Actor) -> None:
    assert client.post("/api/v1/items/NOPE/executed", json={}, headers=specialist.headers).status_code == 404
    claim = submit(client, holder)
    item_id = claim["items"][0]["id"]
    assert client.post(f"/api/v1/items/{item_id}/executed", json={}, headers=holder.headers).status_code == 403


def test_without_endpoints_nothing_is_overdue(client: Any, holder: Actor, specialist: Actor, set_env: Any) -> None:
    claim = decide(client, specialist, submit(client, holder), 0, "removed")
    assert _queue_entry(client, specialist, claim["id"])["execution_overdue"] == []
