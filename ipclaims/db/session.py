"""Sessions: one transaction per request, owned by the session dependency (STYLE.md habit 2); the worker's and
the CLI's unit of work; hooks run after a commit."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import weakref
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any, TypeVar, cast

import anyio
from fastapi import Depends, Request
from sqlalchemy import Connection, event
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from ipclaims.config import get_settings
from ipclaims.db.admission import _admitted
from ipclaims.db.engine import SQLITE_POOL, WriterBusy, get_engine
from ipclaims.db.pggroup import group_for
from ipclaims.db.units import Groups, Outcome, Queued, fail, group_of, in_own_transaction, session_factory, settle, take
from ipclaims.mediatypes import is_json

T = TypeVar("T")


def after_commit(session: Session, callback: Callable[[], None]) -> None:
    """Run `callback` once the session's transaction has committed (dropped on rollback).

    For in-process caches: an entry dropped before the commit could be re-read, still unchanged, by a concurrent
    request before the commit lands; dropping it again afterwards closes that window.
    """
    session.info.setdefault("after_commit", []).append(callback)


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    callbacks = session.info.pop("after_commit", ())
    held: list[Callable[[], None]] | None = session.info.get("group_hooks")
    if held is not None:  # a unit of a group commit: its savepoint was released, the transaction commits later
        held.extend(callbacks)
        return
    for callback in callbacks:
        callback()


@event.listens_for(Session, "after_rollback")
def _drop_after_commit(session: Session) -> None:
    session.info.pop("after_commit", None)


@contextmanager
def session_scope(*, write: bool = True) -> Iterator[Session]:
    """A unit of work: commits on success, rolls back on any exception. Used by the worker and the CLI."""
    session = session_factory(write=write)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


# --- the request's session: admitted first (`admission` says why requests queue before touching the database) ---

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


Deferred = Callable[[Session], None]


def defer_write(request: Request, write: Deferred) -> None:
    """Have the request's own write transaction run `write` just before it commits (lost with it on rollback).

    For bookkeeping a dependency decides on before the route's session exists, such as the API key's
    `last_used_at`: it stays in the request's one transaction instead of taking a write turn of its own.
    """
    pending: list[Deferred] | None = getattr(request.state, "deferred_writes", None)
    if pending is None:
        request.state.deferred_writes = pending = []
    pending.append(write)


def _run_deferred(request: Request, session: Session) -> None:
    for write in getattr(request.state, "deferred_writes", ()):
        write(session)
    request.state.deferred_writes = []


def _end(session: Session, commit: bool, request: Request | None = None) -> None:
    try:
        if commit:
            if request is not None:
                _run_deferred(request, session)
            session.commit()
    finally:
        session.close()  # returns the connection to the pool, rolling back whatever was not committed


async def get_session(request: Request) -> AsyncIterator[Session]:
    # Reads take a deferred transaction so they never wait behind writers on SQLite.
    write = request.method not in READ_METHODS
    url = get_settings().database_url
    if write and is_json(request.headers.get("content-type", "")):
        # Receive the whole (size-limited) JSON body before queueing, so a slow upload never holds the write lock.
        await request.body()
    async with _admitted(url, write=write):
        session = session_factory(write=write, url=url)()
        try:
            yield session
        except BaseException:
            with anyio.CancelScope(shield=True):
                await run_in_threadpool(_end, session, False)
            raise
        with anyio.CancelScope(shield=True):
            await run_in_threadpool(_end, session, True, request if write else None)


# scope="function": commit before the response is sent, so a failed commit is an error response, not a lost 201.
DbSession = Annotated[Session, Depends(get_session, scope="function")]


class Transaction:
    """The request's one write transaction, opened only around the part of the route that touches the database.

    For a route whose work is mostly pure (intake: parsing, the legal checks, building the rows and the answer): it
    does that work first, holding nothing, then `await tx.run(fn)` queues like any writer (`admission`), and
    `fn(session)` runs, is committed (after the deferred writes) or rolled back, and the session closed. On SQLite
    the write turn is then only as long as the statements themselves, instead of the whole request. Like
    `DbSession`, the commit happens before the response is sent. One `run` per request.

    Where it runs. PostgreSQL: in the threadpool (one hand-off), since every statement waits for the server.
    SQLite: with the other units this process has queued meanwhile, in one write turn and one transaction (`_Group`:
    group commit, each unit in a savepoint of its own), usually on the event loop itself.
    """

    def __init__(self, request: Request, url: str) -> None:
        self.request = request
        self.url = url
        self._used = False

    async def run(self, fn: Callable[[Session], T], *, opening: str | None = None, group: bool = False) -> T:
        """`opening`: a query of one value to send with BEGIN on PostgreSQL (`Opening`; ignored on SQLite).

        `group`: on PostgreSQL, `fn` may share a transaction with other requests' units, and so may be run again —
        in its group without a unit that failed, or alone — if one of them fails (`pggroup` says what that asks of
        it). SQLite groups every unit, each in a savepoint (`_Group`), and never runs one twice.
        """
        if self._used:
            raise RuntimeError("one transaction per request")
        self._used = True
        if self.url.startswith("sqlite"):
            return cast(T, await _group(self.url).run(self._with_deferred(fn)))
        if group:
            result = cast(T, await group_for(self.url).run(self._with_deferred(fn, clear=False), opening))
            self.request.state.deferred_writes = []  # committed with the unit
            return result
        async with _admitted(self.url, write=True):
            # A thread is not abandoned on cancellation, so a unit that started always commits or rolls back.
            return await run_in_threadpool(self._unit, fn, opening)

    def _with_deferred(self, fn: Callable[[Session], T], *, clear: bool = True) -> Callable[[Session], T]:
        """`fn`, then the request's deferred writes; `clear=False` leaves them listed, for a unit that may be run
        again (a PostgreSQL group rolled back)."""

        def unit(session: Session) -> T:
            result = fn(session)
            if clear:
                _run_deferred(self.request, session)
            else:
                for write in getattr(self.request.state, "deferred_writes", ()):
                    write(session)
            return result

        return unit

    def _unit(self, fn: Callable[[Session], T], opening: str | None = None) -> T:
        return in_own_transaction(self.url, self._with_deferred(fn), opening)


# --- group commit: SQLite units queued in one process share one write turn ---

GROUP_MAX = 32  # units per group: bounds how long one turn holds the other processes' writers


class _Group:
    """The SQLite write units of one process (and event loop) waiting for the write turn, run together in it.

    A request's unit is queued; one task (`_drain`) waits for the turn (`admission`) on behalf of all of them, and
    when it has it runs every unit queued by then in one transaction: BEGIN IMMEDIATE once, each unit in a SAVEPOINT
    of its own (a unit that fails rolls back only itself and its request gets its error), one COMMIT. Then the turn
    is released and each request answered — never before the COMMIT returned, and if it fails every unit of the
    group fails with it (an error response, never a lost 201). The units run one after another in the order they
    were queued, each seeing the rows of those before it, as when each took a turn of its own; a group of one runs
    exactly as a single unit did (no savepoint).

    Why: on SQLite the write turn, taken one writer at a time across the `serve` processes, bounds throughput at one
    unit per turn; handing the turn over (a file lock, a thread woken, the event loop resumed while busy with other
    requests' work) and BEGIN/COMMIT cost about as much as an intake's statements. A group pays them once.

    Where it runs: on the event loop when a pooled connection is free and the SQLite write lock can be taken at
    once (the usual case: this process holds the turn); nothing can then wait, so it is only CPU, and doing it
    inline avoids the hand-offs (every sqlite3 call releases the GIL, and a busy event loop kept it up to the 5 ms
    switch interval each time). Otherwise (another writer outside the turns: the worker, the CLI; every connection
    taken) the group runs in the threadpool and waits there.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.pending: list[Queued] = []
        self.drainer: asyncio.Task[None] | None = None

    async def run(self, unit: Callable[[Session], Any]) -> Any:
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self.pending.append(Queued(unit, contextvars.copy_context(), future))
        if self.drainer is None:
            self.drainer = asyncio.ensure_future(self._drain())
        # Cancelled while queued (the client went away): the future is cancelled with it and the unit never runs.
        return await future

    def _take(self) -> list[Queued]:
        return take(self.pending, GROUP_MAX)

    async def _drain(self) -> None:
        try:
            while self.pending:
                taken: list[Queued] = []
                ran: tuple[list[Outcome], list[Session]] | None = None
                try:
                    async with _admitted(self.url, write=True):
                        taken = self._take()
                        ran = await self._run(taken) if taken else ([], [])
                except BaseException as exc:
                    if ran is None:
                        # Nothing committed: the group's units fail with the error — or, if the turn itself could not
                        # be taken, the units waiting for it (retrying them at once would spin the loop forever).
                        fail(taken or self._take(), exc)
                    else:
                        _finish(taken, *ran)  # committed; only releasing the turn failed: the answers stand
                    if not isinstance(exc, Exception):
                        raise
                    continue
                # The turn is released: the other writers need not wait while the committed sessions let go of
                # what they loaded (commit already gave the connection back), nor for the hooks.
                _finish(taken, *ran)
        finally:
            self.drainer = None
            if self.pending:  # stopped by cancellation (the loop shutting down): nothing will run them
                for queued in self._take():
                    queued.future.cancel()

    async def _run(self, taken: list[Queued]) -> tuple[list[Outcome], list[Session]]:
        if _connection_free(self.url):
            try:
                return _run_group(self.url, taken, nowait=True)
            except WriterBusy:
                pass  # nothing was done: BEGIN itself failed
        # A thread is not abandoned on cancellation, so a group that started always commits or rolls back.
        return await run_in_threadpool(_run_group, self.url, taken, False)


def _finish(taken: list[Queued], outcomes: list[Outcome], committed: list[Session]) -> None:
    """After the COMMIT and the turn: close the committed sessions, run each unit's after-commit hooks and answer."""
    for session in committed:
        with contextlib.suppress(Exception):  # committed already; letting go of loaded objects cannot undo that
            session.close()
    settle(taken, outcomes)


def _run_group(url: str, taken: list[Queued], nowait: bool) -> tuple[list[Outcome], list[Session]]:
    """Run the units in one transaction; `nowait`: take SQLite's write lock only if it is free (else `WriterBusy`,
    before anything was done). A failing unit's session is closed (rolled back) here; the committed sessions are
    returned, for the caller to close after the turn."""
    factory = session_factory(write=True, url=url)
    options = {"sqlite_nowait": True} if nowait else {}
    if len(taken) == 1:
        session = factory()
        # Bound before BEGIN: a BEGIN IMMEDIATE that outlived the busy timeout ("database is locked") is this unit's
        # error, answered as the busy database it is (`errors`: 503), with no hooks, since nothing was committed.
        hooks: list[Callable[[], None]] = []
        session.info["group_hooks"] = hooks
        try:
            session.connection(execution_options=options)
            value = taken[0].context.run(taken[0].unit, session)
            session.commit()
        except WriterBusy:
            session.close()
            raise
        except Exception as exc:
            session.close()  # rolls back whatever was not committed
            return [Outcome(False, exc, hooks)], []  # hooks: of what it committed before failing, if anything
        except BaseException:
            session.close()
            raise
        return [Outcome(True, value, hooks)], [session]
    outcomes: list[Outcome] = []
    committed: list[Session] = []
    with get_engine(url).connect() as conn:
        conn.execution_options(sqlite_immediate=True, **options)
        outer = conn.begin()  # BEGIN IMMEDIATE (`engine`); `WriterBusy` under `nowait` if another writer has it
        try:
            for queued in taken:
                session = factory(bind=conn, join_transaction_mode="create_savepoint")
                hooks = []
                session.info["group_hooks"] = hooks
                try:
                    value = queued.context.run(queued.unit, session)
                    session.commit()  # RELEASE SAVEPOINT; its after-commit hooks are held (`_run_after_commit`)
                except Exception as exc:
                    session.close()  # ROLLBACK TO SAVEPOINT: only this unit's work is undone
                    outcomes.append(Outcome(False, exc, hooks))
                    continue
                committed.append(session)
                outcomes.append(Outcome(True, value, hooks))
            outer.commit()
        except Exception as exc:  # a savepoint that could not be rolled back, or the COMMIT: every unit fails
            for session in committed:
                session.close()
            _roll_back(conn)
            # (a unit that had failed on its own keeps its own error; nothing of the group was committed, so no hooks)
            failed = [Outcome(False, o.value if not o.ok else exc) for o in outcomes]
            return failed + [Outcome(False, exc)] * (len(taken) - len(outcomes)), []
        except BaseException:
            for session in committed:
                session.close()
            raise
    return outcomes, committed


def _roll_back(conn: Connection) -> None:
    """Roll the group's transaction back on the sqlite3 connection itself: a COMMIT that failed (a deferred
    constraint, a full disk) leaves SQLite's transaction open, and SQLAlchemy, having tried to commit, would hand the
    connection back to the pool without a rollback. One that cannot be rolled back is not reused."""
    try:
        cast(Any, conn.connection).dbapi_connection.rollback()
    except Exception:
        conn.invalidate()


_GROUPS: Groups[_Group] = weakref.WeakKeyDictionary()


def _group(url: str) -> _Group:
    return group_of(_GROUPS, url, _Group)


def _connection_free(url: str) -> bool:
    """Whether a pooled connection can be had at once. An inline unit must never wait for one on the event loop:
    the requests that would give theirs back need that loop to do it (the pool would time out, not recover)."""
    pool = get_engine(url).pool
    checked_out = getattr(pool, "checkedout", None)
    return checked_out is None or int(checked_out()) < sum(SQLITE_POOL)


async def get_transaction(request: Request) -> Transaction:  # async: no threadpool hand-off to build it
    return Transaction(request, get_settings().database_url)


WriteTransaction = Annotated[Transaction, Depends(get_transaction)]


async def run_read(fn: Callable[[Session], T]) -> T:
    """Run `fn` in a read-only session of its own, in the threadpool, admitted as a GET's session is.

    For a POST that must read a lot before it writes (matching an upload against the library): the reading and the
    CPU work around it happen here, where they never hold, or wait for, a write turn; the write that follows goes
    through `Transaction`.
    """
    url = get_settings().database_url

    def unit() -> T:
        session = session_factory(write=False, url=url)()
        try:
            return fn(session)
        finally:
            session.close()

    async with _admitted(url, write=False):
        return await run_in_threadpool(unit)
