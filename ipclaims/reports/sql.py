"""The few expressions PostgreSQL and SQLite spell differently: hours between two times, a week's Monday, and
percentiles (`percentile_cont` on PostgreSQL; on SQLite the same linear interpolation from window functions).

Both percentile paths agree with `percentile_cont`: position 1 + p·(n−1) in the sorted values, interpolated between
its neighbours, so the median of an even count is the mean of the middle two.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Date, Float, Integer, Select, and_, case, cast, func, literal, or_, select, tuple_
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
        query = _sqlite_percentiles(sub)
    return {g: (_float(median), _float(p90), int(n)) for g, median, p90, n in session.execute(query)}


def _rank(p: float, n: Any) -> ColumnElement[Any]:
    """The 1-based rank below `percentile_cont(p)`'s position 1 + p·(n−1) (the floor: positions are ≥ 1)."""
    return cast(literal(1.0) + p * (n - 1), Integer)


def _sqlite_percentiles(sub: Any) -> Select[Any]:
    """`percentile_cont(0.5)` and `(0.9)` per `g`, exactly, without sorting every value.

    Sorting a million values is most of a summary's time on SQLite. Instead: count the values per whole hour
    (`b`, monotonic in `v`), find by running sums which hour holds each rank the two percentiles interpolate between
    (ranks r and r+1 of each), and sort only the values of those few hours to number them.
    """
    bucket = cast(sub.c.v, Integer)  # truncation: non-decreasing in v, so a bucket is an interval of values
    values = select(sub.c.g.label("g"), sub.c.v.label("v"), bucket.label("b")).where(sub.c.v.is_not(None)).cte("vals")
    counts = select(values.c.g, values.c.b, func.count().label("c")).group_by(values.c.g, values.c.b).subquery()
    running = select(
        counts.c.g,
        counts.c.b,
        counts.c.c,
        (func.sum(counts.c.c).over(partition_by=counts.c.g, order_by=counts.c.b) - counts.c.c).label("before"),
        func.sum(counts.c.c).over(partition_by=counts.c.g).label("n"),
    ).cte("running")
    wanted = [_rank(p, running.c.n) + step for p in (0.5, 0.9) for step in (0, 1)]
    needed = (
        select(running.c.g, running.c.b, running.c.before, running.c.n)
        .where(or_(*(and_(rank > running.c.before, rank <= running.c.before + running.c.c) for rank in wanted)))
        .cte("needed")
    )
    # The few values of the needed hours, numbered within their hour: `IN` makes one pass over the values (a join
    # let SQLite scan every value once per needed hour).
    numbered = (
        select(
            values.c.g,
            values.c.b,
            values.c.v,
            func.row_number().over(partition_by=(values.c.g, values.c.b), order_by=values.c.v).label("k"),
        )
        .where(tuple_(values.c.g, values.c.b).in_(select(needed.c.g, needed.c.b)))
        .subquery()
    )
    ranked = (
        select(numbered.c.g, numbered.c.v, needed.c.n, (needed.c.before + numbered.c.k).label("rn"))
        .join(needed, and_(needed.c.g == numbered.c.g, needed.c.b == numbered.c.b))
        .subquery()
    )
    totals = select(running.c.g, func.max(running.c.n).label("n")).group_by(running.c.g).subquery()
    found = (
        select(ranked.c.g, _interpolated(ranked, 0.5).label("p50"), _interpolated(ranked, 0.9).label("p90")).group_by(ranked.c.g).subquery()
    )
    return select(totals.c.g, found.c.p50, found.c.p90, totals.c.n).join(found, found.c.g == totals.c.g)


def _interpolated(ranked: Any, p: float) -> ColumnElement[Any]:
    low = _rank(p, ranked.c.n)
    fraction = literal(1.0) + p * (ranked.c.n - 1) - low
    weight = case((ranked.c.rn == low, 1.0 - fraction), else_=0.0) + case((ranked.c.rn == low + 1, fraction), else_=0.0)
    return func.sum(ranked.c.v * weight)


def _float(value: Any) -> float | None:
    return None if value is None else round(float(value), 4)
