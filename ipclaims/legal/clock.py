"""Restore windows for counter-notices, counted in business (working) days (DOMAIN.md §2).

US_DMCA, 17 U.S.C. § 512(g)(2)(B)–(C): restore not less than 10 and not more than 14 business days after receipt of
the counter-notice. Business days skip weekends and the legal public holidays of 5 U.S.C. § 6103 — `holidays.US()`
with its default (PUBLIC) category, observed days included. Not `categories=GOVERNMENT`: executive-order closures
(24 and 26 December 2025) are not § 6103 holidays and would make the 19 December 2025 example two days late; an admin
adds such a day through `closures` if the platform wants it.

SG_CA2021, Copyright Act 2021 s 322(4)(d): restore not less than 10 and not more than 14 working days after the
restoration notice is served; working days skip weekends and `holidays.SG()` (a Sunday holiday is observed on the
Monday). Always counted on the Singapore calendar date, whatever zone the US designated agent uses.

Both count from the day after receipt/service: the receipt day itself is never day 1.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

SINGAPORE_TZ = "Asia/Singapore"

# A calendar with no business day for a whole year is a configuration error (e.g. a runaway closure import), not a
# reason to loop forever on a request path.
_MAX_CLOSED_RUN = 366

IsBusinessDay = Callable[[date], bool]


@dataclass(frozen=True)
class RestoreWindow:
    earliest: date
    latest: date


# Holiday tables are built once per year and kept as frozensets: a `holidays` object grows itself on lookup, which is
# neither cheap nor safe to share between threads, and these checks run on every counter-notice and worker sweep.
@lru_cache(maxsize=512)
def _us_holidays(year: int) -> frozenset[date]:
    # Observed days are filed under the year they fall in (New Year 2022 → Fri 31 Dec 2021 is in 2021's table).
    return frozenset(d for d in holidays.country_holidays("US", years=year) if d.year == year)


@lru_cache(maxsize=512)
def _sg_holidays(year: int) -> frozenset[date]:
    return frozenset(d for d in holidays.country_holidays("SG", years=year) if d.year == year)


def _calendar(holiday_table: Callable[[int], frozenset[date]], closures: Iterable[date]) -> IsBusinessDay:
    closed = frozenset(c.date() if isinstance(c, datetime) else c for c in closures)

    def is_business_day(day: date) -> bool:
        return day.weekday() < 5 and day not in holiday_table(day.year) and day not in closed

    return is_business_day


def us_business_day(closures: Iterable[date] = ()) -> IsBusinessDay:
    """Mon–Fri, not a 5 U.S.C. § 6103 holiday (as observed), not an ad-hoc closure."""
    return _calendar(_us_holidays, closures)


def sg_business_day(closures: Iterable[date] = ()) -> IsBusinessDay:
    """Mon–Fri, not a Singapore public holiday (as observed), not an ad-hoc closure."""
    return _calendar(_sg_holidays, closures)


def business_days_after(start: date, n: int, is_business_day: IsBusinessDay) -> date:
    """The n-th business day counting from the day after `start` (n ≥ 1); `start` itself never counts."""
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    day, counted, closed_run = start, 0, 0
    while counted < n:
        day += timedelta(days=1)
        if is_business_day(day):
            counted += 1
            closed_run = 0
        else:
            closed_run += 1
            if closed_run > _MAX_CLOSED_RUN:
                raise ValueError(f"no business day in the {_MAX_CLOSED_RUN} days after {day - timedelta(closed_run)}")
    return day


@dataclass(frozen=True)
class _Clock:
    earliest_days: int
    latest_days: int
    calendar: Callable[[Iterable[date]], IsBusinessDay]
    fixed_zone: str | None  # None: the designated agent's zone (us_timezone)


_CLOCKS: dict[str, _Clock] = {
    # 17 U.S.C. § 512(g)(2)(C): "not less than 10, nor more than 14, business days following receipt".
    "US_DMCA": _Clock(10, 14, us_business_day, None),
    # Copyright Act 2021 (SG) s 322(4)(d): not less than 10 and not more than 14 working days after service.
    "SG_CA2021": _Clock(10, 14, sg_business_day, SINGAPORE_TZ),
}


def has_restore_window(regime: str) -> bool:
    return regime in _CLOCKS


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc


def restore_window(
    regime: str,
    received_at: datetime,
    *,
    us_timezone: str = "America/New_York",
    closures: Iterable[date] = (),
) -> RestoreWindow:
    if not isinstance(received_at, datetime):
        raise TypeError(f"received_at must be a datetime, got {type(received_at).__name__}")
    if received_at.tzinfo is None or received_at.utcoffset() is None:
        # A naive time has no calendar date we could defend: the day of receipt depends on the agent's zone.
        raise ValueError("received_at must be timezone-aware")
    clock = _CLOCKS.get(regime)
    if clock is None:
        raise ValueError(f"regime {regime!r} has no statutory restore window")
    local_day = received_at.astimezone(_zone(clock.fixed_zone or us_timezone)).date()
    is_business_day = clock.calendar(closures)
    earliest = business_days_after(local_day, clock.earliest_days, is_business_day)
    latest = business_days_after(earliest, clock.latest_days - clock.earliest_days, is_business_day)
    return RestoreWindow(earliest=earliest, latest=latest)


def clock_zone(regime: str, us_timezone: str) -> str:
    """The zone whose calendar date counts as the day of receipt for `regime`'s clock."""
    clock = _CLOCKS.get(regime)
    if clock is None:
        raise ValueError(f"regime {regime!r} has no statutory restore window")
    return clock.fixed_zone or us_timezone


def restore_day(
    regime: str, received_at: datetime, business_day: int, *, us_timezone: str = "America/New_York", closures: Iterable[date] = ()
) -> date:
    """The `business_day`-th business day after receipt, which must lie inside the statutory window."""
    clock = _CLOCKS.get(regime)
    if clock is None:
        raise ValueError(f"regime {regime!r} has no statutory restore window")
    if not clock.earliest_days <= business_day <= clock.latest_days:
        raise ValueError(f"restoration must fall between business day {clock.earliest_days} and {clock.latest_days}")
    if received_at.tzinfo is None or received_at.utcoffset() is None:
        raise ValueError("received_at must be timezone-aware")
    local_day = received_at.astimezone(_zone(clock_zone(regime, us_timezone))).date()
    return business_days_after(local_day, business_day, clock.calendar(closures))


def reply_zone(regime: str, us_timezone: str) -> str:
    """The zone whose calendar a notifier's reply deadline is stated in: Singapore's for SG_CA2021, else the agent's."""
    return SINGAPORE_TZ if regime == "SG_CA2021" else us_timezone


def reply_deadline(regime: str, requested_at: datetime, days: int, *, us_timezone: str) -> date:
    """The last local day on which a reply to a request for missing information is in time: `days` calendar days after
    the local date of the request. The letter and the mail both state this date, and the worker waits out all of it."""
    if requested_at.tzinfo is None or requested_at.utcoffset() is None:
        raise ValueError("requested_at must be timezone-aware")
    return requested_at.astimezone(_zone(reply_zone(regime, us_timezone))).date() + timedelta(days=days)


def reply_expires_at(regime: str, requested_at: datetime, days: int, *, us_timezone: str) -> datetime:
    """The instant the reply deadline has passed: the start of the local day after it (so the end of the promised
    day), as an aware datetime. A reply at 23:59 local time on the deadline still counts."""
    zone = _zone(reply_zone(regime, us_timezone))
    after = reply_deadline(regime, requested_at, days, us_timezone=us_timezone) + timedelta(days=1)
    return datetime(after.year, after.month, after.day, tzinfo=zone)
