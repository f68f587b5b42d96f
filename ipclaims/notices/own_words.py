"""A reply's own words: what a notifier wrote in answer to one of our letters, without the letter it quotes.

A reply's text quotes our letter, and our letter's words ("a good-faith belief that the use is not authorised", "under
penalty of perjury", "a typed /s/ Full Name") are no statement of the notifier's. Mail clients quote in several shapes:
`>` lines under "On … wrote:" (Gmail, Thunderbird, Apple Mail), the letter unmarked under a "From: … Sent: … To: …
Subject:" block, with or without a line of underscores over it, or under "-----Original Message-----" (Outlook), and
HTML, whose blockquote is read as unmarked text under its "On … wrote:" line. `own_words` keeps what the sender wrote:

1. the text above the first reply header ("On … wrote:" over unmarked text, "-----Original Message-----", a
   From:/Sent: block): below it is the message answered, our letter (unless the subject says the message is a forward:
   then the block is what the sender sends on, and is kept);
2. without its `>` lines, and the "On … wrote:" line above them (an answer written below or between them is kept);
3. without any line that is a piece of one of our letters (`letters`: their bodies as sent), however the client
   wrapped or marked it: a letter pasted back with no header at all, or a header this module does not know.

A "Forwarded message" block is kept (a notice forwarded with the reply is the sender's); its copy of our letter, if
it is one, goes by step 3.
"""

from __future__ import annotations

import email
import email.utils
import re
from collections.abc import Sequence
from email import policy
from email.message import EmailMessage

from ipclaims.notices.charsets import decode_text
from ipclaims.notices.dates import parse_date
from ipclaims.notices.forwards import addresses, header_block, subject_is_forward
from ipclaims.notices.message import (
    MAX_TEXT_CHARS,
    Message,
    TooLong,
    Unreadable,
    body_text,
    checked,
    header_text,
    unix_newlines,
    without_sender,
)

# "On Tue, 1 Dec 2026 at 16:00, Agent <agent@x> wrote:" — Gmail wraps a long one over two lines; and its German,
# French, Spanish, Italian and Dutch forms.
_INTRO = re.compile(
    r"^[ \t]*(?:On|Am|Le|El|Il|Op)\b[^\n]{0,240}(?:\n[^\n]{0,240})?"
    r"(?:wrote|schrieb|a écrit|escribió|ha scritto|schreef)[ \t]*:[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_ORIGINAL = re.compile(
    r"^[ \t]*-{2,}[ \t]*(?:Original Message|Ursprüngliche Nachricht|Message d'origine|Mensaje original|Messaggio originale"
    r"|Oorspronkelijk bericht)[ \t]*-{2,}[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_UNDERSCORES = re.compile(r"^[ \t]*_{10,}[ \t]*$", re.MULTILINE)
_BLOCK_CHARS = 4000
_LETTER_LINES = 10_000  # lines compared with our letters (a reply is short; a hostile one is not read further)
_HEADER_START = re.compile(r"^[ \t*]*(?:from|von|de)[ \t*]*:", re.IGNORECASE | re.MULTILINE)
_QUOTED = re.compile(r"^[ \t]*>")
_QUOTED_NEXT = re.compile(r"\s*>")  # the first line after an "On … wrote:" is quoted
# A forward's own mark right over a From: block: what the sender sends on, not the message answered.
_FORWARDED_ABOVE = re.compile(
    r"(?:-{3,}\s*(?:Forwarded message|Weitergeleitete Nachricht|Message transféré)\s*-{3,}|Begin forwarded message:)\s*\Z",
    re.IGNORECASE,
)
_OPENING_CHARS = 200  # how much of a letter's start (normalised) a pasted copy of it opens with
_MIN_PIECE = 20  # a line this long (normalised) that is a piece of our letter is the letter's; a shorter one only next to one
_TYPOGRAPHY = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "—": "-", "–": "-", "\xa0": " "})


def _normal(text: str) -> str:
    return " ".join(text.translate(_TYPOGRAPHY).casefold().split())


def _unquote(line: str) -> str:
    return line.lstrip(" \t>")


def _reply_header(text: str, subject: str | None) -> int | None:
    """Where the message answered starts: the first reply header over unmarked text (`>` lines go line by line)."""
    starts: list[int] = []
    for intro in _INTRO.finditer(text):
        if not _QUOTED_NEXT.match(text, intro.end()) and text[intro.end() :].strip():
            starts.append(intro.start())
            break
    if not subject_is_forward(subject):
        starts.extend(m.start() for m in _ORIGINAL.finditer(text))
        pos = 0
        while (mark := _HEADER_START.search(text, pos)) is not None:
            headers, consumed = header_block(text[mark.start() : mark.start() + _BLOCK_CHARS])
            opens = "from" in headers and ("date" in headers or ("to" in headers and "subject" in headers))
            if opens and not _FORWARDED_ABOVE.search(text, max(0, mark.start() - 200), mark.start()):
                starts.append(mark.start())
                break
            pos = mark.start() + max(consumed, 1)  # past the block read: a text of "From:" lines stays linear
    return min(starts) if starts else None


def _letter_lines(lines: list[str], letters: Sequence[str]) -> set[int]:
    """The indexes of the lines that are pieces of one of `letters`."""
    ours = [_normal(letter) for letter in letters if letter.strip()]
    if not ours:
        return set()
    # A letter pasted with no mark starts where its opening does: a line of the sender's own before it that happens to
    # be in the letter's words (a statement hard-wrapped as our letter asks for it) is theirs.
    openings = [letter[:_OPENING_CHARS] for letter in ours]
    found: set[int] = set()
    previous = opened = False
    for i, line in enumerate(lines[:_LETTER_LINES]):
        piece = _normal(_unquote(line))
        if not piece:
            continue  # a blank line neither starts nor ends a run of the letter's lines
        opened = opened or (len(piece) >= _MIN_PIECE and any(piece in opening for opening in openings))
        is_ours = opened and any(piece in letter for letter in ours) and (len(piece) >= _MIN_PIECE or previous)
        if is_ours:
            found.add(i)
        previous = is_ours
    return found


def own_words(text: str, subject: str | None = None, letters: Sequence[str] = ()) -> str:
    """The words of a reply its sender wrote (module docstring), stripped; empty when it only quotes."""
    cut = _reply_header(text, subject)
    if cut is not None:
        text = _UNDERSCORES.sub("", text[:cut])  # and Outlook's rule over its block
    lines = text.splitlines()
    quoted = {i for i, line in enumerate(lines) if _QUOTED.match(line)}
    kept = "\n".join(line for i, line in enumerate(lines) if i not in quoted)
    # The "On … wrote:" line over `>` lines, now gone.
    kept = _INTRO.sub("", kept)
    lines = kept.splitlines()
    ours = _letter_lines(lines, letters)
    return "\n".join(line for i, line in enumerate(lines) if i not in ours).strip()


def parse_reply(raw: bytes, letters: Sequence[str] = (), *, as_text: bool = False) -> Message:
    """Read a reply to one of our letters (`letters`: their bodies as sent) into the words its sender wrote
    (`own_words`): the body, and any message it forwards, without our letter however it is quoted. A forward's text
    and sender do not replace the reply's, as they do for a notice (`parse_message`): the reply answers us. The text
    is empty when the reply only quotes. `as_text`, and what is refused, as `parse_message`."""
    raw, email_like = checked(raw, as_text)
    try:
        if email_like:
            msg = email.message_from_bytes(raw, policy=policy.default)
            if not isinstance(msg, EmailMessage):
                raise Unreadable("not an email message")
            body, attachments, forwarded = body_text(msg)
            subject = header_text(msg, "Subject")
            texts = [own_words(body, subject, letters)]
            texts += [own_words(body_text(inner)[0], header_text(inner, "Subject"), letters) for inner in forwarded]
            sender_name, sender = email.utils.parseaddr(header_text(msg, "From") or "")
            date, message_id = parse_date(header_text(msg, "Date")), header_text(msg, "Message-ID")
            sent_to = addresses(header_text(msg, "To"), header_text(msg, "Cc"))
        else:
            texts, attachments, subject = [own_words(unix_newlines(decode_text(raw)), None, letters)], [], None
            sender_name, sender, date, message_id, sent_to = "", "", None, None, ()
    except Unreadable:
        raise
    except (RecursionError, MemoryError) as exc:
        raise Unreadable("the message is too complex to read") from exc
    except Exception as exc:  # the email package on hostile input, as `parse_message`
        raise Unreadable(f"the message cannot be read: {type(exc).__name__}") from exc
    text = "\n\n".join(t for t in texts if t)
    if len(text) > MAX_TEXT_CHARS:
        raise TooLong(f"the message text is longer than {MAX_TEXT_CHARS:,} characters")
    return Message(
        text, sender or None, sender_name or None, date, subject, message_id, tuple(attachments), without_sender(sent_to, sender)
    )
