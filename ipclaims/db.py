"""Engine and sessions: one transaction per request, owned by the session dependency (STYLE.md habit 2).

SQLite runs in WAL mode with a busy timeout and foreign keys on. Writing sessions open with ``BEGIN IMMEDIATE`` so
two concurrent writers queue on the database lock instead of one failing with "database is locked" when a deferred
read transaction tries to upgrade to a write (the classic SQLite SQLITE_BUSY deadlock).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from ipclaims.config import get_settings

SQLITE_BUSY_TIMEOUT_MS = 30_000


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


def dispose_engines() -> None:
    """Close every pooled connection (tests switching databases; a forked worker process)."""
    with _LOCK:
        for engine in _ENGINES.values():
            engine.dispose()
        _ENGINES.clear()
        _FACTORIES.clear()


def _create_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, pool_size=20, max_overflow=20)
        _configure_sqlite(engine)
    else:
        engine = create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)
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
    """A unit of work: commits on success, rolls back on any exception. Used by requests, the worker and the CLI."""
    session = session_factory(write=write)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def get_session(request: Request) -> Iterator[Session]:
    # Reads take a deferred transaction so they never wait behind writers on SQLite.
    with session_scope(write=request.method not in ("GET", "HEAD", "OPTIONS")) as session:
        yield session


# scope="function": commit before the response is sent, so a failed commit is an error response, not a lost 201.
DbSession = Annotated[Session, Depends(get_session, scope="function")]
