"""Counter-notice privacy (issue 16 defect 5): the notifier sees a counter-notice only once it has been forwarded,
and never its history before that (the deficient receipt, the missing elements, the cures). Staff see everything."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import Actor
from tests.legal.notices import REMOVE, changed, complete_counter_notice
from tests.review.flows import counter, decided_claim

DEFICIENT = changed(complete_counter_notice("US_DMCA"), [(("statements", "jurisdiction_consent"), REMOVE)])


def _events(client: Any, actor: Actor, claim_id: str) -> list[dict[str, Any]]:
    r = client.get(f"/api/v1/claims/{claim_id}/events", headers=actor.headers)
    assert r.status_code == 200, r.text
    return r.json()["items"]


def _counter_events(events: list[dict[str, Any]], counter_id: str) -> list[str]:
    return [e["action"] for e in events if e["subject_type"] == "counter_notice" and e["subject_id"] == counter_id]


def _everything_the_notifier_reads(client: Any, holder: Actor, claim_id: str) -> str:
    reads = [
        client.get(f"/api/v1/claims/{claim_id}", headers=holder.headers).json(),
        client.get(f"/api/v1/claims/{claim_id}/counter-notices", headers=holder.headers).json(),
        _events(client, holder, claim_id),
        client.get("/api/v1/claims", headers=holder.headers).json(),
    ]
    return json.dumps(reads)


def test_a_deficient_counter_notice_withdrawn_by_staff_never_reaches_the_notifier(client: Any, holder: Actor, specialist: Actor) -> None:
    claim = decided_claim(client, holder, specialist, "US_DMCA")
    cn = counter(client, specialist, claim, body=DEFICIENT)
    assert cn["status"] == "deficient"
    assert cn["id"] not in _everything_the_notifier_reads(client, holder, claim["id"])
    r = client.post(f"/api/v1/counter-notices/{cn['id']}/withdraw", json={"reason": "subscriber gave up"}, headers=specialist.headers)
    assert r.status_code == 200 and r.json()["status"] == "withdrawn"

    assert client.get(f"/api/v1/counter-notices/{cn['id']}", headers=holder.headers).status_code == 404
    r = client.post(
        f"/api/v1/counter-notices/{cn['id']}/court-action",
        headers=holder.headers,
        json={"court": "S.D.N.Y.", "case_number": "1:25-cv-1", "filed_on": "2025-01-02"},
    )
    assert r.status_code == 404
    seen = _everything_the_notifier_reads(client, holder, claim["id"])
    assert cn["id"] not in seen and "jurisdiction_consent" not in seen
    # Staff see it all.
    assert client.get(f"/api/v1/counter-notices/{cn['id']}", headers=specialist.headers).status_code == 200
    staff_list = client.get(f"/api/v1/claims/{claim['id']}/counter-notices", headers=specialist.headers).json()
    assert [c["id"] for c in staff_list["items"]] == [cn["id"]]
    assert _counter_events(_events(client, specialist, claim["id"]), cn["id"]) == ["received", "withdrawn"]


def test_a_cured_counter_notice_is_shown_from_its_forwarding_on(client: Any, holder: Actor, specialist: Actor) -> None:
    claim = decided_claim(client, holder, specialist, "US_DMCA")
    cn = counter(client, specialist, claim, body=DEFICIENT, received_at="2025-11-20T10:00:00-05:00")
    r = client.patch(
        f"/api/v1/counter-notices/{cn['id']}",
        headers=specialist.headers,
        json={"statements": {"jurisdiction_consent": True}, "received_at": "2025-11-26T09:00:00-05:00"},
    )
    assert r.status_code == 200 and r.json()["status"] == "forwarded"

    r = client.get(f"/api/v1/counter-notices/{cn['id']}", headers=holder.headers)
    assert r.status_code == 200
    shown = r.json()
    # The notifier's copy starts at the receipt that started the clock, not at the deficient first receipt.
    assert shown["first_received_at"] == shown["received_at"] and shown["received_at"].startswith("2025-11-26")
    assert [c["id"] for c in client.get(f"/api/v1/claims/{claim['id']}/counter-notices", headers=holder.headers).json()["items"]] == [
        cn["id"]
    ]
    events = _events(client, holder, claim["id"])
    # Told as a receipt: nothing says it was deficient and cured first.
    assert _counter_events(events, cn["id"]) == ["received"]
    shown_event = next(e for e in events if e["subject_id"] == cn["id"])
    assert shown_event["from"] is None and shown_event["to"] == "forwarded"
    assert "jurisdiction_consent" not in json.dumps(events) and "deficient" not in json.dumps(events)

    r = client.post(f"/api/v1/counter-notices/{cn['id']}/withdraw", json={"reason": "subscriber withdrew"}, headers=specialist.headers)
    assert r.status_code == 200
    # Forwarded once, so still the notifier's to read, withdrawal included.
    assert client.get(f"/api/v1/counter-notices/{cn['id']}", headers=holder.headers).json()["status"] == "withdrawn"
    assert _counter_events(_events(client, holder, claim["id"]), cn["id"]) == ["received", "withdrawn"]
    staff_events = _counter_events(_events(client, specialist, claim["id"]), cn["id"])
    assert staff_events == ["received", "supplemented", "cured", "withdrawn"]
    staff_copy = client.get(f"/api/v1/counter-notices/{cn['id']}", headers=specialist.headers).json()
    assert staff_copy["first_received_at"].startswith("2025-11-20")


def test_a_complete_counter_notice_is_the_notifiers_from_receipt(client: Any, holder: Actor, specialist: Actor) -> None:
    claim = decided_claim(client, holder, specialist, "US_DMCA")
    cn = counter(client, specialist, claim)
    assert cn["status"] == "forwarded"
    assert client.get(f"/api/v1/counter-notices/{cn['id']}", headers=holder.headers).status_code == 200
    assert _counter_events(_events(client, holder, claim["id"]), cn["id"]) == ["received"]
