"""A notice listing more URLs than a claim takes becomes several claims ("parts") of at most 1,000 items each, in the
order the URLs appear, from the one message, in one transaction (issue 20; docs/contract-additions.md "Parts").
`POST /api/v1/notices`, the source message of each part, the messages list, replay, the bound on parts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import inspect, select

from ipclaims.db import session_scope
from ipclaims.models import Account, Claim, SourceMessage, SourceMessagePart
from tests.conftest import Actor
from tests.mailroom.parts import SENDER, bulk_notice, bulk_urls

CREATE = "/api/v1/notices"


def _verify(client: TestClient, admin: Actor, account_id: str, domain: str) -> None:
    r = client.post(f"/api/v1/accounts/{account_id}/verified-domains", headers=admin.headers, json={"domain": domain})
    assert r.status_code == 201, r.text


def _problem(r: Any, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text[:500]
    assert r.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = r.json()
    return body


def test_2500_urls_make_three_parts_in_order_each_a_claim_as_intake_makes_one(
    client: TestClient, specialist: Actor, admin: Actor, make_account: Callable[..., Actor]
) -> None:
    owner = make_account("rights_holder", name="Lumen Photo", email="legal@lumenphoto.example")
    _verify(client, admin, owner.id, "lumenphoto.example")
    text = bulk_notice(2500)
    headers = specialist.headers | {"Idempotency-Key": "bulk-2500"}
    r = client.post(CREATE, headers=headers, json={"text": text})
    assert r.status_code == 201, r.text[:500]
    first = r.json()
    # The 201 stays the first claim's body (CONTRACT.md), plus the parts.
    assert [i["url"] for i in first["items"]] == bulk_urls(2500)[:1000]
    parts = first["parts"]
    assert [p["items"] for p in parts] == [1000, 1000, 500]
    assert [p["part"] for p in parts] == [1, 2, 3]
    assert parts[0]["id"] == first["id"] and parts[0]["reference"] == first["reference"]
    assert [p["reference"] for p in parts] == sorted(p["reference"] for p in parts)  # numbered in order
    claims = [client.get(f"/api/v1/claims/{p['id']}", headers=specialist.headers).json() for p in parts]
    statuses = [(e["code"], e["status"]) for e in first["completeness"]["elements"]]
    urls = bulk_urls(2500)
    assert [[i["url"] for i in c["items"]] for c in claims] == [urls[:1000], urls[1000:2000], urls[2000:]]
    for c in claims:  # nothing differs from a claim of ≤ 1,000 items but the items
        assert c["owner_id"] == owner.id and c["source"] == "email" and c["regime"] == "US_DMCA"
        assert c["received_at"] == first["received_at"] and c["received_at"].startswith("2026-12-01T14:30:00")
        assert c["status"] == "in_review" and c["completeness"]["complete"] is True
        assert [(e["code"], e["status"]) for e in c["completeness"]["elements"]] == statuses
        assert c["due_at"] == first["due_at"]
        assert [i["position"] for i in c["items"]] == list(range(len(c["items"])))
    ids = [p["id"] for p in parts]
    with session_scope(write=False) as s:
        (row,) = s.scalars(select(SourceMessage)).all()  # the message kept once
        assert row.claim_id == ids[0] and row.status.value == "parsed" and row.raw == text.encode()
        assert first["source_message_id"] == row.id
        assert s.scalar(select(Claim).where(Claim.id.not_in(ids))) is None
    # Every part finds its source message, says which part it is and lists the parts.
    for n, part_id in enumerate(ids, 1):
        for reader in (specialist, owner):
            got = client.get(f"/api/v1/claims/{part_id}/source-message", headers=reader.headers)
            assert got.status_code == 200, got.text
            assert got.content == text.encode()
            assert got.headers["x-notice-part"] == str(n)
            assert got.headers["x-notice-parts"] == ", ".join(ids)
    # Staff read, on each part, that it is part k of n of one notice; the rights holder reads nothing internal.
    for n, part_id in enumerate(ids, 1):
        staff_events = client.get(f"/api/v1/claims/{part_id}/events", headers=specialist.headers).json()["items"]
        (said,) = [e for e in staff_events if e["action"] == "notice_part"]
        assert said["data"]["part"] == n and said["data"]["of"] == 3 and said["data"]["claims"] == ids
        assert f"part {n} of 3" in said["reason"] and all(p["reference"] in said["reason"] for p in parts)
        holder_events = client.get(f"/api/v1/claims/{part_id}/events", headers=owner.headers).json()["items"]
        assert [e["action"] for e in holder_events] == ["submitted"]
        holder_claim = client.get(f"/api/v1/claims/{part_id}", headers=owner.headers)
        assert holder_claim.status_code == 200 and "of one notice" not in holder_claim.text  # the event's words stay internal
    # The messages list and the message show the parts.
    listed = client.get("/api/v1/notices/messages", headers=specialist.headers).json()["items"]
    assert [m["parts"] for m in listed] == [parts]
    assert client.get(f"/api/v1/notices/messages/{row.id}", headers=specialist.headers).json()["parts"] == parts
    # A replay answers the same and makes nothing new.
    again = client.post(CREATE, headers=headers, json={"text": text})
    assert again.status_code == 201 and again.headers.get("idempotency-replayed") == "true"
    assert again.json() == first
    with session_scope(write=False) as s:
        assert len(s.scalars(select(Claim)).all()) == 3 and len(s.scalars(select(SourceMessage)).all()) == 1


def test_a_notice_of_at_most_1000_urls_is_one_claim_listed_as_its_only_part(client: TestClient, specialist: Actor) -> None:
    r = client.post(CREATE, headers=specialist.headers, json={"text": bulk_notice(1000)})
    assert r.status_code == 201, r.text[:500]
    claim = r.json()
    assert len(claim["items"]) == 1000
    assert claim["parts"] == [{"id": claim["id"], "reference": claim["reference"], "part": 1, "items": 1000}]
    got = client.get(f"/api/v1/claims/{claim['id']}/source-message", headers=specialist.headers)
    assert (got.headers["x-notice-part"], got.headers["x-notice-parts"]) == ("1", claim["id"])
    events = client.get(f"/api/v1/claims/{claim['id']}/events", headers=specialist.headers).json()["items"]
    assert "notice_part" not in [e["action"] for e in events]  # one claim: nothing to say
    listed = client.get("/api/v1/notices/messages", headers=specialist.headers).json()["items"]
    assert listed[0]["parts"] == claim["parts"]


def test_more_parts_than_one_notice_may_make_is_a_clear_422_and_stores_nothing(
    client: TestClient, specialist: Actor, set_env: Callable[..., None]
) -> None:
    set_env(IPCLAIMS_MAX_ITEMS="10")  # 10 parts of 10 items: the bound is reached with 100 URLs
    over = _problem(client.post(CREATE, headers=specialist.headers, json={"text": bulk_notice(101)}), 422)
    assert "101 reported URLs" in over["detail"] and "at most 10 claims" in over["detail"] and "100 URLs" in over["detail"]
    assert over["errors"][0]["loc"] == ["body", "items"]
    with session_scope(write=False) as s:
        assert s.scalars(select(Claim)).all() == [] and s.scalars(select(SourceMessage)).all() == []
    made = client.post(CREATE, headers=specialist.headers, json={"text": bulk_notice(100)})
    assert made.status_code == 201, made.text[:500]
    assert [p["items"] for p in made.json()["parts"]] == [10] * 10


def test_the_parts_are_the_owners_and_another_holder_finds_none(
    client: TestClient, specialist: Actor, holder: Actor, make_account: Callable[..., Actor]
) -> None:
    made = client.post(CREATE, headers=specialist.headers, json={"text": bulk_notice(1500)}).json()
    assert len(made["parts"]) == 2
    for part in made["parts"]:
        assert client.get(f"/api/v1/claims/{part['id']}/source-message", headers=holder.headers).status_code == 404
    with session_scope(write=False) as s:
        (owner_id,) = {c.owner_id for c in s.scalars(select(Claim))}
        owner = s.get(Account, owner_id)
        assert owner is not None and owner.email == SENDER  # the placeholder notifier made for the sender, once


def test_the_migration_links_each_message_made_before_it_to_its_claim(client: TestClient, specialist: Actor, db_url: str) -> None:
    # Migration 0025 gives every message that made a claim before it its one part; downgraded, the table is gone.
    from ipclaims import db
    from ipclaims.migrations import downgrade, upgrade

    one = client.post(CREATE, headers=specialist.headers, json={"text": bulk_notice(3, tag="one")}).json()
    several = client.post(CREATE, headers=specialist.headers, json={"text": bulk_notice(1001, tag="several")}).json()
    db.dispose_engines()
    downgrade(db_url, "0024_mail_copies")
    try:
        with session_scope(write=False) as s:
            assert "source_message_part" not in inspect(s.connection()).get_table_names()
        db.dispose_engines()
    finally:
        upgrade(db_url)
    with session_scope(write=False) as s:
        linked = s.execute(select(SourceMessagePart.claim_id, SourceMessagePart.part, SourceMessagePart.items)).all()
    assert sorted(linked) == sorted([(one["id"], 1, 3), (several["id"], 1, 1000)])  # the first part, as the message knew it
    got = client.get(f"/api/v1/claims/{one['id']}/source-message", headers=specialist.headers)
    assert got.status_code == 200 and got.headers["x-notice-part"] == "1"


def test_a_claim_its_message_names_without_a_link_row_still_finds_its_message(client: TestClient, specialist: Actor) -> None:
    """A claim made by a process still on the code before 0025 (or across a downgrade and upgrade) has no link row:
    its message names it as its claim, and it is that message's only part."""
    r = client.post(CREATE, headers=specialist.headers, json={"text": bulk_notice(3)})
    assert r.status_code == 201, r.text[:500]
    claim = r.json()
    with session_scope() as s:
        s.delete(s.get(SourceMessagePart, claim["id"]))
    got = client.get(f"/api/v1/claims/{claim['id']}/source-message", headers=specialist.headers)
    assert got.status_code == 200 and got.headers["X-Notice-Part"] == "1" and got.headers["X-Notice-Parts"] == claim["id"]
    page = client.get(f"/api/v1/notices/messages/{claim['source_message_id']}", headers=specialist.headers)
    assert page.status_code == 200


def test_a_notice_made_into_parts_counts_once_in_the_dsa_counts(
    client: TestClient, specialist: Actor, admin: Actor, make_account: Callable[..., Actor]
) -> None:
    """DSA Art. 15(1)(b) counts notices: one email of 2,500 URLs is one notice there, whatever claims it was made into."""
    owner = make_account("rights_holder", name="Lumen Photo", email="legal@lumenphoto.example")
    _verify(client, admin, owner.id, "lumenphoto.example")
    day = {"from": "2026-12-01", "to": "2026-12-01"}
    r = client.post(CREATE, headers=specialist.headers, json={"text": bulk_notice(2500)})
    assert r.status_code == 201 and len(r.json()["parts"]) == 3, r.text[:300]
    other = bulk_notice(20, tag="other", message_id="<other@lumenphoto.example>")
    r = client.post(CREATE, headers=specialist.headers, json={"text": other})
    assert r.status_code == 201 and len(r.json()["parts"]) == 1, r.text[:300]
    counts = client.get("/api/v1/exports/dsa-counts", params=day, headers=specialist.headers).json()
    assert counts["notices"]["total"] == 2
    assert counts["notices"]["by_regime_and_kind"]["US_DMCA"] == {"copyright": 2, "trademark": 0}
    # The reports count claims, and say so: three claims from the one notice, one from the other.
    summary = client.get("/api/v1/reports/summary", params=day, headers=specialist.headers).json()
    assert summary["claims"]["total"] == 4
