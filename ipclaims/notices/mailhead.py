"""What the bytes of a message say before the email package reads them: whether they open with mail headers (or are
a text, a pasted letter keeping its memo lines) and whether they hold more parts than a notice is read with. Both are
read from the bytes alone, so the parser never spends seconds on what it would refuse.
"""

from __future__ import annotations

import re

MAX_PARTS = 200
TOO_COMPLEX = "the message nests too deeply or has too many parts"
_BOUNDARY = re.compile(rb'\bboundary\s*=\s*(?:"([^"\r\n]*)"|([^\s;"]+))', re.IGNORECASE)
# RFC 2231's continued or encoded parameter ("boundary*0=", "boundary*="): its value is not read here, so every
# delimiter-shaped line counts.
_BOUNDARY_2231 = re.compile(rb"\bboundary\*", re.IGNORECASE)
# A line as the email package splits lines: after LF, CR LF or a bare CR.
_DASH_LINE = re.compile(rb"(?:^|(?<=\r))--([^\r\n]*)", re.MULTILINE)


def too_many_parts(raw: bytes) -> bool:
    """Whether the message has more than `MAX_PARTS` parts, from its bytes, before the email parser spends seconds on
    each thousand: every part after the root opens with a delimiter line of a boundary the message declares (`--`,
    the boundary, blanks; the closing one ends in `--`), so the root and those lines bound what the parser makes of
    it. Lines of a boundary nobody declares, or with no boundary declared at all, are text and count for nothing."""
    declared = {(quoted or bare).rstrip() for quoted, bare in _BOUNDARY.findall(raw)} - {b""}
    every = bool(_BOUNDARY_2231.search(raw))
    if not declared and not every:
        return False
    parts = 1
    for line in _DASH_LINE.finditer(raw):
        if every or line.group(1).rstrip(b" \t\r") in declared:
            parts += 1
            if parts > MAX_PARTS:
                return True
    return False


# How far a header block is looked for: the inbox's own bound on a message's headers (`mailroom.screen`). Mail relayed
# through Gmail or Microsoft 365 carries 5-10 KB of folded trace and signature headers before its From and Subject.
HEADER_BYTES = 64 * 1024
# A field line (RFC 5322 §2.2: a name of printable ASCII but the colon, then the colon) or its folded continuation.
_FIELD = re.compile(r"([!-9;-~]+):")
# Names that say a message: its own headers, and what relays and signers put in front of them.
_MESSAGE_FIELDS = frozenset(["from", "to", "subject", "date", "message-id", "mime-version", "content-type"])
_TRACE_FIELDS = frozenset(
    [
        "received",
        "return-path",
        "delivered-to",
        "dkim-signature",
        "arc-seal",
        "arc-message-signature",
        "arc-authentication-results",
        "authentication-results",
    ]
)
# What only mail has: a pasted text with none of these (and no address in its From) is a letter, its lines its own.
_MAIL_ONLY = _TRACE_FIELDS | {"message-id", "mime-version", "content-type", "content-transfer-encoding"}
_ADDRESS = re.compile(r"[^\s<>()\[\],;:@\"]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


def _header_block(head: str) -> dict[str, str]:
    """The fields of the header block `head` opens with, as the email package reads one: the field lines and their
    continuations up to the first line that is neither (the blank line, or a line of prose); name → first value."""
    fields: dict[str, str] = {}
    name = ""
    for line in head.split("\n"):
        line = line.removesuffix("\r")
        if line[:1] in (" ", "\t") and name:
            if name in fields and len(fields[name]) < 1000:
                fields[name] += " " + line.strip()
            continue
        field = _FIELD.match(line)
        if not field:
            break
        name = field.group(1).lower()
        fields.setdefault(name, line[field.end() :].strip())
    return fields


def is_email(raw: bytes, as_text: bool = False) -> bool:
    """Whether the bytes open with mail headers: two of a message's own or its relays' fields in a header block
    (looked for in the first `HEADER_BYTES`), or an mbox `From ` line. Text given as text (pasted, a `.txt` file) is a
    message only when those lines are mail's: a field only mail has (`_MAIL_ONLY`), an address in its `From`, or
    without a `From` one in its `To`/`Cc`; else they are a memo's ("To: Designated Agent", "From: <name, address,
    phone>") and the letter keeps them."""
    head = raw[:HEADER_BYTES].decode("latin-1")
    mbox = head.startswith("From ")
    if mbox:
        if not as_text:
            return True
        head = head.split("\n", 1)[1] if "\n" in head else ""
    fields = _header_block(head)
    if len(fields.keys() & (_MESSAGE_FIELDS | _TRACE_FIELDS)) < 2:
        return False
    if not as_text or fields.keys() & _MAIL_ONLY:
        return True
    if "from" in fields:
        return bool(_ADDRESS.search(fields["from"]))
    return any(_ADDRESS.search(fields.get(name, "")) for name in ("to", "cc"))
