"""Restore windows in business days: 17 U.S.C. § 512(g)(2)(B)–(C) and Copyright Act 2021 (SG) s 322(4)(d)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipclaims.legal.clock import (
    RestoreWindow,
    business_days_after,
    restore_window,
    sg_business_day,
    us_business_day,
)

NY = ZoneInfo("America/New_York")
SGT = ZoneInfo("Asia/Singapore")


@pytest.mark.parametrize(
    ("regime", "received_at", "earliest", "latest"),
    [
        # DOMAIN.md §2 worked examples.
        ("US_DMCA", datetime(2025, 11, 26, 15, 0, tzinfo=NY), date(2025, 12, 11), date(2025, 12, 17)),
        # Ten calendar days would wrongly give 2025-12-29; Christmas and New Year's Day are skipped.
        ("US_DMCA", datetime(2025, 12, 19, 9, 30, tzinfo=NY), date(2026, 1, 6), date(2026, 1, 12)),
        # Chinese New Year on Tue 17 and Wed 18 February 2026.
        ("SG_CA2021", datetime(2026, 2, 13, 10, 0, tzinfo=SGT), date(2026, 3, 3), date(2026, 3, 9)),
        # National Day falls on Sunday 9 August 2026 and is observed on Monday 10 August.
        ("SG_CA2021", datetime(2026, 8, 5, 10, 0, tzinfo=SGT), date(2026, 8, 20), date(2026, 8, 26)),
    ],
)
def test_worked_examples(regime: str, received_at: datetime, earliest: date, latest: date) -> None:
    assert restore_window(regime, received_at) == RestoreWindow(earliest=earliest, latest=latest)


@pytest.mark.parametrize(
    ("day", "business"),
    [
        (date(2026, 6, 19), False),  # Juneteenth (Friday)
        (date(2026, 7, 3), False),  # Independence Day observed: 4 July 2026 is a Saturday
        (date(2026, 7, 4), False),  # Saturday anyway
        (date(2026, 7, 6), True),
        (date(2021, 12, 31), False),  # New Year's Day 2022 (Saturday) observed in the previous year
        (date(2025, 12, 24), True),  # executive-order closure, not a 5 U.S.C. § 6103 holiday
        (date(2025, 12, 26), True),  # likewise
        (date(2025, 1, 9), True),  # day of mourning: GOVERNMENT category only
        (date(2025, 11, 27), False),  # Thanksgiving
        (date(2026, 10, 12), False),  # Columbus Day
    ],
)
def test_us_business_days(day: date, business: bool) -> None:
    assert us_business_day()(day) is business


@pytest.mark.parametrize(
    ("day", "business"),
    [
        (date(2026, 8, 9), False),  # National Day, Sunday
        (date(2026, 8, 10), False),  # observed Monday
        (date(2026, 2, 17), False),  # Chinese New Year
        (date(2026, 2, 18), False),
        (date(2026, 6, 19), True),  # Juneteenth means nothing in Singapore
        (date(2026, 7, 3), True),
    ],
)
def test_sg_business_days(day: date, business: bool) -> None:
    assert sg_business_day()(day) is business


def test_juneteenth_pushes_the_us_window() -> None:
    # Received Fri 5 June 2026: the tenth business day would be Fri 19 June without Juneteenth.
    window = restore_window("US_DMCA", datetime(2026, 6, 5, 12, tzinfo=NY))
    assert window == RestoreWindow(date(2026, 6, 22), date(2026, 6, 26))


def test_independence_day_observed_pushes_the_us_window() -> None:
    window = restore_window("US_DMCA", datetime(2026, 6, 25, 12, tzinfo=NY))
    assert window == RestoreWindow(date(2026, 7, 10), date(2026, 7, 16))


def test_year_end_crossing() -> None:
    # Christmas 2026 (Fri) and New Year's Day 2027 (Fri) both fall inside the window.
    window = restore_window("US_DMCA", datetime(2026, 12, 18, 12, tzinfo=NY))
    assert window == RestoreWindow(date(2027, 1, 5), date(2027, 1, 11))


def test_receipt_day_is_taken_in_the_agent_time_zone() -> None:
    # 03:30 UTC on 27 November is still 26 November in New York: same window as the worked example.
    received = datetime(2025, 11, 27, 3, 30, tzinfo=UTC)
    assert restore_window("US_DMCA", received) == RestoreWindow(date(2025, 12, 11), date(2025, 12, 17))
    # Wed 4 March 2026, 22:00 in New York is already Thursday in London: an agent there counts one day later.
    late_evening = datetime(2026, 3, 4, 22, 0, tzinfo=NY)
    assert restore_window("US_DMCA", late_evening) == RestoreWindow(date(2026, 3, 18), date(2026, 3, 24))
    assert restore_window("US_DMCA", late_evening, us_timezone="Europe/London") == RestoreWindow(date(2026, 3, 19), date(2026, 3, 25))


def test_singapore_counts_on_the_singapore_date_whatever_the_us_zone() -> None:
    served = datetime(2026, 3, 3, 7, 0, tzinfo=SGT)
    assert served.astimezone(NY).date() == date(2026, 3, 2)
    expected = RestoreWindow(date(2026, 3, 17), date(2026, 3, 23))
    assert restore_window("SG_CA2021", served, us_timezone="America/New_York") == expected
    assert restore_window("SG_CA2021", served, us_timezone="Pacific/Honolulu") == expected
    assert restore_window("SG_CA2021", served.astimezone(NY)) == expected


def test_received_on_a_weekend_counts_from_the_next_business_day() -> None:
    saturday = restore_window("US_DMCA", datetime(2026, 3, 7, 12, tzinfo=NY))
    friday = restore_window("US_DMCA", datetime(2026, 3, 6, 12, tzinfo=NY))
    assert saturday == restore_window("US_DMCA", datetime(2026, 3, 8, 23, 59, tzinfo=NY))
    assert saturday.earliest == date(2026, 3, 20)
    assert friday.earliest == date(2026, 3, 20)  # the receipt day itself never counts


def test_closures_push_both_dates() -> None:
    # Executive-order closures are not § 6103 holidays; an admin may add them on purpose (DOMAIN.md §2).
    received = datetime(2025, 12, 19, 9, 30, tzinfo=NY)
    window = restore_window("US_DMCA", received, closures=[date(2025, 12, 24), date(2025, 12, 26)])
    assert window == RestoreWindow(date(2026, 1, 8), date(2026, 1, 14))
    late = restore_window("US_DMCA", received, closures=(d for d in [date(2026, 1, 9)]))
    assert late == RestoreWindow(date(2026, 1, 6), date(2026, 1, 13))
    sg = restore_window("SG_CA2021", datetime(2026, 8, 5, 10, tzinfo=SGT), closures=[date(2026, 8, 20)])
    assert sg == RestoreWindow(date(2026, 8, 21), date(2026, 8, 27))


def test_closures_on_a_weekend_or_holiday_change_nothing() -> None:
    received = datetime(2025, 11, 26, 15, tzinfo=NY)
    assert restore_window("US_DMCA", received, closures=[date(2025, 11, 29), date(2025, 11, 27)]) == restore_window("US_DMCA", received)


@pytest.mark.parametrize("received_at", [datetime(2026, 1, 5, 12, 0), datetime(2026, 1, 5)])
def test_naive_datetime_is_refused(received_at: datetime) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        restore_window("US_DMCA", received_at)


@pytest.mark.parametrize("regime", ["EU_DSA", "TM_POLICY", "UK_CDPA"])
def test_regime_without_a_statutory_window(regime: str) -> None:
    with pytest.raises(ValueError, match="restore window"):
        restore_window(regime, datetime(2026, 1, 5, tzinfo=NY))


def test_unknown_time_zone() -> None:
    with pytest.raises(ValueError, match="time zone"):
        restore_window("US_DMCA", datetime(2026, 1, 5, tzinfo=NY), us_timezone="Mars/Olympus_Mons")


def test_business_days_after() -> None:
    weekdays = lambda d: d.weekday() < 5  # noqa: E731
    assert business_days_after(date(2026, 1, 9), 1, weekdays) == date(2026, 1, 12)  # Friday → Monday
    assert business_days_after(date(2026, 1, 12), 5, weekdays) == date(2026, 1, 19)
    with pytest.raises(ValueError):
        business_days_after(date(2026, 1, 9), 0, weekdays)
    with pytest.raises(ValueError, match="no business day"):
        business_days_after(date(2026, 1, 9), 1, lambda d: False)


# --- property: the same answer as a plain count over the `holidays` tables ---------------------------------------

US_TABLE = holidays.US()
SG_TABLE = holidays.SG()
ZONES = [
    ZoneInfo(z)
    for z in (
        "UTC",
        "America/New_York",
        "America/Los_Angeles",
        "Pacific/Honolulu",
        "Asia/Singapore",
        "Pacific/Kiritimati",
        "Europe/Berlin",
    )
]


def reference_window(regime: str, received_at: datetime, us_timezone: str, closures: set[date]) -> RestoreWindow:
    if regime == "US_DMCA":
        day = received_at.astimezone(ZoneInfo(us_timezone)).date()
        table = US_TABLE
    else:
        day = received_at.astimezone(ZoneInfo("Asia/Singapore")).date()
        table = SG_TABLE
    counted: list[date] = []
    while len(counted) < 14:
        day += timedelta(days=1)
        if day.weekday() >= 5 or day in table or day in closures:
            continue
        counted.append(day)
    return RestoreWindow(earliest=counted[9], latest=counted[13])


@settings(max_examples=300, database=None, deadline=None)
@given(
    regime=st.sampled_from(["US_DMCA", "SG_CA2021"]),
    received_at=st.datetimes(min_value=datetime(1995, 1, 1), max_value=datetime(2075, 12, 31), timezones=st.sampled_from(ZONES)),
    us_timezone=st.sampled_from(["America/New_York", "America/Chicago", "America/Los_Angeles", "Pacific/Honolulu"]),
    closure_offsets=st.sets(st.integers(min_value=0, max_value=25), max_size=4),
)
def test_matches_a_plain_count(regime: str, received_at: datetime, us_timezone: str, closure_offsets: set[int]) -> None:
    base = received_at.astimezone(SGT).date()
    closures = {base + timedelta(days=n) for n in closure_offsets}
    got = restore_window(regime, received_at, us_timezone=us_timezone, closures=closures)
    assert got == reference_window(regime, received_at, us_timezone, closures)
    assert got.earliest < got.latest
