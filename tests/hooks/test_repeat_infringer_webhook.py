"""The repeat-infringer threshold reached (issue 21, 17 U.S.C. § 512(i)): announced to the platform once per crossing
as a signed Standard Webhooks message, after the measure that tipped it; later strikes announce nothing; falling
below and reaching it again is a new event; the message only recommends a review by a human."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from standardwebhooks.webhooks import Webhook

from ipclaims.db import session_scope
from ipclaims.integrations.webhooks import THRESHOLD
from ipclaims.models import Event, UploaderStrikes, WebhookDelivery
from tests.conftest import Actor
from tests.integrations.receivers import Script, scripted
from tests.integrations.test_webhooks import add_endpoint, hand_signature, sweep
from tests.races import race
from tests.review.flows import decide, submit

N = 0


def strike(client: Any, notifier: Actor, staff: Actor, uploader: str, outcome: str = "removed", regime: str = "US_DMCA") -> dict[str, Any]:
    global N
    N += 1
    items = [{"url": f"https://video.example.com/watch?v=ri{N}", "uploader": uploader, "work": 0}]
    return decide(client, staff, submit(client, notifier, regime, items=items), 0, outcome)


def threshold_rows() -> list[dict[str, Any]]:
    with session_scope(write=False) as s:
        rows = s.scalars(select(WebhookDelivery).where(WebhookDelivery.event_type == THRESHOLD).order_by(WebhookDelivery.event_id))
        return [{"claim_id": r.claim_id, "item_id": r.item_id, "message_id": r.message_id, "body": json.loads(r.payload)} for r in rows]


def threshold_events() -> list[Event]:
    with session_scope(write=False) as s:
        found = list(s.scalars(select(Event).where(Event.action == "repeat_infringer_threshold").order_by(Event.id)))
        s.expunge_all()
        return found


def test_reaching_the_threshold_is_delivered_once_signed_and_after_the_measure(
    client: Any, holder: Actor, specialist: Actor, admin: Actor
) -> None:
    script = Script([204])
    with scripted(script) as url:
        endpoint = add_endpoint(client, admin, url)
        strike(client, holder, specialist, "uploader-r")
        strike(client, holder, specialist, "uploader-r")
        assert threshold_rows() == []  # two strikes: below the threshold (3)
        third = strike(client, holder, specialist, "uploader-r")
        [row] = threshold_rows()
        assert row["claim_id"] == third["id"] and row["item_id"] == third["items"][0]["id"]
        assert sweep()["webhooks_delivered"] == 4  # three removals, then the threshold

        # Later strikes: the uploader is still above the threshold, nothing new is announced.
        fourth = strike(client, holder, specialist, "uploader-r")
        strike(client, holder, specialist, "someone-else")
        assert len(threshold_rows()) == 1
        assert sweep()["webhooks_delivered"] == 2
    types = [json.loads(seen.body)["type"] for seen in script.requests]
    assert types == ["item.removed"] * 3 + [THRESHOLD] + ["item.removed"] * 2
    seen = script.requests[3]
    body = Webhook(endpoint["secret"]).verify(seen.body, seen.headers)  # the specification's own verifier
    assert seen.headers["webhook-signature"] == hand_signature(
        endpoint["secret"], seen.headers["webhook-id"], seen.headers["webhook-timestamp"], seen.body
    )
    assert seen.headers["webhook-id"] == row["message_id"] != script.requests[2].headers["webhook-id"]
    data = body["data"]
    assert data["uploader"] == "uploader-r" and data["counted"] == 3 and data["strikes"] == 3 and data["threshold"] == 3
    assert data["crossing"] == 1 and len(data["claims"]) == 3 and third["reference"] in data["claims"]
    assert data["claim_reference"] == third["reference"] and data["url"] == third["items"][0]["url"]
    assert data["recommendation"] == {"action": "review_for_termination", "needs_human": True}

    # Nothing was terminated: the review is a recommendation, and staff still see it as one that needs a human.
    r = client.get("/api/v1/uploaders/uploader-r/strikes", headers=specialist.headers)
    assert r.status_code == 200 and r.json()["counted"] == 4
    assert r.json()["recommendation"]["needs_human"] is True and r.json()["recommendation"]["action"] == "review_for_termination"
    # The event is internal: the notifier reading its claim's events does not see it; staff do.
    owner_view = client.get(f"/api/v1/claims/{third['id']}/events", headers=holder.headers).json()["items"]
    staff_view = client.get(f"/api/v1/claims/{third['id']}/events", headers=specialist.headers).json()["items"]
    assert not any(e["action"] == "repeat_infringer_threshold" for e in owner_view)
    assert any(e["action"] == "repeat_infringer_threshold" for e in staff_view)
    assert all(
        e["action"] != "repeat_infringer_threshold"
        for e in client.get(f"/api/v1/claims/{fourth['id']}/events", headers=specialist.headers).json()["items"]
    )


def test_falling_below_and_reaching_it_again_is_a_new_crossing(
    client: Any, holder: Actor, specialist: Actor, legal_user: Actor, admin: Actor
) -> None:
    add_endpoint(client, admin, "https://platform.example/hooks")
    claims = [strike(client, holder, specialist, "uploader-b", regime="EU_DSA") for _ in range(3)]
    assert len(threshold_rows()) == 1
    # An upheld complaint restores one of the three: two strikes count, below the threshold.
    item_id = claims[0]["items"][0]["id"]
    r = client.post(
        f"/api/v1/claims/{claims[0]['id']}/items/{item_id}/complaints",
        headers=specialist.headers,
        json={"complainant_role": "uploader", "complainant_email": "up@mail.example", "body": "my own footage"},
    )
    assert r.status_code == 201, r.text
    r = client.post(
        f"/api/v1/complaints/{r.json()['id']}/decision", json={"upheld": True, "reason": "own footage"}, headers=legal_user.headers
    )
    assert r.status_code == 200, r.text
    with session_scope(write=False) as s:
        state = s.get(UploaderStrikes, "uploader-b")
        assert state is not None and state.above is False and state.counted == 2 and state.crossings == 1
    assert len(threshold_rows()) == 1  # falling below announces nothing
    strike(client, holder, specialist, "uploader-b", regime="EU_DSA")
    rows = threshold_rows()
    assert len(rows) == 2 and [r["body"]["data"]["crossing"] for r in rows] == [1, 2]
    assert rows[0]["message_id"] != rows[1]["message_id"]


def test_without_endpoints_the_crossing_is_recorded_and_farmed_strikes_do_not_reach_it(
    client: Any, holder: Actor, specialist: Actor, make_account: Callable[..., Actor]
) -> None:
    farmer = make_account("rights_holder", name="Farmer", email="f@farmer.example")
    for i in range(5):
        strike(client, farmer, specialist, f"someone-{i}", "no_action")
    for _ in range(3):  # three strikes from a notifier whose unfounded rate is above 0.5: marked, not counted
        strike(client, farmer, specialist, "uploader-f")
    assert threshold_events() == []
    strike(client, holder, specialist, "uploader-f")
    strike(client, holder, specialist, "uploader-f")
    assert threshold_events() == []  # five strikes, two counted
    strike(client, holder, specialist, "uploader-f")
    [event] = threshold_events()
    assert event.internal and event.actor_role == "system" and event.data is not None
    assert event.data["counted"] == 3 and event.data["strikes"] == 6 and event.data["recommendation"]["needs_human"] is True
    assert threshold_rows() == []  # no endpoint: nothing to deliver


def test_deciders_crossing_at_once_announce_it_once(client: Any, holder: Actor, specialist: Actor, legal_user: Actor) -> None:
    strike(client, holder, specialist, "uploader-c")
    strike(client, holder, specialist, "uploader-c")
    pending = [
        submit(client, holder, items=[{"url": f"https://video.example.com/watch?v=race{i}", "uploader": "uploader-c", "work": 0}])
        for i in range(4)
    ]
    deciders = [specialist, legal_user, specialist, legal_user]
    results = race(4, lambda i: decide(client, deciders[i], pending[i], 0, "removed"))
    assert all(r["items"][0]["status"] == "actioned" for r in results)
    [event] = threshold_events()  # four deciders each saw at least three strikes: one announcement
    assert event.data is not None and event.data["crossing"] == 1 and event.data["counted"] >= 3
    with session_scope(write=False) as s:
        state = s.get(UploaderStrikes, "uploader-c")
        assert state is not None and state.above and state.crossings == 1 and state.event_id == event.id


def test_a_notifier_marked_for_farming_elsewhere_does_not_keep_an_uploader_above_on_stale_strikes(
    client: Any, holder: Actor, specialist: Actor, make_account: Callable[..., Actor]
) -> None:
    notifier = make_account("rights_holder", name="Later Farmer", email="lf@farmer.example")
    for _ in range(3):
        strike(client, notifier, specialist, "uploader-s")
    assert len(threshold_events()) == 1  # three strikes from a notifier with no unfounded notice yet
    for i in range(4):  # decisions on other uploaders' items: 4 of 7 decided unfounded, the notifier is now marked
        strike(client, notifier, specialist, f"elsewhere-{i}", "no_action")
    # uploader-s now has no counted strike, though no event of theirs said so; their next events recount.
    strike(client, holder, specialist, "uploader-s")
    with session_scope(write=False) as s:
        state = s.get(UploaderStrikes, "uploader-s")
        assert state is not None and state.above is False and state.counted == 1 and state.crossings == 1
    strike(client, holder, specialist, "uploader-s")
    assert len(threshold_events()) == 1
    strike(client, holder, specialist, "uploader-s")  # three genuine strikes: a new crossing
    events = threshold_events()
    assert len(events) == 2 and events[1].data is not None
    assert events[1].data["crossing"] == 2 and events[1].data["counted"] == 3 and events[1].data["strikes"] == 6
