"""The machinery under intake's write (ipclaims.db): statements run on the DBAPI cursor, SQLite checkpoints off the
request path, the writer turn. Values must be stored exactly as SQLAlchemy stores them."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import insert, select, text

from tests.conftest import IS_PG, end_pooled_connections


def _row(i: int) -> dict[str, Any]:
    now = datetime(2026, 3, 4, 5, 6, 7, 890_123, tzinfo=UTC)
    return {"id": f"01TESTROW{i:017d}", "claim_id": None, "kind": "acknowledgment", "dedupe_key": f"k{i}",
            "to_addr": "a@b.example", "subject": "Ünïcödé ' \" %s %(x)s", "body": "b\nc", "status": "pending",
            "attempts": i, "next_attempt_at": now, "lease_until": None, "sent_at": now, "last_error": None,
            "created_at": now}


def test_prepared_statements_store_what_core_stores(session: Any) -> None:
    """The same rows through `Prepared` (one, several as one VALUES list, many) and through a Core insert."""
    from ipclaims.db import MULTI_ROW_MAX
    from ipclaims.models import OutboxMessage
    from ipclaims.notifications.outbox import INSERT

    table = OutboxMessage.__table__
    conn = session.connection()
    INSERT.run(conn, _row(0))
    INSERT.run(conn, [_row(1), _row(2)])
    INSERT.run(conn, [_row(i) for i in range(3, 3 + MULTI_ROW_MAX + 2)])  # beyond one VALUES list
    core = [{**_row(i), "id": f"01CORE{i:020d}", "dedupe_key": f"c{i}"} for i in range(3 + MULTI_ROW_MAX + 2)]
    conn.execute(insert(table), core)
    ours = conn.execute(select(table).where(table.c.id.like("01TESTROW%")).order_by(table.c.attempts)).all()
    theirs = conn.execute(select(table).where(table.c.id.like("01CORE%")).order_by(table.c.attempts)).all()
    assert len(ours) == len(theirs) == len(core)
    strip = lambda row: {k: v for k, v in row._mapping.items() if k not in ("id", "dedupe_key")}  # noqa: E731
    assert [strip(r) for r in ours] == [strip(r) for r in theirs]
    if not IS_PG:  # the stored text itself, not only what reads back
        raw = "SELECT next_attempt_at, sent_at, typeof(lease_until) FROM outbox_message WHERE id LIKE :p ORDER BY attempts"
        assert conn.execute(text(raw), {"p": "01TESTROW%"}).all() == conn.execute(text(raw), {"p": "01CORE%"}).all()


def test_foreign_keys_are_checked(session: Any) -> None:
    from sqlalchemy.exc import IntegrityError

    from ipclaims.db import Prepared
    from ipclaims.models import ClaimElement

    element = Prepared(insert(ClaimElement.__table__), ("id", "claim_id", "position", "code", "status", "citation", "detail"))
    with pytest.raises(IntegrityError):
        element.run(session.connection(), {"id": "x", "claim_id": "no such claim", "position": 0, "code": "c",
                                           "status": "present", "citation": "c", "detail": "d"})
    session.rollback()


def test_database_errors_are_sqlalchemy_errors(session: Any) -> None:
    from sqlalchemy.exc import IntegrityError

    from ipclaims.db import Prepared
    from ipclaims.models import Account

    stmt = Prepared(insert(Account.__table__), ("id", "name", "role", "email", "trusted_flagger", "active", "created_at"))
    row = {"id": "01DUPLICATE0000000000000000"[:26], "name": "n", "role": "admin", "email": None, "trusted_flagger": False,
           "active": True, "created_at": datetime.now(UTC)}
    stmt.run(session.connection(), row)
    with pytest.raises(IntegrityError):
        stmt.run(session.connection(), row)
    session.rollback()


def test_every_column_a_statement_names_needs_a_value(session: Any) -> None:
    from ipclaims.db import Prepared
    from ipclaims.models import ClaimElement

    # `id` is not named but has a Python-side default, which SQLAlchemy adds to the statement and `Prepared` does
    # not compute: a missing value is an error, never a silent NULL.
    stmt = Prepared(insert(ClaimElement.__table__), ("claim_id", "position", "code", "status", "citation", "detail"))
    with pytest.raises(KeyError):
        stmt.run(session.connection(), {"claim_id": "y", "position": 0, "code": "c", "status": "s", "citation": "c",
                                        "detail": "d"})
    session.rollback()


@pytest.mark.parametrize("rows", [2, 70], ids=["one statement", "beyond one VALUES list"])
def test_a_guarded_send_writes_nothing_when_its_guard_finds_the_row_taken(session: Any, rows: int) -> None:
    """`send_together(..., guarded=True)`: the other parts are written only if the guard inserted its row (on
    PostgreSQL in one statement, conditional INSERT ... SELECT; elsewhere, or past one VALUES list, in turn)."""
    from ipclaims.db import Prepared, insert_or_ignore, send_together
    from ipclaims.models import OutboxMessage
    from ipclaims.notifications.outbox import INSERT

    table = OutboxMessage.__table__
    columns = [c for c in _row(0) if c != "id"] + ["id"]
    guard = Prepared(insert_or_ignore(table, columns, ("dedupe_key",), returning="id"))
    last = Prepared(insert_or_ignore(table, columns, ("dedupe_key",), returning="dedupe_key"))

    def send(tag: str) -> Any:
        parts = [(guard, {**_row(0), "id": f"01GUARD{tag}".ljust(26, "0")}),
                 (INSERT, [{**_row(i), "id": f"01ROW{tag}{i:04d}".ljust(26, "0"), "dedupe_key": f"{tag}-{i}"}
                           for i in range(1, rows + 1)]),
                 (last, {**_row(0), "id": f"01LAST{tag}".ljust(26, "0"), "dedupe_key": f"{tag}-last"})]
        cursor = send_together(session.connection(), parts, returning=2, guarded=True)
        try:
            return cursor.fetchone()
        finally:
            cursor.close()

    assert tuple(send("a")) == ("a-last",)
    assert send("b") is None  # the guard's dedupe_key (k0) is taken: nothing of "b" is written
    count = session.execute(select(table.c.dedupe_key).where(table.c.dedupe_key.like("b-%"))).all()
    assert count == []
    assert len(session.execute(select(table.c.id).where(table.c.dedupe_key.like("a-%"))).all()) == rows + 1
    session.rollback()


@pytest.mark.skipif(not IS_PG, reason="the PostgreSQL pool's checkout check")
def test_dead_pooled_connections_are_replaced_for_intake_and_reads(client: Any, holder: Any) -> None:
    """The request pool checks a connection on checkout: with a ping, or, for intake, with the BEGIN that draws its
    reference number (`db.Opening`). After the server ended every pooled connection, both still answer."""
    from ipclaims.db import get_engine
    from tests.legal.notices import complete_claim

    first = client.post("/api/v1/claims", json=complete_claim("US_DMCA"), headers=holder.headers)
    assert first.status_code == 201, first.text
    references = {first.json()["reference"]}
    for _ in range(2):
        end_pooled_connections(get_engine(), 3)
        answer = client.post("/api/v1/claims", json=complete_claim("US_DMCA"), headers=holder.headers)
        assert answer.status_code == 201, answer.text
        references.add(answer.json()["reference"])
        end_pooled_connections(get_engine(), 3)
        listed = client.get("/api/v1/claims", headers=holder.headers)
        assert listed.status_code == 200, listed.text
    assert len(references) == 3
    assert len(listed.json()["items"]) == 3


@pytest.mark.skipif(not IS_PG, reason="the PostgreSQL pool's checkout check")
def test_an_opening_that_fails_leaves_the_connection_usable(env: dict[str, str]) -> None:
    from sqlalchemy.exc import ProgrammingError

    from ipclaims import db

    engine = db.get_engine()
    token = db._OPENING.set(db.Opening("SELECT no_such_function()"))
    try:
        with pytest.raises(ProgrammingError, match="no_such_function"):  # the error's own class: not a "retry" 503
            engine.connect()
    finally:
        db._OPENING.reset(token)
    token = db._OPENING.set(db.Opening("SELECT 41 + 1"))
    try:
        with engine.connect() as conn:
            assert db.opened("SELECT 41 + 1") == "42"
            assert db.opened("SELECT 41 + 1") is None  # once
            assert conn.execute(text("SELECT count(*) FROM account")).scalar_one() >= 0
            conn.rollback()
    finally:
        db._OPENING.reset(token)
    with engine.connect() as conn:  # no opening: a plain checkout, in no transaction until a statement
        assert conn.execute(text("SELECT 1")).scalar_one() == 1


@pytest.mark.skipif(IS_PG, reason="SQLite WAL")
def test_sqlite_checkpoints_run_in_a_thread_of_their_own(env: dict[str, str]) -> None:
    import os

    from ipclaims import db

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


@pytest.mark.skipif(IS_PG, reason="SQLite writer turns")
def test_the_writer_turn_is_released_after_each_write(client: Any, holder: Any, env: dict[str, str]) -> None:
    import fcntl
    import os

    lock = env["IPCLAIMS_DATABASE_URL"].removeprefix("sqlite:///") + ".writer-lock"
    from tests.legal.notices import complete_claim

    for _ in range(3):
        assert client.post("/api/v1/claims", json=complete_claim("EU_DSA"), headers=holder.headers).status_code == 201
        fd = os.open(lock, os.O_RDWR)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # another process can take its turn now
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


@pytest.mark.skipif(IS_PG, reason="SQLite runs the write unit on the event loop")
def test_an_intake_never_waits_for_a_pooled_connection_on_the_event_loop(client: Any, holder: Any) -> None:
    """With every pooled connection taken (here by the test itself), an intake waits in a thread, not on the event
    loop: other requests are still answered meanwhile, and the intake completes once a connection comes back."""
    from ipclaims.db import SQLITE_POOL, get_engine
    from tests.legal.notices import complete_claim

    assert client.get("/api/v1/me", headers=holder.headers).status_code == 200
    held = [get_engine().connect() for _ in range(sum(SQLITE_POOL))]
    result: dict[str, Any] = {}
    poster = threading.Thread(target=lambda: result.update(
        r=client.post("/api/v1/claims", json=complete_claim("US_DMCA"), headers=holder.headers)))
    poster.start()
    try:
        time.sleep(0.3)  # the intake is waiting for a connection
        started = time.monotonic()
        me = client.get("/api/v1/me", headers=holder.headers)
        elapsed = time.monotonic() - started
    finally:
        for conn in held:
            conn.close()
    poster.join(30)
    assert me.status_code == 200 and elapsed < 2, elapsed
    assert result["r"].status_code == 201, result["r"].text
