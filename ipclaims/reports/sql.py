"""The few expressions PostgreSQL and SQLite spell differently: hours between two times, a week's Monday, and
percentiles (`percentile_cont` on PostgreSQL; on SQLite the same linear interpolation from window functions).

Both percentile paths agree with `percentile_cont`: position 1 + p·(n−1) in the sorted values, interpolated between
its neighbours, so the median of an even count is the mean of the middle two.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Date, Float, Integer, Select, case, cast, func, literal, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

Percentiles = tuple[float | None, float | None, int]  # median, p90, n


def dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def hours_between(name: str, later: Any, earlier: Any) -> ColumnElement[Any]:
    if name == "postgresql":
        return cast(func.extract("epoch", later - earlier), Float) / 3600.0
    return (func.julianday(later) - func.julianday(earlier)) * 24.0


def week_start(name: str, at: Any) -> ColumnElement[Any]:
    """The Monday (UTC) of `at`'s ISO week, as a date (PostgreSQL) or `YYYY-MM-DD` text (SQLite)."""
    if name == "postgresql":
        return cast(func.date_trunc("week", func.timezone("UTC", at)), Date)
    # SQLite stores UTC text; 'weekday 0' moves to the next Sunday (or stays), six days back is that week's Monday.
    return func.date(at, "weekday 0", "-6 days")


def percentiles(session: Session, values: Select[Any]) -> dict[Any, Percentiles]:
    """Median, p90 and count of `v` per `g`, for a select of two labelled columns `g` and `v` (NULL `v` skipped)."""
    name = dialect(session)
    sub = values.subquery()
    present = sub.c.v.is_not(None)
    if name == "postgresql":
        query = (
            select(
                sub.c.g,
                func.percentile_cont(0.5).within_group(sub.c.v),
                func.percentile_cont(0.9).within_group(sub.c.v),
                func.count(sub.c.v),
            )
            .where(present)
            .group_by(sub.c.g)
        )
    else:
        ranked = (
            select(
                sub.c.g,
                sub.c.v,
                func.row_number().over(partition_by=sub.c.g, order_by=sub.c.v).label("rn"),
                func.count().over(partition_by=sub.c.g).label("n"),
            )
            .where(present)
            .subquery()
        )
        query = select(ranked.c.g, _interpolated(ranked, 0.5), _interpolated(ranked, 0.9), func.max(ranked.c.n)).group_by(ranked.c.g)
    return {g: (_float(median), _float(p90), int(n)) for g, median, p90, n in session.execute(query)}


def _interpolated(ranked: Any, p: float) -> ColumnElement[Any]:
    position = literal(1.0) + p * (ranked.c.n - 1)
    low = cast(position, Integer)  # floor: positions are ≥ 1
    fraction = position - low
    weight = case((ranked.c.rn == low, 1.0 - fraction), else_=0.0) + case((ranked.c.rn == low + 1, fraction), else_=0.0)
    return func.sum(ranked.c.v * weight)


def _float(value: Any) -> float | None:
    return None if value is None else round(float(value), 4)
