"""PostgreSQL: a write unit's first query sent with its BEGIN, as the check a pooled connection gets on checkout."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, cast

import psycopg
from sqlalchemy import Engine, event
from sqlalchemy.exc import InvalidatePoolError


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
# A group of units (`db.pggroup`) opens one connection for all of them: their openings are sent together, with one
# BEGIN, each unit reading its own with `opened` (its `_OPENING`, set while it runs).
_GROUP_OPENINGS: ContextVar[list[Opening] | None] = ContextVar("ipclaims_group_openings", default=None)


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
        openings = _pending()
        if openings:
            _open(dbapi_connection, openings, fresh)
            return
        if fresh:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except psycopg.Error as exc:
            if dialect.is_disconnect(cast(Any, exc), dbapi_connection, None):
                raise InvalidatePoolError(str(exc)) from exc  # the pool starts over and checks out a new one
            raise


def _pending() -> list[Opening]:
    group = _GROUP_OPENINGS.get()
    if group is not None:
        return [o for o in group if not o.sent]
    opening = _OPENING.get()
    return [opening] if opening is not None and not opening.sent else []


def _open(dbapi_connection: Any, openings: list[Opening], fresh: bool) -> None:
    """Send BEGIN and the openings in one trip. Several are sent as one row of scalar subqueries, each evaluated once
    (a sequence's `nextval` in each gives each unit a value of its own), so an opening must be a query of one
    value."""
    pgconn = dbapi_connection.pgconn
    query = openings[0].sql if len(openings) == 1 else "SELECT " + ", ".join(f"({o.sql})" for o in openings)
    try:
        result = pgconn.exec_(f"BEGIN; {query}".encode())  # the simple protocol: two statements, one trip
    except psycopg.Error as exc:
        result, error, sqlstate = None, str(exc), None
    else:
        error = (result.error_message or b"").decode(errors="replace").strip()
        sqlstate = result.error_field(psycopg.pq.DiagnosticField.SQLSTATE)
    if result is not None and result.status == psycopg.pq.ExecStatus.TUPLES_OK:
        for column, opening in enumerate(openings):
            raw = result.get_value(0, column) if result.ntuples else None
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
