"""`db.pggroup`: on PostgreSQL the re-runnable write units (`Transaction.run(..., group=True)`) a process queued while
its previous group ran share one transaction; if one raises, the group is rolled back and each unit runs again alone;
a COMMIT that fails fails them all, never running one twice."""

from __future__ import annotations

import asyncio
import contextvars
import threading
import time
from collections.abc import Awaitable, Callable
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from starlette.datastructures import State

from ipclaims import db
from ipclaims.claims import references
from ipclaims.db import pggroup
from ipclaims.db.units import Queued
from ipclaims.models import Account, Claim, Role
from tests.conftest import IS_PG
from tests.db.test_group_commit import _post

pytestmark = pytest.mark.skipif(not IS_PG, reason="PostgreSQL only: SQLite groups every unit, in savepoints (test_group_commit)")


def _request() -> Any:
    return SimpleNamespace(state=State())


def _accounts(name: str) -> int:
    with db.session_scope(write=False) as s:
        return int(s.scalar(select(func.count()).select_from(Account).where(Account.name == name)) or 0)


@pytest.fixture
def groups(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The size of each group run."""
    sizes: list[int] = []
    run_group = pggroup.run_group

    def recorded(url: str, taken: list[Any]) -> Any:
        sizes.append(len(taken))
        return run_group(url, taken)

    monkeypatch.setattr(pggroup, "run_group", recorded)
    return sizes


async def _behind_a_running_group(url: str, runs: list[Callable[[], Awaitable[Any]]]) -> list[Any]:
    """Start `runs` one by one while a group of one (a unit that waits) is running, so they all queue, in order,
    and form the next group; then let the first one finish."""
    started, release = threading.Event(), threading.Event()

    def waits(_s: Any) -> str:
        started.set()
        release.wait(60)
        return "first"

    first = asyncio.ensure_future(db.Transaction(_request(), url).run(waits, group=True))
    deadline = time.monotonic() + 60  # an intake authenticates and prepares before it queues: slow on a busy machine
    while not started.is_set() and time.monotonic() < deadline:
        await asyncio.sleep(0.001)
    queue = pggroup.group_for(url).pending
    tasks = []
    for run in runs:
        tasks.append(asyncio.ensure_future(run()))
        while len(queue) < len(tasks) and time.monotonic() < deadline:
            await asyncio.sleep(0.001)
    assert len(queue) == len(runs)
    release.set()
    assert await first == "first"
    return await asyncio.gather(*tasks, return_exceptions=True)


def _add(name: str, runs: list[str] | None = None) -> Callable[[Any], tuple[int, int]]:
    """Add an account; return (the transaction's id, how many `group %` accounts the unit sees)."""

    def unit(s: Any) -> tuple[int, int]:
        if runs is not None:
            runs.append(name)
        s.add(Account(name=name, role=Role.ADMIN))
        s.flush()
        seen = int(s.scalar(select(func.count()).select_from(Account).where(Account.name.like("group %"))))
        return int(s.scalar(text("SELECT txid_current()"))), seen

    return unit


def _grouped(url: str, unit: Callable[[Any], Any], request: Any = None) -> Callable[[], Awaitable[Any]]:
    return lambda: db.Transaction(request or _request(), url).run(unit, group=True)


def test_queued_units_share_one_transaction_and_hear_of_it_once_it_committed(env: dict[str, str], groups: list[int]) -> None:
    url = env["IPCLAIMS_DATABASE_URL"]
    hooks: list[str] = []

    def hooked(s: Any) -> tuple[int, int]:
        db.after_commit(s, lambda: hooks.append(f"third saw {_accounts('group third')} from another session"))
        return _add("group third")(s)

    request = _request()
    db.defer_write(request, lambda s: s.add(Account(name="deferred in the group", role=Role.ADMIN)))
    results = asyncio.run(
        _behind_a_running_group(
            url, [_grouped(url, _add("group first"), request), _grouped(url, _add("group second")), _grouped(url, hooked)]
        )
    )
    assert groups == [1, 3]
    assert len({tx for tx, _ in results}) == 1  # one transaction
    assert [seen for _, seen in results] == [1, 2, 3]  # each saw the rows of those before it
    assert [_accounts(n) for n in ("group first", "group second", "group third", "deferred in the group")] == [1, 1, 1, 1]
    assert hooks == ["third saw 1 from another session"]  # run after the COMMIT, once
    assert request.state.deferred_writes == []


def test_a_unit_that_raises_runs_alone_and_its_group_is_tried_again_without_it(env: dict[str, str], groups: list[int]) -> None:
    url = env["IPCLAIMS_DATABASE_URL"]
    hooks: list[str] = []
    runs: list[str] = []

    def failing(s: Any) -> None:
        _add("group failed", runs)(s)
        db.after_commit(s, lambda: hooks.append("failed"))
        raise ValueError("this unit fails")

    def hooked(s: Any) -> tuple[int, int]:
        db.after_commit(s, lambda: hooks.append("third"))
        return _add("group third", runs)(s)

    request = _request()
    db.defer_write(request, lambda s: s.add(Account(name="deferred, run again", role=Role.ADMIN)))
    first, failed, third = asyncio.run(
        _behind_a_running_group(url, [_grouped(url, _add("group first", runs), request), _grouped(url, failing), _grouped(url, hooked)])
    )
    assert groups == [1, 3]
    # The group ran up to the failing unit and was rolled back; the others ran again together, the failing one alone.
    assert runs == ["group first", "group failed", "group first", "group third", "group failed"]
    assert isinstance(failed, ValueError)
    assert first[0] == third[0] and (first[1], third[1]) == (1, 2)
    assert [_accounts(n) for n in ("group first", "group failed", "group third", "deferred, run again")] == [1, 0, 1, 1]
    assert hooks == ["third"]  # nothing of the rolled-back attempt, nothing of the failed unit


def test_after_three_failed_tries_the_units_left_run_alone(env: dict[str, str], groups: list[int]) -> None:
    url = env["IPCLAIMS_DATABASE_URL"]
    calls: list[str] = []

    def failing(n: int) -> Callable[[Any], None]:
        def unit(s: Any) -> None:
            calls.append(f"failing {n}")
            raise LookupError(n)

        return unit

    def ok(n: int) -> Callable[[Any], tuple[int, int]]:
        add = _add(f"group ok {n}")

        def unit(s: Any) -> tuple[int, int]:
            calls.append(f"ok {n}")
            return add(s)

        return unit

    units = [ok(1), failing(1), failing(2), failing(3), ok(2), ok(3)]
    results = asyncio.run(_behind_a_running_group(url, [_grouped(url, u) for u in units]))
    assert [type(r).__name__ for r in results] == ["tuple", "LookupError", "LookupError", "LookupError", "tuple", "tuple"]
    # Three tries, each without the unit that failed the one before; then every unit left, alone, in queue order.
    tries = ["ok 1", "failing 1", "ok 1", "failing 2", "ok 1", "failing 3"]
    assert calls == [*tries, "ok 1", "failing 1", "failing 2", "failing 3", "ok 2", "ok 3"]
    assert len({tx for tx, _ in (results[0], results[4], results[5])}) == 3
    assert [_accounts(f"group ok {n}") for n in (1, 2, 3)] == [1, 1, 1]


def test_a_unit_that_rolls_back_its_session_runs_alone_and_the_others_commit(env: dict[str, str], groups: list[int]) -> None:
    """A grouped unit's session shares the group's transaction: its rollback() ends the group's, which must count as
    that unit failing (not as a failed COMMIT, which would fail every unit)."""
    url = env["IPCLAIMS_DATABASE_URL"]

    def rolls_back(s: Any) -> tuple[int, int]:
        s.scalar(text("SELECT 1"))
        s.rollback()  # as a unit may, recovering from an expected error
        return _add("group second")(s)

    first, second, third = asyncio.run(
        _behind_a_running_group(url, [_grouped(url, _add("group first")), _grouped(url, rolls_back), _grouped(url, _add("group third"))])
    )
    assert first[0] == third[0] != second[0]  # the others committed together, the rolling-back one alone
    assert [_accounts(n) for n in ("group first", "group second", "group third")] == [1, 1, 1]


def test_a_unit_alone_that_loses_a_deadlock_runs_again(env: dict[str, str]) -> None:
    """Grouped units hold their locks until the group commits, so a lone unit (another process's, or one sent to
    run alone) can deadlock with a group where two ungrouped units never did; the loser is run again."""
    url = env["IPCLAIMS_DATABASE_URL"]
    with db.session_scope() as s:
        s.execute(text("CREATE TABLE group_locks (n int PRIMARY KEY)"))
        s.execute(text("INSERT INTO group_locks VALUES (1), (2)"))
    loop = asyncio.new_event_loop()
    try:
        barrier = threading.Barrier(2)
        tries: list[str] = []

        def lock(first: int, second: int, name: str) -> Callable[[Any], str]:
            def unit(s: Any) -> str:
                tries.append(name)
                s.execute(text("UPDATE group_locks SET n = n WHERE n = :n"), {"n": first})
                if tries.count(name) == 1:
                    barrier.wait(10)  # both hold their first row before either asks for its second
                s.execute(text("UPDATE group_locks SET n = n WHERE n = :n"), {"n": second})
                return name

            return unit

        def queued(unit: Callable[[Any], str]) -> Queued:
            return Queued(unit, contextvars.copy_context(), loop.create_future())  # (no request awaits it here)

        results: dict[str, Any] = {}
        threads = [
            threading.Thread(target=lambda n=n, u=u: results.__setitem__(n, pggroup.run_alone(url, queued(u))))
            for n, u in (("a", lock(1, 2, "a")), ("b", lock(2, 1, "b")))
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert results["a"].ok and results["b"].ok, results
        # the victim ran again (on a loaded machine its retry can lose a second time and run a third); the other once
        assert sorted((tries.count("a"), tries.count("b")))[0] == 1 and len(tries) >= 3, tries
    finally:
        loop.close()
        with db.session_scope() as s:
            s.execute(text("DROP TABLE group_locks"))


def test_each_unit_of_a_group_reads_its_own_opening(env: dict[str, str], groups: list[int]) -> None:
    """The openings go with the group's one BEGIN, one value each (a reference number drawn per intake)."""
    url = env["IPCLAIMS_DATABASE_URL"]
    sql = references.DRAWN_WITH_BEGIN

    def draws(s: Any) -> tuple[str | None, str | None, int]:
        return db.opened(sql), db.opened(sql), int(s.scalar(text("SELECT txid_current()")))

    async def scenario() -> list[Any]:
        runs = [lambda: db.Transaction(_request(), url).run(draws, opening=sql, group=True) for _ in range(3)]
        return await _behind_a_running_group(url, [*runs, _grouped(url, draws)])

    results = asyncio.run(scenario())
    assert groups == [1, 4]
    assert len({tx for *_, tx in results}) == 1
    drawn = [int(value) for value, again, _ in results[:3] if value is not None and again is None]  # taken once
    assert len(drawn) == 3 and drawn == sorted(drawn) and len(set(drawn)) == 3
    assert results[3][0] is None  # a unit without an opening reads none


def test_a_commit_that_fails_fails_every_unit_and_runs_none_again(env: dict[str, str], groups: list[int]) -> None:
    """A failed COMMIT may have committed: running the units again could write them twice."""
    url = env["IPCLAIMS_DATABASE_URL"]
    runs: list[int] = []
    with db.session_scope() as s:
        s.execute(text("CREATE TABLE group_deferred (n int UNIQUE DEFERRABLE INITIALLY DEFERRED)"))
    try:

        def insert(n: int) -> Callable[[Any], None]:
            def unit(s: Any) -> None:
                runs.append(n)
                s.execute(text("INSERT INTO group_deferred VALUES (1)"))

            return unit

        results = asyncio.run(_behind_a_running_group(url, [_grouped(url, insert(1)), _grouped(url, insert(2))]))
        assert groups == [1, 2]
        assert runs == [1, 2]
        assert all(isinstance(r, IntegrityError) for r in results), results
        with db.session_scope(write=False) as s:
            assert s.scalar(text("SELECT count(*) FROM group_deferred")) == 0
    finally:
        with db.session_scope() as s:
            s.execute(text("DROP TABLE group_deferred"))


def test_intakes_of_one_group_get_their_own_numbers_and_one_key_answers_once(
    app: Any, holder: Any, env: dict[str, str], groups: list[int]
) -> None:
    from tests.legal.notices import complete_claim

    url = env["IPCLAIMS_DATABASE_URL"]
    body = complete_claim("US_DMCA")
    same = {**holder.headers, "Idempotency-Key": "pg-group-same"}

    def post(headers: dict[str, str]) -> Callable[[], Awaitable[Any]]:
        return lambda: _post(app, "/api/v1/claims", body, headers)

    other_key = {**holder.headers, "Idempotency-Key": "pg-other"}
    first, replay, *others = asyncio.run(_behind_a_running_group(url, [post(same), post(same), post(holder.headers), post(other_key)]))
    assert groups == [1, 4]
    assert first.status == 201 and "idempotency-replayed" not in first.headers
    assert replay.status == 201 and replay.headers["idempotency-replayed"] == "true" and replay.json() == first.json()
    references_ = [first.json()["reference"], *(o.json()["reference"] for o in others)]
    assert all(o.status == 201 for o in others) and len(set(references_)) == 3
    with db.session_scope(write=False) as s:
        assert s.scalar(select(func.count()).select_from(Claim)) == 3


def test_a_refused_intake_in_a_group_runs_alone_and_costs_the_others_one_try(
    app: Any, holder: Any, env: dict[str, str], groups: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A key used before with another body is refused (422) inside the unit: the group is tried again without it."""
    from tests.legal.notices import complete_claim

    url = env["IPCLAIMS_DATABASE_URL"]
    alone: list[Any] = []
    run_alone = pggroup.run_alone
    monkeypatch.setattr(pggroup, "run_alone", lambda u, q: alone.append(q) or run_alone(u, q))
    key = {**holder.headers, "Idempotency-Key": "pg-used"}

    async def scenario() -> list[Any]:
        assert (await _post(app, "/api/v1/claims", complete_claim("US_DMCA"), key)).status == 201
        alone.clear()
        runs = [lambda: _post(app, "/api/v1/claims", complete_claim("US_DMCA"), holder.headers) for _ in range(4)]
        runs.insert(2, lambda: _post(app, "/api/v1/claims", complete_claim("EU_DSA"), key))
        return await _behind_a_running_group(url, runs)

    results = asyncio.run(scenario())
    assert [r.status for r in results] == [201, 201, 422, 201, 201]
    assert groups[-1] == 5 and len(alone) == 2  # the waiting first unit, and the refused one
    with db.session_scope(write=False) as s:
        assert s.scalar(select(func.count()).select_from(Claim)) == 5
