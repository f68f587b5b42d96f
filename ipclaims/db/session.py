"""Sessions: one transaction per request, owned by the session dependency (STYLE.md habit 2); the worker's and
the CLI's unit of work; hooks run after a commit."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, TypeVar

import anyio
from fastapi import Depends, Request
from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from ipclaims.config import get_settings
from ipclaims.db.admission import _admitted
from ipclaims.db.engine import _FACTORIES, SQLITE_POOL, WriterBusy, get_engine
from ipclaims.db.opening import _OPENING, Opening
from ipclaims.mediatypes import is_json

T = TypeVar("T")


def _factories(url: str) -> tuple[sessionmaker[Session], sessionmaker[Session]]:
    factories = _FACTORIES.get(url)
    if factories is None:
        engine = get_engine(url)
        writer = engine.execution_options(sqlite_immediate=True) if url.startswith("sqlite") else engine
        factories = (
            sessionmaker(bind=writer, expire_on_commit=False, autoflush=False),
            sessionmaker(bind=engine, expire_on_commit=False, autoflush=False),
        )
        _FACTORIES[url] = factories
    return factories


def session_factory(*, write: bool = True, url: str | None = None) -> sessionmaker[Session]:
    writer, reader = _factories(url or get_settings().database_url)
    return writer if write else reader


def after_commit(session: Session, callback: Callable[[], None]) -> None:
    """Run `callback` once the session's transaction has committed (dropped on rollback).

    For in-process caches: an entry dropped before the commit could be re-read, still unchanged, by a concurrent
    request before the commit lands; dropping it again afterwards closes that window.
    """
    session.info.setdefault("after_commit", []).append(callback)


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    for callback in session.info.pop("after_commit", ()):
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
    SQLite: on the event loop itself, when the write lock is free at once — the usual case, since this process
    holds the write turn. Then nothing in the unit can wait for another connection (WAL readers never block a
    writer), so it is a millisecond of CPU, and doing it inline avoids more than the hand-off: every sqlite3 call
    releases the GIL, and the event loop, busy with other requests, kept it up to the 5 ms switch interval each
    time, stretching the one write turn every worker waits for. If another writer holds the lock (the worker, the
    CLI: they do not take turns), the unit starts over in the threadpool and waits there on the busy timeout.
    """

    def __init__(self, request: Request, url: str) -> None:
        self.request = request
        self.url = url
        self._used = False

    async def run(self, fn: Callable[[Session], T], *, opening: str | None = None) -> T:
        """`opening`: a parameterless query to send with BEGIN on PostgreSQL (`Opening`; ignored on SQLite)."""
        if self._used:
            raise RuntimeError("one transaction per request")
        self._used = True
        committed: Session | None = None
        try:
            async with _admitted(self.url, write=True):
                if self.url.startswith("sqlite"):
                    if _connection_free(self.url):
                        try:
                            result, committed = self._inline(fn)
                            return result
                        except WriterBusy:
                            pass  # nothing was done: BEGIN itself failed
                    opening = None
                # A thread is not abandoned on cancellation, so a unit that started always commits or rolls back.
                return await run_in_threadpool(self._unit, fn, opening)
        finally:
            # Committed inline: commit() already gave the connection back to the pool; closing the session (expunging
            # what it loaded) is left until the turn is released, so the other writers do not wait for that work
            # (nothing in between awaits, so no other request of this process runs first).
            if committed is not None:
                committed.close()

    def _inline(self, fn: Callable[[Session], T]) -> tuple[T, Session]:
        """`_unit` on the event loop, taking the write lock only if it is free; the committed session is returned
        open (the caller closes it after the turn), one that failed is closed here, inside it."""
        session = session_factory(write=True, url=self.url)()
        try:
            session.connection(execution_options={"sqlite_nowait": True})
            result = fn(session)
            _run_deferred(self.request, session)
            session.commit()
        except BaseException:
            session.close()  # rolls back whatever was not committed
            raise
        return result, session

    def _unit(self, fn: Callable[[Session], T], opening: str | None = None) -> T:
        token = _OPENING.set(Opening(opening)) if opening is not None else None
        session = session_factory(write=True, url=self.url)()
        try:
            result = fn(session)
            _run_deferred(self.request, session)
            session.commit()
            return result
        finally:
            session.close()  # rolls back whatever was not committed
            if token is not None:
                _OPENING.reset(token)


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
