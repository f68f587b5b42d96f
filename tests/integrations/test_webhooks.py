"""Signed action webhooks (issue 21): queued with the event, delivered in order per item, retried, never lost."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socket
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from standardwebhooks.webhooks import Webhook

from ipclaims.config import get_settings
from ipclaims.db import session_scope
from ipclaims.integrations import delivery
from ipclaims.integrations.delivery import DeliveryFailed, Leased
from ipclaims.models import WebhookDelivery, WebhookEndpoint, utcnow
from tests.conftest import Actor
from tests.integrations.receivers import Script, scripted, verifying
from tests.review.flows import counter, decide, submit


def add_endpoint(client: Any, admin: Actor, url: str) -> dict[str, Any]:
    r = client.post("/api/v1/admin/webhooks", json={"url": url, "description": "platform"}, headers=admin.headers)
    assert r.status_code == 201, r.text
    return r.json()


def deliveries(client: Any, staff: Actor, claim_id: str) -> list[dict[str, Any]]:
    r = client.get(f"/api/v1/claims/{claim_id}/deliveries", headers=staff.headers)
    assert r.status_code == 200, r.text
    return r.json()["items"]


def removed(client: Any, holder: Actor, specialist: Actor) -> dict[str, Any]:
    """A claim with its first item removed (one measure, one message per endpoint)."""
    return decide(client, specialist, submit(client, holder), 0, "removed")


def sweep(now: datetime | None = None, send: Any = delivery.post) -> dict[str, int]:
    return delivery.deliver_due(now or utcnow(), get_settings(), send=send)


def hand_signature(secret: str, msg_id: str, timestamp: str, body: bytes) -> str:
    """The specification's signature, computed without the library: base64(HMAC-SHA256(key, id.timestamp.body))."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    digest = hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def test_secret_is_shown_once_and_endpoints_are_admin_only(client: Any, admin: Actor, specialist: Actor) -> None:
    created = add_endpoint(client, admin, "https://platform.example/hooks")
    assert created["secret"].startswith("whsec_") and len(base64.b64decode(created["secret"][6:])) == 32
    listed = client.get("/api/v1/admin/webhooks", headers=admin.headers).json()["items"]
    assert [e["id"] for e in listed] == [created["id"]] and listed[0]["secret"] is None
    assert client.get("/api/v1/admin/webhooks", headers=specialist.headers).status_code == 403
    bad = client.post("/api/v1/admin/webhooks", json={"url": "ftp://x.example/"}, headers=admin.headers)
    assert bad.status_code == 422
    creds = client.post("/api/v1/admin/webhooks", json={"url": "https://u:p@x.example/"}, headers=admin.headers)
    assert creds.status_code == 422


def test_measures_queue_one_delivery_per_endpoint_in_the_events_transaction(
    client: Any, holder: Actor, specialist: Actor, admin: Actor
) -> None:
    add_endpoint(client, admin, "https://one.example/hooks")
    add_endpoint(client, admin, "https://two.example/hooks")
    claim = submit(client, holder)
    assert deliveries(client, specialist, claim["id"]) == []
    decide(client, specialist, claim, 0, "geo_blocked", territorial_scope=["DE", "FR"])
    rows = deliveries(client, specialist, claim["id"])
    assert len(rows) == 2 and {r["event_type"] for r in rows} == {"item.geo_blocked"}
    assert rows[0]["message_id"] == rows[1]["message_id"] and rows[0]["status"] == "pending"
    with session_scope() as s:
        body = json.loads(s.scalars(select(WebhookDelivery.payload)).first() or "{}")
    assert body["type"] == "item.geo_blocked" and body["data"]["territorial_scope"] == ["DE", "FR"]
    assert body["data"]["item_id"] == claim["items"][0]["id"] and body["data"]["claim_reference"] == claim["reference"]
    # Rights holders see nothing of the platform's plumbing.
    assert client.get(f"/api/v1/claims/{claim['id']}/deliveries", headers=holder.headers).status_code == 403


def test_no_action_owes_the_platform_nothing(client: Any, holder: Actor, specialist: Actor, admin: Actor) -> None:
    add_endpoint(client, admin, "https://one.example/hooks")
    claim = submit(client, holder)
    decide(client, specialist, claim, 0, "no_action")
    assert deliveries(client, specialist, claim["id"]) == []


def test_signatures_verify_with_the_library_and_by_hand(client: Any, holder: Actor, specialist: Actor, admin: Actor) -> None:
    script = Script([204])
    with scripted(script) as url:
        endpoint = add_endpoint(client, admin, url)
        claim = removed(client, holder, specialist)
        assert sweep()["webhooks_delivered"] == 1
    seen = script.requests[0]
    msg_id, timestamp, sig = seen.headers["webhook-id"], seen.headers["webhook-timestamp"], seen.headers["webhook-signature"]
    assert Webhook(endpoint["secret"]).verify(seen.body, seen.headers)["type"] == "item.removed"
    assert sig == hand_signature(endpoint["secret"], msg_id, timestamp, seen.body)
    other = "whsec_" + base64.b64encode(b"k" * 32).decode()
    assert sig != hand_signature(other, msg_id, timestamp, seen.body)
    row = deliveries(client, specialist, claim["id"])[0]
    assert row["status"] == "delivered" and row["attempts"] == 1 and row["last_status_code"] == 204


def test_the_integrators_receiver_verifies_and_refuses(client: Any, holder: Actor, specialist: Actor, admin: Actor) -> None:
    lines: list[str] = []
    probe = add_endpoint(client, admin, "https://placeholder.example/")
    with verifying(probe["secret"], lines) as (url, server):
        client.delete(f"/api/v1/admin/webhooks/{probe['id']}", headers=admin.headers)
        endpoint = add_endpoint(client, admin, url)  # a fresh secret the receiver does not know
        removed(client, holder, specialist)
        assert sweep()["webhooks_failed"] == 1
        assert lines[-1].startswith("REFUSED") and not server.seen
    lines.clear()
    with verifying(endpoint["secret"], lines) as (url, server):
        with session_scope() as s:
            s.execute(update(WebhookDelivery).values(next_attempt_at=utcnow()))
        with session_scope() as s:
            s.execute(update(WebhookEndpoint).where(WebhookEndpoint.id == endpoint["id"]).values(url=url))
        assert sweep()["webhooks_delivered"] == 1
        assert lines[-1].startswith("VERIFIED") and len(server.seen) == 1


def test_a_receiver_that_fails_then_succeeds_gets_one_message_acted_on_once(
    client: Any, holder: Actor, specialist: Actor, admin: Actor
) -> None:
    # The first answer is lost (500 after the receiver did its work): the retry carries the same webhook-id.
    script = Script([500, 204])
    with scripted(script) as url:
        add_endpoint(client, admin, url)
        claim = removed(client, holder, specialist)
        start = utcnow()
        assert sweep(start) == {"webhooks_delivered": 0, "webhooks_failed": 1}
        assert sweep(start + timedelta(seconds=5))["webhooks_failed"] == 0  # backoff: not due yet
        assert sweep(start + timedelta(seconds=31))["webhooks_delivered"] == 1
        assert sweep(start + timedelta(minutes=10)) == {"webhooks_delivered": 0, "webhooks_failed": 0}
    ids = [r.headers["webhook-id"] for r in script.requests]
    assert len(ids) == 2 and ids[0] == ids[1]
    assert script.requests[0].body == script.requests[1].body  # the same bytes signed again
    effects = {json.loads(r.body)["data"]["event_id"] for r in script.requests}  # a receiver acting once per id
    assert len(effects) == 1
    row = deliveries(client, specialist, claim["id"])[0]
    assert row["status"] == "delivered" and row["attempts"] == 2 and row["last_error"] is None


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_receiver_down_for_hours_loses_nothing_and_keeps_each_items_order(
    client: Any, holder: Actor, specialist: Actor, legal_user: Actor, admin: Actor
) -> None:
    down = f"http://127.0.0.1:{_closed_port()}/hooks"
    endpoint = add_endpoint(client, admin, down)
    claim = removed(client, holder, specialist)
    cn = counter(client, specialist, claim, received_at="2025-11-26T11:00:00-05:00")
    r = client.post(f"/api/v1/counter-notices/{cn['id']}/restore", json={"reason": "no suit"}, headers=legal_user.headers)
    assert r.status_code == 200, r.text
    start = utcnow()
    attempts = 0
    for minutes in range(0, 12 * 60, 7):  # twelve hours of sweeps against a closed port
        attempts += sweep(start + timedelta(minutes=minutes))["webhooks_failed"]
    rows = deliveries(client, specialist, claim["id"])
    assert [r["event_type"] for r in rows] == ["item.removed", "item.restored"]
    assert all(r["status"] == "pending" for r in rows)
    assert rows[1]["attempts"] == 0  # the restoration waited behind the undelivered removal all along
    assert attempts == rows[0]["attempts"] >= 10
    script = Script([204])
    with scripted(script) as url:
        with session_scope() as s:
            s.execute(update(WebhookEndpoint).where(WebhookEndpoint.id == endpoint["id"]).values(url=url))

        def now_signed(leased: Leased, _at: datetime, timeout: float) -> int:
            return delivery.post(leased, utcnow(), timeout)

        later = start + timedelta(hours=13)
        assert sweep(later, now_signed)["webhooks_delivered"] == 2
    assert [json.loads(r.body)["type"] for r in script.requests] == ["item.removed", "item.restored"]
    assert all(r["status"] == "delivered" for r in deliveries(client, specialist, claim["id"]))


def test_a_delivery_is_given_up_only_when_older_than_the_max_age(
    client: Any, holder: Actor, specialist: Actor, admin: Actor, set_env: Any
) -> None:
    set_env(IPCLAIMS_WEBHOOK_MAX_AGE_HOURS="2")
    add_endpoint(client, admin, f"http://127.0.0.1:{_closed_port()}/hooks")
    claim = removed(client, holder, specialist)
    start = utcnow()
    sweep(start + timedelta(hours=1))
    assert deliveries(client, specialist, claim["id"])[0]["status"] == "pending"
    sweep(start + timedelta(hours=3))
    row = deliveries(client, specialist, claim["id"])[0]
    assert row["status"] == "failed" and "URLError" in row["last_error"]


def test_redirects_are_not_followed(client: Any, holder: Actor, specialist: Actor, admin: Actor) -> None:
    elsewhere = Script([204])
    with scripted(elsewhere) as target:
        script = Script([302], location=target)
        with scripted(script) as url:
            add_endpoint(client, admin, url)
            claim = removed(client, holder, specialist)
            assert sweep()["webhooks_failed"] == 1
    assert len(script.requests) == 1 and elsewhere.requests == []
    assert deliveries(client, specialist, claim["id"])[0]["last_status_code"] == 302


def test_rotation_signs_with_both_secrets_during_the_grace_period(client: Any, holder: Actor, specialist: Actor, admin: Actor) -> None:
    script = Script([204])
    with scripted(script) as url:
        old = add_endpoint(client, admin, url)
        r = client.post(f"/api/v1/admin/webhooks/{old['id']}/rotate", headers=admin.headers)
        assert r.status_code == 200 and r.json()["secret"] != old["secret"]
        new = r.json()
        assert new["previous_secret_valid_until"] is not None
        removed(client, holder, specialist)
        assert sweep()["webhooks_delivered"] == 1
        seen = script.requests[0]
        assert len(seen.headers["webhook-signature"].split(" ")) == 2
        for secret in (old["secret"], new["secret"]):
            Webhook(secret).verify(seen.body, seen.headers)
        # After the grace period only the new secret signs.
        claim = removed(client, holder, specialist)
        later = utcnow() + timedelta(hours=get_settings().webhook_secret_grace_hours + 1)

        def signed_later(leased: Leased, _at: datetime, timeout: float) -> int:
            assert leased.secrets == (new["secret"],)
            return delivery.post(leased, utcnow(), timeout)

        assert sweep(later, signed_later)["webhooks_delivered"] == 1
    assert deliveries(client, specialist, claim["id"])[0]["status"] == "delivered"


def test_deleting_an_endpoint_gives_up_its_pending_deliveries_visibly(client: Any, holder: Actor, specialist: Actor, admin: Actor) -> None:
    endpoint = add_endpoint(client, admin, "https://gone.example/hooks")
    claim = removed(client, holder, specialist)
    assert client.delete(f"/api/v1/admin/webhooks/{endpoint['id']}", headers=admin.headers).status_code == 204
    row = deliveries(client, specialist, claim["id"])[0]
    assert row["status"] == "failed" and row["last_error"] == "the endpoint was deleted"
    per_endpoint = client.get(f"/api/v1/admin/webhooks/{endpoint['id']}/deliveries", headers=specialist.headers)
    assert per_endpoint.status_code == 404  # deleted: gone from the admin views; the claim keeps its history
    assert client.get("/api/v1/admin/webhooks", headers=admin.headers).json()["items"] == []
    assert sweep() == {"webhooks_delivered": 0, "webhooks_failed": 0}


def test_per_endpoint_deliveries(client: Any, holder: Actor, specialist: Actor, admin: Actor) -> None:
    endpoint = add_endpoint(client, admin, "https://one.example/hooks")
    removed(client, holder, specialist)
    r = client.get(f"/api/v1/admin/webhooks/{endpoint['id']}/deliveries", headers=specialist.headers)
    assert r.status_code == 200 and [d["event_type"] for d in r.json()["items"]] == ["item.removed"]


def test_a_failing_send_raises_delivery_failed() -> None:
    leased = Leased(
        "x",
        f"http://127.0.0.1:{_closed_port()}/",
        "msg_ev1",
        "{}",
        ("whsec_" + base64.b64encode(b"s" * 32).decode(),),
        utcnow(),
        0,
        utcnow(),
    )
    try:
        delivery.post(leased, utcnow(), 2.0)
    except DeliveryFailed as exc:
        assert exc.status is None
    else:
        raise AssertionError("a closed port must not count as delivered")
