"""`db.fastwrite`: statements run on the DBAPI cursor store exactly what SQLAlchemy stores, and the rewriter turns
INSERTs into one multi-row VALUES list, a conditional INSERT ... SELECT, or one statement of CTEs (PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import JSON, Column, Integer, MetaData, String, Table, create_engine, insert, select, text, update
from sqlalchemy.engine import Dialect

from ipclaims.db import MULTI_ROW_MAX, Prepared, fastwrite, insert_or_ignore, send_together
from ipclaims.models import OutboxMessage
from tests.conftest import IS_PG

OUTBOX = OutboxMessage.__table__
COLUMNS = (
    "id",
    "dedupe_key",
    "claim_id",
    "kind",
    "to_addr",
    "subject",
    "body",
    "status",
    "attempts",
    "next_attempt_at",
    "lease_until",
    "sent_at",
    "last_error",
    "created_at",
)
INSERT = Prepared(insert_or_ignore(OUTBOX, COLUMNS, ("dedupe_key",)))  # as the outbox writes its mail


def _row(i: int) -> dict[str, Any]:
    now = datetime(2026, 3, 4, 5, 6, 7, 890_123, tzinfo=UTC)
    return {
        "id": f"01TESTROW{i:017d}",
        "claim_id": None,
        "kind": "acknowledgment",
        "dedupe_key": f"k{i}",
        "to_addr": "a@b.example",
        "subject": "Ünïcödé ' \" %s %(x)s",
        "body": "b\nc",
        "status": "pending",
        "attempts": i,
        "next_attempt_at": now,
        "lease_until": None,
        "sent_at": now,
        "last_error": None,
        "created_at": now,
    }


# --- against the database ---------------------------------------------------------------------------------------


def test_prepared_statements_store_what_core_stores(session: Any) -> None:
    """The same rows through `Prepared` (one, several as one VALUES list, many) and through a Core insert."""
    conn = session.connection()
    INSERT.run(conn, _row(0))
    INSERT.run(conn, [_row(1), _row(2)])
    INSERT.run(conn, [_row(i) for i in range(3, 3 + MULTI_ROW_MAX + 2)])  # beyond one VALUES list
    core = [{**_row(i), "id": f"01CORE{i:020d}", "dedupe_key": f"c{i}"} for i in range(3 + MULTI_ROW_MAX + 2)]
    conn.execute(insert(OUTBOX), core)
    ours = conn.execute(select(OUTBOX).where(OUTBOX.c.id.like("01TESTROW%")).order_by(OUTBOX.c.attempts)).all()
    theirs = conn.execute(select(OUTBOX).where(OUTBOX.c.id.like("01CORE%")).order_by(OUTBOX.c.attempts)).all()
    assert len(ours) == len(theirs) == len(core)
    strip = lambda row: {k: v for k, v in row._mapping.items() if k not in ("id", "dedupe_key")}  # noqa: E731
    assert [strip(r) for r in ours] == [strip(r) for r in theirs]
    if not IS_PG:  # the stored text itself, not only what reads back
        raw = "SELECT next_attempt_at, sent_at, typeof(lease_until) FROM outbox_message WHERE id LIKE :p ORDER BY attempts"
        assert conn.execute(text(raw), {"p": "01TESTROW%"}).all() == conn.execute(text(raw), {"p": "01CORE%"}).all()


def test_foreign_keys_are_checked(session: Any) -> None:
    from sqlalchemy.exc import IntegrityError

    from ipclaims.models import ClaimElement

    element = Prepared(insert(ClaimElement.__table__), ("id", "claim_id", "position", "code", "status", "citation", "detail"))
    with pytest.raises(IntegrityError):
        element.run(
            session.connection(),
            {"id": "x", "claim_id": "no such claim", "position": 0, "code": "c", "status": "present", "citation": "c", "detail": "d"},
        )
    session.rollback()


def test_database_errors_are_sqlalchemy_errors(session: Any) -> None:
    from sqlalchemy.exc import IntegrityError

    from ipclaims.models import Account

    stmt = Prepared(insert(Account.__table__), ("id", "name", "role", "email", "trusted_flagger", "active", "created_at"))
    row = {
        "id": "01DUPLICATE0000000000000000"[:26],
        "name": "n",
        "role": "admin",
        "email": None,
        "trusted_flagger": False,
        "active": True,
        "created_at": datetime.now(UTC),
    }
    stmt.run(session.connection(), row)
    with pytest.raises(IntegrityError):
        stmt.run(session.connection(), row)
    session.rollback()


def test_every_column_a_statement_names_needs_a_value(session: Any) -> None:
    from ipclaims.models import ClaimElement

    # `id` is not named but has a Python-side default, which SQLAlchemy adds to the statement and `Prepared` does
    # not compute: a missing value is an error, never a silent NULL.
    stmt = Prepared(insert(ClaimElement.__table__), ("claim_id", "position", "code", "status", "citation", "detail"))
    with pytest.raises(KeyError):
        stmt.run(session.connection(), {"claim_id": "y", "position": 0, "code": "c", "status": "s", "citation": "c", "detail": "d"})
    session.rollback()


@pytest.mark.parametrize("rows", [2, 70], ids=["one statement", "beyond one VALUES list"])
def test_a_guarded_send_writes_nothing_when_its_guard_finds_the_row_taken(session: Any, rows: int) -> None:
    """`send_together(..., guarded=True)`: the other parts are written only if the guard inserted its row (on
    PostgreSQL in one statement, conditional INSERT ... SELECT; elsewhere, or past one VALUES list, in turn)."""
    columns = [c for c in _row(0) if c != "id"] + ["id"]
    guard = Prepared(insert_or_ignore(OUTBOX, columns, ("dedupe_key",), returning="id"))
    last = Prepared(insert_or_ignore(OUTBOX, columns, ("dedupe_key",), returning="dedupe_key"))

    def send(tag: str) -> Any:
        parts = [
            (guard, {**_row(0), "id": f"01GUARD{tag}".ljust(26, "0")}),
            (INSERT, [{**_row(i), "id": f"01ROW{tag}{i:04d}".ljust(26, "0"), "dedupe_key": f"{tag}-{i}"} for i in range(1, rows + 1)]),
            (last, {**_row(0), "id": f"01LAST{tag}".ljust(26, "0"), "dedupe_key": f"{tag}-last"}),
        ]
        cursor = send_together(session.connection(), parts, returning=2, guarded=True)
        try:
            return cursor.fetchone()
        finally:
            cursor.close()

    assert tuple(send("a")) == ("a-last",)
    assert send("b") is None  # the guard's dedupe_key (k0) is taken: nothing of "b" is written
    count = session.execute(select(OUTBOX.c.dedupe_key).where(OUTBOX.c.dedupe_key.like("b-%"))).all()
    assert count == []
    assert len(session.execute(select(OUTBOX.c.id).where(OUTBOX.c.dedupe_key.like("a-%"))).all()) == rows + 1
    session.rollback()


# --- the rewriter, on statements alone (no database) ---------------------------------------------------------------

THING = Table("thing", MetaData(), Column("id", String(10), primary_key=True), Column("n", Integer), Column("doc", JSON))
ROW = {"id": "a", "n": 1, "doc": {"k": [1]}}


def _dialect(url: str) -> Dialect:
    return create_engine(url).dialect  # no connection is made


SQLITE = _dialect("sqlite://")
POSTGRES = _dialect("postgresql+psycopg://nobody@localhost/none")
IGNORE = 'INSERT INTO "thing" ("id", "n", "doc") '
ON_CONFLICT = ' ON CONFLICT ("id") DO NOTHING RETURNING "id"'
GROUP = "(%s::VARCHAR, %s::INTEGER, %s::JSON)"  # psycopg's placeholders, positional, with SQLAlchemy's casts


def _insert_or_ignore() -> Prepared:
    return Prepared(insert_or_ignore(THING, ("id", "n", "doc"), ("id",), returning="id"))


def test_one_row_is_the_statement_as_compiled_with_its_values_through_the_column_types() -> None:
    sql, params, many = _insert_or_ignore().render(POSTGRES, ROW)
    assert (sql, many) == (f"{IGNORE}VALUES {GROUP}{ON_CONFLICT}", False)  # pyformat names made positional
    assert params[:2] == ["a", 1] and params[2].obj == {"k": [1]}  # JSON wrapped for psycopg as a Core insert would
    sql, params, many = _insert_or_ignore().render(SQLITE, ROW)
    assert (sql, params, many) == (f"{IGNORE}VALUES (?, ?, ?){ON_CONFLICT}", ["a", 1, '{"k": [1]}'], False)


def test_several_rows_are_one_values_list_in_row_order() -> None:
    rows = [ROW, {"id": "b", "n": 2, "doc": None}]
    sql, params, many = _insert_or_ignore().render(POSTGRES, rows)
    assert sql == f"{IGNORE}VALUES {GROUP}, {GROUP}{ON_CONFLICT}"
    assert [p if i % 3 != 2 else p.obj for i, p in enumerate(params)] == ["a", 1, {"k": [1]}, "b", 2, None]
    assert many is False
    sql, params, _ = _insert_or_ignore().render(SQLITE, rows)
    assert (sql, params) == (f"{IGNORE}VALUES (?, ?, ?), (?, ?, ?){ON_CONFLICT}", ["a", 1, '{"k": [1]}', "b", 2, "null"])


def test_more_rows_than_one_values_list_takes_go_through_executemany() -> None:
    rows = [{"id": str(i), "n": i, "doc": None} for i in range(MULTI_ROW_MAX + 1)]
    sql, params, many = _insert_or_ignore().render(POSTGRES, rows)
    assert (sql, many) == (f"{IGNORE}VALUES {GROUP}{ON_CONFLICT}", True)
    assert params[0][:2] == ["0", 0] and len(params) == MULTI_ROW_MAX + 1
    with pytest.raises(ValueError, match="cannot make this statement conditional"):
        _insert_or_ignore().render(POSTGRES, rows, only_if="p0")


def test_a_conditional_insert_selects_its_rows_only_if_the_named_cte_returned_one() -> None:
    sql, params, many = _insert_or_ignore().render(POSTGRES, [ROW, ROW], only_if="p0")
    assert sql == f"{IGNORE}SELECT * FROM (VALUES {GROUP}, {GROUP}) AS v WHERE EXISTS (SELECT FROM p0){ON_CONFLICT}"
    assert len(params) == 6 and many is False


def test_a_statement_that_is_not_a_plain_insert_is_run_as_compiled() -> None:
    stmt = Prepared(update(THING).where(THING.c.id == THING.c.id).values(n=1), ("n",))
    sql, params, many = stmt.render(POSTGRES, [{"n": 1}, {"n": 2}])
    assert sql.startswith("UPDATE thing SET n=%s") and (params, many) == ([[1], [2]], True)
    with pytest.raises(ValueError):
        stmt.render(POSTGRES, {"n": 1}, only_if="p0")


def test_placeholders_are_numbered_for_a_raw_psycopg_cursor() -> None:
    assert fastwrite._numbered("SELECT %s, '100%%', %s") == "SELECT $1, '100%', $2"


class _Cursor:
    def __init__(self, row: Any) -> None:
        self.row, self.closed = row, False

    def fetchone(self) -> Any:
        return self.row

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Any, bool]]:
    """What `send_together` hands the cursor, statement by statement (the guard finds its row free)."""
    log: list[tuple[str, Any, bool]] = []

    def execute(_conn: Any, sql: str, params: Any, many: bool = False) -> _Cursor:
        log.append((sql, params, many))
        return _Cursor(("row",))

    monkeypatch.setattr(fastwrite, "_execute", execute)
    return log


def test_postgresql_sends_the_inserts_as_one_statement_of_ctes(sent: list[tuple[str, Any, bool]]) -> None:
    first = Prepared(insert(THING), ("id", "n", "doc"))
    parts = [(_insert_or_ignore(), ROW), (first, [ROW, ROW])]
    send_together(SimpleNamespace(dialect=POSTGRES), parts, returning=1, guarded=True)  # type: ignore[arg-type]
    [(sql, params, many)] = sent
    assert sql == (
        f"WITH p0 AS ({IGNORE}VALUES {GROUP}{ON_CONFLICT}), "
        f"p1 AS (INSERT INTO thing (id, n, doc) SELECT * FROM (VALUES {GROUP}, {GROUP}) AS v "
        "WHERE EXISTS (SELECT FROM p0)) SELECT * FROM p1"
    )
    assert len(params) == 9 and many is False


def test_elsewhere_or_past_one_values_list_the_inserts_run_in_turn(sent: list[tuple[str, Any, bool]]) -> None:
    first = Prepared(insert(THING), ("id", "n", "doc"))
    parts = [(_insert_or_ignore(), ROW), (first, [ROW] * (MULTI_ROW_MAX + 1))]
    cursor = send_together(SimpleNamespace(dialect=POSTGRES), parts, returning=1)  # type: ignore[arg-type]
    assert [many for _, _, many in sent] == [False, True] and not sent[0][0].startswith("WITH")
    assert cursor.row == ("row",)
    sent.clear()
    send_together(SimpleNamespace(dialect=SQLITE), [parts[0], (first, ROW)], returning=0)  # type: ignore[arg-type]
    assert [sql.split(" (")[0] for sql, _, _ in sent] == ['INSERT INTO "thing"', "INSERT INTO thing"]


def test_the_guard_cannot_be_the_result() -> None:
    with pytest.raises(ValueError, match="guard"):
        send_together(SimpleNamespace(dialect=POSTGRES), [], returning=0, guarded=True)  # type: ignore[arg-type]
