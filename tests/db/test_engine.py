"""`db.engine`: pragmas, the SQLite checkpoint thread, the side pools, the reconnecting runner, dispose."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from ipclaims import db
from ipclaims.db import engine as engines
from tests.conftest import IS_PG


def test_sqlite_connections_get_wal_busy_timeout_and_foreign_keys(tmp_path: Path) -> None:
    engine = db.get_engine(f"sqlite:///{tmp_path / 'p.db'}")
    try:
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
    finally:
        db.dispose_engines()


@pytest.mark.skipif(IS_PG, reason="SQLite WAL")
def test_sqlite_checkpoints_run_in_a_thread_of_their_own(env: dict[str, str]) -> None:
    url = env["IPCLAIMS_DATABASE_URL"]
    path = url.removeprefix("sqlite:///")
    engine = db.get_engine(url)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA wal_autocheckpoint")).scalar() == db.AUTOCHECKPOINT_PAGES
        conn.execute(text("CREATE TABLE scratch (x TEXT)"))
        conn.commit()
        time.sleep(3 * db.CHECKPOINT_EVERY_S)
        before = os.path.getsize(path)
        # Free pages (left by dropped indexes) are filled before the file grows.
        free = conn.execute(text("PRAGMA freelist_count")).scalar_one() * conn.execute(text("PRAGMA page_size")).scalar_one()
        for _ in range(200):  # ~400 kB: far below the automatic checkpoint, so only the thread copies it back
            conn.execute(text("INSERT INTO scratch VALUES (:x)"), {"x": "y" * 2000})
        conn.commit()
    threads = [t for t in threading.enumerate() if t.name.startswith("ipclaims-checkpoint:")]
    assert len(threads) == 1 and threads[0].is_alive()
    deadline = time.monotonic() + 10
    while os.path.getsize(path) < before + 200 * 2000 - free:  # the file grows once the WAL is copied back
        assert time.monotonic() < deadline, "the checkpoint thread did not checkpoint"
        time.sleep(db.CHECKPOINT_EVERY_S)
    db.dispose_engines()
    threads[0].join(timeout=5)
    assert not threads[0].is_alive()


@pytest.mark.skipif(IS_PG, reason="SQLite's write lock")
def test_a_nowait_begin_is_writer_busy_at_once_while_another_connection_writes(env: dict[str, str]) -> None:
    """`sqlite_nowait` (an inline write unit) does not wait on the busy timeout: WriterBusy, and the connection
    keeps its busy timeout for what it does next."""
    engine = db.get_engine()
    with engine.connect().execution_options(sqlite_immediate=True) as holder:
        holder.execute(text("SELECT 1"))  # BEGIN IMMEDIATE: the write lock is taken
        with engine.connect() as conn:
            started = time.monotonic()
            with pytest.raises(db.WriterBusy):
                conn.execution_options(sqlite_nowait=True).execute(text("SELECT 1"))
            assert time.monotonic() - started < 1
            conn.rollback()
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() == db.SQLITE_BUSY_TIMEOUT_MS
        holder.rollback()
    with engine.connect().execution_options(sqlite_nowait=True) as conn:  # free now: taken at once
        assert conn.execute(text("SELECT 1")).scalar() == 1
        conn.rollback()


def test_lookups_have_a_pool_of_their_own(env: dict[str, str]) -> None:
    lookup = db.lookup_engine()
    assert lookup is db.lookup_engine() and lookup is not db.get_engine()
    with lookup.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM account")).scalar_one() >= 0
        if IS_PG:  # the autocommit pool: a read holds no transaction open
            assert lookup is db.autocommit_engine(db.get_engine())
            assert conn.connection.dbapi_connection.autocommit is True
        else:
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1  # the same pragmas as the request pool


def test_run_reconnecting_retries_a_lost_connection_only(env: dict[str, str]) -> None:
    """An error that is not a dropped connection (here a missing table) is raised at once, `fn` run once."""
    calls: list[int] = []

    def fn(conn: Any) -> Any:
        calls.append(1)
        return conn.execute(text("SELECT * FROM no_such_table")).all()

    engine = db.autocommit_engine(db.get_engine(), ping=False) if IS_PG else db.get_engine()
    with pytest.raises(DBAPIError, match="no_such_table"):
        db.run_reconnecting(engine, fn)
    assert calls == [1]
    assert db.run_reconnecting(engine, lambda conn: conn.execute(text("SELECT 7")).scalar_one()) == 7


@pytest.mark.skipif(not IS_PG, reason="a server that ends connections")
def test_run_reconnecting_runs_again_on_a_new_connection_after_a_restart(env: dict[str, str]) -> None:
    from tests.conftest import end_pooled_connections

    engine = db.autocommit_engine(db.get_engine(), ping=False)
    end_pooled_connections(engine, 2)
    calls: list[int] = []
    seven = db.Prepared(text("SELECT 7"))

    def fn(conn: Any) -> Any:  # on the DBAPI cursor, as its callers do (the reference counter)
        calls.append(1)
        return seven.scalar(conn, {})

    assert db.run_reconnecting(engine, fn) == 7
    assert calls == [1, 1]


def test_dispose_starts_every_pool_over_and_clears_the_registered_caches(env: dict[str, str]) -> None:
    cleared: list[int] = []

    def clear() -> None:
        cleared.append(1)

    db.on_dispose(clear)
    try:
        engine, factory = db.get_engine(), db.session_factory()
        db.dispose_engines()
        assert cleared == [1]
        assert db.get_engine() is not engine and db.session_factory() is not factory
    finally:
        engines._ON_DISPOSE.remove(clear)


@pytest.mark.parametrize("how", ["dispose_engines", "dispose"])
def test_a_connection_held_while_its_pool_is_disposed_is_closed_when_given_back(env: dict[str, str], how: str) -> None:
    engine = db.get_engine()
    held = engine.connect()
    dbapi_connection = held.connection.dbapi_connection
    held.execute(text("SELECT 1"))
    if how == "dispose":
        db.dispose(engine)
    else:
        db.dispose_engines()
    held.close()  # back to the disposed pool: closed now, not left open until the garbage collector finds it
    assert dbapi_connection is not None
    with pytest.raises(Exception, match="closed"):
        dbapi_connection.cursor()
    with db.get_engine().connect() as conn:  # a new pool serves as before
        assert conn.execute(text("SELECT 1")).scalar_one() == 1
