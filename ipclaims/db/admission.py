"""Admission: requests queue in the event loop for a session, and SQLite writers take turns (in the process on an
asyncio lock, across `serve` processes on a file lock), before any thread touches the database."""

from __future__ import annotations

import asyncio
import contextlib
import os
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import lru_cache

import anyio

from ipclaims.db.engine import POSTGRES_POOL, SQLITE_POOL, _database_file

try:
    import fcntl
except ImportError:  # not POSIX: writers queue on SQLite's busy timeout alone
    fcntl = None  # type: ignore[assignment]

# A request's session is used from threadpool threads (the auth dependency, then the route), and between those steps
# the request waits for a free thread. A thread must therefore never *block* on something another in-flight request
# holds: with 40 threads each stuck in BEGIN IMMEDIATE (or waiting for a pooled connection) and the request that holds
# the SQLite write lock waiting for a thread to run its route, the worker stalls until the busy timeout expires and
# answers 503s. So requests queue in the event loop instead, before any thread touches the database: at most one
# writing session per process on SQLite (others wait their turn in FIFO order, holding no thread), and never more
# sessions than the pool has connections. Across processes SQLite's busy timeout still queues the (at most one per
# process) writers. The transaction itself is unchanged: one per request, BEGIN IMMEDIATE for SQLite writes, committed
# before the response is sent.


@dataclass
class _Gates:
    sessions: asyncio.Semaphore
    sqlite_writer: asyncio.Lock
    # The writer-lock file, opened once (see `_writer_turn`); only the holder of `sqlite_writer` uses it.
    lock_fd: int = -1
    lock_pid: int = 0


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
            async with gates.sqlite_writer, _writer_turn(url, gates):
                yield
        else:
            yield


@lru_cache(maxsize=16)
def _writer_lock_path(url: str) -> str | None:
    database = _database_file(url)
    if fcntl is None or database is None:
        return None
    return f"{database}.writer-lock"


def _lock_fd(path: str, gates: _Gates) -> int:
    """One open descriptor per event loop's writer gate, kept open between turns (opening the file per request cost
    more than the lock). flock belongs to the open file description, so two loops in one process (test clients) must
    not share one, and a forked child opens its own (the pid check)."""
    pid = os.getpid()
    if gates.lock_fd < 0 or gates.lock_pid != pid:
        gates.lock_fd, gates.lock_pid = os.open(path, os.O_RDWR | os.O_CREAT, 0o644), pid
        weakref.finalize(gates, _close_quietly, gates.lock_fd, pid)
    return gates.lock_fd


def _close_quietly(fd: int, pid: int) -> None:
    if os.getpid() == pid:
        with contextlib.suppress(OSError):
            os.close(fd)


@asynccontextmanager
async def _writer_turn(url: str, gates: _Gates) -> AsyncIterator[None]:
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
    fd = _lock_fd(path, gates)
    try:
        # Usually free (the other process is between writes): take it without a thread hand-off.
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            # Not abandoned on cancel: the thread finishes taking the lock and the `finally` releases it.
            await anyio.to_thread.run_sync(fcntl.flock, fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
