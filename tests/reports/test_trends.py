"""The summary's `trends` against the hand-counted data set (tests/reports/seed.py)."""

from __future__ import annotations

import csv
import io
from typing import Any

from sqlalchemy.orm import Session

from ipclaims.reports import service, trends
from ipclaims.reports.repository import Range
from tests.conftest import Actor
from tests.reports.seed import at
from tests.reports.test_reports import EMPTY, RANGE, _summary


def _range(start: str, end: str) -> tuple[Any, Any, Range]:
    return service.date_range(at(start + "T00:00:00").date(), at(end + "T00:00:00").date())


def _sla(source: str, claims: int = 0, acted: int = 0, median: float | None = None, **counts: Any) -> dict[str, Any]:
    base = {"within_sla": 0, "late": 0, "overdue": 0, "open": 0, "within_sla_share": 0.0}
    return {"source": source, "claims": claims, "acted": acted, "median_hours": median, "p90_hours": median} | base | counts


def test_trends_equal_the_hand_count(client: Any, specialist: Actor, data: Any) -> None:
    _seeded, a, b = data
    t = _summary(client, specialist, RANGE)["trends"]
    nw = t["notifiers_weekly"]
    assert nw["weeks"] == ["2026-W45", "2026-W46"]
    # A sent C1 and C2 in week 45, B sent C3 and C4 in week 46; nobody else sent anything.
    by_name = {s["name"]: (s["account_id"], s["claims"], s["total"]) for s in nw["series"]}
    assert by_name == {"Notifier A": (a.id, [2, 0], 2), "Notifier B": (b.id, [0, 2], 2), "others": (None, [0, 0], 0)}
    assert nw["series"][-1]["name"] == "others"
    # First staff action against the SLA due time: C1 notice 2 h (due 48 h), C2 trusted flagger 6 h (due 24 h),
    # C3 partner 10 h (due 6 h: late), C4 press not acted on, due 2026-11-16 12:00: overdue now.
    assert t["first_action_by_source"] == [
        _sla("notice", 1, 1, 2.0, within_sla=1, within_sla_share=1.0),
        _sla("trusted_flagger", 1, 1, 6.0, within_sla=1, within_sla_share=1.0),
        _sla("partner", 1, 1, 10.0, late=1),
        _sla("press", 1, 0, None, overdue=1),
        _sla("authority"),
        _sla("email"),
    ]
    # Acted on: i1 removed, i3 removed, i5 geo-blocked, i6 disabled (i2 no action, i4 and i7 undecided) = 4;
    # one counter-notice (on i1), restored.
    assert t["counter_notices"] == {
        "actioned_items": 4,
        "counter_notices": 1,
        "restored": 1,
        "counter_notice_rate": 0.25,
        "restoration_rate": 1.0,
    }


def test_an_even_count_of_first_actions_takes_the_mean_of_the_middle_two(session: Session, data: Any) -> None:
    # Week 45 only: C1 (notice, 2 h) and C2 (trusted flagger, 6 h); per source n = 1, so merge by hand: the overall
    # figure of the summary is the even case (2, 6 → median 4, p90 at position 1.9 → 2 + 0.9·4 = 5.6).
    start, end, r = _range("2026-11-02", "2026-11-08")
    report = service.summary(session, start, end, r)
    assert report["hours_to_first_action"] == {"median": 4.0, "p90": 5.6, "n": 2}
    rows = {row["source"]: row for row in report["trends"]["first_action_by_source"]}
    assert (rows["notice"]["median_hours"], rows["trusted_flagger"]["median_hours"]) == (2.0, 6.0)
    assert rows["partner"]["claims"] == rows["press"]["claims"] == 0


def test_a_claim_still_within_its_sla_is_open_not_overdue(session: Session, data: Any) -> None:
    _start, _end, r = _range("2026-11-02", "2026-11-15")
    rows = {row["source"]: row for row in trends.first_action_by_source(session, r, now=at("2026-11-16T00:00:00"))}
    assert (rows["press"]["open"], rows["press"]["overdue"], rows["press"]["within_sla_share"]) == (1, 0, 0.0)
    rows = {row["source"]: row for row in trends.first_action_by_source(session, r, now=at("2026-11-16T12:00:00"))}
    assert (rows["press"]["open"], rows["press"]["overdue"]) == (0, 1)


def test_notifiers_beyond_the_top_are_summed_as_others(session: Session, data: Any) -> None:
    _seeded, a, b = data
    start, end, r = _range("2026-11-02", "2026-11-15")
    ranked = [(b.id, "Notifier B"), (a.id, "Notifier A")]
    got = trends.notifiers_weekly(session, r, start, end, ranked, top=1)
    assert [(s["name"], s["claims"]) for s in got["series"]] == [("Notifier B", [0, 2]), ("others", [2, 0])]


def test_an_empty_range_has_zero_trends(client: Any, specialist: Actor, data: Any) -> None:
    t = _summary(client, specialist, EMPTY)["trends"]
    # 2026-12-01 is a Tuesday: its week starts 2026-11-30 (W49); 2026-12-07 is the Monday of W50.
    assert t["notifiers_weekly"]["weeks"] == ["2026-W49", "2026-W50"]
    assert t["notifiers_weekly"]["series"] == [{"account_id": None, "name": "others", "claims": [0, 0], "total": 0}]
    assert t["first_action_by_source"] == [_sla(s) for s in ("notice", "trusted_flagger", "partner", "press", "authority", "email")]
    assert t["counter_notices"] == {
        "actioned_items": 0,
        "counter_notices": 0,
        "restored": 0,
        "counter_notice_rate": 0.0,
        "restoration_rate": 0.0,
    }


def test_trend_tables_as_csv(client: Any, specialist: Actor, data: Any) -> None:
    tables = {}
    for table in ("notifiers_weekly", "first_action_by_source", "counter_notice_rates"):
        r = client.get("/api/v1/reports/summary", params=RANGE | {"format": "csv", "table": table}, headers=specialist.headers)
        assert r.status_code == 200, r.text
        assert r.content.startswith(b"\xef\xbb\xbf")
        tables[table] = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    weekly = {(row["name"], row["week"]): int(row["claims"]) for row in tables["notifiers_weekly"]}
    assert weekly == {
        ("Notifier A", "2026-W45"): 2,
        ("Notifier A", "2026-W46"): 0,
        ("Notifier B", "2026-W45"): 0,
        ("Notifier B", "2026-W46"): 2,
        ("others", "2026-W45"): 0,
        ("others", "2026-W46"): 0,
    }
    partner = next(row for row in tables["first_action_by_source"] if row["source"] == "partner")
    assert (partner["median_hours"], partner["late"], partner["within_sla_share"]) == ("10.0", "1", "0.0")
    press = next(row for row in tables["first_action_by_source"] if row["source"] == "press")
    assert (press["median_hours"], press["overdue"]) == ("", "1")
    assert tables["counter_notice_rates"] == [
        {"actioned_items": "4", "counter_notices": "1", "restored": "1", "counter_notice_rate": "0.25", "restoration_rate": "1.0"}
    ]
