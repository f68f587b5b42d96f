"""An email (or plain text bytes) → the readable text of the notice it carries, with its sender and date.

Standard library `email` with `policy.default`: multipart (nested, bounded), quoted-printable, base64 and charsets are
decoded by the library; text that says no charset (a `.txt` file, a part or header without one) is UTF-8 when it is
valid UTF-8, UTF-16 with a byte-order mark, else Windows-1252; line ends come out as `\n` whatever the wire used.
HTML-only parts become text with their line structure kept; a PDF attachment's text is read with pypdf (bounded pages),
with the URLs its layout wrapped across lines joined again; an attached text file or Word document (`attached.py`), Rich
Text (`rtf.py`) or OpenDocument text (`opendoc.py`) is read too, each after the body, in the message's order. A
forwarded message (a `message/rfc822` part or an inline "Forwarded message" block or an Outlook forward, `forwards.py`)
is the notice: its text, sender and date are taken (`dates.py`). Quoted reply lines (`>`) are dropped when the top holds
the text. Hostile input never raises anything but `Unreadable`.
"""

from __future__ import annotations

import codecs
import email
import email.utils
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.message import Message as StdMessage

from pypdf import PdfReader

from ipclaims.notices.attached import docx_text, is_docx, is_text_file
from ipclaims.notices.charsets import UTF16_BOMS, decode_text, part_text, widen_encoded_words
from ipclaims.notices.dates import forwarded_date, parse_date
from ipclaims.notices.flowed import unflow
from ipclaims.notices.forwards import addresses, drop_quoted_reply, split_inline_forward
from ipclaims.notices.htmltext import html_to_text
from ipclaims.notices.mailhead import MAX_PARTS, TOO_COMPLEX, is_email, too_many_parts
from ipclaims.notices.opendoc import is_odt, odt_text
from ipclaims.notices.rtf import is_rtf, rtf_text

MAX_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 12
MAX_PDF_PAGES = 40
MAX_PDF_BYTES = 5 * 1024 * 1024
MAX_TEXT_CHARS = 2_000_000
# Attached documents read of one message: each may cost a second or two of its reader's bounded work (a hostile
# `.odt` or `.docx` of millions of tiny tags), so a message of dozens of them is not read for minutes. A notice sent
# as documents attaches one or two; the rest are listed (`attachments`), unread.
MAX_DOCUMENTS = 8


class Unreadable(ValueError):
    """The input is not a message or text a reader can use: binary, empty, too large or malformed beyond repair."""


class TooLong(Unreadable):
    """Over the reader's bounds (`MAX_BYTES`, `MAX_TEXT_CHARS`): a size refusal, not a malformed input."""


@dataclass(frozen=True)
class Message:
    text: str
    sender: str | None
    sender_name: str | None
    date: datetime | None
    subject: str | None
    message_id: str | None
    attachments: tuple[str, ...]
    # Where the message went: its To and Cc (a forward's and the original's), lower-cased, without the sender's own
    # address. The reader does not take them for the sender's contact when the text gives it another (`Doc.emails`).
    recipients: tuple[str, ...] = ()


# --- bytes → text ---------------------------------------------------------------------------------------------------


def unix_newlines(text: str) -> str:
    """CRLF (SMTP's line end) and lone CR as `\n`, so that every line-anchored pattern reads both alike."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --- PDF ------------------------------------------------------------------------------------------------------------


def pdf_text(data: bytes) -> str:
    """The text layer of a PDF (first pages only); empty when it has none or cannot be read."""
    if len(data) > MAX_PDF_BYTES:
        return ""
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = []
        for page in reader.pages[:MAX_PDF_PAGES]:
            pages.append(page.extract_text() or "")
    except Exception:  # pypdf raises many kinds of error on broken files; a bad attachment is just unread
        return ""
    return join_wrapped_urls(unix_newlines("\n".join(pages))).strip()


# A URL the layout wrapped ends a line with no space after it, and the next line goes on with no space before it.
_LINE_END_URL = re.compile(r"(?:https?://|www\.)\S*\Z", re.IGNORECASE)
_BARE_SCHEME = re.compile(r"https?://|www\.", re.IGNORECASE)
_URL_CHARS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
_ANOTHER_URL = re.compile(r"(?:[a-z][a-z0-9+.-]*://|www\.|mailto:)", re.IGNORECASE)
_LIST_MARK = re.compile(r"(?:\d{1,3}|[a-z]|[ivx]{1,4})[.)]|\(\w{1,4}\)", re.IGNORECASE)
_DATE_LIKE = re.compile(r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}")
_URL_ONLY = re.compile(r"[\d/?=&%_~]")  # what a word of prose does not hold, and a piece of URL often does
_OPEN_END = "-_=?&%+~#"  # a URL does not end on these: the next line holds the rest
_CLOSING = ".,;:!?)]}>'\""
_LONG_RUN = 25  # letters with no break a layout can use: no prose word is that long


def _continues(url: str, line: str) -> bool:
    """Whether `line` goes on with the `url` that ended the line before it: its first word is a piece of URL and
    not a word of prose, another URL, a list number, a date or a page number."""
    if not line or line[0].isspace():
        return False
    first = line.split(None, 1)[0]
    if not _URL_CHARS.fullmatch(first) or _ANOTHER_URL.match(first) or _LIST_MARK.fullmatch(first) or first[0] in "([{<'\"+#@":
        return False
    core = first.rstrip(_CLOSING)
    if not core or _DATE_LIKE.fullmatch(core):
        return False
    if _BARE_SCHEME.fullmatch(url):
        return True
    end = url[-1]
    if end == ".":  # a break after a dot is a sentence's end unless a path goes on ("example." + "com/x")
        return "/" in core and core[0].isalnum()
    if not (end.isalnum() or end == "/" or end in _OPEN_END):
        return False
    open_end = end in _OPEN_END
    if core.isdigit():  # a number alone on its line after a complete-looking URL is a page number
        return open_end or (end == "/" and first != line.rstrip())
    if _URL_ONLY.search(core):
        return True
    return open_end or (core.isalpha() and len(core) >= _LONG_RUN)


def join_wrapped_urls(text: str) -> str:
    """A PDF's text with each URL its layout broke at a line end made whole again (only PDF text: in a mail body the
    line break is the sender's, not a layout's)."""
    lines: list[str] = []
    for line in text.split("\n"):
        if lines:
            url = _LINE_END_URL.search(lines[-1])
            if url and _continues(url.group(), line):
                lines[-1] += line.rstrip()
                continue
        lines.append(line)
    return "\n".join(lines)


# --- the MIME walk ----------------------------------------------------------------------------------------------------


@dataclass
class _Walk:
    plain: list[str]
    html: list[str]
    documents: list[str]  # the text of attached documents (PDF, Word, text files), in the message's order
    attachments: list[str]
    forwarded: list[StdMessage]
    parts: int = 0
    document_chars: int = 0

    def read_document(self, read: Callable[[bytes], str], part: StdMessage) -> None:
        """An attached document's text, unless the message's documents already reached `MAX_DOCUMENTS` or
        `MAX_TEXT_CHARS` between them (past that the message is refused as too long anyway)."""
        if len(self.documents) < MAX_DOCUMENTS and self.document_chars <= MAX_TEXT_CHARS:
            text = read(_bytes(part))
            self.documents.append(text)
            self.document_chars += len(text)


def _bytes(part: StdMessage) -> bytes:
    """A part's payload as bytes, its transfer encoding undone; empty when it has none or the encoding cannot be
    undone. The one place a part becomes bytes: text parts and attachments alike."""
    try:
        data = part.get_payload(decode=True)
    except Exception:
        return b""
    return data if isinstance(data, bytes) else b""


def _content(part: StdMessage) -> str:
    """A text part's text in its declared charset, read as the superset clients send under it; with none, an unknown
    one, or `us-ascii` (the default RFC 2045 gives unlabelled parts, which Windows and old clients fill with their own
    code page): an HTML part's `<meta>` charset, else as `decode_text` reads a file (`charsets.part_text`). Flowed text
    (RFC 3676) is unflowed (`flowed.py`)."""
    payload = _bytes(part)
    if not payload:
        return ""
    try:
        declared = part.get_content_charset()
    except Exception:  # a charset parameter the email package cannot decode: as none
        declared = None
    text = unix_newlines(part_text(payload, declared, html=part.get_content_type() == "text/html"))
    if part.get_content_type() == "text/plain" and str(part.get_param("format") or "").lower() == "flowed":
        text = unflow(text, delsp=str(part.get_param("delsp") or "").lower() == "yes")
    return text


def _is_pdf(part: StdMessage, filename: str | None) -> bool:
    return part.get_content_type() == "application/pdf" or str(filename or "").lower().endswith(".pdf")


# Attached documents, each with its reader: a notice sent as one under a line of body ("See the attached notice.").
_DOCUMENTS: tuple[tuple[Callable[[StdMessage, str | None], bool], Callable[[bytes], str]], ...] = (
    (_is_pdf, pdf_text),
    (is_docx, docx_text),
    (is_rtf, rtf_text),
    (is_odt, odt_text),
)


def _walk(part: StdMessage, walk: _Walk, depth: int) -> None:
    walk.parts += 1
    if depth > MAX_DEPTH or walk.parts > MAX_PARTS:
        raise Unreadable(TOO_COMPLEX)
    ctype = part.get_content_type()
    filename = part.get_filename()
    if ctype == "message/rfc822":
        inner = part.get_payload()
        if isinstance(inner, list) and inner and isinstance(inner[0], StdMessage):
            walk.forwarded.append(inner[0])
        return
    if part.is_multipart():
        payload = part.get_payload()
        if isinstance(payload, list):
            for sub in payload:
                if isinstance(sub, StdMessage):
                    _walk(sub, walk, depth + 1)
        return
    if part.get_content_maintype() == "multipart":
        # No boundary to split on (or none found): the email package keeps the body whole, as text, and records the
        # defect. Mail clients show that body; so is it read.
        walk.plain.append(_content(part))
        return
    if filename:
        walk.attachments.append(str(filename))
    for is_kind, read in _DOCUMENTS:
        if is_kind(part, filename):
            walk.read_document(read, part)
            return
    if is_text_file(part, filename) and part.get_content_disposition() == "attachment":
        walk.documents.append(_content(part).strip())
        return
    if ctype == "text/plain" and not (filename and part.get_content_disposition() == "attachment"):
        walk.plain.append(_content(part))
    elif ctype == "text/html" and part.get_content_disposition() != "attachment":
        walk.html.append(html_to_text(_content(part)))


def body_text(msg: StdMessage) -> tuple[str, list[str], list[StdMessage]]:
    """A message's text (its plain parts, else its HTML parts, then its attached documents), its attachments' names,
    and the messages it carries (`message/rfc822` parts), for the caller to read as a notice or a reply."""
    walk = _Walk([], [], [], [], [])
    _walk(msg, walk, 0)
    texts = [t for t in walk.plain if t.strip()] or [t for t in walk.html if t.strip()]
    body = "\n\n".join(texts)
    attached = "\n\n".join(t for t in walk.documents if t.strip())
    if attached:
        body = f"{body}\n\n{attached}" if body.strip() else attached
    return body, walk.attachments, walk.forwarded


def header_text(msg: StdMessage, name: str) -> str | None:
    """A header's text. Its encoded-words are read as the superset of their label, as a body is
    (`charsets.widen_encoded_words`: a name in GBK labelled `gb2312`); raw 8-bit bytes in it (not RFC 2047 words: what
    Windows clients send unlabelled) as `decode_text` reads a file, where the library alone would give replacement
    characters."""
    try:
        value = msg.get(name)
        if value is None:
            return None
        text = str(value)
        raw = next((v for k, v in msg.raw_items() if k.lower() == name.lower()), None)
        if isinstance(raw, str):
            source = raw
            if "\ufffd" in text and any("\udc80" <= c <= "\udcff" for c in raw):
                source = unix_newlines(decode_text(raw.encode("ascii", "surrogateescape")))
            source = widen_encoded_words(source)
            if source != raw:
                text = str(policy.default.header_fetch_parse(name, source))
    except Exception:
        return None
    return text.strip()


def _looks_binary(raw: bytes) -> bool:
    sample = raw[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return controls > len(sample) // 20


def _utf8(raw: bytes) -> bytes:
    """Notepad's "Unicode" (UTF-16 with its BOM: a text or a saved message) as the UTF-8 it stands for, and no UTF-8
    BOM before a message's first header. Bytes that only start like UTF-16 (a binary file) are left to be refused."""
    if raw.startswith(UTF16_BOMS):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            return raw
        odd = sum(1 for c in text[:8192] if not c.isprintable() and c not in "\t\n\r\f")
        if odd > len(text[:8192]) // 20:
            return raw
        raw = text.encode("utf-8")
    return raw.removeprefix(codecs.BOM_UTF8)


def _plain(raw: bytes) -> Message:
    text = unix_newlines(decode_text(raw))
    forwarded = split_inline_forward(text)
    if forwarded and forwarded.text:
        date = forwarded_date(forwarded.date, None)
        recipients = without_sender(forwarded.recipients, forwarded.sender)
        return Message(forwarded.text, forwarded.sender, forwarded.sender_name, date, forwarded.subject, None, (), recipients)
    return Message(drop_quoted_reply(text).strip(), None, None, None, None, None, ())


def checked(raw: bytes, as_text: bool) -> tuple[bytes, bool]:
    """The bytes a reader takes (Notepad's UTF-16 as UTF-8, no BOM) and whether they are a message, not text; or
    why not (`Unreadable`, `TooLong`): too large, empty, binary, or of too many parts."""
    if not isinstance(raw, bytes | bytearray):
        raise Unreadable("a message is bytes")
    raw = bytes(raw)
    if len(raw) > MAX_BYTES:
        raise TooLong(f"the message is larger than {MAX_BYTES // (1024 * 1024)} MB")
    raw = _utf8(raw)
    if not raw.strip():
        raise Unreadable("the message is empty")
    if _looks_binary(raw):
        raise Unreadable("the input is binary, not a message or text")
    email_like = is_email(raw, as_text)
    if email_like and too_many_parts(raw):
        raise Unreadable(TOO_COMPLEX)
    return raw, email_like


def parse_message(raw: bytes, *, as_text: bool = False) -> Message:
    """Read an `.eml` (or plain text bytes) into the notice text it carries. `as_text`: the bytes were given as text
    (pasted, a `.txt` file), not as a message; opening lines that are a memo's, not mail headers, stay its text."""
    raw, email_like = checked(raw, as_text)
    try:
        result = _parse_email(raw) if email_like else _plain(raw)
    except Unreadable:
        raise
    except (RecursionError, MemoryError) as exc:
        raise Unreadable("the message is too complex to read") from exc
    except Exception as exc:  # the email package on hostile input: never let it escape as something else
        raise Unreadable(f"the message cannot be read: {type(exc).__name__}") from exc
    if not result.text.strip():
        raise Unreadable("the message has no readable text")
    if len(result.text) > MAX_TEXT_CHARS:
        raise TooLong(f"the message text is longer than {MAX_TEXT_CHARS:,} characters")
    return result


def _parse_email(raw: bytes) -> Message:
    msg = email.message_from_bytes(raw, policy=policy.default)
    if not isinstance(msg, EmailMessage):
        raise Unreadable("not an email message")
    body, attachments, forwarded = body_text(msg)
    sender_name, sender = email.utils.parseaddr(header_text(msg, "From") or "")
    date = parse_date(header_text(msg, "Date"))
    subject = header_text(msg, "Subject")
    message_id = header_text(msg, "Message-ID")
    sent_to = addresses(header_text(msg, "To"), header_text(msg, "Cc"))
    # A forwarded notice is the notice: an attached message/rfc822 first (one: several are refused, as each may be a
    # notice of its own), else an inline forwarded block.
    readable = [(inner, walked) for inner in forwarded if (walked := body_text(inner))[0].strip()]
    if len(readable) > 1:
        raise Unreadable(_several_attached([inner for inner, _ in readable]))
    if readable:
        inner, (inner_body, inner_attachments, _) = readable[0]
        name, addr = email.utils.parseaddr(header_text(inner, "From") or "")
        return Message(
            drop_quoted_reply(inner_body).strip(),
            addr or None,
            name or None,
            forwarded_date(parse_date(header_text(inner, "Date")), date),
            header_text(inner, "Subject"),
            message_id,
            (*attachments, *inner_attachments),
            without_sender((*addresses(header_text(inner, "To"), header_text(inner, "Cc")), *sent_to), addr),
        )
    inline = split_inline_forward(body, subject)
    if inline and inline.text:
        return Message(
            inline.text,
            inline.sender or sender or None,
            inline.sender_name or sender_name or None,
            forwarded_date(inline.date, date),
            inline.subject or subject,
            message_id,
            tuple(attachments),
            without_sender((*inline.recipients, *sent_to), inline.sender or sender),
        )
    return Message(
        drop_quoted_reply(body).strip(),
        sender or None,
        sender_name or None,
        date,
        subject,
        message_id,
        tuple(attachments),
        without_sender(sent_to, sender),
    )


def _several_attached(messages: list[StdMessage]) -> str:
    """Why a message of several attached messages is not read as one notice: each may be a notice of its own (a
    mailbox forwarding a batch "as attachments", a digest), and reading one would leave the others unanswered."""
    subjects = [f"“{(header_text(m, 'Subject') or 'no subject')[:80]}”" for m in messages[:3]]
    more = f" and {len(messages) - 3} more" if len(messages) > 3 else ""
    return (
        f"the message carries {len(messages)} attached messages ({', '.join(subjects)}{more}), each of which may be a "
        "notice of its own: read each attached message on its own"
    )


def without_sender(recipients: tuple[str, ...], sender: str | None) -> tuple[str, ...]:
    """The recipients once each, without the sender's own address (a sender who copies themselves)."""
    own = (sender or "").strip().lower()
    return tuple(dict.fromkeys(a for a in recipients if a != own))
