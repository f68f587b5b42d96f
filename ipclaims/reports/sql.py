"""The few expressions PostgreSQL and SQLite spell differently: a week's Monday (hours between two times are
`rollups.hours`, spelt as text as the expression indexes are).

Percentiles are `ranks.percentiles` (from the rollups of migration 0013_rollups, exact on both databases).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Date, cast, func
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

Percentiles = tuple[float | None, float | None, int]  # median, p90, n


def dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def week_start(name: str, at: Any) -> ColumnElement[Any]:
    """The Monday (UTC) of `at`'s ISO week, as a date (PostgreSQL) or `YYYY-MM-DD` text (SQLite)."""
    if name == "postgresql":
        return cast(func.date_trunc("week", func.timezone("UTC", at)), Date)
    # SQLite stores UTC text; 'weekday 0' moves to the next Sunday (or stays), six days back is that week's Monday.
    return func.date(at, "weekday 0", "-6 days")


def rounded(value: Any) -> float | None:
    return None if value is None else round(float(value), 4)
