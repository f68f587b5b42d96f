"""From raw bytes to a reading and the claim body intake takes: no database.

`completeness` is the text's reading (each element judged as NOTICES.md reads a notice, with the regime's
citations); `intake_body` is the claim body made of the fields read, which intake then checks its own way.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr
from typing import Any, Protocol

from pydantic import ValidationError

from ipclaims import legal, notices
from ipclaims.claims.schemas import EARLIEST_RECEIPT, ClaimIn
from ipclaims.config import Settings, get_settings
from ipclaims.errors import PayloadTooLarge, Unprocessable
from ipclaims.mailroom import documents
from ipclaims.notices.message import MAX_BYTES, MAX_TEXT_CHARS, TooLong

RFC822 = "message/rfc822"
PLAIN = "text/plain"
# What a notice is kept as: a message, text, or a document the import page read (`documents`).
MEDIA_TYPES = frozenset({RFC822, PLAIN, *documents.BY_MEDIA_TYPE})
KINDS = ("claim", "counter_notice")
# Keys of the claim body a reading may fill; the staff-only ones (`received_at`, `source`, `on_behalf_of`) are set
# by the mailroom itself, never read from a sender's text.
_BODY_KEYS = frozenset(ClaimIn.model_fields) - {"received_at", "source", "on_behalf_of"}
_PRUNE_ROUNDS = 8
NO_LOCATION = "no location of the material was found in the notice"


FILENAME_CHARS = 300  # source_message.filename


def clean_filename(name: str | None) -> str | None:
    """A client's file name as stored: its last path part, without control characters, at most 300 characters."""
    if not name:
        return None
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(c for c in base if c.isprintable()).strip()[:FILENAME_CHARS]
    return base or None


@dataclass(frozen=True)
class Source:
    """A notice as received: its bytes and what the caller said of them (the file name as `clean_filename` keeps it)."""

    raw: bytes
    media_type: str  # RFC822, PLAIN or a document's (`MEDIA_TYPES`)
    filename: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "filename", clean_filename(self.filename))

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()


@dataclass(frozen=True)
class Read:
    source: Source
    message: notices.Message
    reading: notices.Reading
    agent_addresses: frozenset[str] = frozenset()  # `agent_addresses(settings)` when it was read

    @property
    def sender(self) -> str | None:
        """The sender's address, lower-cased; None when the message names none, or only the designated agent's own
        (a message the agent's mailbox sent on: the complainant's email read from the text stands in)."""
        address = address_of(self.message.sender)
        return None if address in self.agent_addresses else address


def agent_addresses(settings: Settings) -> frozenset[str]:
    """The designated agent's own mailboxes: the inbox's (IPCLAIMS_INBOX_ADDRESSES) and the letterhead's
    (IPCLAIMS_AGENT_EMAIL). Where a notice is sent, never how to reach its sender."""
    return settings.inbox_address_set | {a for a in [address_of(settings.agent_email)] if a}


def address_of(value: str | None) -> str | None:
    if not value:
        return None
    _, addr = parseaddr(value)
    addr = addr.strip().lower()
    if "@" not in addr or len(addr) > 320 or any(c.isspace() for c in addr):
        return None
    return addr


def source_of(raw: bytes, filename: str | None = None) -> Source:
    """`.eml` (or bytes with mail headers) is kept as `message/rfc822`, anything else as pasted text."""
    name = (filename or "").lower()
    media = RFC822 if name.endswith(".eml") else PLAIN
    return Source(raw=raw, media_type=media, filename=filename)


def check_options(regime: str | None, kind: str | None) -> None:
    errors = []
    if regime is not None and regime not in legal.REGIMES:
        errors.append({"loc": ["body", "regime"], "msg": f"one of {', '.join(legal.REGIMES)}"})
    if kind is not None and kind not in KINDS:
        errors.append({"loc": ["body", "kind"], "msg": "one of claim, counter_notice"})
    if errors:
        raise Unprocessable("; ".join(f"{e['loc'][-1]}: {e['msg']}" for e in errors), errors=errors)


def read(source: Source, *, regime: str | None = None, kind: str | None = None) -> Read:
    """Parse and read; an unreadable message or text is a 422, one over the reader's bounds a 413 (nothing is stored
    for it by the caller)."""
    check_options(regime, kind)
    settings = get_settings()
    agents = agent_addresses(settings)
    document = documents.BY_MEDIA_TYPE.get(source.media_type)
    try:
        # A document's text is read as pasted text is (`documents`: the reader's own for it; 413/422 said there).
        raw = documents.text(document, source.raw) if document is not None else source.raw
        message = notices.parse_message(raw, as_text=source.media_type == PLAIN or document is not None)
        reading = notices.read_notice(
            message.text,
            regime=regime,
            kind=kind,
            platform_hosts=settings.platform_host_set,
            agent_addresses=agents,
            recipients=message.recipients,
            subject=message.subject,
        )
    except TooLong as exc:  # too large, as everywhere: 413 (CONTRACT.md), naming the limit it is over
        raise PayloadTooLarge(
            f"the notice cannot be read: {exc}; the reader takes at most {MAX_TEXT_CHARS:,} characters of text (and "
            f"{MAX_BYTES:,} bytes), whatever IPCLAIMS_MAX_NOTICE_BYTES allows: split the notice",
            plain=f"The notice is too long to read: {exc}; split it and import each part.",
        ) from None
    except ValueError as exc:  # notices.Unreadable, or a regime without a counter-notice asked for one
        raise Unprocessable(
            f"the notice cannot be read: {exc}", errors=[{"loc": ["body"], "msg": str(exc) or "unreadable"}], plain=_said(str(exc))
        ) from None
    if source.media_type == PLAIN and (message.message_id or message.sender):
        source = Source(source.raw, RFC822, source.filename)  # pasted or saved with its headers: a message
    sender = address_of(message.sender)  # the designated agent's own mailbox is never the uploader's
    reading = _sender_as_subscriber(reading, None if sender in agents else sender)
    return Read(source=source, message=message, reading=reading, agent_addresses=agents)


# The reader's reasons a person may not follow, in a page's words (any other is said as the reader says it).
_PLAIN_REASONS = {
    "the input is binary, not a message or text": "This is not text or an email message",
    "the message is empty": "The notice is empty",
    "the message has no readable text": "No text could be read from it",
}


def _said(reason: str) -> str:
    said = _PLAIN_REASONS.get(reason) or (reason[:1].upper() + reason[1:] if reason else "It cannot be read")
    return said if said.endswith(".") else said + "."


class Reader(Protocol):
    """`read`, or a stand-in for it (`ahead.Ahead.read`: the reading done before the write transaction)."""

    def __call__(self, source: Source, *, regime: str | None = None, kind: str | None = None) -> Read: ...


class ReplyReader(Protocol):
    """`read_reply`, or a stand-in for it (`ahead.Ahead.read_reply`: the reading done before the write transaction)."""

    def __call__(self, source: Source, *, regime: str, letters: Sequence[str]) -> Read: ...


class NoOwnWords(Exception):
    """A reply with no words of its own: it only quotes our letter."""


def read_reply(source: Source, *, regime: str, letters: Sequence[str]) -> Read:
    """A reply to our letters read as a claim under the claim's regime, from the words its sender wrote only
    (`notices.parse_reply`): our letter, quoted in whatever shape a mail client gives it, states nothing of theirs.
    `NoOwnWords` when nothing is left; an unreadable message is a 422 and one over the reader's bounds a 413, as `read`."""
    settings = get_settings()
    agents = agent_addresses(settings)
    try:
        message = notices.parse_reply(source.raw, letters, as_text=source.media_type == PLAIN)
        if not message.text.strip():
            raise NoOwnWords
        reading = notices.read_notice(
            message.text,
            regime=regime,
            kind="claim",
            platform_hosts=settings.platform_host_set,
            agent_addresses=agents,
            recipients=message.recipients,
        )
    except TooLong as exc:
        raise PayloadTooLarge(f"the reply cannot be read: {exc}") from None
    except ValueError as exc:
        raise Unprocessable(f"the reply cannot be read: {exc}", errors=[{"loc": ["body"], "msg": str(exc) or "unreadable"}]) from None
    if source.media_type == PLAIN and (message.message_id or message.sender):
        source = Source(source.raw, RFC822, source.filename)
    return Read(source=source, message=message, reading=reading, agent_addresses=agents)


def text_email(reading: notices.Reading) -> str | None:
    """The email address the text gives for whoever sends it: a claim's complainant, a counter-notice's subscriber
    (as `address_of` reads it)."""
    party = reading.fields.get("complainant" if reading.kind == "claim" else "subscriber")
    email = party.get("email") if isinstance(party, dict) else None
    return address_of(email) if isinstance(email, str) else None


def _sender_as_subscriber(reading: notices.Reading, sender: str | None) -> notices.Reading:
    """A counter-notice's subscriber email is the text's, else the message's sender (for a forwarded notice the
    original's, `Message.sender`): the uploader wrote from it, and § 512(g)(2)(B)'s copy to the notifier and reg 80(4)(c)
    need an address. A claim's complainant email stays the text's: a claim's sender chooses its owner (`service.create`:
    the sender, else `text_email`), and mail that finds no complainant email goes to the owner's, the sender's."""
    if reading.kind != "counter_notice" or sender is None:
        return reading
    subscriber = reading.fields.get("subscriber")
    subscriber = dict(subscriber) if isinstance(subscriber, dict) else {}
    if isinstance(subscriber.get("email"), str) and subscriber["email"].strip():
        return reading
    return replace(reading, fields={**reading.fields, "subscriber": {**subscriber, "email": sender}})


def evidence(reading: notices.Reading) -> dict[str, list[dict[str, Any]]]:
    return {j.code: [{"start": s.start, "end": s.end, "quote": s.quote} for s in j.evidence] for j in reading.judgements}


def intake_report(reading: notices.Reading, settings_hosts: frozenset[str]) -> legal.Completeness:
    """Intake's own check of the fields read (what `POST /api/v1/notices` stores as the claim's completeness)."""
    ctx = legal.CheckContext(platform_hosts=settings_hosts)
    if reading.kind == "counter_notice":
        return legal.check_counter_notice(counter_regime(reading), reading.fields, ctx)
    return legal.check_claim(reading.regime, reading.fields, ctx)


def counter_regime(reading: notices.Reading) -> str:
    regime = legal.counter_notice_regime(reading.regime)
    if regime is None:
        raise Unprocessable(
            f"{reading.regime} has no statutory counter-notice; read the text as a claim or under US_DMCA or SG_CA2021",
            errors=[{"loc": ["body", "kind"], "msg": "no counter-notice in this regime"}],
        )
    return regime


def text_report(reading: notices.Reading, intake: legal.Completeness) -> legal.Completeness:
    """Every element of the regime, in its order and with its citation, as the text's reading judged it."""
    judged = {j.code: j for j in reading.judgements}
    results = []
    for element in intake.elements:
        j = judged.get(element.code)
        status = legal.ElementStatus(j.status) if j is not None else legal.ElementStatus.MISSING
        detail = (j.note if j is not None and j.note else None) or f"{status.value} in the text of the notice"
        results.append(legal.ElementResult(element.code, status, element.citation, detail))
    return legal.judged(
        reading.regime if reading.kind == "claim" else counter_regime(reading), results, counter_notice=reading.kind != "claim"
    )


def completeness_json(report: legal.Completeness) -> dict[str, Any]:
    return {
        "complete": report.complete,
        "curable": report.curable,
        "elements": [{"code": e.code, "status": e.status.value, "citation": e.citation, "detail": e.detail} for e in report.elements],
    }


# A message's `Date` up to this far past now is still its receipt time (a sender's clock may run ahead); staff setting
# the time on the import page get the same bound (`owners.check_received`), so the date shown there is accepted.
DATE_AHEAD = timedelta(days=1)


def received_at(message: notices.Message, now: datetime) -> datetime:
    """The message's `Date`, when it is a plausible receipt time; else when it reached us."""
    date = message.date
    if date is None or date.tzinfo is None:
        return now
    date = date.astimezone(UTC)
    if date < EARLIEST_RECEIPT or date > now + DATE_AHEAD:
        return now
    return date


def _prune(data: Any, loc: tuple[Any, ...]) -> bool:
    """Set the value at `loc` to None (the element then reads absent); False when there is nothing to prune."""
    node = data
    for i, key in enumerate(loc):
        last = i == len(loc) - 1
        if (isinstance(node, dict) and key in node) or (isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node)):
            if last or not isinstance(node[key], dict | list):
                node[key] = None
                return True
            node = node[key]
        else:
            return False
    return False


def intake_body(reading: notices.Reading) -> dict[str, Any]:
    """The claim body for intake made of the fields read: malformed values (a field of the wrong type, an item list
    intake cannot take) read as absent rather than refusing the notice; a notice with no location gets one item
    without a URL, so intake stores it `needs_info` with the location missing."""
    fields = {k: v for k, v in reading.fields.items() if k in _BODY_KEYS}
    kind = fields.get("kind") if fields.get("kind") in ("copyright", "trademark") else None
    fields["kind"] = kind or ("trademark" if reading.regime == "TM_POLICY" else "copyright")
    fields["regime"] = reading.regime
    items = [i for i in fields.get("items") or [] if isinstance(i, dict)]
    fields["items"] = items or [{"url": None, "description": NO_LOCATION}]
    data: dict[str, Any] = json.loads(json.dumps(fields, default=str))
    for _ in range(_PRUNE_ROUNDS):
        try:
            ClaimIn.model_validate_json(json.dumps(data))
            return data
        except ValidationError as exc:
            pruned = [_prune(data, tuple(e["loc"])) for e in exc.errors() if e["loc"] and e["loc"][0] not in ("kind", "regime", "items")]
            item_errors = [e for e in exc.errors() if e["loc"][:1] == ("items",)]
            for e in item_errors:
                if len(e["loc"]) > 2:
                    pruned.append(_prune(data, tuple(e["loc"])))
            if not any(pruned):
                break
    minimal = {"kind": fields["kind"], "regime": reading.regime, "items": [{"url": None, "description": NO_LOCATION}]}
    return minimal
