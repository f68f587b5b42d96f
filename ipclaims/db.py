"""Engine and sessions: one transaction per request, owned by the session dependency (STYLE.md habit 2).

SQLite runs in WAL mode with a busy timeout and foreign keys on. Writing sessions open with ``BEGIN IMMEDIATE`` so
two concurrent writers queue on the database lock instead of one failing with "database is locked" when a deferred
read transaction tries to upgrade to a write (the classic SQLite SQLITE_BUSY deadlock).
"""

from __future__ import annotations

import asyncio
import os
import threading
import weakref
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from typing import Annotated, Any

import anyio
from fastapi import Depends, Request
from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from ipclaims.config import get_settings
from ipclaims.http import is_json

try:
    import fcntl
except ImportError:  # not POSIX: writers queue on SQLite's busy timeout alone
    fcntl = None  # type: ignore[assignment]

SQLITE_BUSY_TIMEOUT_MS = 30_000
# (pool_size, max_overflow) per process. Request sessions never outnumber the pool (see get_session).
SQLITE_POOL = (20, 20)
POSTGRES_POOL = (10, 20)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from pysqlite so BEGIN is ours (SQLAlchemy's documented recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get("sqlite_immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


_ENGINES: dict[str, Engine] = {}
_FACTORIES: dict[str, tuple[sessionmaker[Session], sessionmaker[Session]]] = {}
_LOCK = threading.Lock()


def get_engine(url: str | None = None) -> Engine:
    url = url or get_settings().database_url
    with _LOCK:
        if url not in _ENGINES:
            _ENGINES[url] = _create_engine(url)
        return _ENGINES[url]


def autocommit_engine(engine: Engine) -> Engine:
    """A small pool of autocommit connections beside `engine`, for a counter that must not be held until commit.

    PostgreSQL only. A separate pool (not a second connection from the request's own) so that requests holding
    every pooled connection can never wait on each other for one more.
    """
    key = f"autocommit:{engine.url.render_as_string(hide_password=False)}"
    with _LOCK:
        if key not in _ENGINES:
            _ENGINES[key] = create_engine(engine.url, isolation_level="AUTOCOMMIT", pool_size=2, max_overflow=8,
                                          pool_pre_ping=True)
        return _ENGINES[key]


def dispose_engines() -> None:
    """Close every pooled connection (tests switching databases; a forked worker process)."""
    with _LOCK:
        for engine in _ENGINES.values():
            engine.dispose()
        _ENGINES.clear()
        _FACTORIES.clear()


def _create_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        size, overflow = SQLITE_POOL
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, pool_size=size,
                               max_overflow=overflow)
        _configure_sqlite(engine)
    else:
        size, overflow = POSTGRES_POOL
        engine = create_engine(url, pool_size=size, max_overflow=overflow, pool_pre_ping=True)
    return engine


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


# --- the request's session --------------------------------------------------------------------------------------
#
# A request's session is used from threadpool threads (the auth dependency, then the route), and between those steps
# the request waits for a free thread. A thread must therefore never *block* on something another in-flight request
# holds: with 40 threads each stuck in BEGIN IMMEDIATE (or waiting for a pooled connection) and the request that holds
# the SQLite write lock waiting for a thread to run its route, the worker stalls until the busy timeout expires and
# answers 503s. So requests queue in the event loop instead, before any thread touches the database: at most one
# writing session per process on SQLite (others wait their turn in FIFO order, holding no thread), and never more
# sessions than the pool has connections. Across processes SQLite's busy timeout still queues the (at most one per
# process) writers. The transaction itself is unchanged: one per request, BEGIN IMMEDIATE for SQLite writes, committed
# before the response is sent.

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class _Gates:
    sessions: asyncio.Semaphore
    sqlite_writer: asyncio.Lock


# One set per event loop: asyncio primitives belong to the loop they are first used in (a test client starts its own).
_GATES: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, _Gates]] = weakref.WeakKeyDictionary()


def _gates(url: str) -> _Gates:
    per_url = _GATES.setdefault(asyncio.get_running_loop(), {})
    gates = per_url.get(url)
    if gates is None:
        capacity = sum(SQLITE_POOL if url.startswith("sqlite") else POSTGRES_POOL)
        gates = per_url[url] = _Gates(asyncio.Semaphore(capacity), asyncio.Lock())
    return gates


@asynccontextmanager
async def _admitted(url: str, *, write: bool) -> AsyncIterator[None]:
    gates = _gates(url)
    async with gates.sessions:
        if write and url.startswith("sqlite"):
            async with gates.sqlite_writer, _writer_turn(url):
                yield
        else:
            yield


def _writer_lock_path(url: str) -> str | None:
    database = make_url(url).database
    if fcntl is None or not database or database == ":memory:" or database.startswith("file:"):
        return None
    return f"{database}.writer-lock"


@asynccontextmanager
async def _writer_turn(url: str) -> AsyncIterator[None]:
    """Across `serve --workers N` processes, SQLite writers take turns on a blocking file lock.

    Without it a process waiting for SQLite's write lock polls in the busy handler, sleeping up to 100 ms between
    tries, while the process holding the lock hands it straight to its own next request: the other process starves
    (seconds of p99) and its CPU idles. `flock` wakes the waiter the moment the lock is released, so the processes
    alternate and one prepares its next request while the other writes. Advisory only — SQLite's own lock still
    guards the data, and writers that do not take this turn (the worker, the CLI) just fall back to the busy
    timeout. At most one thread per process waits here: the per-process writer gate is taken first.
    """
    path = _writer_lock_path(url)
    if path is None:
        yield
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        await anyio.to_thread.run_sync(fcntl.flock, fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock, also when cancelled while acquiring it


def _end(session: Session, commit: bool) -> None:
    try:
        if commit:
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
            await run_in_threadpool(_end, session, True)


# scope="function": commit before the response is sent, so a failed commit is an error response, not a lost 201.
DbSession = Annotated[Session, Depends(get_session, scope="function")]
