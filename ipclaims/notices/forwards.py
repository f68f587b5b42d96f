"""Forwarded and quoted mail in a body's text: the inline "Forwarded message" block and a reply's `>` history.

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


@dataclass(frozen=True)
class Forwarded:
    text: str
    sender: str | None
    sender_name: str | None
    date: datetime | None  # as the block shows it: naive when it shows no zone (see dates.forwarded_date)
    subject: str | None
    recipients: tuple[str, ...] = ()  # the block's To and Cc addresses


def split_inline_forward(text: str) -> Forwarded | None:
    """The innermost inline-forwarded message of a body, with the headers its block shows."""
    marks = list(_FORWARD_MARK.finditer(text))
    if not marks:
        return None
    rest = text[marks[-1].end() :].lstrip("\r\n")
    headers: dict[str, str] = {}
    lines = rest.splitlines(keepends=True)
    consumed = 0
    for line in lines:
        match = _HEADER_LINE.match(line)
        if match:
            headers.setdefault(_HEADER_NAMES[match.group(1).lower()], match.group(2).strip())
            consumed += len(line)
        elif line.strip() == "" and not headers:
            consumed += len(line)
        else:
            break
    body = rest[consumed:]
    body = "\n".join(line[1:].lstrip(" ") if line.startswith(">") else line for line in body.splitlines())
    name, addr = email.utils.parseaddr(headers.get("from", ""))
    recipients = addresses(headers.get("to"), headers.get("cc"))
    return Forwarded(body.strip(), addr or None, name or None, parse_date(headers.get("date")), headers.get("subject"), recipients)


def addresses(*values: str | None) -> tuple[str, ...]:
    """The email addresses of address headers (To, Cc), lower-cased, in order, once each; none for a header the
    library cannot parse (the notice is still read)."""
    try:
        found = email.utils.getaddresses([v for v in values if v])
    except Exception:
        return ()
    return tuple(dict.fromkeys(a.strip().lower() for _, a in found if "@" in a))


def drop_quoted_reply(text: str) -> str:
    """Keep the top of a reply when it holds text of its own; the quoted (`>`) history goes."""
    lines = text.splitlines()
    own = [line for line in lines if not line.lstrip().startswith(">")]
    own_text = "\n".join(own)
    intro = _REPLY_INTRO.search(own_text)
    if intro:
        own_text = own_text[: intro.start()]
    if len(own_text.strip()) >= 40:
        return own_text.rstrip()
    return text
