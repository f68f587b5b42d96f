"""Engines: pragmas, pool sizes, the SQLite checkpoint thread, the side pools (lookups, autocommit counters).

SQLite runs in WAL mode with a busy timeout and foreign keys on. Writing sessions open with ``BEGIN IMMEDIATE`` so
two concurrent writers queue on the database lock instead of one failing with "database is locked" when a deferred
read transaction tries to upgrade to a write (the classic SQLite SQLITE_BUSY deadlock).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar, cast

from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from ipclaims.config import get_settings
from ipclaims.db.opening import _configure_postgres

T = TypeVar("T")

SQLITE_BUSY_TIMEOUT_MS = 30_000
# (pool_size, max_overflow) per process. Request sessions never outnumber the pool (see get_session).
SQLITE_POOL = (20, 20)
POSTGRES_POOL = (20, 0)


# WAL checkpoints run in a thread of their own (`_Checkpointer`), not in the committing request. SQLite's automatic
# checkpoint copies the WAL back into the database (and fsyncs both) inside whichever commit crosses the threshold:
# one intake in twenty paid 10–15 ms for it while holding the write turn every other writer waits for. The automatic
# checkpoint stays as a backstop at a larger size, should the thread ever fall behind.
CHECKPOINT_EVERY_S = 0.25
AUTOCHECKPOINT_PAGES = 10_000


def _configure_sqlite(engine: Engine) -> None:
    path = _database_file(engine.url.render_as_string(hide_password=False))

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from pysqlite so BEGIN is ours (SQLAlchemy's documented recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        if path is not None:
            cursor.execute(f"PRAGMA wal_autocheckpoint={AUTOCHECKPOINT_PAGES}")
            _Checkpointer.ensure(path)
        cursor.close()

    _raw_savepoints(engine)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # On the sqlite3 connection itself: SQLAlchemy's execution machinery cost more than the statements, and on
        # a write they run while this process holds the write turn.
        options = conn.get_execution_options()
        if options.get("sqlite_nowait"):
            # Take the write lock only if it is free right now (see `Transaction`): no busy wait.
            _sqlite(conn, "PRAGMA busy_timeout=0")
            try:
                _sqlite(conn, "BEGIN IMMEDIATE")
            except OperationalError as exc:
                raise WriterBusy("another writer holds the SQLite write lock") from exc
            finally:
                _sqlite(conn, f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            return
        immediate = options.get("sqlite_immediate", False)
        _sqlite(conn, "BEGIN IMMEDIATE" if immediate else "BEGIN")


def _raw_savepoints(engine: Engine) -> None:
    """SAVEPOINT, RELEASE and ROLLBACK TO sent on the sqlite3 connection, as `_on_begin` sends BEGIN.

    SQLAlchemy sends them through its full execution path (a compiled clause, an execution context, a result), about
    four times the Python of the statement itself; and a group of write units (`session`'s group commit) sends two
    per unit while it holds the write turn. Same statements, same names, errors raised as SQLAlchemy's."""
    dialect = cast(Any, engine.dialect)
    dialect.do_savepoint = lambda conn, name: _sqlite(conn, f"SAVEPOINT {name}")
    dialect.do_release_savepoint = lambda conn, name: _sqlite(conn, f"RELEASE SAVEPOINT {name}")
    dialect.do_rollback_to_savepoint = lambda conn, name: _sqlite(conn, f"ROLLBACK TO SAVEPOINT {name}")


def _sqlite(conn: Connection, sql: str) -> None:
    """Run `sql` on the connection's sqlite3 connection, its errors raised as SQLAlchemy's (a busy database is
    still `errors`' 503)."""
    try:
        cast(Any, conn.connection).dbapi_connection.execute(sql).close()
    except sqlite3.Error as exc:
        raise DBAPIError.instance(sql, None, exc, sqlite3.Error, dialect=conn.dialect) from exc


class WriterBusy(Exception):
    """BEGIN IMMEDIATE would have had to wait: a writer outside the serve processes' turns (the worker, the CLI)."""


def _database_file(url: str) -> str | None:
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return database


class _Checkpointer(threading.Thread):
    """Checkpoints one SQLite database's WAL every CHECKPOINT_EVERY_S, one thread per database and process.

    PASSIVE: it copies what no reader still needs and never waits for, or blocks, a reader or a writer; with no
    busy timeout, a checkpoint another process is running just means this round is skipped. The fsyncs happen
    here, off every request's path.
    """

    _running: ClassVar[dict[str, _Checkpointer]] = {}
    _guard: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, path: str) -> None:
        super().__init__(name=f"ipclaims-checkpoint:{os.path.basename(path)}", daemon=True)
        self.path = path
        self.pid = os.getpid()
        self.stopping = threading.Event()

    @classmethod
    def ensure(cls, path: str) -> None:
        running = cls._running.get(path)
        if running is not None and running.pid == os.getpid() and running.is_alive():
            return
        with cls._guard:
            running = cls._running.get(path)
            if running is None or running.pid != os.getpid() or not running.is_alive():  # none yet, or forked away
                cls._running[path] = running = cls(path)
                running.start()

    @classmethod
    def stop_all(cls) -> None:
        with cls._guard:
            for running in cls._running.values():
                running.stopping.set()
            cls._running.clear()

    def run(self) -> None:
        try:
            conn = sqlite3.connect(self.path, timeout=0, isolation_level=None, check_same_thread=False)
        except sqlite3.Error:
            return
        try:
            while not self.stopping.wait(CHECKPOINT_EVERY_S):
                with contextlib.suppress(sqlite3.Error):  # busy, or the database went away (a test's)
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        finally:
            conn.close()


_ENGINES: dict[str, Engine] = {}
_FACTORIES: dict[str, tuple[sessionmaker[Session], sessionmaker[Session]]] = {}
_LOCK = threading.Lock()


def get_engine(url: str | None = None) -> Engine:
    url = url or get_settings().database_url
    with _LOCK:
        if url not in _ENGINES:
            _ENGINES[url] = _create_engine(url)
        return _ENGINES[url]


def autocommit_engine(engine: Engine, *, ping: bool = True) -> Engine:
    """A small pool of autocommit connections beside `engine`, for a counter that must not be held until commit.

    PostgreSQL only. A separate pool (not a second connection from the request's own) so that requests holding
    every pooled connection can never wait on each other for one more.

    Its commits are asynchronous (`synchronous_commit=off`). The counter row stays locked until its commit
    returns, and with synchronous commit that is until the WAL reached the disk: every intake queued behind one
    fsync at a time (~170 a second here, whatever the cores). Asynchronous is safe for the counter: a crash can lose
    only bumps whose WAL was not yet flushed, and any claim that used such a number commits (synchronously) later in
    the same WAL, so it cannot be durable without them; a lost number was never used by a committed claim.

    `ping=False` gives a pool of its own that does not test each connection on checkout (a round trip before every
    statement): for a caller that retries on a dropped connection itself (`run_reconnecting`).
    """
    key = f"autocommit{'' if ping else '-noping'}:{engine.url.render_as_string(hide_password=False)}"
    with _LOCK:
        if key not in _ENGINES:
            _ENGINES[key] = create_engine(
                engine.url,
                isolation_level="AUTOCOMMIT",
                pool_size=10,
                max_overflow=10,
                pool_pre_ping=ping,
                connect_args={"options": "-c synchronous_commit=off"},
            )
        return _ENGINES[key]


def run_reconnecting(engine: Engine, fn: Callable[[Connection], T]) -> T:
    """`fn(conn)` on a pooled connection of `engine`, once more on a fresh one if the pooled one had been dropped.

    For a pool without pre-ping (`autocommit_engine(..., ping=False)`): a server restart or an idle timeout leaves
    dead connections in the pool, and the first statement on one fails as a disconnect; the pool is started over
    and `fn` runs again on a new connection. Only for an `fn` that may run twice: its first run either never
    reached the server or, if the connection dropped after it did, left an effect the caller accepts twice (a
    counter bumped once more: a gap).
    """
    for attempt in (1, 2):
        with engine.connect() as conn:
            try:
                return fn(conn)
            except DBAPIError as exc:
                dbapi_connection = conn.connection.dbapi_connection
                if attempt == 2 or not conn.dialect.is_disconnect(cast(Any, exc.orig), dbapi_connection, None):
                    raise
                conn.invalidate(exc)
        # What dropped one pooled connection (a restart, an idle timeout) dropped the others too: start the pool
        # over, so the retry gets a new connection rather than the next dead one (SQLAlchemy does the same for the
        # statements it runs itself).
        dispose(engine)
    raise AssertionError("unreachable")


def lookup_engine(url: str | None = None) -> Engine:
    """A small pool beside the request pool, for short reads outside any request's session (who is calling).

    Separate for the same reason as `autocommit_engine`: the caller may already hold a request session, and requests
    holding every pooled connection must never wait on each other for one more. On SQLite a read never waits for a
    writer (WAL), so a lookup here never blocks on another request; on PostgreSQL it is the autocommit pool.
    """
    engine = get_engine(url)
    if engine.dialect.name != "sqlite":
        return autocommit_engine(engine)
    key = f"lookup:{engine.url.render_as_string(hide_password=False)}"
    with _LOCK:
        if key not in _ENGINES:
            side = create_engine(engine.url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, pool_size=2, max_overflow=8)
            _configure_sqlite(side)
            _ENGINES[key] = side
        return _ENGINES[key]


# Per-process caches of database content (API keys, SLA hours) register here so that switching databases (tests,
# a forked worker) never serves rows of the previous one.
_ON_DISPOSE: list[Callable[[], None]] = []


def on_dispose(clear: Callable[[], None]) -> None:
    _ON_DISPOSE.append(clear)


def dispose(engine: Engine) -> None:
    """`engine.dispose()`, and each connection checked out at that moment is closed when it is given back.

    SQLAlchemy's dispose closes the idle connections and starts a new pool; a connection another thread holds goes
    back to the old pool on checkin and stays open there, unreferenced, until the garbage collector finds it: a
    server backend held for nothing meanwhile, and psycopg's "deleted while still open" warning when it goes."""
    old = engine.pool
    engine.dispose()
    event.listen(old, "checkin", _close_returned)


def _close_returned(dbapi_connection: Any, record: Any) -> None:
    if dbapi_connection is not None:
        record.close()


def dispose_engines() -> None:
    """Close every pooled connection (tests switching databases; a forked worker process)."""
    with _LOCK:
        for engine in _ENGINES.values():
            dispose(engine)
        _ENGINES.clear()
        _FACTORIES.clear()
    _Checkpointer.stop_all()
    for clear in _ON_DISPOSE:
        clear()


def _create_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        size, overflow = SQLITE_POOL
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, pool_size=size, max_overflow=overflow)
        _configure_sqlite(engine)
    else:
        size, overflow = POSTGRES_POOL
        # Checked on checkout as pool_pre_ping does, but by `_configure_postgres`, so that a unit can send its
        # BEGIN as the check.
        engine = create_engine(url, pool_size=size, max_overflow=overflow)
        _configure_postgres(engine)
    return engine


def error_reason(exc: BaseException) -> str:
    """The first line of a database error's own message (the driver's, when SQLAlchemy wraps one): for a one-line
    refusal such as "no such table: account"."""
    return (str(getattr(exc, "orig", None) or exc).splitlines() or [type(exc).__name__])[0]
