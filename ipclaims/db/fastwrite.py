"""The fast write path: DML compiled once per dialect and run on the DBAPI cursor; INSERTs batched into one
multi-row VALUES statement, and several tables' INSERTs into one statement of data-modifying CTEs (PostgreSQL)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from operator import itemgetter
from typing import Any, cast

import psycopg
from sqlalchemy import Connection, DateTime, Executable, Table, TextClause, bindparam, text
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.types import TypeEngine


def insert_or_ignore(table: Table, columns: Sequence[str], conflict: Sequence[str], *, returning: str | None = None) -> TextClause:
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
_INSERT = re.compile(r"^(INSERT INTO .*? )VALUES (\(.*\))((?: ON CONFLICT \([^)]*\) DO NOTHING)?(?: RETURNING [^()]*)?)$", re.DOTALL)
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
    # For a statement returning typed columns (`text(...).columns(...)`): each column's result processor, or None.
    results: tuple[Callable[[Any], Any] | None, ...] = ()


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
            processors = tuple(
                (i, _remembered(proc, c.binds[name].type, dialect))
                for i, name in enumerate(names)
                if (proc := c.binds[name].type.dialect_impl(dialect).bind_processor(dialect)) is not None
            )
            getter = itemgetter(*names) if names else (lambda row: ())
            values = getter if len(names) != 1 else (lambda row: (getter(row),))
            split = _INSERT.match(sql)
            results = tuple(col[3].dialect_impl(dialect).result_processor(dialect, None) for col in getattr(c, "_result_columns", ()))
            compiled = self._compiled[dialect.name] = _Compiled(
                sql,
                values,
                processors,
                dialect.loaded_dbapi.Error,
                split.group(1) if split else None,
                split.group(2) if split else None,
                split.group(3) if split else "",
                results,
            )
        return compiled

    @staticmethod
    def _params(c: _Compiled, row: Mapping[str, Any]) -> list[Any]:
        values = list(c.values(row))
        for i, proc in c.processors:
            values[i] = proc(values[i])
        return values

    def render(
        self, dialect: Dialect, values: Mapping[str, Any] | Sequence[Mapping[str, Any]], *, only_if: str | None = None
    ) -> tuple[str, Any, bool]:
        """(SQL, positional parameters, executemany?) for one row (a mapping) or several (a sequence).

        `only_if` names a CTE (PostgreSQL, `send_together`): the rows are inserted only if it returned a row,
        ``INSERT INTO t (...) SELECT * FROM (VALUES ...) AS v WHERE EXISTS (SELECT FROM <only_if>)``.
        """
        c = self._for(dialect)
        rows = [values] if type(values) is dict or isinstance(values, Mapping) else values  # a dict without the ABC check
        if c.head is None or c.group is None or len(rows) > MULTI_ROW_MAX:
            if only_if is not None:
                raise ValueError(f"cannot make this statement conditional: {c.sql[:80]}")
            if len(rows) == 1:
                return c.sql, self._params(c, rows[0]), False
            return c.sql, [self._params(c, row) for row in rows], True
        params = [value for row in rows for value in self._params(c, row)]
        if only_if is None:
            return (c.sql if len(rows) == 1 else f"{c.head}VALUES {', '.join([c.group] * len(rows))}{c.tail}"), params, False
        return (
            f"{c.head}SELECT * FROM (VALUES {', '.join([c.group] * len(rows))}) AS v WHERE EXISTS (SELECT FROM {only_if}){c.tail}",
            params,
            False,
        )

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

    def rows(self, conn: Connection, values: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """Run once and return every row, each value through its column type's result processor (a SELECT)."""
        results = self._for(conn.dialect).results
        cursor = self.send(conn, values)
        try:
            fetched = cursor.fetchall()
        finally:
            cursor.close()
        if not any(results):
            return [tuple(row) for row in fetched]
        return [tuple(v if proc is None else proc(v) for v, proc in zip(row, results, strict=True)) for row in fetched]

    def run(self, conn: Connection, values: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> int:
        """Run and return the number of rows affected."""
        cursor = self.send(conn, values)
        try:
            return int(cursor.rowcount)
        finally:
            cursor.close()


# Timestamps bound through their column type, remembered: an intake binds the same two instants (its time and the
# claim's receipt time) into some thirty timestamp columns, and each conversion is a handful of Python calls (the
# type decorator's UTC check and conversion, then the dialect's own formatting). The key is the column type's kind
# and the value with its tzinfo (equal instants in different zones are different keys), so a remembered result is
# exactly what the processor returned for an identical value. Bounded: cleared whenever it grows past _SEEN_MAX.
_SEEN: dict[tuple[Any, datetime, Any], Any] = {}
_SEEN_MAX = 256


def _remembered(proc: Callable[[Any], Any], type_: TypeEngine[Any], dialect: Dialect) -> Callable[[Any], Any]:
    if type_._type_affinity is not DateTime:
        return proc
    impl = getattr(type_, "impl", None)
    kind = (type(type_), getattr(type_, "timezone", None), getattr(impl, "timezone", None), dialect.name)

    def process(value: Any) -> Any:
        if type(value) is not datetime:
            return proc(value)
        key = (kind, value, value.tzinfo)
        try:
            return _SEEN[key]
        except KeyError:
            pass
        result = proc(value)
        if len(_SEEN) >= _SEEN_MAX:
            _SEEN.clear()
        _SEEN[key] = result
        return result

    return process


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


def send_together(
    conn: Connection,
    parts: Sequence[tuple[Prepared, Mapping[str, Any] | Sequence[Mapping[str, Any]]]],
    *,
    returning: int,
    guarded: bool = False,
) -> Any:
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
            rendered = [
                part.render(conn.dialect, values, only_if="p0" if guarded and i else None) for i, (part, values) in enumerate(parts)
            ]
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
    return _execute(conn, f"WITH {ctes} SELECT * FROM p{returning}", [value for _, params, _ in rendered for value in params])
