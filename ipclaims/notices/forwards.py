"""Forwarded and quoted mail in a body's text: the inline "Forwarded message" block and a reply's `>` history.

Outlook introduces both a forward and a reply with the same marker, a line of underscores over a From:/Sent:/To:/Subject:
block. It is a forward when the message's subject says so ("FW:", "Fwd:", "WG:", "TR:"), or, with no such prefix to go
by (a reply's "RE:"/"AW:" says it is none), when all that stands above it is a forwarding remark ("FYI, see below.");
a reply keeps its own text and the message it quotes, as with no marker at all.

Line ends may be CRLF (mail as it travels by SMTP) or LF: every line-anchored pattern here allows a `\r` before the
line end, so a block is found the same either way.
"""

from __future__ import annotations

import email.utils
import re
from dataclasses import dataclass
from datetime import datetime

from ipclaims.notices.dates import parse_date

_FORWARD_MARK = re.compile(
    r"^[ \t>]*-{3,}\s*(?:Forwarded message|Original Message|Weitergeleitete Nachricht|Message transféré)\s*-{3,}[ \t\r]*$"
    r"|^[ \t]*Begin forwarded message:[ \t\r]*$",
    re.IGNORECASE | re.MULTILINE,
)
# The block's header names as English, German and French clients print them, to the English name they stand for.
_HEADER_NAMES = {
    "from": "from",
    "von": "from",
    "de": "from",
    "date": "date",
    "datum": "date",
    "sent": "date",
    "gesendet": "date",
    "envoyé": "date",
    "subject": "subject",
    "betreff": "subject",
    "objet": "subject",
    "to": "to",
    "an": "to",
    "à": "to",
    "cc": "cc",
}
_HEADER_LINE = re.compile(
    r"^[ \t>*]*(" + "|".join(_HEADER_NAMES) + r")[ \t*]*:[ \t*]*(.*?)[ \t\r\n]*$",
    re.IGNORECASE,
)
_REPLY_INTRO = re.compile(r"^On .{4,200}wrote:\s*$", re.MULTILINE)
_OUTLOOK_MARK = re.compile(r"^[ \t>]*_{10,}[ \t\r]*$", re.MULTILINE)
# The first prefix of a subject ("FW: RE: notice" is a forward of a reply); a tag before it ("[EXTERNAL]") is skipped.
_SUBJECT_PREFIX = re.compile(r"^\s*(?:\[[^\]\n]{0,40}\]\s*)*(fwd?|wg|tr|re|aw|sv|antw)\s*:", re.IGNORECASE)
_FORWARD_PREFIXES = frozenset({"fw", "fwd", "wg", "tr"})
# What a forwarder writes above the forwarded message, and no more.
_FORWARD_REMARK = re.compile(
    r"\b(?:forward(?:ed|ing)?|fwd?|fyi|for your (?:information|attention)|weiter(?:geleitet|leitung)|zur (?:info|kenntnis)"
    r"|transf[ée]r[ée]?|pour info)\b|\bsee (?:the )?(?:notice|message|e-?mail|mail|request|complaint|letter) below\b",
    re.IGNORECASE,
)
_REMARK_CHARS = 300
_HEADER_BLOCK_CHARS = 4000


@dataclass(frozen=True)
class Forwarded:
    text: str
    sender: str | None
    sender_name: str | None
    date: datetime | None  # as the block shows it: naive when it shows no zone (see dates.forwarded_date)
    subject: str | None
    recipients: tuple[str, ...] = ()  # the block's To and Cc addresses


def header_block(rest: str) -> tuple[dict[str, str], int]:
    """The headers a forwarded block shows at the start of `rest` (blank lines before them skipped), and how many
    characters of `rest` they take."""
    headers: dict[str, str] = {}
    consumed = blank = 0
    spaced: bool | None = None  # the block's lines stand a blank line apart (an HTML block's <br> made paragraphs)
    for line in rest.splitlines(keepends=True):
        match = _HEADER_LINE.match(line)
        if match:
            if headers and spaced is None:
                spaced = blank > 0
            elif headers and spaced is False and blank:
                break  # a block of adjacent lines ended at its blank line: a "Date:" line under it is the body's
            headers.setdefault(_HEADER_NAMES[match.group(1).lower()], match.group(2).strip())
            consumed += blank + len(line)
            blank = 0
        elif line.strip() == "":
            blank += len(line)
            if not headers:
                consumed, blank = consumed + blank, 0  # blank lines before the block
            elif spaced is False or blank > 2 * len(line):
                break
        else:
            break
    return headers, consumed


def _is_forward(subject: str | None, above: str) -> bool:
    """Whether an Outlook block under `above`, in a message with this subject, is a forwarded message (not a reply's
    quoted history): the subject's first prefix says so; without one, nothing but a forwarding remark is above it."""
    prefix = _SUBJECT_PREFIX.match(subject or "")
    if prefix:
        return prefix.group(1).lower() in _FORWARD_PREFIXES
    remark = above.strip()
    return not remark or (len(remark) <= _REMARK_CHARS and bool(_FORWARD_REMARK.search(remark)))


def _forward_marks(text: str, subject: str | None) -> list[re.Match[str]]:
    """The markers that introduce a forwarded message, in order: every "Forwarded message" mark, and Outlook's
    underscores over a From: block with a date when `_is_forward` says so. Under each mark its block's own Subject:
    says what the next block holds, as the message's subject does for the first. A bare block (`_bare_block`) is
    looked for only under the message's own subject: the last block's is that of a message it quotes."""
    marks = sorted([*_FORWARD_MARK.finditer(text), *_OUTLOOK_MARK.finditer(text)], key=lambda m: m.start())
    found = []
    above_from = 0
    under = subject  # what the next mark is judged under: the message's own subject, then each block's
    for mark in marks:
        after = text[mark.end() : mark.end() + _HEADER_BLOCK_CHARS]  # bounded: a text of underscore lines stays linear
        block = after.lstrip("\r\n")
        headers, consumed = header_block(block)
        forward = True
        if mark.re is _OUTLOOK_MARK:
            if "from" not in headers or "date" not in headers:
                continue  # a signature line or a rule, no message under it
            forward = _is_forward(under, text[above_from : mark.start()])
        if forward:
            found.append(mark)
        under, above_from = headers.get("subject"), mark.end() + len(after) - len(block) + consumed
    if not found and subject_is_forward(subject):
        bare = _bare_block(text)
        if bare is not None:
            found.append(bare)
    return found


# A header block with no marker line over it: Outlook's HTML forward draws its separator as a CSS border, which the
# text of the HTML does not keep. Only under a forwarding subject ("FW:", "Fwd:"): elsewhere such a block may be any
# correspondence a notice quotes.
_BARE_BLOCK = re.compile(r"^(?=[ \t>*]*(?:from|von|de)[ \t*]*:)", re.IGNORECASE | re.MULTILINE)


def subject_is_forward(subject: str | None) -> bool:
    """The subject's first prefix says the message is a forward ("FW:", "Fwd:", "WG:", "TR:")."""
    prefix = _SUBJECT_PREFIX.match(subject or "")
    return prefix is not None and prefix.group(1).lower() in _FORWARD_PREFIXES


def _bare_block(text: str) -> re.Match[str] | None:
    """The first From: line that opens a block with a date and a subject (a forwarded message's headers)."""
    for m in _BARE_BLOCK.finditer(text):
        headers, _ = header_block(text[m.start() : m.start() + _HEADER_BLOCK_CHARS])
        if {"from", "date", "subject"} <= headers.keys():
            return m
    return None


def split_inline_forward(text: str, subject: str | None = None) -> Forwarded | None:
    """The innermost inline-forwarded message of a body, with the headers its block shows. `subject`: the message's
    own, which tells an Outlook forward from a reply."""
    marks = _forward_marks(text, subject)
    if not marks:
        return None
    rest = text[marks[-1].end() :].lstrip("\r\n")
    headers, consumed = header_block(rest)
    body = rest[consumed:]
    body = "\n".join(line[1:].lstrip(" ") if line.startswith(">") else line for line in body.splitlines())
    name, addr = email.utils.parseaddr(headers.get("from", ""))
    recipients = addresses(headers.get("to"), headers.get("cc"))
    return Forwarded(body.strip(), addr or None, name or None, parse_date(headers.get("date")), headers.get("subject"), recipients)


def above_inline_forward(text: str, subject: str | None = None) -> str | None:
    """The text above the innermost inline-forwarded block `split_inline_forward` takes; None when there is none."""
    marks = _forward_marks(text, subject)
    return text[: marks[-1].start()] if marks else None


def says_its_own(note: str) -> bool:
    """Whether a note above a forwarded notice says something of its own: a statement or a URL (the marks
    `_carries_notice_instead` judges a note by)."""
    return bool(_STATEMENT_MARK.search(note) or _URL_MARK.search(note))


def addresses(*values: str | None) -> tuple[str, ...]:
    """The email addresses of address headers (To, Cc), lower-cased, in order, once each; none for a header the
    library cannot parse (the notice is still read)."""
    try:
        found = email.utils.getaddresses([v for v in values if v])
    except Exception:
        return ()
    return tuple(dict.fromkeys(a.strip().lower() for _, a in found if "@" in a))


# What a notice's text holds and a note asking after one ("did you receive my notice?") does not: a URL, and a
# statement of good faith or under oath.
_URL_MARK = re.compile(r"https?://|\bwww\.", re.IGNORECASE)
_STATEMENT_MARK = re.compile(r"good[\s-]*faith|perjur|under oath|\bswear|\bsworn", re.IGNORECASE)


def _carries_notice_instead(own: str, quoted: str) -> bool:
    """The quoted text is the notice and the text above it only a note about it: the note makes no statement, and
    names no URL (a link in its signature is no location) unless the quoted text has both a statement and a URL."""
    if _STATEMENT_MARK.search(own):
        return False
    has_statement, has_url = bool(_STATEMENT_MARK.search(quoted)), bool(_URL_MARK.search(quoted))
    if _URL_MARK.search(own):
        return has_statement and has_url
    return has_statement or has_url


MAX_QUOTE_LEVELS = 50  # follow-ups over follow-ups descended through; a thread deeper than any client quotes stops there


def drop_quoted_reply(text: str) -> str:
    """Keep the top of a reply when it holds text of its own; the quoted (`>`) history goes. When the top carries no
    notice and the quoted lines do (`_carries_notice_instead`: a follow-up written above the notice it asks about), the
    quoted notice is the text, its `>` taken off (one level) as a forwarded block's are — and so on down a thread of
    follow-ups, each quoting the one before, to the first level that is more than a note about the text under it."""
    for _ in range(MAX_QUOTE_LEVELS):
        kept, descended = _drop_one_level(text)
        if not descended:
            return kept
        text = kept
    return text


def _drop_one_level(text: str) -> tuple[str, bool]:
    """`drop_quoted_reply` for one level: the text kept, and whether it is the quoted text one level down."""
    lines = text.splitlines()
    own = [line for line in lines if not line.lstrip().startswith(">")]
    own_text = "\n".join(own)
    intro = _REPLY_INTRO.search(own_text)
    if intro:
        own_text = own_text[: intro.start()]
    quoted = "\n".join(_unquoted(line) for line in lines if line.lstrip().startswith(">"))
    if quoted.strip() and _carries_notice_instead(own_text, quoted):
        return quoted.strip(), True
    if len(own_text.strip()) >= 40 and not (not intro and _quoted_within(lines)):
        return own_text.rstrip(), False
    return text, False


# A line that attributes the quoted text under it ("Sam Reyes <sam@…> wrote:", "Am … schrieb …:", "Le … a écrit :").
_ATTRIBUTION = re.compile(
    r"\b(?:wrote|writes|schrieb|a [ée]crit|escribi[óo]|ha scritto|schreef|skrev|napisa[łl]a?|kirjoitti|escreveu|написала?)\b",
    re.IGNORECASE,
)


def _quoted_within(lines: list[str]) -> bool:
    """The `>` lines are the notice's own (statements set off as a block): attributed to no one, and with the notice's
    text both above and below them. A reply's history sits at the foot, or under a line that says whose it is."""
    marks = [i for i, line in enumerate(lines) if line.lstrip().startswith(">")]
    if not marks:
        return False
    above = any(line.strip() for line in lines[: marks[0]])
    below = any(line.strip() for line in lines[marks[-1] + 1 :])
    return above and below and not any(line.rstrip().endswith(":") and _ATTRIBUTION.search(line[-200:]) for line in lines)


def _unquoted(line: str) -> str:
    """A quoted line with its first `>` (and the space after it) taken off."""
    line = line.lstrip()[1:]
    return line[1:] if line.startswith(" ") else line
