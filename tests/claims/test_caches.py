"""The per-process caches on the intake path: who is calling (auth.cache) and the SLA table (triage.priority).

Both must never outlive a change: in this process a revocation, deactivation, trusted-flagger change or SLA edit
applies to the very next request; a change made elsewhere (another serve worker, the CLI, SQL) within the TTL.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text

from tests.conftest import Actor
from tests.legal.notices import complete_claim


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """A settable monotonic clock for both caches (one `TTLCache` class, one clock)."""
    from ipclaims import ttlcache

    now = [1_000.0]
    monkeypatch.setattr(ttlcache, "clock", lambda: now[0])
    return now


def elsewhere(sql: str, **params: Any) -> None:
    """A change made by another process: straight to the database, no in-process invalidation."""
    from ipclaims.db import session_scope

    with session_scope() as s:
        s.execute(text(sql), params)


def me(client: Any, actor: Actor) -> int:
    return int(client.get("/api/v1/me", headers=actor.headers).status_code)


def test_a_cached_caller_costs_no_query(client: Any, holder: Actor, clock: list[float]) -> None:
    from sqlalchemy import event

    from ipclaims.db import lookup_engine

    assert me(client, holder) == 200
    seen: list[str] = []
    listener = lambda *args: seen.append(args[2])  # noqa: E731 - before_cursor_execute(conn, cursor, statement, ...)
    event.listen(lookup_engine(), "before_cursor_execute", listener)
    try:
        assert me(client, holder) == 200
        assert not [s for s in seen if "api_key" in s]
        clock[0] += 5
        assert me(client, holder) == 200
        assert [s for s in seen if "api_key" in s]  # expired: read again
    finally:
        event.remove(lookup_engine(), "before_cursor_execute", listener)


def test_revocation_in_this_process_applies_to_the_next_request(client: Any, admin: Actor, holder: Actor, clock: list[float]) -> None:
    assert me(client, holder) == 200  # cached now
    [key] = client.get(f"/api/v1/accounts/{holder.id}/keys", headers=admin.headers).json()["items"]
    assert client.delete(f"/api/v1/accounts/{holder.id}/keys/{key['id']}", headers=admin.headers).status_code == 200
    assert me(client, holder) == 401
    r = client.post("/api/v1/claims", json=complete_claim("EU_DSA"), headers=holder.headers)
    assert r.status_code == 401


def test_deactivation_and_trusted_flagger_status_apply_at_once(client: Any, admin: Actor, holder: Actor, clock: list[float]) -> None:
    first = client.post("/api/v1/claims", json=complete_claim("EU_DSA"), headers=holder.headers).json()
    assert first["source"] == "notice"
    client.patch(f"/api/v1/accounts/{holder.id}", json={"trusted_flagger": True}, headers=admin.headers)
    flagged = client.post("/api/v1/claims", json=complete_claim("EU_DSA"), headers=holder.headers).json()
    assert flagged["source"] == "trusted_flagger"
    client.patch(f"/api/v1/accounts/{holder.id}", json={"active": False}, headers=admin.headers)
    assert me(client, holder) == 401


def test_a_revocation_elsewhere_applies_within_the_ttl(client: Any, holder: Actor, clock: list[float]) -> None:
    from ipclaims.auth.cache import TTL_SECONDS

    assert me(client, holder) == 200
    elsewhere("UPDATE api_key SET revoked_at = :now WHERE account_id = :id", now=datetime(2026, 1, 1, tzinfo=UTC), id=holder.id)
    clock[0] += TTL_SECONDS / 2
    assert me(client, holder) == 200  # still within the TTL: the bounded staleness
    clock[0] += TTL_SECONDS
    assert me(client, holder) == 401
    assert TTL_SECONDS <= 2


def test_a_deactivation_elsewhere_applies_within_the_ttl(client: Any, holder: Actor, clock: list[float]) -> None:
    from ipclaims.auth.cache import TTL_SECONDS

    assert me(client, holder) == 200
    elsewhere("UPDATE account SET active = :no WHERE id = :id", no=False, id=holder.id)
    clock[0] += TTL_SECONDS + 0.01
    assert me(client, holder) == 401


def test_a_new_key_works_at_once(client: Any, admin: Actor, holder: Actor, clock: list[float]) -> None:
    fresh = {"Authorization": "Bearer ipc_not_yet_issued"}
    assert client.get("/api/v1/me", headers=fresh).status_code == 401  # unknown keys are not remembered
    issued = client.post(f"/api/v1/accounts/{holder.id}/keys", json={"label": "n"}, headers=admin.headers).json()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {issued['api_key']}"}).status_code == 200


def test_a_lookup_that_raced_an_invalidation_is_not_kept(env: dict[str, str], holder: Actor) -> None:
    from ipclaims.auth import cache, service
    from ipclaims.auth.keys import hash_key

    url, key_hash = env["IPCLAIMS_DATABASE_URL"], hash_key(holder.key)
    seen = cache.generation()
    caller = service.load_caller(url, key_hash)
    assert caller is not None and cache.get(url, key_hash) is not None
    cache.forget_account(holder.id)
    assert cache.get(url, key_hash) is None
    # A read that began before the invalidation (older generation) answers its request but is not remembered.
    cache.put(url, key_hash, caller.account, caller.key_id, caller.last_used_at, seen)
    assert cache.get(url, key_hash) is None


def test_the_cache_is_bounded(env: dict[str, str], holder: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    from ipclaims.auth import cache, service
    from ipclaims.auth.keys import hash_key

    monkeypatch.setattr(cache.callers, "max_entries", 3)
    caller = service.load_caller(env["IPCLAIMS_DATABASE_URL"], hash_key(holder.key))
    assert caller is not None
    for i in range(10):
        cache.put("x", f"hash{i}", caller.account, caller.key_id, None, cache.generation())
        assert len(cache.callers) <= 3


def test_last_used_is_written_hourly_by_write_requests_only(client: Any, holder: Actor, session: Any, clock: list[float]) -> None:
    from sqlalchemy import select

    from ipclaims.models import ApiKey

    def last_used() -> Any:
        value = session.scalar(select(ApiKey.last_used_at).where(ApiKey.account_id == holder.id))
        session.rollback()
        return value

    assert client.get("/api/v1/claims", headers=holder.headers).status_code == 200
    assert last_used() is None
    assert client.post("/api/v1/claims", json=complete_claim("EU_DSA"), headers=holder.headers).status_code == 201
    first = last_used()
    assert first is not None
    assert client.post("/api/v1/claims", json=complete_claim("EU_DSA"), headers=holder.headers).status_code == 201
    assert last_used() == first  # within the hour: no write
    elsewhere("UPDATE api_key SET last_used_at = :t WHERE account_id = :id", t=datetime(2026, 1, 1, tzinfo=UTC), id=holder.id)
    clock[0] += 10  # the cache re-reads the key, sees a stale last_used_at
    assert client.post("/api/v1/claims", json=complete_claim("EU_DSA"), headers=holder.headers).status_code == 201
    assert last_used() > datetime(2026, 1, 2, tzinfo=UTC)


def test_a_refused_request_does_not_write_last_used(client: Any, holder: Actor, session: Any) -> None:
    r = client.post("/api/v1/claims", json={**complete_claim("EU_DSA"), "received_at": "2026-01-01T00:00:00Z"}, headers=holder.headers)
    assert r.status_code == 403
    assert session.execute(text("SELECT last_used_at FROM api_key WHERE account_id = :id"), {"id": holder.id}).scalar() is None


def due_hours(claim: dict[str, Any]) -> float:
    received = datetime.fromisoformat(claim["received_at"])
    return (datetime.fromisoformat(claim["due_at"]) - received) / timedelta(hours=1)


def test_an_sla_change_in_this_process_applies_to_the_next_intake(client: Any, holder: Actor, admin: Actor, clock: list[float]) -> None:
    before = client.post("/api/v1/claims", json=complete_claim("EU_DSA"), headers=holder.headers).json()
    assert due_hours(before) == 72
    r = client.put("/api/v1/admin/sla", json={"regime": "EU_DSA", "source": "notice", "hours": 6}, headers=admin.headers)
    assert r.status_code == 200
    after = client.post("/api/v1/claims", json=complete_claim("EU_DSA"), headers=holder.headers).json()
    assert due_hours(after) == 6


def test_an_sla_change_elsewhere_applies_within_the_ttl(client: Any, holder: Actor, clock: list[float]) -> None:
    from ipclaims.triage.priority import SLA_TTL_SECONDS

    assert due_hours(client.post("/api/v1/claims", json=complete_claim("EU_DSA"), headers=holder.headers).json()) == 72
    elsewhere("UPDATE sla_policy SET hours = 5 WHERE regime = 'EU_DSA' AND source = 'notice'")
    assert due_hours(client.post("/api/v1/claims", json=complete_claim("EU_DSA"), headers=holder.headers).json()) == 72
    clock[0] += SLA_TTL_SECONDS + 0.01
    assert due_hours(client.post("/api/v1/claims", json=complete_claim("EU_DSA"), headers=holder.headers).json()) == 5
    assert SLA_TTL_SECONDS <= 5


def test_switching_databases_drops_the_caches(env: dict[str, str], holder: Actor) -> None:
    from ipclaims.auth import cache, service
    from ipclaims.auth.keys import hash_key
    from ipclaims.db import dispose_engines
    from ipclaims.triage import priority

    assert service.load_caller(env["IPCLAIMS_DATABASE_URL"], hash_key(holder.key)) is not None
    priority.sla_tables.put("somewhere", {}, priority.sla_tables.generation())
    assert len(cache.callers) == 1 and len(priority.sla_tables) == 1
    dispose_engines()
    assert len(cache.callers) == 0 and len(priority.sla_tables) == 0
