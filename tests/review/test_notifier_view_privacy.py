"""What the notifier reads of the uploader's side (DOMAIN.md §1, §4): what is chosen for it, never the uploader's text.

An uploader's DSA Art. 20 complaint: the notifier learns that one was filed and its outcome, not the uploader's
statement, its address or the reasons given to the uploader. A US counter-notice: once forwarded, the notifier is
owed its copy, subscriber's name, address and telephone included (17 U.S.C. § 512(g)(2)(B), § 512(g)(3)(D)); before
that, and the uploader's own mail, nothing.
"""

from __future__ import annotations

import json
from typing import Any

from ipclaims.jobs.worker import run_once
from tests.conftest import Actor
from tests.legal.notices import REMOVE, changed, complete_counter_notice
from tests.letters.helpers import decided
from tests.review.flows import counter

UPLOADER_STATEMENT = "UPLOADER-ONLY my own photograph, taken in Lisbon"
UPLOADER_EMAIL = "uploader-private@mail.example"
REASON_TO_UPLOADER = "UPLOADER-REASON the licence you showed covers the image"


def _notifier_reads(client: Any, holder: Actor, claim_id: str) -> str:
    paths = ("", "/events", "/complaints", "/counter-notices", "/messages", "/letters")
    reads = []
    for path in paths:
        r = client.get(f"/api/v1/claims/{claim_id}{path}", headers=holder.headers)
        assert r.status_code == 200, (path, r.text)
        reads.append(r.json())
    return json.dumps(reads)


def test_the_notifier_is_told_an_uploader_complained_and_the_outcome_not_what_it_said(
    client: Any, holder: Actor, specialist: Actor, legal_user: Actor
) -> None:
    claim = decided(client, holder, specialist, "EU_DSA")
    item_id = claim["items"][0]["id"]
    r = client.post(
        f"/api/v1/claims/{claim['id']}/items/{item_id}/complaints",
        headers=specialist.headers,
        json={"complainant_role": "uploader", "complainant_email": UPLOADER_EMAIL, "body": UPLOADER_STATEMENT},
    )
    assert r.status_code == 201, r.text
    complaint_id = r.json()["id"]
    assert r.json()["body"] == UPLOADER_STATEMENT  # staff read it
    seen = _notifier_reads(client, holder, claim["id"])
    assert UPLOADER_STATEMENT not in seen and UPLOADER_EMAIL not in seen
    mine = client.get(f"/api/v1/claims/{claim['id']}/complaints", headers=holder.headers).json()["items"]
    assert [(c["id"], c["complainant_role"], c["status"], c["body"]) for c in mine] == [(complaint_id, "uploader", "open", None)]
    filed = [e for e in json.loads(seen)[1]["items"] if e["action"] == "complaint_filed"]
    assert len(filed) == 1 and filed[0]["reason"] is None

    r = client.post(
        f"/api/v1/complaints/{complaint_id}/decision", json={"upheld": False, "reason": REASON_TO_UPLOADER}, headers=legal_user.headers
    )
    assert r.status_code == 200, r.text
    run_once()  # the mail to the uploader is sent and its letters rendered
    seen = _notifier_reads(client, holder, claim["id"])
    assert UPLOADER_STATEMENT not in seen and UPLOADER_EMAIL not in seen and REASON_TO_UPLOADER not in seen
    decided_one = client.get(f"/api/v1/claims/{claim['id']}/complaints", headers=holder.headers).json()["items"][0]
    assert decided_one["status"] == "dismissed" and decided_one["decision_reason"] is None
    staff = client.get(f"/api/v1/claims/{claim['id']}/complaints", headers=specialist.headers).json()["items"][0]
    assert staff["body"] == UPLOADER_STATEMENT and staff["decision_reason"] == REASON_TO_UPLOADER
    staff_events = client.get(f"/api/v1/claims/{claim['id']}/events", headers=specialist.headers).json()["items"]
    assert any(e["reason"] == UPLOADER_STATEMENT for e in staff_events)
    kinds = [m["kind"] for m in client.get(f"/api/v1/claims/{claim['id']}/messages", headers=specialist.headers).json()["items"]]
    assert "complaint_decided" in kinds and "statement_of_reasons" in kinds  # staff see the uploader's mail; the notifier did not


def test_the_notifiers_own_complaint_is_its_to_read(client: Any, holder: Actor, specialist: Actor) -> None:
    claim = decided(client, holder, specialist, "EU_DSA")
    item_id = claim["items"][0]["id"]
    r = client.post(
        f"/api/v1/claims/{claim['id']}/items/{item_id}/complaints",
        headers=holder.headers,
        json={"complainant_role": "uploader", "body": "The geo-block should cover every EEA country."},
    )
    assert r.status_code == 201, r.text
    assert r.json()["complainant_role"] == "notifier" and r.json()["body"] == "The geo-block should cover every EEA country."
    events = client.get(f"/api/v1/claims/{claim['id']}/events", headers=holder.headers).json()["items"]
    assert [e["reason"] for e in events if e["action"] == "complaint_filed"] == ["The geo-block should cover every EEA country."]


def test_a_forwarded_counter_notice_is_the_notifiers_copy_and_the_uploaders_mail_is_not(
    client: Any, holder: Actor, specialist: Actor
) -> None:
    claim = decided(client, holder, specialist, "US_DMCA")
    body = complete_counter_notice("US_DMCA")
    deficient = changed(body, [(("statements", "jurisdiction_consent"), REMOVE)])
    cn = counter(client, specialist, claim, body=deficient)
    run_once()
    seen = _notifier_reads(client, holder, claim["id"])
    assert cn["id"] not in seen and body["subscriber"]["phone"] not in seen and body["material"] not in seen
    r = client.patch(f"/api/v1/counter-notices/{cn['id']}", json=body, headers=specialist.headers)
    assert r.status_code == 200 and r.json()["status"] == "forwarded", r.text
    run_once()
    copy = client.get(f"/api/v1/counter-notices/{cn['id']}", headers=holder.headers).json()
    # § 512(g)(2)(B): a copy of the counter-notice, with the contact details § 512(g)(3)(D) requires.
    assert copy["subscriber"]["name"] == body["subscriber"]["name"] and copy["subscriber"]["phone"] == body["subscriber"]["phone"]
    assert copy["material"] == body["material"]
    messages = client.get(f"/api/v1/claims/{claim['id']}/messages", headers=holder.headers).json()["items"]
    assert {m["kind"] for m in messages} >= {"counter_notice_forwarded"}
    assert all(m["to"] != body["subscriber"]["email"] for m in messages)
    assert not {"counter_notice_deficient", "statement_of_reasons"} & {m["kind"] for m in messages}
    staff = client.get(f"/api/v1/claims/{claim['id']}/messages", headers=specialist.headers).json()["items"]
    assert {"counter_notice_deficient", "statement_of_reasons"} <= {m["kind"] for m in staff}
