"""The summary (CONTRACT.md "Reports and exports"): the repository's grouped rows folded into the contract's shape.

Python only touches grouped rows (a few hundred at most), never the claims themselves.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from ipclaims import http, legal
from ipclaims.db import session_scope
from ipclaims.errors import Unprocessable
from ipclaims.models import ClaimKind, ClaimSource, ClaimStatus, ItemOutcome
from ipclaims.reports import ranks, repository, sql, trends
from ipclaims.reports.repository import Range

DEFAULT_DAYS = 30
TABLES = ("claims", "items", "incomplete", "notifiers", "weekly", "notifiers_weekly", "first_action_by_source", "counter_notice_rates")
BOM = "\ufeff"


def date_range(start: date | None, end: date | None, *, today: date | None = None) -> tuple[date, date, Range]:
    """Inclusive UTC dates (default: the last 30 days, today included) and the half-open time range they cover."""
    start, end, begin, stop = http.date_range(start, end, today=today)
    return start, end, Range(begin, stop)


_rate = trends.rate


def summary(session: Session, start: date, end: date, r: Range) -> dict[str, Any]:
    by_regime = dict.fromkeys(legal.REGIMES, 0)
    by_kind = dict.fromkeys((k.value for k in ClaimKind), 0)
    by_status = dict.fromkeys((s.value for s in ClaimStatus), 0)
    by_source = dict.fromkeys((s.value for s in ClaimSource), 0)
    total = 0
    for regime, kind, status, source, n in repository.claim_groups(session, r):
        total += n
        for counts, key in ((by_regime, regime), (by_kind, kind), (by_status, status), (by_source, source)):
            counts[key] = counts.get(key, 0) + n
    outcomes = repository.item_outcomes(session, r)
    by_outcome = {o.value: outcomes.get(o.value, 0) for o in ItemOutcome} | {"undecided": outcomes.get(None, 0)}
    first = ranks.percentiles(session, "first", r).get(ranks.ALL, (None, None, 0))
    decision = ranks.percentiles(session, "decision", r).get(ranks.ALL, (None, None, 0))
    report = {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "claims": {"total": total, "by_regime": by_regime, "by_kind": by_kind, "by_status": by_status, "by_source": by_source},
        "items": {"total": sum(by_outcome.values()), "by_outcome": by_outcome},
        "hours_to_first_action": _hours(first),
        "hours_to_decision": _hours(decision),
        "incomplete": {"share": _rate(repository.incomplete_claims(session, r), total), "by_element": _by_element(session, r, by_regime)},
        "counter_notices": repository.counter_notices(session, r),
        "notifiers": [
            {"account_id": a, "name": n, "claims": c, "items_decided": d, "unfounded_rate": _rate(u, d)}
            for a, n, c, d, u in repository.notifiers(session, r)
        ],
        "weekly": _weekly(session, start, end, r),
    }
    report["trends"] = trends.summary_trends(session, r, start, end, report)
    return report


def _hours(p: sql.Percentiles) -> dict[str, Any]:
    median, p90, n = p
    return {"median": median, "p90": p90, "n": n}


def _by_element(session: Session, r: Range, by_regime: dict[str, int]) -> list[dict[str, Any]]:
    """Every element of every regime (zeros included); `share` of that regime's claims short of it at intake."""
    gaps = {(regime, code, status): n for regime, code, status, n in repository.element_gaps(session, r)}
    rows = []
    for regime in legal.REGIMES:
        for code in legal.element_codes(regime):
            missing, deficient = gaps.get((regime, code, "missing"), 0), gaps.get((regime, code, "deficient"), 0)
            rows.append(
                {
                    "regime": regime,
                    "code": code,
                    "missing": missing,
                    "deficient": deficient,
                    "share": _rate(missing + deficient, by_regime.get(regime, 0)),
                }
            )
    return rows


def _weekly(session: Session, start: date, end: date, r: Range) -> list[dict[str, Any]]:
    received = repository.weekly_received(session, r)
    decided = ranks.percentiles(session, "decided", r)
    rows = []
    for key, label in trends.weeks(start, end):
        median, _p90, n = decided.get(key, (None, None, 0))
        rows.append({"week": label, "received": received.get(key, 0), "decided": n, "median_hours_to_decision": median})
    return rows


def csv_table(session: Session, table: str, start: date, end: date, r: Range) -> Iterator[str]:
    """The table as CSV text chunks, BOM first (Excel reads UTF-8 only with it); claims and items stream row by row."""
    if table not in TABLES:
        raise Unprocessable(
            f"table must be one of {', '.join(TABLES)}", errors=[{"loc": ["query", "table"], "msg": f"one of {', '.join(TABLES)}"}]
        )
    yield BOM
    if table == "claims":
        yield from _csv(repository.CLAIM_CSV, repository.claim_rows(session, r))
    elif table == "items":
        yield from _csv(repository.ITEM_CSV, repository.item_rows(session, r))
    else:
        entries = _entries(summary(session, start, end, r), table)
        columns = tuple(entries[0]) if entries else ()
        yield from _csv(columns, (tuple(e.values()) for e in entries))


def _entries(report: dict[str, Any], table: str) -> list[dict[str, Any]]:
    """One flat row per entry of a summary table (`notifiers_weekly`: one per notifier and week)."""
    if table == "incomplete":
        return list(report["incomplete"]["by_element"])
    if table in ("notifiers", "weekly"):
        return list(report[table])
    t = report["trends"]
    if table == "notifiers_weekly":
        nw = t["notifiers_weekly"]
        return [
            {"week": week, "account_id": s["account_id"] or "", "name": s["name"], "claims": n}
            for s in nw["series"]
            for week, n in zip(nw["weeks"], s["claims"], strict=True)
        ]
    if table == "first_action_by_source":
        return list(t["first_action_by_source"])
    return [t["counter_notices"]]


def csv_stream(table: str, start: date, end: date, r: Range) -> Iterator[str]:
    """`csv_table` on a read session of its own: the body streams after the request's session has ended."""
    with session_scope(write=False) as session:
        yield from csv_table(session, table, start, end, r)


def _csv(columns: tuple[str, ...], rows: Any) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for i, row in enumerate(rows, 1):
        writer.writerow(["" if v is None else v.isoformat() if isinstance(v, datetime) else str(v) for v in row])
        if i % 1000 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def text_table(report: dict[str, Any]) -> str:
    """The summary as a readable table for `ipclaims report`."""
    c = report["claims"]
    lines = [f"Claims received {report['from']} to {report['to']}: {c['total']}"]
    for key in ("by_regime", "by_kind", "by_status", "by_source"):
        lines.append(f"  {key[3:]:<8} " + "  ".join(f"{k}={v}" for k, v in c[key].items()))
    items = report["items"]
    lines.append(f"Items: {items['total']}  " + "  ".join(f"{k}={v}" for k, v in items["by_outcome"].items()))
    for key in ("hours_to_first_action", "hours_to_decision"):
        h = report[key]
        lines.append(f"{key.replace('_', ' ')}: median {_num(h['median'])}  p90 {_num(h['p90'])}  n {h['n']}")
    lines.append(f"Incomplete at intake: {report['incomplete']['share']:.1%}")
    for e in report["incomplete"]["by_element"]:
        if e["missing"] or e["deficient"]:
            lines.append(f"  {e['regime']:<10} {e['code']:<32} missing {e['missing']:>6}  deficient {e['deficient']:>6}  {e['share']:.1%}")
    lines.append("Counter-notices: " + "  ".join(f"{k}={v}" for k, v in report["counter_notices"].items()))
    lines.append(f"{'Notifier':<30} {'claims':>8} {'decided':>8} {'unfounded':>9}")
    for n in report["notifiers"]:
        lines.append(f"{n['name'][:30]:<30} {n['claims']:>8} {n['items_decided']:>8} {n['unfounded_rate']:>9.1%}")
    lines.append(f"{'Week':<10} {'received':>8} {'decided':>8} {'median h':>9}")
    for w in report["weekly"]:
        lines.append(f"{w['week']:<10} {w['received']:>8} {w['decided']:>8} {_num(w['median_hours_to_decision']):>9}")
    return "\n".join(lines)


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"
