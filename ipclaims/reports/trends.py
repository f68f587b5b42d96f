"""Trends the escalation team asks for every week (additive `trends` key of the summary, docs/contract-additions.md).

* notices per notifier per week: the top `TOP_NOTIFIERS` notifiers of the range by claims, the rest as "others";
* time to first action against the SLA, per source (`partner` and `press` escalations apart from plain notices);
* counter-notice and restoration rates of the claims received in the range.

The share of each missing or deficient element by regime is `incomplete.by_element` of the summary itself.
Every figure is one grouped query; Python folds the grouped rows only.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from ipclaims.models import ClaimSource, ItemOutcome, utcnow
from ipclaims.reports import ranks, repository
from ipclaims.reports.repository import Range

TOP_NOTIFIERS = 5
OTHERS = "others"
# An item a counter-notice can answer: one a measure was taken on (a restored item was removed first).
ACTIONED = (ItemOutcome.REMOVED, ItemOutcome.DISABLED, ItemOutcome.GEO_BLOCKED, ItemOutcome.RESTORED)


def rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def weeks(start: date, end: date) -> list[tuple[str, str]]:
    """(Monday as YYYY-MM-DD, ISO week label) of every week the inclusive range touches."""
    out = []
    monday = start - timedelta(days=start.weekday())
    while monday <= end:
        year, week, _ = monday.isocalendar()
        out.append((monday.isoformat(), f"{year}-W{week:02d}"))
        monday += timedelta(days=7)
    return out


def notifiers_weekly(
    session: Session, r: Range, start: date, end: date, ranked: list[tuple[str, str]], top: int = TOP_NOTIFIERS
) -> dict[str, Any]:
    """Claims per week of the range's `top` notifiers (`ranked`: (account_id, name), most claims first) and of all others."""
    leaders = ranked[:top]
    counts = repository.weekly_owners(session, r, [a for a, _ in leaders])
    labels = weeks(start, end)
    series = []
    for account, name in [*leaders, (None, OTHERS)]:
        claims = [counts.get((monday, account), 0) for monday, _ in labels]
        series.append({"account_id": account, "name": name, "claims": claims, "total": sum(claims)})
    return {"top": top, "weeks": [label for _, label in labels], "series": series}


def first_action_by_source(session: Session, r: Range, now: datetime | None = None) -> list[dict[str, Any]]:
    """Per source: hours to first action (median, p90) and how many claims were first acted on within their SLA.

    A claim's SLA is its `due_at` (sla_policy hours for its regime and source, from receipt). `late`: acted on after
    it; `overdue`: not acted on and past it at `now`; `open`: not acted on and still within it.
    """
    now = now or utcnow()
    rows = repository.first_action_sla(session, r)
    pending = repository.unacted(session, r, now)
    hours = ranks.percentiles(session, "first", r, by_source=True)
    out = []
    for source in ClaimSource:
        claims, within, late = rows.get(source.value, (0, 0, 0))
        overdue, still_open = pending.get(source.value, (0, 0))
        median, p90, n = hours.get(source.value, (None, None, 0))
        out.append(
            {
                "source": source.value,
                "claims": claims,
                "acted": n,
                "median_hours": median,
                "p90_hours": p90,
                "within_sla": within,
                "late": late,
                "overdue": overdue,
                "open": still_open,
                # Of the claims whose SLA has run out or that were acted on: the share acted on in time.
                "within_sla_share": rate(within, within + late + overdue),
            }
        )
    return out


def counter_notice_rates(by_outcome: dict[str, int], counters: dict[str, int]) -> dict[str, Any]:
    """Counter-notices per item acted on, and restorations per counter-notice, of the claims received in the range."""
    actioned = sum(by_outcome.get(o.value, 0) for o in ACTIONED)
    return {
        "actioned_items": actioned,
        "counter_notices": counters["received"],
        "restored": counters["restored"],
        "counter_notice_rate": rate(counters["received"], actioned),
        "restoration_rate": rate(counters["restored"], counters["received"]),
    }


def summary_trends(session: Session, r: Range, start: date, end: date, report: dict[str, Any]) -> dict[str, Any]:
    ranked = [(n["account_id"], n["name"]) for n in report["notifiers"]]
    return {
        "notifiers_weekly": notifiers_weekly(session, r, start, end, ranked),
        "first_action_by_source": first_action_by_source(session, r),
        "counter_notices": counter_notice_rates(report["items"]["by_outcome"], report["counter_notices"]),
    }
