"""Claim references, IPC-YYYY-NNNNNN: unique across concurrent intakes, numbered from 1 in each year; a rolled-back
intake leaves a gap, never a duplicate. One implementation per database (`numbering`).

* SQLite serialises writers, so the year's counter row is bumped in the intake's own transaction (a refused intake
  uses no number): `CounterNumbering`.
* On PostgreSQL that row stayed locked until the intake committed, queueing every intake behind the one before
  it; a bump committed on a connection of its own was a second transaction per claim. So there the number is
  `nextval` of one sequence (never locked, never rolled back) minus the year's base, read once per process and
  year: `SequenceNumbering`. Every process subtracts the same base, and the sequence never gives a value twice,
  so the year's numbers never repeat; a value at or below the base (drawn before the year's base was set) is not
  used, so they start at 1. The intake's write unit draws the value with its BEGIN (`DRAWN_WITH_BEGIN`, sent as
  the route's `db.Opening`), saving a round trip.
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import Engine, Integer, bindparam, text
from sqlalchemy.orm import Session

from ipclaims.db import Prepared, autocommit_engine, on_dispose, opened, run_reconnecting
from ipclaims.models import ClaimReferenceCounter

_COUNTER = ClaimReferenceCounter.__tablename__
_SEQUENCE = "claim_reference_seq"  # PostgreSQL (migration 0007)

# The query a PostgreSQL intake sends with BEGIN (`Transaction.run(..., opening=)`): the next number, drawn before
# the unit knows it needs one. Ignored on SQLite.
DRAWN_WITH_BEGIN = f"SELECT nextval('{_SEQUENCE}')"


def _format(year: int, number: int) -> str:
    return f"IPC-{year}-{number:06d}"


class Numbering(Protocol):
    def next_reference(self, session: Session, year: int) -> str: ...


class CounterNumbering:
    """One counter row per year, bumped in the intake's transaction (SQLite: writers are serial already)."""

    _BUMP = Prepared(
        text(
            f"INSERT INTO {_COUNTER} (year, last_value) VALUES (:year, 1) "
            f"ON CONFLICT (year) DO UPDATE SET last_value = {_COUNTER}.last_value + 1 RETURNING last_value"
        ).bindparams(bindparam("year", type_=Integer()))
    )

    def next_reference(self, session: Session, year: int) -> str:
        return _format(year, int(self._BUMP.scalar(session.connection(), {"year": year})))


class SequenceNumbering:
    """`nextval` of one sequence minus the year's base (PostgreSQL)."""

    # The year's base: the sequence's last value when the year's first claim is numbered (a year counted before
    # the sequence existed keeps its base, set by the migration; one with no base yet resumes above its
    # `last_value`). Committed durably, whatever the connection's setting (`db.autocommit_engine` commits
    # asynchronously): a base lost in a crash after processes had read it would let a later process set another
    # one, numbering the year twice.
    _BASE = Prepared(
        text(
            "WITH durable AS (SELECT set_config('synchronous_commit', 'on', true)) "
            f"INSERT INTO {_COUNTER} (year, last_value, sequence_base) "
            f"SELECT :year, 0, CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM {_SEQUENCE}, durable "
            f"ON CONFLICT (year) DO UPDATE SET sequence_base = "
            f"coalesce({_COUNTER}.sequence_base, EXCLUDED.sequence_base - {_COUNTER}.last_value) RETURNING sequence_base"
        ).bindparams(bindparam("year", type_=Integer()))
    )
    _NEXTVAL = Prepared(text(DRAWN_WITH_BEGIN))

    def __init__(self) -> None:
        self.bases: dict[tuple[Engine, int], int] = {}  # (database, year) → sequence_base: once set, it never changes
        on_dispose(self.bases.clear)

    def base(self, engine: Engine, year: int) -> int:
        key = (engine, year)
        base = self.bases.get(key)
        if base is None:
            # No pre-ping: a dropped connection is retried (the statement is idempotent once the base is set).
            base = self.bases[key] = run_reconnecting(
                autocommit_engine(engine, ping=False), lambda c: int(self._BASE.scalar(c, {"year": year}))
            )
        return base

    def next_reference(self, session: Session, year: int) -> str:
        conn = session.connection()
        base = self.base(conn.engine, year)
        drawn = opened(DRAWN_WITH_BEGIN)  # the number drawn with BEGIN, if the unit was opened with it
        value = int(drawn) if drawn is not None and int(drawn) > base else int(self._NEXTVAL.scalar(conn, {}))
        return _format(year, value - base)


COUNTER = CounterNumbering()
SEQUENCE = SequenceNumbering()


def numbering(session: Session) -> Numbering:
    return SEQUENCE if session.get_bind().dialect.name == "postgresql" else COUNTER


def next_reference(session: Session, year: int) -> str:
    return numbering(session).next_reference(session, year)
