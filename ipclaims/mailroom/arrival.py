"""What an arriving message is, asked in this order before it is read as a notice (the inbox's sweep, a staff
retry, `ipclaims notices import`):

1. automatic mail no one may answer (`screen.automatic`: bounces, reports, out-of-office, list mail) — kept
   `failed`, no claim, nothing sent; skipped when a person decides (a staff retry);
2. a copy of a stored message that became a claim: the same Message-ID, sender and content within `RESEND_WINDOW` (a
   relay that sent it twice, with its own `Received:` lines; the same mail exported twice) — that claim, no second;
3. an answer to one of our letters (`replies`): linked to its claim when its notifier wrote it, else kept `failed`
   (for a person: a new notice, as it was before);
4. otherwise a notice, read — unless it carries a notice that made a claim and one of the two is a forward of it (a
   colleague's forward of a notice the inbox got, the notice after its forward: `forwarded`), which is that claim as
   a copy is (skipped when a person decides); or unless the reader finds nothing of a notice in it (`no_notice`: spam,
   whose claim's letters would go to whoever sent it) — kept `failed`, no claim, nothing sent; skipped when a person
   decides.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ipclaims import notices
from ipclaims.config import Settings
from ipclaims.mailroom import replies, screen
from ipclaims.mailroom.reading import Read
from ipclaims.models import SourceMessage, SourceStatus, utcnow
from ipclaims.notices.mailhead import HEADER_BYTES

RESEND_WINDOW = timedelta(days=7)  # how long a copy is taken for the message stored before it (bytes or Message-ID)
# The header block as the email package reads one (`email.feedparser.headerRE`): lines of a field name and its colon,
# their folded continuations, an mbox `From ` line; it ends at the first other line, an empty one taken with it. Looked
# for in the first `HEADER_BYTES`, as the inbox reads a message's headers (`screen.headers`).
_HEADER_BLOCK = re.compile(rb"(?:(?:From |[\x21-\x39\x3b-\x7e]*:|[\t ])[^\n]*(?:\n|\Z))*(?:\r?\n)?")
_SPACE = re.compile(rb"\s")
_CHUNK = 64 * 1024


def content_of(raw: bytes) -> bytes:
    """A digest of what the message says, which a relay leaves as it is: the words of its body after the header block.
    The headers are left out (a relay adds its `Received:` lines, a mail client its own fields), and so is whitespace:
    CRLF or bare LF line ends (a copy exported or pasted), spaces at line ends and empty lines at the end (which DKIM's
    relaxed canonicalization ignores too, RFC 6376 § 3.4.4), where lines break. A body a relay re-encoded (8-bit text
    made quoted-printable) differs, and is read as another notice: a second claim, never a lost one.

    Digested a piece at a time, each cut at whitespace so no word spans two: one `split` of a 10 MB body of one-letter
    words held a list of 5 million of them (170 MB), a regular expression's substitution more."""
    found = _HEADER_BLOCK.match(raw, 0, HEADER_BYTES)
    return words_of(raw, found.end() if found else 0)


def words_of(data: bytes, start: int = 0) -> bytes:
    """A digest of the words of `data` from `start`: the same for any whitespace between them (`content_of`)."""
    end = len(data)
    digest = hashlib.sha256()
    while start < end:
        space = _SPACE.search(data, min(start + _CHUNK, end))
        stop = space.start() if space else end
        words = data[start:stop].split()
        if words:
            digest.update(b" ".join(words) + b" ")
        start = stop
    return digest.digest()


COPY_CANDIDATES = 20  # stored messages of one Message-ID looked at by `copy_of`, newest first


def copy_of(
    session: Session, raw: bytes, envelope: Mapping[str, Any] | None, *, channel: str | None = None, exclude: str | None = None
) -> SourceMessage | None:
    """The first message stored within `RESEND_WINDOW` with this message's Message-ID, sender and content
    (`content_of`) that became a claim (or, with `channel`, is still waiting on that channel to become one: a relay's
    second copy arriving before the sweep read the first). No Message-ID: None (the bytes are the only test); other
    Message-IDs are never the same message. The sender is each message's own `From` (else `MAIL FROM`), not the one a
    forwarded notice names. The content too, since a sender's tools may reuse a Message-ID for their next notice (a
    ticketing system's, a hand-edited resend): that is a notice of its own, not a copy. Only the newest
    `COPY_CANDIDATES` stored with its Message-ID are looked at, newest first: a sender reusing one Message-ID for every
    notice would otherwise have each store hash all the others (before the 250, under the writer's lock); a copy is of
    a recent message."""
    sender, _, message_id = screen.headers_of(raw, envelope)
    if message_id is None or sender is None:
        return None
    waiting = (SourceMessage.status == SourceStatus.RECEIVED) & (SourceMessage.channel == channel) if channel else None
    query = (
        select(SourceMessage)
        .where(
            SourceMessage.message_id == message_id,
            SourceMessage.created_at > utcnow() - RESEND_WINDOW,
            or_(SourceMessage.claim_id.is_not(None), *([waiting] if waiting is not None else [])),
        )
        .order_by(SourceMessage.created_at.desc(), SourceMessage.id.desc())
        .limit(COPY_CANDIDATES)
    )
    if exclude is not None:
        query = query.where(SourceMessage.id != exclude)
    content: bytes | None = None  # this message's, once a stored one has its Message-ID and sender
    for row in session.scalars(query):
        if screen.headers_of(row.raw, row.envelope)[0] != sender:
            continue
        content = content if content is not None else content_of(raw)
        if content_of(row.raw) == content:
            return row
    return None


@dataclass(frozen=True)
class Verdict:
    """All None: a notice. `error`: kept `failed` with it. `copy`: the stored message (and claim) it is a copy of.
    `answer`: a reply to link to `answer.claim`."""

    sender: str | None
    error: str | None = None
    copy: SourceMessage | None = None
    answer: replies.Answer | None = None

    @property
    def notice(self) -> bool:
        return self.error is None and self.copy is None and self.answer is None


def sort(session: Session, raw: bytes, envelope: Mapping[str, Any] | None, *, person: bool, exclude: str | None = None) -> Verdict:
    """What the message is (the module's order). `person`: a person asked for it to be read (a staff retry), which
    makes automatic mail and a reply from a stranger a notice like any other, and a copy a claim of its own."""
    sender = screen.headers_of(raw, envelope)[0]
    if not person and (why := screen.automatic(raw, envelope)) is not None:
        return Verdict(sender, error=f"{why}: not a notice; no claim made, nothing sent")
    if not person and (copy := copy_of(session, raw, envelope, exclude=exclude)) is not None:
        return Verdict(sender, copy=copy)
    answer = replies.answered(session, raw)
    if answer is None:
        return Verdict(sender)
    error = replies.answer_error(session, answer, sender)
    if error is None:
        return Verdict(sender, answer=answer)
    return Verdict(sender) if person else Verdict(sender, error=error)


def no_notice(read: Read, settings: Settings, *, person: bool) -> str | None:
    """Why a message read as a notice makes no claim: the reader finds nothing of a notice in it (no element of its
    regime but links off the platform, no URL on the platform, no word of a complaint: `notices.nothing_of_a_notice`).
    None for anything of a notice, however incomplete, and always for a person's decision (a staff retry)."""
    if person:
        return None
    why = notices.nothing_of_a_notice(read.reading, read.message.subject, settings.platform_host_set)
    return f"{why}: not a notice; no claim made, nothing sent" if why is not None else None
