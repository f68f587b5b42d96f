"""Engine and sessions: one transaction per request, owned by the session dependency (STYLE.md habit 2).

SQLite runs in WAL mode with a busy timeout and foreign keys on. Writing sessions open with ``BEGIN IMMEDIATE`` so
two concurrent writers queue on the database lock instead of one failing with "database is locked" when a deferred
read transaction tries to upgrade to a write (the classic SQLite SQLITE_BUSY deadlock).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import sqlite3
import threading
import weakref
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from typing import Annotated, Any, ClassVar, TypeVar, cast

import anyio
import psycopg
from fastapi import Depends, Request
from sqlalchemy import Connection, Engine, Executable, Table, TextClause, bindparam, create_engine, event, make_url, text
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError, InvalidatePoolError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from ipclaims.config import get_settings
from ipclaims.http import is_json

try:
    import fcntl
except ImportError:  # not POSIX: writers queue on SQLite's busy timeout alone
    fcntl = None  # type: ignore[assignment]

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
            _ENGINES[key] = create_engine(engine.url, isolation_level="AUTOCOMMIT", pool_size=10, max_overflow=10,
                                          pool_pre_ping=ping, connect_args={"options": "-c synchronous_commit=off"})
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
        engine.dispose()
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
            side = create_engine(engine.url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, pool_size=2,
                                 max_overflow=8)
            _configure_sqlite(side)
            _ENGINES[key] = side
        return _ENGINES[key]


# Per-process caches of database content (API keys, SLA hours) register here so that switching databases (tests,
# a forked worker) never serves rows of the previous one.
_ON_DISPOSE: list[Callable[[], None]] = []


def on_dispose(clear: Callable[[], None]) -> None:
    _ON_DISPOSE.append(clear)


def dispose_engines() -> None:
    """Close every pooled connection (tests switching databases; a forked worker process)."""
    with _LOCK:
        for engine in _ENGINES.values():
            engine.dispose()
        _ENGINES.clear()
        _FACTORIES.clear()
    _Checkpointer.stop_all()
    for clear in _ON_DISPOSE:
        clear()


def _create_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        size, overflow = SQLITE_POOL
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, pool_size=size,
                               max_overflow=overflow)
        _configure_sqlite(engine)
    else:
        size, overflow = POSTGRES_POOL
        # Checked on checkout as pool_pre_ping does, but by `_configure_postgres`, so that a unit can send its
        # BEGIN as the check.
        engine = create_engine(url, pool_size=size, max_overflow=overflow)
        _configure_postgres(engine)
    return engine


@dataclass
class Opening:
    """A parameterless query a PostgreSQL write unit sends with its BEGIN (`Transaction.run(..., opening=)`).

    Every checkout of a pooled connection costs a round trip to check it is alive (pool_pre_ping), and psycopg then
    spends another on BEGIN before the first statement. For a unit whose first statement is known and takes no
    parameters (intake: the next reference number), ``BEGIN; <sql>`` is sent as the check, one round trip for all
    three: a connection that turns out dead is replaced (and the query sent again on the new one), as a failed ping
    would have it. The unit reads the result with `opened`.
    """

    sql: str
    value: str | None = None  # the first column of the first row, as PostgreSQL's text
    sent: bool = False
    taken: bool = False


_OPENING: ContextVar[Opening | None] = ContextVar("ipclaims_opening", default=None)


def opened(sql: str) -> str | None:
    """What the running unit's opening query returned, once: None if it was not `sql`, was not sent, or was
    taken already."""
    opening = _OPENING.get()
    if opening is None or opening.sql != sql or opening.taken or not opening.sent:
        return None
    opening.taken = True
    return opening.value


def _configure_postgres(engine: Engine) -> None:
    dialect = engine.dialect

    @event.listens_for(engine, "connect")
    def _on_connect(_dbapi_connection: Any, record: Any) -> None:
        record.info["fresh"] = True  # as pool_pre_ping: a connection just made needs no check

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        fresh = record.info.pop("fresh", False)
        opening = _OPENING.get()
        if opening is not None and not opening.sent:
            _open(dbapi_connection, opening, fresh)
            return
        if fresh:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except psycopg.Error as exc:
            if dialect.is_disconnect(cast(Any, exc), dbapi_connection, None):
                raise InvalidatePoolError(str(exc)) from exc  # the pool starts over and checks out a new one
            raise


def _open(dbapi_connection: Any, opening: Opening, fresh: bool) -> None:
    pgconn = dbapi_connection.pgconn
    try:
        result = pgconn.exec_(f"BEGIN; {opening.sql}".encode())  # the simple protocol: two statements, one trip
    except psycopg.Error as exc:
        result, error, sqlstate = None, str(exc), None
    else:
        error = (result.error_message or b"").decode(errors="replace").strip()
        sqlstate = result.error_field(psycopg.pq.DiagnosticField.SQLSTATE)
    if result is not None and result.status == psycopg.pq.ExecStatus.TUPLES_OK:
        raw = result.get_value(0, 0) if result.ntuples else None
        opening.value, opening.sent = (None if raw is None else bytes(raw).decode()), True
        return
    if pgconn.status != psycopg.pq.ConnStatus.OK:
        if not fresh:  # the pool starts over and checks out a new one, where the query is sent again
            raise InvalidatePoolError(error)
        # A connection made just now is dead already: the server is down, answered as a lost connection (503),
        # not retried.
        raise psycopg.OperationalError(error)
    if pgconn.transaction_status != psycopg.pq.TransactionStatus.IDLE:
        pgconn.exec_(b"ROLLBACK")
    # The query's own error, of the class psycopg would have raised for it (a missing relation is no "retry").
    raise psycopg.errors.lookup(sqlstate.decode())(error) if sqlstate else psycopg.OperationalError(error)


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


def insert_or_ignore(table: Table, columns: Sequence[str], conflict: Sequence[str], *,
                     returning: str | None = None) -> TextClause:
    """``INSERT ... ON CONFLICT (conflict) DO NOTHING [RETURNING ...]`` in the SQL both SQLite and PostgreSQL read,
    with each value bound by its column's type (JSON, timestamps, enums) as a Core insert would.

    Not `sqlite.insert(...).on_conflict_do_nothing()`: SQLAlchemy cannot cache the compiled form of those
    ("no key"), and compiling one cost more than executing it. Every column named must be given a value.
    """
    names, values = ", ".join(f'"{name}"' for name in columns), ", ".join(f":{name}" for name in columns)
    unique = ", ".join(f'"{name}"' for name in conflict)
    sql = f'INSERT INTO "{table.name}" ({names}) VALUES ({values}) ON CONFLICT ({unique}) DO NOTHING'
    if returning is not None:
        sql += f' RETURNING "{returning}"'
    return text(sql).bindparams(*(bindparam(name, type_=table.c[name].type) for name in columns))


_NAMED = re.compile(r"%\((\w+)\)s")  # psycopg's pyformat placeholders, turned positional (%s) below
# An INSERT of one VALUES row: what comes before VALUES, the row, and what may follow it here.
_INSERT = re.compile(r"^(INSERT INTO .*? )VALUES (\(.*\))((?: ON CONFLICT \([^)]*\) DO NOTHING)?(?: RETURNING [^()]*)?)$",
                     re.DOTALL)
MULTI_ROW_MAX = 64  # rows per multi-row INSERT; a longer list goes through executemany


@dataclass(frozen=True)
class _Compiled:
    sql: str
    values: Callable[[Mapping[str, Any]], tuple[Any, ...]]  # a row's values in placeholder order
    processors: tuple[tuple[int, Callable[[Any], Any]], ...]  # (position, bind processor) where one applies
    dbapi_error: type[Exception]
    # For an INSERT: the SQL before VALUES, the one-row group and what follows it (ON CONFLICT, RETURNING), to send
    # up to MULTI_ROW_MAX rows at once or to make the insert conditional (`render`'s `only_if`).
    head: str | None
    group: str | None
    tail: str


class Prepared:
    """A DML statement compiled once per dialect and run on the DBAPI cursor of the caller's connection.

    For the dozen statements of an intake. SQLAlchemy's cached execution still spends on the order of a hundred
    Python calls per statement (execution context, parameter processing, result set-up), which was the largest
    cost left per intake. Here the SQL and the placeholder order come from SQLAlchemy's own compiler, each value goes
    through the bind processor of its column's type (JSON, UTC timestamps, enums; the PostgreSQL casts are in the
    SQL), DBAPI errors are re-raised as SQLAlchemy's (a busy database is still `errors`' 503), and the statement runs
    in the connection's current transaction. Several rows of a plain INSERT go as one multi-row VALUES statement
    (one round trip, one statement for the database to run). Column defaults are *not* applied: every column the
    statement names (`keys`, plus any column with a Python-side default, which SQLAlchemy adds) needs a value.
    """

    def __init__(self, statement: Executable, keys: Sequence[str] | None = None) -> None:
        self.statement = statement
        self.keys = list(keys) if keys is not None else None
        self._compiled: dict[str, _Compiled] = {}

    def _for(self, dialect: Dialect) -> _Compiled:
        compiled = self._compiled.get(dialect.name)
        if compiled is None:
            c = cast(Any, self.statement).compile(dialect=dialect, column_keys=self.keys)
            sql: str = c.string
            if dialect.positional:
                names = tuple(c.positiontup)
            else:  # pyformat: the same placeholders, positional, so rows can be repeated in one VALUES list
                names = tuple(_NAMED.findall(sql))
                sql = _NAMED.sub("%s", sql)
            processors = tuple((i, proc) for i, name in enumerate(names)
                               if (proc := c.binds[name].type.dialect_impl(dialect).bind_processor(dialect)) is not None)
            getter = itemgetter(*names) if names else (lambda row: ())
            values = getter if len(names) != 1 else (lambda row: (getter(row),))
            split = _INSERT.match(sql)
            compiled = self._compiled[dialect.name] = _Compiled(
                sql, values, processors, dialect.loaded_dbapi.Error,
                split.group(1) if split else None, split.group(2) if split else None, split.group(3) if split else "")
        return compiled

    @staticmethod
    def _params(c: _Compiled, row: Mapping[str, Any]) -> list[Any]:
        values = list(c.values(row))
        for i, proc in c.processors:
            values[i] = proc(values[i])
        return values

    def render(self, dialect: Dialect, values: Mapping[str, Any] | Sequence[Mapping[str, Any]], *,
               only_if: str | None = None) -> tuple[str, Any, bool]:
        """(SQL, positional parameters, executemany?) for one row (a mapping) or several (a sequence).

        `only_if` names a CTE (PostgreSQL, `send_together`): the rows are inserted only if it returned a row,
        ``INSERT INTO t (...) SELECT * FROM (VALUES ...) AS v WHERE EXISTS (SELECT FROM <only_if>)``.
        """
        c = self._for(dialect)
        rows = [values] if isinstance(values, Mapping) else values
        if c.head is None or c.group is None or len(rows) > MULTI_ROW_MAX:
            if only_if is not None:
                raise ValueError(f"cannot make this statement conditional: {c.sql[:80]}")
            if len(rows) == 1:
                return c.sql, self._params(c, rows[0]), False
            return c.sql, [self._params(c, row) for row in rows], True
        params = [value for row in rows for value in self._params(c, row)]
        if only_if is None:
            return (c.sql if len(rows) == 1 else f"{c.head}VALUES {', '.join([c.group] * len(rows))}{c.tail}"), params, False
        return (f"{c.head}SELECT * FROM (VALUES {', '.join([c.group] * len(rows))}) AS v "
                f"WHERE EXISTS (SELECT FROM {only_if}){c.tail}", params, False)

    def send(self, conn: Connection, values: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> Any:
        """Execute once (a mapping) or for several rows (a sequence); returns the open DBAPI cursor."""
        sql, params, many = self.render(conn.dialect, values)
        return _execute(conn, sql, params, many)

    def scalar(self, conn: Connection, values: Mapping[str, Any]) -> Any:
        """Run once and return the first column of the first row returned (None when there is none)."""
        cursor = self.send(conn, values)
        try:
            row = cursor.fetchone()
        finally:
            cursor.close()
        return None if row is None else row[0]

    def run(self, conn: Connection, values: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> int:
        """Run and return the number of rows affected."""
        cursor = self.send(conn, values)
        try:
            return int(cursor.rowcount)
        finally:
            cursor.close()


_POSITIONAL = re.compile(r"%[s%]")


@lru_cache(maxsize=256)
def _numbered(sql: str) -> str:
    """psycopg's ``%s`` placeholders as PostgreSQL's own ``$1, $2, ...`` (and ``%%`` as ``%``), for a raw cursor."""
    counter = iter(range(1, 1 << 16))
    return _POSITIONAL.sub(lambda m: "%" if m.group() == "%%" else f"${next(counter)}", sql)


def _cursor(conn: Connection, sql: str) -> tuple[Any, str]:
    """A cursor of the connection's driver and the SQL as it takes it.

    On psycopg a raw cursor, given the statement already numbered (`_numbered`, cached): a plain cursor converts
    ``%s`` to ``$n`` on every execution, and for the intake's one combined statement (over 100 parameters, past
    psycopg's own conversion cache) that parse cost more Python time than anything else the request does.
    """
    if conn.dialect.driver == "psycopg":
        return psycopg.RawCursor(cast(Any, conn.connection).driver_connection), _numbered(sql)
    return cast(Any, conn.connection).cursor(), sql


def _execute(conn: Connection, sql: str, params: Any, many: bool = False) -> Any:
    error = conn.dialect.loaded_dbapi.Error
    cursor, sql = _cursor(conn, sql)
    try:
        if many:
            cursor.executemany(sql, params)
        else:
            cursor.execute(sql, params)
    except error as exc:
        cursor.close()
        raise DBAPIError.instance(sql, params, exc, error, dialect=conn.dialect) from exc
    return cursor


def send_together(conn: Connection, parts: Sequence[tuple[Prepared, Mapping[str, Any] | Sequence[Mapping[str, Any]]]],
                  *, returning: int, guarded: bool = False) -> Any:
    """Run several INSERTs and return the open cursor holding the RETURNING rows of `parts[returning]`.

    On PostgreSQL they go as one statement, each INSERT a data-modifying CTE: one execution and one round trip
    instead of one per table, and foreign keys are still checked, at the end of the statement. Elsewhere (SQLite:
    no round trips to save, and no INSERT in a CTE) they run one after the other, in order.

    `guarded`: `parts[0]` is an INSERT ... ON CONFLICT DO NOTHING RETURNING (an idempotency key's claim), and the
    others are written only if it inserted its row; otherwise nothing is, and the cursor returned has no rows.
    """
    if guarded and returning == 0:
        raise ValueError("the guard's own RETURNING row is not the result")
    together = conn.dialect.name == "postgresql"
    if together:
        try:
            rendered = [part.render(conn.dialect, values, only_if="p0" if guarded and i else None)
                        for i, (part, values) in enumerate(parts)]
        except ValueError:  # a part too long for one VALUES list (a notice of hundreds of items)
            together = False
        else:
            together = not any(many for _, _, many in rendered)
    if not together:
        cursors = []
        for i, (part, values) in enumerate(parts):
            sql, params, many = part.render(conn.dialect, values)
            cursors.append(_execute(conn, sql, params, many))
            if guarded and i == 0 and cursors[0].fetchone() is None:  # the key was claimed already
                return cursors[0]
        for i, cursor in enumerate(cursors):
            if i != returning:
                cursor.close()
        return cursors[returning]
    ctes = ", ".join(f"p{i} AS ({sql})" for i, (sql, _, _) in enumerate(rendered))
    return _execute(conn, f"WITH {ctes} SELECT * FROM p{returning}",
                    [value for _, params, _ in rendered for value in params])


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
    does that work first, holding nothing, then `await tx.run(fn)` queues like any writer (the gates above), and
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
        async with _admitted(self.url, write=True):
            if self.url.startswith("sqlite"):
                if _connection_free(self.url):
                    try:
                        return self._unit(fn, nowait=True)
                    except WriterBusy:
                        pass  # nothing was done: BEGIN itself failed
                opening = None
            # A thread is not abandoned on cancellation, so a unit that started always commits or rolls back.
            return await run_in_threadpool(self._unit, fn, False, opening)

    def _unit(self, fn: Callable[[Session], T], nowait: bool = False, opening: str | None = None) -> T:
        token = _OPENING.set(Opening(opening)) if opening is not None else None
        session = session_factory(write=True, url=self.url)()
        try:
            if nowait:
                session.connection(execution_options={"sqlite_nowait": True})
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
