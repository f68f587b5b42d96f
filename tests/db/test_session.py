"""`db.session`: after-commit hooks, the unit of work, deferred writes, the request's `Transaction` and `run_read`."""

from __future__ import annotations

import asyncio
import threading
import time
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import func, select
from starlette.datastructures import State

from ipclaims import db
from ipclaims.db import session as sessions
from ipclaims.models import Account, Role
from tests.conftest import IS_PG


def _accounts(name: str) -> int:
    with db.session_scope(write=False) as s:
        return int(s.scalar(select(func.count()).select_from(Account).where(Account.name == name)) or 0)


def test_after_commit_hooks_run_once_the_transaction_committed(env: dict[str, str]) -> None:
    seen: list[int] = []
    with db.session_scope() as s:
        s.add(Account(name="hooked", role=Role.ADMIN))
        db.after_commit(s, lambda: seen.append(_accounts("hooked")))  # the row is visible to another session
        s.flush()
        assert seen == []
    assert seen == [1]


def test_after_commit_hooks_are_dropped_on_rollback(env: dict[str, str]) -> None:
    seen: list[str] = []
    with pytest.raises(RuntimeError), db.session_scope() as s:
        s.add(Account(name="rolled back", role=Role.ADMIN))
        db.after_commit(s, lambda: seen.append("first"))
        raise RuntimeError("the unit fails")
    assert seen == [] and _accounts("rolled back") == 0
    with db.session_scope() as s:  # a rollback inside a session drops the hooks registered before it
        s.add(Account(name="rolled back", role=Role.ADMIN))
        s.flush()  # a transaction to roll back (SQLAlchemy signals no rollback of a session that never began one)
        db.after_commit(s, lambda: seen.append("before rollback"))
        s.rollback()
        db.after_commit(s, lambda: seen.append("after rollback"))
    assert seen == ["after rollback"]


def _request() -> Any:
    return SimpleNamespace(state=State())


def test_deferred_writes_run_in_the_requests_transaction_just_before_it_commits(env: dict[str, str]) -> None:
    request = _request()
    db.defer_write(request, lambda s: s.add(Account(name="deferred", role=Role.ADMIN)))
    sessions._end(db.session_factory()(), False, request)  # rolled back: not run
    assert _accounts("deferred") == 0 and len(request.state.deferred_writes) == 1
    sessions._end(db.session_factory()(), True, request)
    assert _accounts("deferred") == 1 and request.state.deferred_writes == []


def test_a_transaction_commits_its_unit_and_the_deferred_writes_once(env: dict[str, str]) -> None:
    request = _request()
    tx = db.Transaction(request, env["IPCLAIMS_DATABASE_URL"])
    db.defer_write(request, lambda s: s.add(Account(name="deferred too", role=Role.ADMIN)))

    def unit(s: Any) -> str:
        s.add(Account(name="in the unit", role=Role.ADMIN))
        return "result"

    async def main() -> None:
        assert await tx.run(unit) == "result"
        with pytest.raises(RuntimeError, match="one transaction per request"):
            await tx.run(unit)

    asyncio.run(main())
    assert (_accounts("in the unit"), _accounts("deferred too")) == (1, 1)


def test_a_transaction_whose_unit_fails_writes_nothing(env: dict[str, str]) -> None:
    request = _request()
    db.defer_write(request, lambda s: s.add(Account(name="deferred", role=Role.ADMIN)))

    def unit(s: Any) -> None:
        s.add(Account(name="failed unit", role=Role.ADMIN))
        s.flush()
        raise ValueError("the unit fails")

    with pytest.raises(ValueError):
        asyncio.run(db.Transaction(request, env["IPCLAIMS_DATABASE_URL"]).run(unit))
    assert (_accounts("failed unit"), _accounts("deferred")) == (0, 0)


def test_a_transaction_gives_its_connection_back_after_the_turn_whether_it_commits_or_fails(env: dict[str, str]) -> None:
    """An inline SQLite unit's committed session is closed after the write turn is released (`Transaction.run`):
    still closed, so its pooled connection is back, and the next writer is admitted (no turn left held)."""
    url = env["IPCLAIMS_DATABASE_URL"]
    pool = db.get_engine(url).pool
    held: list[int] = []

    def unit(s: Any) -> None:
        s.add(Account(name="pooled", role=Role.ADMIN))
        s.flush()
        held.append(pool.checkedout())  # type: ignore[attr-defined]

    def failing(s: Any) -> None:
        unit(s)
        raise ValueError("the unit fails")

    async def main() -> None:
        before = pool.checkedout()  # type: ignore[attr-defined]
        await db.Transaction(_request(), url).run(unit)
        assert pool.checkedout() == before  # type: ignore[attr-defined]
        with pytest.raises(ValueError):
            await db.Transaction(_request(), url).run(failing)
        assert pool.checkedout() == before  # type: ignore[attr-defined]
        await asyncio.wait_for(db.Transaction(_request(), url).run(unit), timeout=10)
        assert pool.checkedout() == before  # type: ignore[attr-defined]

    asyncio.run(main())
    assert held and all(n >= 1 for n in held)
    assert _accounts("pooled") == 2


def test_run_read_reads_in_a_session_of_its_own(env: dict[str, str]) -> None:
    assert asyncio.run(db.run_read(lambda s: s.scalar(select(func.count()).select_from(Account)))) is not None


@pytest.mark.skipif(IS_PG, reason="SQLite runs the write unit on the event loop")
def test_an_intake_never_waits_for_a_pooled_connection_on_the_event_loop(client: Any, holder: Any) -> None:
    """With every pooled connection taken (here by the test itself), an intake waits in a thread, not on the event
    loop: other requests are still answered meanwhile, and the intake completes once a connection comes back."""
    from tests.legal.notices import complete_claim

    assert client.get("/api/v1/me", headers=holder.headers).status_code == 200
    held = [db.get_engine().connect() for _ in range(sum(db.SQLITE_POOL))]
    result: dict[str, Any] = {}
    poster = threading.Thread(
        target=lambda: result.update(r=client.post("/api/v1/claims", json=complete_claim("US_DMCA"), headers=holder.headers))
    )
    poster.start()
    try:
        time.sleep(0.3)  # the intake is waiting for a connection
        started = time.monotonic()
        me = client.get("/api/v1/me", headers=holder.headers)
        elapsed = time.monotonic() - started
    finally:
        for conn in held:
            conn.close()
    poster.join(30)
    assert me.status_code == 200 and elapsed < 2, elapsed
    assert result["r"].status_code == 201, result["r"].text
