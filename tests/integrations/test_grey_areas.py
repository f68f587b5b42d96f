"""Grey areas flagged at intake (DOMAIN.md §6): repeat claims and impersonated notifiers (issue 21)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import text

from ipclaims.config import get_settings
from ipclaims.integrations import grey_areas, lookalike, routing
from ipclaims.models import utcnow
from tests.conftest import Actor
from tests.legal.notices import complete_claim
from tests.review.flows import counter, decide, submit

URL = "https://video.example.com/watch?v=repeat-1"


def one_item(url: str = URL, email: str | None = None) -> dict[str, Any]:
    body = complete_claim("US_DMCA")
    body["items"] = [{"url": url, "description": "full copy", "work": 0}]
    if email is not None:
        body["complainant"] = {**body["complainant"], "email": email}
    return body


def flags(client: Any, staff: Actor, claim_id: str) -> list[dict[str, Any]]:
    r = client.get(f"/api/v1/claims/{claim_id}/flags", headers=staff.headers)
    assert r.status_code == 200, r.text
    return r.json()["items"]


def route() -> int:
    return routing.route_flagged(utcnow(), get_settings())["routed_to_legal"]


def test_a_url_claimed_again_is_linked_to_the_earlier_claim(client: Any, holder: Actor, specialist: Actor) -> None:
    first = submit(client, holder, **one_item())
    second = submit(client, holder, **one_item())
    [flag] = flags(client, specialist, second["id"])
    assert flag["kind"] == "repeat_claim" and flag["legal"] is False
    assert flag["related_claim_id"] == first["id"] and flag["related_item_id"] == first["items"][0]["id"]
    assert flag["item_id"] == second["items"][0]["id"] and flag["detail"]["earlier_reference"] == first["reference"]
    assert flags(client, specialist, first["id"]) == []
    assert route() == 0
    assert client.get(f"/api/v1/claims/{second['id']}", headers=specialist.headers).json()["status"] == "in_review"
    # Staff only: the notifier does not see what other notices say about the same URL.
    assert client.get(f"/api/v1/claims/{second['id']}/flags", headers=holder.headers).status_code == 403
    other = submit(client, holder, **one_item("https://video.example.com/watch?v=fresh"))
    assert flags(client, specialist, other["id"]) == []


def test_a_url_claimed_many_times_links_only_the_latest_earlier_claim(client: Any, holder: Actor, specialist: Actor) -> None:
    # One flag per earlier item grew without bound (a URL claimed a thousand times wrote a thousand flags per intake).
    earlier = [submit(client, holder, **one_item()) for _ in range(4)]
    latest = submit(client, holder, **one_item())
    [flag] = flags(client, specialist, latest["id"])
    assert flag["kind"] == "repeat_claim" and flag["related_claim_id"] == earlier[-1]["id"]


def notifier_events(client: Any, holder: Actor, claim_id: str) -> list[dict[str, Any]]:
    r = client.get(f"/api/v1/claims/{claim_id}/events", headers=holder.headers)
    assert r.status_code == 200, r.text
    return r.json()["items"]


def test_the_same_url_claimed_after_restoration_routes_to_legal_with_the_history(
    client: Any, holder: Actor, specialist: Actor, legal_user: Actor, make_account: Callable[..., Actor]
) -> None:
    # The earlier claim is another holder's: its reference and ids are legal's business, never this notifier's.
    earlier_holder = make_account("rights_holder", name="Holder B", email="b@holder-b.example")
    first = decide(client, specialist, submit(client, earlier_holder, **one_item()), 0, "removed")
    cn = counter(client, specialist, first, received_at="2025-11-26T11:00:00-05:00")
    r = client.post(f"/api/v1/counter-notices/{cn['id']}/restore", json={"reason": "no suit"}, headers=legal_user.headers)
    assert r.status_code == 200, r.text
    again = submit(client, holder, **one_item())
    [flag] = flags(client, specialist, again["id"])
    assert flag["kind"] == "repeat_after_restoration" and flag["legal"] is True and flag["routed_at"] is None
    assert flag["detail"]["earlier_item_status"] == "restored"
    assert route() == 1
    claim = client.get(f"/api/v1/claims/{again['id']}", headers=legal_user.headers).json()
    assert claim["status"] == "escalated"
    events = client.get(f"/api/v1/claims/{again['id']}/events", headers=legal_user.headers).json()["items"]
    escalation = next(e for e in events if e["to"] == "escalated")
    assert "restored" in escalation["reason"] and first["reference"] in escalation["reason"]
    assert escalation["actor_role"] == "system"
    assert escalation["data"]["flags"][0]["earlier_claim_id"] == first["id"]
    assert flags(client, specialist, again["id"])[0]["routed_at"] is not None
    assert route() == 0  # routed once
    # The notifier's own event list: no escalation memo, nothing of the earlier claim (its reference, ids, URL history).
    seen = notifier_events(client, holder, again["id"])
    assert seen and all(e["to"] != "escalated" for e in seen)
    text = json.dumps(seen)
    for secret in (first["reference"], first["id"], first["items"][0]["id"], "restored", "routed to legal", "flags"):
        assert secret not in text


def test_a_url_restored_on_its_latest_claim_links_both_the_restored_and_the_earlier_removed_claim(
    client: Any, holder: Actor, specialist: Actor, legal_user: Actor
) -> None:
    # Per URL: the latest earlier item that was not restored and the latest restored one, as before the index probes.
    removed = decide(client, specialist, submit(client, holder, **one_item()), 0, "removed")
    restored = decide(client, specialist, submit(client, holder, **one_item()), 0, "removed")
    cn = counter(client, specialist, restored, received_at="2025-11-26T11:00:00-05:00")
    r = client.post(f"/api/v1/counter-notices/{cn['id']}/restore", json={"reason": "no suit"}, headers=legal_user.headers)
    assert r.status_code == 200, r.text
    again = submit(client, holder, **one_item())
    linked = {(f["kind"], f["related_claim_id"]) for f in flags(client, specialist, again["id"])}
    assert linked == {("repeat_claim", removed["id"]), ("repeat_after_restoration", restored["id"])}


@pytest.mark.parametrize(
    "sender, flagged",
    [
        ("legal@paypa1.com", True),
        ("notices@micros0ft-legal.com", True),
        ("legal@pаypal.com", True),  # Cyrillic а
        ("legal@paypal.com", False),
        ("dmca@legal.microsoft.com", False),
        ("ada@rights.example.com", False),
    ],
)
def test_look_alike_sender_domains_are_flagged_and_routed_to_legal(
    client: Any, holder: Actor, specialist: Actor, sender: str, flagged: bool
) -> None:
    claim = submit(client, holder, **one_item(f"https://video.example.com/watch?v={abs(hash(sender))}", sender))
    kinds = [f["kind"] for f in flags(client, specialist, claim["id"])]
    assert kinds == (["impersonation"] if flagged else [])
    before = claim["priority"]
    assert route() == (1 if flagged else 0)
    after = client.get(f"/api/v1/claims/{claim['id']}", headers=specialist.headers).json()
    if flagged:
        assert after["status"] == "escalated" and after["priority"] > before
        assert any("impersonation" in reason for reason in after["priority_reasons"])
        # The suspicion is legal's: the notifier's event list has no escalation and names no look-alike.
        seen = notifier_events(client, holder, claim["id"])
        assert seen and all(e["to"] != "escalated" for e in seen)
        assert "impersonation" not in json.dumps(seen) and "resembles" not in json.dumps(seen)
        staff_view = client.get(f"/api/v1/claims/{claim['id']}/events", headers=specialist.headers).json()["items"]
        assert any(e["to"] == "escalated" and "impersonation" in e["reason"] for e in staff_view)
    else:
        assert after["status"] == "in_review"


def test_a_look_alike_of_a_verified_account_domain_is_flagged(client: Any, holder: Actor, specialist: Actor, admin: Actor) -> None:
    r = client.post(f"/api/v1/accounts/{holder.id}/verified-domains", json={"domain": "Holder-Films.example"}, headers=admin.headers)
    assert r.status_code == 201 and r.json()["domain"] == "holder-films.example"
    listed = client.get(f"/api/v1/accounts/{holder.id}/verified-domains", headers=admin.headers).json()["items"]
    assert [d["domain"] for d in listed] == ["holder-films.example"]
    real = submit(client, holder, **one_item("https://video.example.com/watch?v=v1", "a@holder-films.example"))
    assert flags(client, specialist, real["id"]) == []
    fake = submit(client, holder, **one_item("https://video.example.com/watch?v=v2", "a@ho1der-films.example"))
    [flag] = flags(client, specialist, fake["id"])
    assert flag["detail"]["resembles"] == "holder-films.example" and flag["detail"]["verified_account_id"] == holder.id
    bad = client.post(f"/api/v1/accounts/{holder.id}/verified-domains", json={"domain": "not a domain"}, headers=admin.headers)
    assert bad.status_code == 422


@pytest.mark.parametrize(
    "sender, known, expected",
    [
        ("paypa1.com", "paypal.com", True),
        ("micros0ft-legal.com", "microsoft.com", True),
        ("pаypal.com", "paypal.com", True),
        ("xn--pypal-4ve.com", "paypal.com", True),  # punycode of the Cyrillic one
        ("paypal.co.uk", "paypal.com", True),
        ("rnicrosoft.com", "microsoft.com", True),
        ("paypal.com", "paypal.com", False),
        ("legal.paypal.com", "paypal.com", False),
        ("microsoft.com", "paypal.com", False),
        ("example.com", "apple.com", False),
        ("ebay.com", "sony.com", False),
    ],
)
def test_lookalike_table(sender: str, known: str, expected: bool) -> None:
    assert lookalike.resembles(sender, known) is expected


def test_a_domain_verified_after_a_sender_was_judged_applies_to_the_next_notice_at_once(
    client: Any, holder: Actor, specialist: Actor, admin: Actor
) -> None:
    # The verdict per sender is cached for a few seconds; verifying a domain must drop it in this process at once.
    before = submit(client, holder, **one_item("https://video.example.com/watch?v=c1", "a@ho1der-studio.example"))
    assert flags(client, specialist, before["id"]) == []
    r = client.post(f"/api/v1/accounts/{holder.id}/verified-domains", json={"domain": "holder-studio.example"}, headers=admin.headers)
    assert r.status_code == 201
    after = submit(client, holder, **one_item("https://video.example.com/watch?v=c2", "a@ho1der-studio.example"))
    [flag] = flags(client, specialist, after["id"])
    assert flag["kind"] == "impersonation" and flag["detail"]["resembles"] == "holder-studio.example"


def test_the_repeat_lookup_probes_an_index_backwards_instead_of_reading_every_earlier_item(
    client: Any, holder: Actor, session: Any
) -> None:
    # A URL claimed n times before must cost one index probe per URL, not n rows sorted (intake slowed without bound).
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":  # statistics saying few URLs, one claimed over and over (as in the intake bench)
        for _ in range(12):
            submit(client, holder, **one_item())
        session.execute(text("ANALYZE claim_item"))
    query = grey_areas._QUERIES[dialect]
    sql, params, _many = query.render(
        session.get_bind().dialect,
        {"claim": "x", "urls": ["https://a.example/1"] if dialect == "postgresql" else '["https://a.example/1"]'},
    )
    conn = session.connection().connection.driver_connection
    if dialect == "sqlite":
        plan = " | ".join(str(row[-1]) for row in conn.execute("EXPLAIN QUERY PLAN " + sql, params))
        assert "USING INDEX ix_claim_item_url (url=?)" in plan and "USING INDEX ix_claim_item_url_restored (url=?)" in plan, plan
    else:
        # The probes are functions planned with bitmap scans and sorts off (migration 0011); their body with those
        # settings, for any URL (the generic plan: a new URL, or one claimed a moment ago), must be the backward index
        # scan, even where the statistics say claim_item holds few URLs (pgcpu_generic_repeat: a primary-key scan then).
        with conn.cursor() as cur:
            cur.execute("SELECT proname, proconfig, prosrc FROM pg_proc WHERE proname LIKE 'repeat_latest_%' ORDER BY proname")
            found = cur.fetchall()
            config = {name: set(settings) for name, settings, _body in found}
            assert config == {
                name: {"enable_bitmapscan=off", "enable_sort=off"} for name in ("repeat_latest_item", "repeat_latest_restored")
            }
            cur.execute("SET LOCAL enable_bitmapscan = off")
            cur.execute("SET LOCAL enable_sort = off")
            cur.execute("SET LOCAL plan_cache_mode = force_generic_plan")
            plans = []
            for name, _settings, body in found:
                probe = re.search(r"RETURN \((SELECT .*)\);", body, re.DOTALL)
                assert probe is not None, body
                select = re.sub(r"\bu\b", "$1", probe.group(1)).replace("<> claim", "<> $2")
                cur.execute(f"PREPARE {name}_probe(text, text) AS {select}")
                cur.execute(f"EXPLAIN EXECUTE {name}_probe('https://a.example/1', 'x')")
                plans.append(" | ".join(row[0] for row in cur.fetchall()))
                cur.execute(f"DEALLOCATE {name}_probe")
        session.rollback()
        plan = " || ".join(plans)
        assert "Index Scan Backward using ix_claim_item_url on" in plans[0], plan
        assert "Index Scan Backward using ix_claim_item_url_restored" in plans[1], plan
    assert "SCAN ci" not in plan and "Seq Scan on claim_item" not in plan, plan  # only the few rows found are sorted
    assert "pk_claim_item" not in plan, plan  # not every item, newest first, filtered


def test_a_url_with_quotes_backslashes_commas_and_braces_is_found_again(client: Any, holder: Actor, specialist: Actor) -> None:
    # PostgreSQL receives the URLs as a text[] literal: its quoting must give back each URL exactly.
    url = 'https://video.example.com/watch?v=a,b{c}"d\\e NULL'
    first = submit(client, holder, **one_item(url))
    second = submit(client, holder, **one_item(url))
    [flag] = flags(client, specialist, second["id"])
    assert flag["related_claim_id"] == first["id"] and flag["detail"]["url"] == url
    assert flags(client, specialist, submit(client, holder, **one_item(url[:-5]))["id"]) == []  # another URL: no link
