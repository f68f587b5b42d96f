"""The notice a message carries — itself, or the message it forwards — by which a forward of a notice that made a
claim is that claim (docs/contract-additions.md "Duplicates").

The agent's mailbox gets a notice and a colleague forwards it too, attached as it came (`message/rfc822`) or inline
under a "Forwarded message" line with its headers, in either order; or two colleagues forward it. Other bytes,
another Message-ID and sender than the notice's, so `arrival.copy_of` sees another message; but the reader reads a
forward as the notice it carries (`notices.message`: an attached message first, else an inline block), with the
notice's sender, date and text.

Each message that makes a claim keeps `key_of` its notice (`source_message.notice_key`: the notice's sender and the
words of its text as read), so a message read later that carries a notice of that key finds it by one indexed look-up
within `RESEND_WINDOW`, whichever came first. It is the same notice (`same`) when one of the two is a forward and:
both are a notice's own bytes (the message itself, or the attached message) with the same Message-ID and content
(`arrival.content_of`), as a relay's copy is; or one is an inline forward, whose block shows no Message-ID and whose
date must be the notice's to the minute — as read, or off by just the notice's own UTC offset less the forward's
`Date` offset (the block's date, shown without a zone, is read in the forward's zone, `dates.forwarded_date`, though
its client may have printed it in the notice's). So a forwarder who reuses nothing of the notice, or a notice sent
again under another Message-ID or at another time (two hours later, forwarded inline, is not "another zone"), is a
notice of its own. Never a forward the notice's own sender sent inline (a follow-up over its first notice), nor one
whose note above the forwarded notice says something of its own (`forwards.says_its_own`: a URL, a statement), nor
an attached forward the notice's sender sent under such a note: each may be a notice of its own, and a second claim
is never a lost one.
"""

from __future__ import annotations

import email
import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import Message

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from ipclaims import notices
from ipclaims.mailroom import reading, screen
from ipclaims.mailroom.arrival import RESEND_WINDOW, content_of, words_of
from ipclaims.mailroom.reading import Read, address_of
from ipclaims.models import SourceMessage, utcnow
from ipclaims.notices.charsets import decode_text
from ipclaims.notices.dates import parse_date
from ipclaims.notices.forwards import above_inline_forward, says_its_own
from ipclaims.notices.message import MAX_DEPTH, body_text, checked, header_text, unix_newlines

CANDIDATES = 10  # stored messages of one key read, newest first: the same sender's same text within the window
_ATTACHED = re.compile(rb"message/rfc822", re.IGNORECASE)
_MINUTE = timedelta(minutes=1)


@dataclass(frozen=True)
class Carried:
    """The notice a message carries. `forwarded`: it is another message's (attached or inline). `message_id`,
    `content`: those of the notice's own bytes (the message, or the attached one); None for an inline forward.
    `zone`: an inline forward's own `Date` offset (UTC without one). `own`: a forward that may say something of its
    own (the module's rule), never the same notice as another."""

    key: str
    forwarded: bool
    message_id: str | None
    content: bytes | None
    date: datetime | None
    zone: timedelta = timedelta(0)
    own: bool = False


@dataclass(frozen=True)
class Found:
    """A stored message that made a claim and carries the same notice, with what each carries."""

    row: SourceMessage
    mine: Carried
    theirs: Carried


def key_of(message: notices.Message) -> str | None:
    """The notice's sender and the words of its text as read (whitespace aside); None when it names no sender."""
    sender = address_of(message.sender)
    if sender is None:
        return None
    return hashlib.sha256(sender.encode() + b"\0" + words_of(message.text.encode("utf-8", "surrogatepass"))).hexdigest()


def carried(raw: bytes, message: notices.Message, *, as_text: bool = False) -> Carried | None:
    """What notice `raw`, read as `message` (`as_text`: read as plain text), carries; None when it names no sender."""
    key, sender = key_of(message), address_of(message.sender)
    if key is None or sender is None:
        return None
    own_sender, _, message_id = screen.headers_of(raw, None)
    inner = _attached(raw, sender)
    if inner is not None:
        own = own_sender == sender and says_its_own(_note(raw, as_text, inline=False))
        return Carried(key, True, screen.headers_of(inner, None)[2], content_of(inner), message.date, own=own)
    date = _date(raw)
    if own_sender == sender and message.date == date:
        return Carried(key, False, message_id, content_of(raw), message.date)
    # an inline forward: the block's sender or date
    own = own_sender == sender or says_its_own(_note(raw, as_text, inline=True))
    zone = (date.utcoffset() if date is not None else None) or timedelta(0)
    return Carried(key, True, None, None, message.date, zone, own)


def same(mine: Carried, theirs: Carried) -> bool:
    """Of one key, whether two messages carry one notice (the module's rule)."""
    if not (mine.forwarded or theirs.forwarded):
        return False  # two messages that forward nothing: `arrival.copy_of` alone judges them
    if mine.own or theirs.own:
        return False
    if mine.content is not None and theirs.content is not None:
        return mine.message_id is not None and mine.message_id == theirs.message_id and mine.content == theirs.content
    if mine.content is None and theirs.content is None:
        return _off_by(mine.date, theirs.date, timedelta(0))  # two inline forwards: neither shows the notice's zone
    inline, notice = (mine, theirs) if mine.content is None else (theirs, mine)
    zone = notice.date.utcoffset() if notice.date is not None else None
    return _off_by(inline.date, notice.date, timedelta(0)) or _off_by(inline.date, notice.date, (zone or timedelta(0)) - inline.zone)


def claimed(session: Session, read: Read, *, exclude: str | None = None, lock: bool = False) -> Found | None:
    """The newest message stored within `RESEND_WINDOW` that made a claim and carries the notice `read` carries, when
    one of the two is a forward; of the newest `CANDIDATES` of its key only (each is read again: its attachments too).
    `lock`: on PostgreSQL a transaction-scoped advisory lock on the key makes a concurrent check of the same notice
    wait for this transaction, and then find its claim (SQLite's writers take turns)."""
    key = key_of(read.message)
    if key is None:
        return None
    if lock and session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": f"notice-key:{key}"})
    query = select(SourceMessage).where(
        SourceMessage.notice_key == key,
        SourceMessage.claim_id.is_not(None),
        SourceMessage.created_at > utcnow() - RESEND_WINDOW,
    )
    if exclude is not None:
        query = query.where(SourceMessage.id != exclude)
    rows = list(session.scalars(query.order_by(SourceMessage.created_at.desc(), SourceMessage.id.desc()).limit(CANDIDATES)))
    as_text = read.source.media_type == reading.PLAIN
    mine = carried(read.source.raw, read.message, as_text=as_text) if rows else None  # read only when a row has its key
    if mine is None:
        return None
    for row in rows:
        theirs = _stored(row)
        if theirs is not None and theirs.key == key and same(mine, theirs):
            return Found(row, mine, theirs)
    return None


def _stored(row: SourceMessage) -> Carried | None:
    try:
        message = notices.parse_message(row.raw, as_text=row.media_type == reading.PLAIN)
    except notices.Unreadable:
        return None
    return carried(row.raw, message, as_text=row.media_type == reading.PLAIN)


def _note(raw: bytes, as_text: bool, *, inline: bool) -> str:
    """The text of a forward of its own, as the reader takes it: above its inline block (`inline`), else its body
    (without the attached message). Empty when unreadable."""
    try:
        data, email_like = checked(raw, as_text)
        subject = None
        if email_like:
            msg = email.message_from_bytes(data, policy=policy.default)
            text, subject = body_text(msg)[0], header_text(msg, "Subject")
        else:
            text = unix_newlines(decode_text(data))
        return (above_inline_forward(text, subject) or "") if inline else text
    except Exception:  # hostile bytes the reader got through: no note
        return ""


def _attached(raw: bytes, sender: str) -> bytes | None:
    """The bytes of the attached message the reader took for the notice: of the message's own `message/rfc822`
    parts (not those in an attached message), the one whose `From` is the notice's sender."""
    if not _ATTACHED.search(raw):
        return None
    try:
        found: list[Message] = []
        todo: list[tuple[Message, int]] = [(email.message_from_bytes(raw, policy=policy.default), 0)]
        while todo:
            part, depth = todo.pop()
            if depth > MAX_DEPTH:
                return None
            payload = part.get_payload()
            if not isinstance(payload, list):
                continue
            if part.get_content_type() == "message/rfc822":
                found.extend(m for m in payload[:1] if isinstance(m, Message))
            else:
                todo.extend((p, depth + 1) for p in payload if isinstance(p, Message))
        mine = [m for m in found if address_of(str(m.get("From") or "")) == sender]
        return mine[0].as_bytes() if len(mine) == 1 else None
    except Exception:  # hostile bytes the reader got through: no attached notice to compare
        return None


def _date(raw: bytes) -> datetime | None:
    parsed = screen.headers(raw)
    try:
        value = parsed.get("Date") if parsed is not None else None
        return parse_date(str(value).strip()) if value is not None else None
    except Exception:  # an undecodable Date: none
        return None


def _off_by(a: datetime | None, b: datetime | None, offset: timedelta) -> bool:
    """Whether `a` is `offset` after `b`, to the minute (a date without a zone is UTC)."""
    if a is None or b is None:
        return False
    return abs(a.replace(tzinfo=a.tzinfo or UTC) - b.replace(tzinfo=b.tzinfo or UTC) - offset) <= _MINUTE
