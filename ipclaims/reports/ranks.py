"""Exact percentiles of the summary's durations from the per-hour counts of `report_hours` (migration 0013_rollups).

`percentile_cont(p)` interpolates between the values of ranks ⌊1 + p·(n−1)⌋ and the next one of the sorted values
(so the median of an even count is the mean of the middle two). The rollup's counts per hour bucket
(`rollups.bucket_hours`) give `n` and the bucket holding each of those ranks; only the values of those buckets are
read, in order, from the expression index on the duration itself, and numbered within their bucket. A 365-day
summary so reads the year's rollup rows and the values of a few buckets instead of every claim and item of the year.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Float, String, and_, cast, func, literal, literal_column, select, type_coerce
from sqlalchemy.orm import Session

from ipclaims.errors import ServiceBusy
from ipclaims.models import Claim, ClaimItem
from ipclaims.reports import rollups, sql
from ipclaims.reports.repository import Range

PS = (0.5, 0.9)
ALL = 1  # the key of a measure not split into groups


def percentiles(session: Session, measure: str, r: Range, *, by_source: bool = False) -> dict[Any, sql.Percentiles]:
    """Median, p90 and count per group: `first` (hours to first action; by source if asked), `decision` (hours to
    decision of the items received in the range) or `decided` (the same of the items decided in it, by week)."""
    name = sql.dialect(session)
    histograms = _histograms(session, name, measure, r, by_source)
    # rank -> (bucket, rank within the bucket), per group
    wanted: dict[Any, dict[int, tuple[int, int]]] = {}
    for key, buckets in histograms.items():
        n = sum(c for _b, c in buckets)
        ranks = sorted({low + step for p in PS for low in (_low(p, n),) for step in (0, 1) if low + step <= n})
        located: dict[int, tuple[int, int]] = {}
        before = 0
        for b, c in buckets:
            for rank in ranks:
                if before < rank <= before + c:
                    located[rank] = (b, rank - before)
            before += c
        wanted[key] = located
    by_bucket: dict[int, set[int]] = defaultdict(set)
    for located in wanted.values():
        for b, k in located.values():
            by_bucket[b].add(k)
    values: dict[tuple[Any, int, int], float] = {}
    for b, ks in sorted(by_bucket.items()):
        for key, v, k in session.execute(_values(name, measure, r, by_source, b, sorted(ks))):
            values[(_key(key, measure, by_source), b, int(k))] = float(v)
    out: dict[Any, sql.Percentiles] = {}
    for key, located in wanted.items():
        n = sum(c for _b, c in histograms[key])
        if any((key, b, k) not in values for b, k in located.values()):
            # the hour counts promise a value the claims do not hold: the rollups were bypassed (triggers dropped by a
            # table rebuild, rows written with triggers off); a wrong median is worse than none
            raise ServiceBusy(
                "the report rollups are out of step with the claims: an administrator runs `ipclaims report --rebuild-rollups`",
                headers={"Retry-After": "3600"},
            )
        at = {rank: values[(key, b, k)] for rank, (b, k) in located.items()}
        out[key] = (_interpolate(at, 0.5, n), _interpolate(at, 0.9, n), n)
    return out


def _low(p: float, n: int) -> int:
    return int(1.0 + p * (n - 1))


def _interpolate(at: dict[int, float], p: float, n: int) -> float | None:
    """`percentile_cont`'s interpolation (PostgreSQL's: low + (high − low)·fraction)."""
    low = _low(p, n)
    fraction = 1.0 + p * (n - 1) - low
    lo = at[low]
    hi = at.get(low + 1, lo)
    return sql.rounded(lo + (hi - lo) * fraction)


def _key(value: Any, measure: str, by_source: bool) -> Any:
    return str(value) if measure == "decided" or by_source else ALL


def _histograms(session: Session, name: str, measure: str, r: Range, by_source: bool) -> dict[Any, list[tuple[int, int]]]:
    t = rollups.report_hours
    where = and_(t.c.measure == measure, t.c.day >= r.start.date(), t.c.day < r.end.date())
    if measure == "decided":
        group: Any = rollups.week_of_day(name, t.c.day)
    elif by_source:
        group = t.c.grp
    else:
        group = None
    columns = ([group] if group is not None else []) + [t.c.bucket]
    query = select(*columns, func.sum(t.c.n)).where(where).group_by(*columns).having(func.sum(t.c.n) > 0).order_by(*columns)
    out: dict[Any, list[tuple[int, int]]] = defaultdict(list)
    for row in session.execute(query):
        key = _key(row[0], measure, by_source) if group is not None else ALL
        out[key].append((int(row[-2]), int(row[-1])))
    return dict(out)


def _values(name: str, measure: str, r: Range, by_source: bool, b: int, ks: list[int]) -> Any:
    """The values of bucket `b` in the range, numbered per group in order; only those numbered `ks`."""
    low, high = rollups.bucket_hours(b)
    if measure == "first":
        table: Any = Claim.__table__
        v = literal_column(rollups.hours(name, "claim.first_action_at", "claim.received_at"), Float)
        received = _not_indexed(name, Claim.received_at)
        in_range = and_(received >= r.start, received < r.end)
        acted = Claim.first_action_at.is_not(None)  # the index is partial: said in words, for both planners
        group: Any = cast(Claim.source, String) if by_source else None
    else:
        table = ClaimItem.__table__
        v = literal_column(rollups.hours(name, "claim_item.decided_at", "claim_item.received_at"), Float)
        at = _not_indexed(name, ClaimItem.decided_at if measure == "decided" else ClaimItem.received_at)
        in_range = and_(at >= r.start, at < r.end)
        acted = ClaimItem.decided_at.is_not(None)
        group = sql.week_start(name, ClaimItem.decided_at) if measure == "decided" else None
    number = func.row_number().over(partition_by=group, order_by=v) if group is not None else func.row_number().over(order_by=v)
    inner = (
        select((group if group is not None else literal(ALL)).label("g"), v.label("v"), number.label("k"))
        .select_from(table)
        .where(v >= low, v < high, acted, in_range)
        .subquery()
    )
    return select(inner.c.g, inner.c.v, inner.c.k).where(inner.c.k.in_(ks))


def _not_indexed(name: str, column: Any) -> Any:
    """`column` as a term no index serves (SQLite's unary `+`), so SQLite seeks the duration's expression index by the
    bucket instead of range-scanning a receipt index over a long range and computing every row's duration."""
    if name != "sqlite":
        return column
    return type_coerce(literal_column(f"+{column.table.name}.{column.name}"), column.type)
