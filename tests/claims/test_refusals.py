"""Bad input is a 4xx problem, never a 500, on SQLite and PostgreSQL alike, and a refusal stores nothing.

Each case here was a 500 once: a forged cursor reaching int(), NUL characters PostgreSQL refuses in text and JSONB, an
integer too large for the column, a receipt date whose SLA arithmetic overflows, a VARCHAR limit on contact fields.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.conftest import Actor
from tests.legal.notices import complete_claim
from tests.review.flows import submit


def forged(*values: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(values)).encode()).decode().rstrip("=")


def _stored(session: Any) -> tuple[int, int]:
    from ipclaims.models import Claim, Event

    session.expire_all()
    counts = (session.scalar(select(func.count(Claim.id))), session.scalar(select(func.count(Event.id))))
    session.commit()
    return counts


def assert_problem(r: Any, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert {"type", "title", "status", "detail"} <= set(body) and body["status"] == status
    for error in body.get("errors", []):
        assert set(error) >= {"loc", "msg"}
    return body


@pytest.mark.parametrize(
    ("path", "cursor"),
    [
        ("/api/v1/claims", forged(None)),
        ("/api/v1/claims", forged(["nested"])),
        ("/api/v1/claims", forged(1, 2)),
        ("/api/v1/queue", forged("a", "b", "c")),
        ("/api/v1/queue", forged(1, "not a time", "01ABC")),
        ("/api/v1/queue", forged(1, "2026-01-01T00:00:00", "01ABC")),  # naive: not a cursor we issued
        ("/api/v1/queue", forged(True, None, "01ABC")),
        ("/api/v1/queue", "%%%"),
    ],
)
def test_forged_cursors_are_422(client: Any, specialist: Actor, path: str, cursor: str) -> None:
    body = assert_problem(client.get(path, params={"cursor": cursor}, headers=specialist.headers), 422)
    assert body["errors"][0]["loc"] == ["query", "cursor"]


def test_forged_event_cursor_is_422(client: Any, holder: Actor) -> None:
    claim = submit(client, holder, "EU_DSA")
    r = client.get(f"/api/v1/claims/{claim['id']}/events", params={"cursor": forged("x")}, headers=holder.headers)
    assert_problem(r, 422)


def test_issued_cursors_still_page(client: Any, holder: Actor, specialist: Actor) -> None:
    for _ in range(3):
        submit(client, holder, "EU_DSA")
    for path in ("/api/v1/claims", "/api/v1/queue"):
        first = client.get(path, params={"limit": 2}, headers=specialist.headers).json()
        rest = client.get(path, params={"limit": 2, "cursor": first["next_cursor"]}, headers=specialist.headers).json()
        ids = [c["id"] for c in first["items"] + rest["items"]]
        assert len(ids) == len(set(ids)) == 3 and rest["next_cursor"] is None


@pytest.mark.parametrize(
    ("where", "value"),
    [
        (("explanation",), "copied\u0000 in full"),
        (("items", 0, "url"), "https://video.example.com/watch?v=a\u0000b"),
        (("signature", "name"), "/s/ Ada\u0000"),  # stored as JSON(B)
        (("works", 0, "urls"), ["https://rights.example.com/\u0000"]),
        (("explanation",), "\ud800 unpaired surrogate"),
    ],
)
def test_text_the_databases_cannot_store_is_422_and_nothing_is_written(
    client: Any, holder: Actor, session: Any, where: tuple[Any, ...], value: str
) -> None:
    body = complete_claim("US_DMCA")
    target: Any = body
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = value
    before = _stored(session)
    raw = json.dumps(body)  # json.dumps writes \u0000 and \ud800 as escapes: valid JSON text
    r = client.post("/api/v1/claims", content=raw, headers={**holder.headers, "Content-Type": "application/json"})
    err = assert_problem(r, 422)
    assert err["errors"][0]["loc"][: len(where)] == ["body", *where][: len(where)]
    assert _stored(session) == before


@pytest.mark.parametrize(
    "received_at", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00", "1969-12-31T23:59:59+00:00", "2999-01-01T00:00:00+00:00"]
)
def test_implausible_receipt_times_are_422(client: Any, specialist: Actor, holder: Actor, session: Any, received_at: str) -> None:
    before = _stored(session)
    body = complete_claim("US_DMCA") | {"received_at": received_at, "on_behalf_of": holder.id}
    assert_problem(client.post("/api/v1/claims", json=body, headers=specialist.headers), 422)
    assert _stored(session) == before


def test_item_work_index_too_large_for_the_column_is_422(client: Any, holder: Actor, session: Any) -> None:
    before = _stored(session)
    for work in (2**63, 10**30):
        body = complete_claim("US_DMCA")
        body["items"][0]["work"] = work
        assert_problem(client.post("/api/v1/claims", json=body, headers=holder.headers), 422)
    assert _stored(session) == before


def test_over_long_contact_fields_are_stored_and_judged_not_a_500(client: Any, holder: Actor) -> None:
    # An email that does not parse is an element `deficient` in a 201 (CONTRACT.md), however long it is.
    body = complete_claim("US_DMCA")
    body["complainant"].update(
        {
            "email": "a" * 400 + "@rights.example.com",
            "phone": "1" * 150,
            "fax": "2" * 150,
            "address": {"street": "s", "city": "c" * 300, "region": "r" * 300, "postal_code": "9" * 100, "country": "C" * 150},
        }
    )
    body["works"][0]["registration_number"] = "PA" + "0" * 300
    r = client.post("/api/v1/claims", json=body, headers=holder.headers)
    assert r.status_code == 201, r.text
    claim = r.json()
    assert claim["complainant"]["email"].startswith("a" * 400)
    assert claim["works"][0]["registration_number"].startswith("PA000")
    # A usable phone is one usable channel (§ 512(c)(3)(A)(iv)): contact stays present, noting the bad email.
    contact = next(e for e in claim["completeness"]["elements"] if e["code"] == "contact_information")
    assert contact["status"] == "present" and "not usable" in contact["detail"]


def test_a_reference_work_id_that_is_not_an_id_is_422(client: Any, holder: Actor) -> None:
    body = complete_claim("US_DMCA")
    body["works"][0]["reference_work_id"] = "W" * 100
    assert_problem(client.post("/api/v1/claims", json=body, headers=holder.headers), 422)


def test_event_ids_are_opaque_strings(client: Any, holder: Actor) -> None:
    claim = submit(client, holder, "EU_DSA")
    events = client.get(f"/api/v1/claims/{claim['id']}/events", headers=holder.headers).json()["items"]
    assert events and all(isinstance(e["id"], str) for e in events)
    assert {"at", "actor", "action", "from", "to", "reason"} <= set(events[0])


def test_empty_filters_mean_unset_as_the_contract_writes_them(client: Any, holder: Actor, specialist: Actor) -> None:
    claim = submit(client, holder, "EU_DSA")
    r = client.get("/api/v1/claims?status=&regime=&kind=&cursor=", headers=holder.headers)
    assert r.status_code == 200, r.text
    assert [c["id"] for c in r.json()["items"]] == [claim["id"]]
    r = client.get("/api/v1/queue?status=&regime=&source=&assignee=&overdue=&cursor=", headers=specialist.headers)
    assert r.status_code == 200 and [c["id"] for c in r.json()["items"]] == [claim["id"]]
    assert client.get(f"/api/v1/claims/{claim['id']}/events?cursor=", headers=holder.headers).status_code == 200
    for bad in ("regime=UK_CDPA", "kind=patent", "source=rumour", "status=open"):
        assert_problem(client.get(f"/api/v1/claims?{bad}", headers=holder.headers), 422)
    assert_problem(client.get("/api/v1/queue?overdue=maybe", headers=specialist.headers), 422)
    assert client.get("/api/v1/claims?regime=EU_DSA&kind=copyright", headers=holder.headers).json()["items"]
