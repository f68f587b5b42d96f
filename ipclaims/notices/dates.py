"""A message's date as a mail header or a mail client's forwarded block shows it.

A `Date:` header is RFC 5322 (`Mon, 2 Nov 2026 17:40:00 +0000`). A forwarded block shows the original's date the way
its client prints it: Gmail `Mon, Nov 2, 2026 at 12:00 PM`, Outlook `Sent: Monday, November 2, 2026 12:00 PM`, Apple
Mail `2 November 2026 at 12:00:00 CET`, German and French clients with their own month names. Those show no zone: the
date comes back naive and the caller places it (`placed`). `email.utils.parsedate_to_datetime` alone is not enough: it
refuses the Gmail shape and reads `1:05 PM` as 01:05, so it only sees strings with no AM/PM.
"""

from __future__ import annotations

import email.utils
import re
from datetime import UTC, datetime, timedelta, timezone

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            "january jan januar janv janvier",
            "february feb februar fév févr février",
            "march mar märz mär maerz mars",
            "april apr avr avril",
            "may mai",
            "june jun juni juin",
            "july jul juli juil juillet",
            "august aug août aout",
            "september sep sept septembre",
            "october oct oktober okt octobre",
            "november nov novembre",
            "december dec dezember dez décembre déc",
        ],
        start=1,
    )
    for name in names.split()
}
# The zone abbreviations RFC 5322 §4.3 names, and the usual European ones; any other word is no zone (naive).
_NAMED_ZONES = {
    "ut": 0,
    "utc": 0,
    "gmt": 0,
    "z": 0,
    "est": -5,
    "edt": -4,
    "cst": -6,
    "cdt": -5,
    "mst": -7,
    "mdt": -6,
    "pst": -8,
    "pdt": -7,
    "wet": 0,
    "west": 1,
    "bst": 1,
    "cet": 1,
    "cest": 2,
    "mez": 1,
    "mesz": 2,
    "eet": 2,
    "eest": 3,
}
_TIME = r"(?P<hour>\d{1,2})[:h.](?P<minute>\d{2})(?::(?P<second>\d{2}))?(?:\s*(?P<ampm>[ap])\.?\s?m\.?)?(?:\s*uhr)?"
_ZONE = r"(?:\s*(?P<zone>[+-]\d{2}:?\d{2}|(?:gmt|utc|ut)\s*[+-]\d{1,2}(?::?\d{2})?|[a-z]{1,5}))?(?:\s*\([^)]*\))?"
_LEAD = r"^(?:[^\W\d_]+\.?,?\s+)?"  # the weekday in any language: "Mon,", "Monday,", "Mo.,", "lun."
_AT = r",?\s+(?:at\s+|um\s+|à\s+|a\s+las\s+)?"
_MONTH_FIRST = re.compile(rf"{_LEAD}(?P<month>[^\W\d_]+)\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}}){_AT}{_TIME}{_ZONE}$")
_DAY_FIRST = re.compile(rf"{_LEAD}(?P<day>\d{{1,2}})(?:er|\.)?\s+(?P<month>[^\W\d_]+)\.?,?\s+(?P<year>\d{{4}}){_AT}{_TIME}{_ZONE}$")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}[t ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?$")
_SPACES = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
# A forwarded message sent after the forward that carries it is a misreading, not a date (the zone guessed for a
# naive date is off by hours at most).
_FORWARD_SLACK = timedelta(days=1)


def parse_date(value: str | None) -> datetime | None:
    """The date a header or a forwarded block shows; naive when it shows no zone; None when it is no date."""
    if not value:
        return None
    text = _SPACES.sub(" ", value).strip().lower()
    if len(text) > 120:
        return None
    for pattern in (_MONTH_FIRST, _DAY_FIRST):
        match = pattern.match(text)
        if match:
            return _from_parts(match)
    if _ISO.match(text):
        try:
            return datetime.fromisoformat(text.upper().replace(" ", "T"))
        except ValueError:
            return None
    if re.search(r"\d\s*[ap]\.?\s?m\b", text):  # parsedate would drop the AM/PM
        return None
    try:
        date = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    # RFC 5322 §3.3: "-0000" is UTC from a system that does not know its own zone.
    return date.replace(tzinfo=UTC) if date.tzinfo is None and "-0000" in value else date


def _from_parts(match: re.Match[str]) -> datetime | None:
    month = _MONTHS.get(match["month"])
    if month is None:
        return None
    hour, minute, second = int(match["hour"]), int(match["minute"]), int(match["second"] or 0)
    if match["ampm"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["ampm"] == "p" else 0)
    try:
        date = datetime(int(match["year"]), month, int(match["day"]), hour, minute, second)
    except ValueError:
        return None
    zone = _zone(match["zone"])
    return date.replace(tzinfo=zone) if zone is not None else date


def _zone(text: str | None) -> timezone | None:
    if not text:
        return None
    if text in _NAMED_ZONES:
        return timezone(timedelta(hours=_NAMED_ZONES[text]))
    offset = re.fullmatch(r"(?:gmt|utc|ut)?\s*([+-])(\d{1,2}):?(\d{2})?", text)
    if offset is None:
        return None
    hours, minutes = int(offset[2]), int(offset[3] or 0)
    if hours > 14 or minutes > 59:
        return None
    sign = -1 if offset[1] == "-" else 1
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def forwarded_date(original: datetime | None, forward: datetime | None) -> datetime | None:
    """The date of a forwarded notice (attached or inline): the original's, placed in the forward's zone when it
    shows none (a client prints the original's date in its user's zone, which the forward's own `Date` carries, else
    UTC); the forward's own date when the original shows none or one after the forward was sent."""
    if original is None:
        return forward
    if original.tzinfo is None:
        zone = forward.tzinfo if forward is not None and forward.tzinfo is not None else UTC
        original = original.replace(tzinfo=zone)
    if forward is not None and forward.tzinfo is not None and original > forward + _FORWARD_SLACK:
        return forward
    return original
