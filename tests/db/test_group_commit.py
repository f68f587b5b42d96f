"""`db.session`'s group commit (SQLite): the write units queued in one process while the write turn is taken run in
that turn, in one transaction, each in a savepoint of its own, and are answered only once it has committed."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from collections.abc import Awaitable, Callable, Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import func, make_url, select, text
from sqlalchemy.exc import OperationalError
from starlette.datastructures import State

from ipclaims import db
from ipclaims.db import admission
from ipclaims.db import session as sessions
from ipclaims.models import Account, Claim, Role
from tests.conftest import IS_PG

pytestmark = pytest.mark.skipif(IS_PG, reason="SQLite writers take turns; PostgreSQL units run one by one")


def _accounts(name: str) -> int:
    with db.session_scope(write=False) as s:
        return int(s.scalar(select(func.count()).select_from(Account).where(Account.name == name)) or 0)


def _request() -> Any:
    return SimpleNamespace(state=State())


@pytest.fixture
def groups(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The size of each group run."""
    sizes: list[int] = []
    run_group = sessions._run_group

    def recorded(url: str, taken: list[Any], nowait: bool) -> Any:
        sizes.append(len(taken))
        return run_group(url, taken, nowait)

    monkeypatch.setattr(sessions, "_run_group", recorded)
    return sizes


async def _queued_behind_the_turn(url: str, runs: list[Callable[[], Awaitable[Any]]]) -> list[Any]:
    """Start `runs` while this test holds the process's write turn, so they all queue, in order; then let them go."""
    async with admission._admitted(url, write=True):
        tasks = []
        deadline = time.monotonic() + 60  # an intake authenticates and prepares before it queues: slow on a busy machine
        for run in runs:  # one at a time, so they queue in this order
            tasks.append(asyncio.ensure_future(run()))
            while len(sessions._group(url).pending) < len(tasks) and time.monotonic() < deadline:
                await asyncio.sleep(0.001)
        assert len(sessions._group(url).pending) == len(runs)
    return await asyncio.gather(*tasks, return_exceptions=True)


def _add(name: str) -> Callable[[Any], int]:
    def unit(s: Any) -> int:
        s.add(Account(name=name, role=Role.ADMIN))
        s.flush()
        return int(s.scalar(select(func.count()).select_from(Account).where(Account.name.like("group %"))))

    return unit


def test_queued_units_share_one_turn_and_a_failing_one_rolls_back_only_itself(env: dict[str, str], groups: list[int]) -> None:
    url = env["IPCLAIMS_DATABASE_URL"]
    hooks: list[str] = []

    def failing(s: Any) -> None:
        _add("group failed")(s)
        db.after_commit(s, lambda: hooks.append("failed"))
        raise ValueError("this unit fails")

    def hooked(s: Any) -> int:
        db.after_commit(s, lambda: hooks.append(f"third saw {_accounts('group third')}"))
        return _add("group third")(s)

    first_request = _request()
    db.defer_write(first_request, lambda s: s.add(Account(name="deferred in the group", role=Role.ADMIN)))
    results = asyncio.run(
        _queued_behind_the_turn(
            url,
            [
                lambda: db.Transaction(first_request, url).run(_add("group first")),
                lambda: db.Transaction(_request(), url).run(failing),
                lambda: db.Transaction(_request(), url).run(hooked),
            ],
        )
    )
    assert groups == [3]
    # Each unit saw the rows of those before it (the failed one's were gone), as if each had had a turn of its own.
    assert results[0] == 1 and isinstance(results[1], ValueError) and results[2] == 2
    assert [_accounts(n) for n in ("group first", "group failed", "group third", "deferred in the group")] == [1, 0, 1, 1]
    # A committed unit's after-commit hooks ran once the group had committed (the row visible to another session);
    # the failed unit's were dropped.
    assert hooks == ["third saw 1"]


def test_a_unit_may_use_savepoints_of_its_own_inside_a_group(env: dict[str, str], groups: list[int]) -> None:
    url = env["IPCLAIMS_DATABASE_URL"]

    def nested(s: Any) -> int:
        try:
            with s.begin_nested():
                s.add(Account(name="group undone", role=Role.ADMIN))
                s.flush()
                raise LookupError("rolled back to the unit's own savepoint")
        except LookupError:
            pass
        return _add("group nested")(s)

    results = asyncio.run(
        _queued_behind_the_turn(
            url, [lambda: db.Transaction(_request(), url).run(_add("group first")), lambda: db.Transaction(_request(), url).run(nested)]
        )
    )
    assert groups == [2] and results == [1, 2]
    assert [_accounts(n) for n in ("group first", "group undone", "group nested")] == [1, 0, 1]


def test_a_failed_commit_fails_every_unit_of_the_group_and_writes_nothing(env: dict[str, str], groups: list[int]) -> None:
    url = env["IPCLAIMS_DATABASE_URL"]

    def dangling(s: Any) -> str:
        # A foreign key checked only at COMMIT: the unit itself succeeds, the group's COMMIT fails.
        s.execute(text("PRAGMA defer_foreign_keys = ON"))
        s.execute(
            text(
                "INSERT INTO idempotency_record (account_id, key, request_hash, status_code, response_body, created_at) "
                "VALUES ('no such account', 'k', 'h', 201, '{}', CURRENT_TIMESTAMP)"
            )
        )
        return "answered"

    results = asyncio.run(
        _queued_behind_the_turn(
            url,
            [lambda: db.Transaction(_request(), url).run(_add("group before")), lambda: db.Transaction(_request(), url).run(dangling)],
        )
    )
    assert groups == [2]
    assert all(isinstance(r, Exception) and "FOREIGN KEY" in str(r) for r in results), results  # no answer, no 201
    assert _accounts("group before") == 0
    # The connection went back clean: the next unit commits on its own.
    assert asyncio.run(db.Transaction(_request(), url).run(_add("group after"))) == 1


def test_a_request_cancelled_while_queued_never_runs_its_unit(env: dict[str, str], groups: list[int]) -> None:
    url = env["IPCLAIMS_DATABASE_URL"]

    async def main() -> list[Any]:
        async with admission._admitted(url, write=True):
            kept = asyncio.ensure_future(db.Transaction(_request(), url).run(_add("group kept")))
            gone = asyncio.ensure_future(db.Transaction(_request(), url).run(_add("group gone")))
            while len(sessions._group(url).pending) < 2:
                await asyncio.sleep(0.001)
            gone.cancel()
        return list(await asyncio.gather(kept, gone, return_exceptions=True))

    kept, gone = asyncio.run(main())
    assert kept == 1 and isinstance(gone, asyncio.CancelledError)
    assert groups == [1] and (_accounts("group kept"), _accounts("group gone")) == (1, 0)


def test_units_queued_after_the_group_started_take_the_next_turn(env: dict[str, str], groups: list[int]) -> None:
    url = env["IPCLAIMS_DATABASE_URL"]

    async def main() -> list[int]:
        return list(await asyncio.gather(*(db.Transaction(_request(), url).run(_add(f"group {i}")) for i in range(5))))

    assert sorted(asyncio.run(main())) == [1, 2, 3, 4, 5]
    assert sum(groups) == 5


def test_intakes_with_one_idempotency_key_in_one_group_answer_as_one_after_the_other(
    app: Any, holder: Any, env: dict[str, str], groups: list[int]
) -> None:
    from tests.legal.notices import complete_claim

    url = env["IPCLAIMS_DATABASE_URL"]
    body = complete_claim("US_DMCA")
    same = {**holder.headers, "Idempotency-Key": "group-same"}

    def post(headers: dict[str, str], payload: Any = body) -> Callable[[], Awaitable[_Answer]]:
        return lambda: _post(app, "/api/v1/claims", payload, headers)

    first, replay, other, conflict = asyncio.run(
        _queued_behind_the_turn(
            url,
            [
                post(same),
                post(same),
                post({**holder.headers, "Idempotency-Key": "group-other"}),
                post(same, {**body, "items": body["items"][:1]}),  # another request under the same key
            ],
        )
    )
    assert groups == [4]
    assert first.status == 201 and "idempotency-replayed" not in first.headers
    assert replay.status == 201 and replay.headers["idempotency-replayed"] == "true" and replay.json() == first.json()
    assert other.status == 201 and other.json()["reference"] != first.json()["reference"]
    assert conflict.status == 422 and "already used" in conflict.body, conflict.body
    with db.session_scope(write=False) as s:
        assert s.scalar(select(func.count()).select_from(Claim)) == 2


class _Answer(SimpleNamespace):
    status: int
    headers: dict[str, str]
    body: str

    def json(self) -> Any:
        return json.loads(self.body)


async def _post(app: Any, path: str, payload: Any, headers: dict[str, str]) -> _Answer:
    """One POST straight to the ASGI app, in the caller's event loop (the test client runs the app in a loop of its
    own, where the test could not hold the write turn)."""
    raw = json.dumps(payload).encode()
    pairs = [(b"content-type", b"application/json"), (b"content-length", str(len(raw)).encode())]
    pairs += [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": pairs,
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
        "state": {},
    }
    sent = False
    answer = _Answer(status=0, headers={}, body="")

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": raw, "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer.status = message["status"]
            answer.headers = {k.decode().lower(): v.decode() for k, v in message.get("headers", [])}
        elif message["type"] == "http.response.body":
            answer.body += message.get("body", b"").decode()

    await app(scope, receive, send)
    return answer


def test_a_unit_that_commits_part_of_its_work_then_fails_keeps_that_parts_hooks(env: dict[str, str], groups: list[int]) -> None:
    """What a unit committed before failing goes out with the group's COMMIT, so the hooks of that commit run then
    (as they ran at that commit when each unit had a transaction of its own)."""
    url = env["IPCLAIMS_DATABASE_URL"]
    hooks: list[str] = []

    def partly(s: Any) -> None:
        _add("group partly")(s)
        db.after_commit(s, lambda: hooks.append(f"partly saw {_accounts('group partly')}"))
        s.commit()
        _add("group partly undone")(s)
        raise ValueError("after a commit")

    results = asyncio.run(
        _queued_behind_the_turn(
            url, [lambda: db.Transaction(_request(), url).run(partly), lambda: db.Transaction(_request(), url).run(_add("group after"))]
        )
    )
    assert groups == [2] and isinstance(results[0], ValueError) and results[1] == 2
    assert [_accounts(n) for n in ("group partly", "group partly undone", "group after")] == [1, 0, 1]
    assert hooks == ["partly saw 1"]


def test_a_turn_that_cannot_be_taken_fails_the_waiting_units_instead_of_spinning(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = env["IPCLAIMS_DATABASE_URL"]

    class Broken:
        async def __aenter__(self) -> None:
            raise OSError("the writer-lock file cannot be opened")

        async def __aexit__(self, *exc: object) -> None:
            return None

    monkeypatch.setattr(sessions, "_admitted", lambda url, write: Broken())

    async def both() -> list[Any]:
        runs = [db.Transaction(_request(), url).run(_add("group never")) for _ in range(2)]
        return await asyncio.wait_for(asyncio.gather(*runs, return_exceptions=True), 5)

    results = asyncio.run(both())
    assert [type(r) for r in results] == [OSError, OSError]
    assert _accounts("group never") == 0


@pytest.fixture
def outside_writer(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A writer outside the turns (the worker, the CLI) holding SQLite's write lock longer than the busy timeout."""
    from ipclaims.db import engine as engines

    monkeypatch.setattr(engines, "SQLITE_BUSY_TIMEOUT_MS", 50)  # set again after the no-wait try (`engine._on_begin`)
    outside = sqlite3.connect(str(make_url(env["IPCLAIMS_DATABASE_URL"]).database), isolation_level=None)
    outside.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        outside.rollback()
        outside.close()


def test_a_begin_that_stays_locked_past_the_busy_timeout_is_a_503_and_stores_nothing(
    client: Any, holder: Any, outside_writer: None, groups: list[int]
) -> None:
    """The unit's BEGIN IMMEDIATE fails with "database is locked" before anything ran: its request gets the busy
    answer (`errors`: 503, Retry-After), not a 500, and nothing is stored."""
    from tests.legal.notices import complete_claim

    answer = client.post("/api/v1/claims", json=complete_claim("US_DMCA"), headers=holder.headers)
    assert answer.status_code == 503, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["retry-after"] == "1"
    assert answer.json()["type"] == "/problems/busy"
    with db.session_scope(write=False) as s:
        assert s.scalar(select(func.count()).select_from(Claim)) == 0


@pytest.mark.parametrize("size", [1, 2])
def test_a_locked_begin_fails_every_unit_of_the_group_with_the_busy_error(
    env: dict[str, str], outside_writer: None, groups: list[int], size: int
) -> None:
    """A group of one (no savepoint) and a larger group fail alike: each unit with the OperationalError `errors`
    answers as busy."""
    url = env["IPCLAIMS_DATABASE_URL"]
    runs = [lambda i=i: db.Transaction(_request(), url).run(_add(f"group locked {i}")) for i in range(size)]
    results = asyncio.run(_queued_behind_the_turn(url, runs))
    assert groups[-1] == size
    assert all(isinstance(r, OperationalError) and "database is locked" in str(r) for r in results), results


@pytest.mark.parametrize("size", [1, 2])
def test_the_hooks_of_units_whose_commit_failed_never_run(env: dict[str, str], groups: list[int], size: int) -> None:
    url = env["IPCLAIMS_DATABASE_URL"]
    hooks: list[str] = []

    def hooked(name: str) -> Callable[[Any], Any]:
        def unit(s: Any) -> Any:
            db.after_commit(s, lambda: hooks.append(name))
            return _add(name)(s)

        return unit

    def dangling(s: Any) -> str:
        db.after_commit(s, lambda: hooks.append("dangling"))
        s.execute(text("PRAGMA defer_foreign_keys = ON"))  # the unit succeeds, the COMMIT fails
        s.execute(
            text(
                "INSERT INTO idempotency_record (account_id, key, request_hash, status_code, response_body, created_at) "
                "VALUES ('no such account', 'k', 'h', 201, '{}', CURRENT_TIMESTAMP)"
            )
        )
        return "answered"

    units = [hooked(f"group hooked {i}") for i in range(size - 1)] + [dangling]
    results = asyncio.run(_queued_behind_the_turn(url, [lambda u=u: db.Transaction(_request(), url).run(u) for u in units]))
    assert groups == [size]
    assert all(isinstance(r, Exception) and "FOREIGN KEY" in str(r) for r in results), results
    assert hooks == []
