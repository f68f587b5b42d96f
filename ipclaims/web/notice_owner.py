"""The import page's owner and receipt time: whose claim the notice makes and when it counts as received.

The mailroom takes both by itself (`mailroom.owners`: the sender's verified rights holder or notifier account; the
message's `Date`). Here a specialist sees what it would take and may set either instead: the owner among the active
rights-holder accounts, found by name or email; the time as the message's `Date` shows it, in its own zone. What is
typed is parsed here; whether it may be taken is `owners`' to say (`rights_holder`, `check_received`), here for the
field's error and again by `service.create` in the transaction that makes the claim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from ipclaims.config import get_settings
from ipclaims.errors import AppError
from ipclaims.mailroom import owners, reading, service
from ipclaims.models import Account

_OFFSET = re.compile(r"^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)
_SHOWN = "%Y-%m-%dT%H:%M:%S"  # a datetime-local input's value, seconds kept


@dataclass(frozen=True)
class Choice:
    """What the owner and receipt inputs hold: as typed, or as the mailroom would take them (`as_read`)."""

    owner_id: str = ""  # "": the mailroom's own choice
    search: str = ""
    received: str = ""  # the datetime-local value; "": the message's Date (or the time the claim is made)
    zone: str = ""


def _text(form: FormData, name: str, limit: int = 200) -> str:
    value = form.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""


def typed(form: FormData) -> Choice:
    return Choice(
        owner_id=_text(form, "owner_id", 64),
        search=_text(form, "owner_search"),
        received=_text(form, "received_at", 40),
        zone=_text(form, "received_zone", 64),
    )


def _offset(date: datetime) -> str:
    offset = date.utcoffset() or timedelta(0)
    if not offset:
        return "UTC"
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def as_read(read: reading.Read, platform_zone: str, now: datetime) -> Choice:
    """The inputs as the mailroom would fill them: no owner chosen, the message's `Date` in its own zone (none when
    the message has no plausible one: the claim then takes the time it is made, in the platform's zone)."""
    date = read.message.date
    if date is None or date.tzinfo is None or reading.received_at(read.message, now) == now:
        return Choice(zone=platform_zone)
    return Choice(received=date.strftime(_SHOWN), zone=_offset(date))


def _zone(text: str) -> tzinfo:
    """A zone as typed: UTC, an offset (+08:00, -0500, UTC+8) or a place name (Asia/Singapore)."""
    if text.upper() in ("UTC", "Z", "GMT"):
        return UTC
    if m := _OFFSET.match(text):
        minutes = int(m.group(2)) * 60 + int(m.group(3) or 0)
        if minutes > 14 * 60 or int(m.group(3) or 0) >= 60:
            raise ValueError(text)
        return timezone(timedelta(minutes=-minutes if m.group(1) == "-" else minutes))
    return ZoneInfo(text)  # ValueError (or its subclass ZoneInfoNotFoundError) for anything else


class Invalid(ValueError):
    """What is wrong with one input (`field`), in words for the page."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def received(choice: Choice, platform_zone: str) -> datetime:
    """The typed receipt time with its zone (the platform's when none is typed)."""
    try:
        value = datetime.fromisoformat(choice.received)
    except ValueError:
        raise Invalid("received_at", "Give the date and time received, for example 2026-12-02T14:05.") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone_of(choice.zone or platform_zone))
    return value


def zone_of(zone: str) -> tzinfo:
    """A typed zone, or the field's error."""
    try:
        return _zone(zone)
    except (ValueError, KeyError, OSError):  # ZoneInfo: unknown name, a folder of zones, a bad key
        said = f"Unknown zone “{zone}”: give UTC, an offset such as +08:00, or a place such as Asia/Singapore."
        raise Invalid("received_zone", said) from None


def _said(exc: AppError) -> str:
    """A refusal of `owners` as a field's error: its words after the field's name."""
    words = exc.detail.split(": ", 1)[-1]
    return words[:1].upper() + words[1:] + "."


def _label(account: Account) -> str:
    return f"{account.name} <{account.email}>" if account.email else account.name


@dataclass
class Checked:
    """The choice as the claim takes it (None: the mailroom's own) and each input's error."""

    owner_id: str | None
    received_at: datetime | None
    errors: dict[str, str]


def check(session: Session, choice: Choice, platform_zone: str, now: datetime) -> Checked:
    """The typed choice checked as `service.create` will check it."""
    errors: dict[str, str] = {}
    owner_id = choice.owner_id or None
    if owner_id is not None:
        try:
            owners.rights_holder(session, owner_id)
        except AppError as exc:
            errors["owner_id"] = _said(exc)
    when = None
    if choice.received:
        try:
            when = owners.check_received(received(choice, platform_zone), now)
        except Invalid as exc:
            errors[exc.field] = str(exc)
        except AppError as exc:
            errors["received_at"] = _said(exc)
    elif choice.zone:  # a zone typed without a time is still one the field takes, or its error
        try:
            zone_of(choice.zone)
        except Invalid as exc:
            errors[exc.field] = str(exc)
    return Checked(owner_id, when, errors)


def context(session: Session, read: reading.Read, choice: Choice, *, search: bool, now: datetime) -> dict[str, Any]:
    """The page's owner and receipt inputs: the mailroom's own owner as the first option, the accounts a search
    found (and the chosen one, found or not), and the message's `Date` as it says it."""
    default = owners.default_owner(session, service.sender_of(read), doubt=service.sender_doubt(read, None, get_settings()))
    if default.account is not None:
        why = "the sender's verified domain" if default.verified else "the sender's notifier account"
        as_read_label = f"{_label(default.account)} ({why})"
    elif default.sender:
        as_read_label = f"a new notifier account for {default.sender}"
    else:
        as_read_label = "a new notifier account for messages with no sender address"
    if default.doubt is not None:  # a verified domain the From names, not vouched for: staff may still choose it
        as_read_label += f"; not the verified rights holder: {default.doubt.reason}"
    found = owners.find_rights_holders(session, choice.search) if search else []
    options = [("", f"As read: {as_read_label}")]
    chosen = session.get(Account, choice.owner_id) if choice.owner_id else None
    for account in ([chosen] if chosen is not None else []) + found:
        if account.id not in {v for v, _ in options}:
            options.append((account.id, _label(account)))
    date = read.message.date
    return {
        "owner": {
            "value": choice.owner_id,
            "search": choice.search,
            "options": options,
            "found": len(found) if search else None,
            "default_id": default.account.id if default.account is not None else "",
            # the owner's address, where mail goes when the sender's details give none (a placeholder made for the
            # sender has the sender's)
            "email": chosen.email if chosen is not None else default.account.email if default.account is not None else default.sender,
        },
        "receipt": {
            "value": choice.received,
            "zone": choice.zone,
            "message_date": date.strftime("%a, %d %b %Y %H:%M:%S %z") if date is not None and date.tzinfo is not None else None,
            "message_utc": date.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if date is not None and date.tzinfo is not None else None,
            "plausible": date is not None and date.tzinfo is not None and reading.received_at(read.message, now) != now,
        },
    }
