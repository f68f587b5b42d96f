"""Counter-notices and restoration notices: elements, forwarding, business-day windows, cures, court actions."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Actor
from tests.legal.notices import REMOVE, changed, complete_counter_notice
from tests.review.flows import counter, decided_claim


def test_complete_us_counter_notice_is_forwarded_with_the_worked_example_window(client: Any, holder: Actor, specialist: Actor) -> None:
    claim = decided_claim(client, holder, specialist, "US_DMCA")
    cn = counter(client, specialist, claim, received_at="2025-11-26T11:00:00-05:00")
    assert cn["status"] == "forwarded"
    assert cn["completeness"]["complete"] is True
    assert cn["restore_window"] == {"earliest": "2025-12-11", "latest": "2025-12-17"}
    assert cn["restore_on"] == "2025-12-11" and cn["clock_timezone"] == "America/New_York"
    item = client.get(f"/api/v1/claims/{claim['id']}", headers=holder.headers).json()["items"][0]
    assert item["status"] == "countered"


@pytest.mark.parametrize(
    "received_at, earliest, latest",
    [
        ("2025-12-19T16:00:00-05:00", "2026-01-06", "2026-01-12"),  # not the executive-order closures of 24/26 Dec
        ("2026-06-15T10:00:00-04:00", "2026-06-30", "2026-07-07"),  # Juneteenth (Fri 19 Jun) and 3 Jul (observed 4th)
        ("2021-12-27T10:00:00-05:00", "2022-01-11", "2022-01-18"),  # New Year 2022 observed Fri 31 Dec 2021; MLK Day
    ],
)
def test_us_windows_skip_section_6103_holidays(
    client: Any, holder: Actor, specialist: Actor, received_at: str, earliest: str, latest: str
) -> None:
    claim = decided_claim(client, holder, specialist, "US_DMCA")
    cn = counter(client, specialist, claim, received_at=received_at)
    assert cn["restore_window"] == {"earliest": earliest, "latest": latest}


def test_us_receipt_date_is_taken_in_the_agents_zone(client: Any, holder: Actor, specialist: Actor, set_env: Any) -> None:
    # 03:00 UTC on Thu 4 Dec 2025 is still Wed 3 Dec in New York, IPCLAIMS_TIMEZONE's default.
    claim = decided_claim(client, holder, specialist, "US_DMCA")
    cn = counter(client, specialist, claim, received_at="2025-12-04T03:00:00+00:00")
    assert cn["restore_window"]["earliest"] == "2025-12-17"
    set_env(IPCLAIMS_TIMEZONE="UTC")
    claim = decided_claim(client, holder, specialist, "US_DMCA")
    cn = counter(client, specialist, claim, received_at="2025-12-04T03:00:00+00:00")
    assert cn["restore_window"]["earliest"] == "2025-12-18"
    assert cn["clock_timezone"] == "UTC"


@pytest.mark.parametrize(
    "received_at, earliest, latest",
    [
        ("2026-02-13T10:00:00+08:00", "2026-03-03", "2026-03-09"),  # Chinese New Year 17–18 Feb
        ("2026-08-05T10:00:00+08:00", "2026-08-20", "2026-08-26"),  # National Day Sun 9 Aug observed Mon 10
    ],
)
def test_sg_windows_match_domain_examples(
    client: Any, holder: Actor, specialist: Actor, received_at: str, earliest: str, latest: str
) -> None:
    claim = decided_claim(client, holder, specialist, "SG_CA2021")
    cn = counter(client, specialist, claim, received_at=received_at)
    assert cn["status"] == "forwarded"
    assert cn["restore_window"] == {"earliest": earliest, "latest": latest}
    assert cn["clock_timezone"] == "Asia/Singapore"


def test_sg_notice_served_early_morning_counts_from_the_singapore_date(client: Any, holder: Actor, specialist: Actor) -> None:
    # 07:00 in Singapore on Tue 3 Mar 2026 is still Mon 2 Mar in New York (IPCLAIMS_TIMEZONE's default).
    claim = decided_claim(client, holder, specialist, "SG_CA2021")
    cn = counter(client, specialist, claim, received_at="2026-03-03T07:00:00+08:00")
    claim2 = decided_claim(client, holder, specialist, "SG_CA2021")
    same_day = counter(client, specialist, claim2, received_at="2026-03-03T15:00:00+08:00")
    assert cn["restore_window"] == same_day["restore_window"]
    assert cn["restore_window"]["earliest"] == "2026-03-17"


def test_deficient_counter_notice_starts_no_clock_and_its_cure_starts_it(client: Any, holder: Actor, specialist: Actor) -> None:
    claim = decided_claim(client, holder, specialist, "US_DMCA")
    body = changed(
        complete_counter_notice("US_DMCA"),
        [(("statements", "jurisdiction_consent"), REMOVE), (("statements", "service_acceptance"), False)],
    )
    cn = counter(client, specialist, claim, body=body, received_at="2025-11-20T10:00:00-05:00")
    assert cn["status"] == "deficient" and cn["restore_window"] is None
    codes = {e["code"]: e["status"] for e in cn["completeness"]["elements"]}
    assert codes["jurisdiction_consent"] == "missing" and codes["service_acceptance"] == "missing"
    assert client.get(f"/api/v1/claims/{claim['id']}", headers=holder.headers).json()["items"][0]["status"] == "actioned"
    # The notifier is not shown a deficient counter-notice.
    assert client.get(f"/api/v1/counter-notices/{cn['id']}", headers=holder.headers).status_code == 404
    r = client.patch(
        f"/api/v1/counter-notices/{cn['id']}",
        headers=specialist.headers,
        json={"statements": {"jurisdiction_consent": True}, "received_at": "2025-11-24T09:00:00-05:00"},
    )
    assert r.status_code == 200 and r.json()["status"] == "deficient"
    r = client.patch(
        f"/api/v1/counter-notices/{cn['id']}",
        headers=specialist.headers,
        json={"statements": {"service_acceptance": True}, "received_at": "2025-11-26T09:00:00-05:00"},
    )
    cured = r.json()
    assert cured["status"] == "forwarded"
    assert cured["restore_window"] == {"earliest": "2025-12-11", "latest": "2025-12-17"}  # from the cure's receipt
    assert cured["first_received_at"].startswith("2025-11-20")
    assert cured["statements"]["mistake_or_misidentification"] is True  # merged, not replaced
    assert client.get(f"/api/v1/counter-notices/{cn['id']}", headers=holder.headers).status_code == 200
    r = client.patch(f"/api/v1/counter-notices/{cn['id']}", headers=specialist.headers, json={"material": "x"})
    assert r.status_code == 409


def test_content_problems_are_elements_never_422(client: Any, holder: Actor, specialist: Actor) -> None:
    claim = decided_claim(client, holder, specialist, "US_DMCA")
    body = changed(complete_counter_notice("US_DMCA"), [(("subscriber", "phone"), ""), (("signature", "name"), " ")])
    cn = counter(client, specialist, claim, body=body)
    codes = {e["code"]: e["status"] for e in cn["completeness"]["elements"]}
    assert codes["subscriber_contact"] == "deficient" and codes["signature"] == "deficient"
    counter(client, specialist, claim, item=0, body={"statements": {"accuracy": "yes"}}, expect=422)


def test_court_action_puts_the_item_on_hold_and_a_threat_does_not(client: Any, holder: Actor, specialist: Actor) -> None:
    claim = decided_claim(client, holder, specialist, "US_DMCA")
    cn = counter(client, specialist, claim, received_at="2025-11-26T11:00:00-05:00")
    threat = client.post(
        f"/api/v1/counter-notices/{cn['id']}/court-action",
        headers=holder.headers,
        json={"court": "We will sue", "case_number": "", "filed_on": "2025-12-01"},
    )
    assert threat.status_code == 422
    assert client.get(f"/api/v1/counter-notices/{cn['id']}", headers=holder.headers).json()["status"] == "forwarded"
    future = client.post(
        f"/api/v1/counter-notices/{cn['id']}/court-action",
        headers=holder.headers,
        json={"court": "S.D.N.Y.", "case_number": "1:25-cv-09999", "filed_on": "2999-01-01"},
    )
    assert future.status_code == 422
    r = client.post(
        f"/api/v1/counter-notices/{cn['id']}/court-action",
        headers=holder.headers,
        json={"court": "U.S. District Court, S.D.N.Y.", "case_number": "1:25-cv-09999", "filed_on": "2025-12-05"},
    )
    assert r.status_code == 200, r.text
    held = r.json()
    assert held["status"] == "litigation_hold" and held["court"]["case_number"] == "1:25-cv-09999"
    assert client.get(f"/api/v1/claims/{claim['id']}", headers=holder.headers).json()["items"][0]["status"] == "litigation_hold"
    again = client.post(
        f"/api/v1/counter-notices/{cn['id']}/court-action",
        headers=holder.headers,
        json={"court": "x", "case_number": "y", "filed_on": "2025-12-05"},
    )
    assert again.status_code == 409


def test_counter_notice_preconditions(client: Any, holder: Actor, specialist: Actor, make_account: Any) -> None:
    eu = decided_claim(client, holder, specialist, "EU_DSA")
    r = client.post(
        f"/api/v1/claims/{eu['id']}/items/{eu['items'][0]['id']}/counter-notices",
        json=complete_counter_notice("US_DMCA"),
        headers=specialist.headers,
    )
    assert r.status_code == 409 and "Art. 20" in r.json()["detail"]
    us = decided_claim(client, holder, specialist, "US_DMCA", outcomes=("removed", "no_action"))
    counter(client, specialist, us, item=1, expect=409)  # nothing was taken down
    counter(client, specialist, us, item=0)
    counter(client, specialist, us, item=0, expect=409)  # one open counter-notice per item
    counter(client, holder, us, item=0, expect=403)  # staff record counter-notices
    other = make_account("rights_holder")
    assert client.get(f"/api/v1/claims/{us['id']}/counter-notices", headers=other.headers).status_code == 404


def test_withdrawn_counter_notice_returns_the_item_to_actioned(client: Any, holder: Actor, specialist: Actor) -> None:
    claim = decided_claim(client, holder, specialist, "US_DMCA")
    cn = counter(client, specialist, claim)
    r = client.post(f"/api/v1/counter-notices/{cn['id']}/withdraw", json={"reason": "subscriber withdrew"}, headers=specialist.headers)
    assert r.status_code == 200 and r.json()["status"] == "withdrawn"
    assert client.get(f"/api/v1/claims/{claim['id']}", headers=holder.headers).json()["items"][0]["status"] == "actioned"


def test_closures_push_dates_and_reschedule_running_windows(client: Any, holder: Actor, specialist: Actor, admin: Actor) -> None:
    claim = decided_claim(client, holder, specialist, "US_DMCA")
    cn = counter(client, specialist, claim, received_at="2025-12-19T16:00:00-05:00")
    assert cn["restore_window"] == {"earliest": "2026-01-06", "latest": "2026-01-12"}
    # The admin adopts the executive-order closures on purpose: both dates move two business days.
    for day in ("2025-12-24", "2025-12-26"):
        r = client.post("/api/v1/admin/closures", json={"calendar": "US", "day": day, "description": "EO closure"}, headers=admin.headers)
        assert r.status_code == 201
    assert r.json()["recomputed_counter_notices"] == 1
    moved = client.get(f"/api/v1/counter-notices/{cn['id']}", headers=specialist.headers).json()
    assert moved["restore_window"] == {"earliest": "2026-01-08", "latest": "2026-01-14"}
    assert (
        client.post(
            "/api/v1/admin/closures", json={"calendar": "US", "day": "2025-12-24", "description": "dup"}, headers=admin.headers
        ).status_code
        == 409
    )
    assert (
        client.post(
            "/api/v1/admin/closures", json={"calendar": "US", "day": "2025-12-29", "description": "x"}, headers=specialist.headers
        ).status_code
        == 403
    )
    # An SG closure does not touch US clocks.
    client.post("/api/v1/admin/closures", json={"calendar": "SG", "day": "2026-01-05", "description": "SG only"}, headers=admin.headers)
    assert client.get(f"/api/v1/counter-notices/{cn['id']}", headers=specialist.headers).json()["restore_on"] == "2026-01-08"
    r = client.delete("/api/v1/admin/closures/US/2025-12-26", headers=admin.headers)
    assert r.status_code == 200 and r.json()["recomputed_counter_notices"] == 1
    assert client.get(f"/api/v1/counter-notices/{cn['id']}", headers=specialist.headers).json()["restore_on"] == "2026-01-07"


def test_restore_business_day_setting(client: Any, holder: Actor, specialist: Actor, set_env: Any) -> None:
    set_env(IPCLAIMS_RESTORE_BUSINESS_DAY="14")
    claim = decided_claim(client, holder, specialist, "US_DMCA")
    cn = counter(client, specialist, claim, received_at="2025-11-26T11:00:00-05:00")
    assert cn["restore_on"] == "2025-12-17" == cn["restore_window"]["latest"]


def test_eu_internal_complaint_upheld_restores_the_item(client: Any, holder: Actor, specialist: Actor, legal_user: Actor) -> None:
    claim = decided_claim(client, holder, specialist, "EU_DSA")
    item_id = claim["items"][0]["id"]
    r = client.post(
        f"/api/v1/claims/{claim['id']}/items/{item_id}/complaints",
        headers=specialist.headers,
        json={
            "complainant_role": "uploader",
            "complainant_email": "up@mail.example",
            "body": "This is my own photo; I have the raw files.",
        },
    )
    assert r.status_code == 201
    complaint = r.json()
    assert complaint["status"] == "open"
    r = client.post(
        f"/api/v1/complaints/{complaint['id']}/decision", json={"upheld": True, "reason": "raw files shown"}, headers=legal_user.headers
    )
    assert r.status_code == 200 and r.json()["status"] == "upheld"
    item = client.get(f"/api/v1/claims/{claim['id']}", headers=holder.headers).json()["items"][0]
    assert item["status"] == "restored" and item["outcome"] == "restored"
    again = client.post(f"/api/v1/complaints/{complaint['id']}/decision", json={"upheld": False, "reason": "x"}, headers=legal_user.headers)
    assert again.status_code == 409
