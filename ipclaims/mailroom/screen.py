"""What an arriving message is before anyone reads it as a notice: its headers alone, no database.

Mail that must never be answered becomes no claim, since a claim's letters go back to the sender and an automatic
message answered by an automatic message is a mail loop. RFC 3834 §2: a responder never answers a message that is
itself automatic (`Auto-Submitted` other than `no`; in practice also the older `X-Autoreply`, `X-Autorespond` and
`Precedence: bulk/junk/list` markers); RFC 3464 / RFC 6522 (was 3462): delivery status and other reports are never
answered; RFC 2369 / 2919: mail that came through a mailing list (`List-Id`, `List-Unsubscribe`) is the list's, not a
notice to us; RFC 5321 §4.5.5: a null return path (`MAIL FROM:<>`) is used for bounces and automatic replies only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from email import policy
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from typing import Any

from ipclaims.mailroom.reading import address_of
from ipclaims.notices.mailhead import HEADER_BYTES
from ipclaims.notifications.outbox import outbox_ids

_HEADERS = BytesHeaderParser(policy=policy.default)
HEADER_CHARS = 998  # RFC 5322's line limit: a subject longer than a line is cut there
# The subject lines of the common bounce and out-of-office messages that carry none of the headers above (older
# servers, some webmail vacation responders); matched at the start of the subject only.
_AUTOMATIC_SUBJECT = re.compile(
    r"\s*(?:automatic reply|auto[- ]?reply|auto[- ]?response|out of (?:the )?office|undeliverable|undelivered mail"
    r"|delivery status notification|mail delivery (?:failed|failure|subsystem)|returned mail|failure notice"
    r"|réponse automatique|automatische antwort|abwesenheitsnotiz|respuesta automática|risposta automatica"
    r"|automatisch antwoord)\b",
    re.IGNORECASE,
)
_REFERENCE = re.compile(r"\bIPC-\d{4}-\d{6,}\b")


def headers(raw: bytes) -> EmailMessage | None:
    """The message's headers (its first 64 KiB); None for bytes the email package cannot read at all."""
    try:
        parsed = _HEADERS.parsebytes(raw[:HEADER_BYTES])
    except Exception:  # hostile bytes: nothing to go on
        return None
    return parsed if isinstance(parsed, EmailMessage) else None


def headers_of(raw: bytes, envelope: Mapping[str, Any] | None) -> tuple[str | None, str | None, str | None]:
    """Sender, subject and Message-ID of a stored message from its headers alone, for a message the reader cannot
    read (binary, malformed, not a claim) to stay recognisable in the list: the `From` address, else the envelope's
    `MAIL FROM`. Never raises (this runs before the 250 reply)."""
    sender: str | None = None
    subject: str | None = None
    message_id: str | None = None
    parsed = headers(raw)
    if parsed is not None:
        sender, subject, message_id = address_of(_shown(parsed, "From")), _shown(parsed, "Subject"), _shown(parsed, "Message-ID")
    mail_from = envelope.get("mail_from") if envelope else None
    return sender or address_of(mail_from if isinstance(mail_from, str) else None), subject, message_id


def _shown(parsed: EmailMessage, name: str) -> str | None:
    try:
        value = parsed.get(name)
        shown = "".join(c for c in str(value) if c.isprintable()).strip() if value is not None else ""
    except Exception:  # a header the email package cannot decode: as absent
        return None
    return shown[:HEADER_CHARS] or None


def _get(parsed: EmailMessage, name: str) -> str | None:
    try:
        value = parsed.get(name)
        shown = " ".join(str(value).split()) if value is not None else ""
    except Exception:  # a header the email package cannot decode: as absent
        return None
    return shown or None


def _token(value: str) -> str:
    return value.split(";", 1)[0].strip().lower()


def automatic(raw: bytes, envelope: Mapping[str, Any] | None) -> str | None:
    """Why the message is automatic mail no one may answer (e.g. "an automatic reply (Auto-Submitted: auto-replied)"),
    or None for a message a person may have sent. The SMTP envelope's `MAIL FROM` counts as its `Return-Path`."""
    mail_from = (envelope or {}).get("mail_from")
    if isinstance(mail_from, str) and mail_from.strip() in ("", "<>"):
        return "a bounce or automatic reply (sent with an empty return path, MAIL FROM:<>)"
    parsed = headers(raw)
    if parsed is None:
        return None
    if (path := _get(parsed, "Return-Path")) is not None and path.replace(" ", "") == "<>":
        return "a bounce or automatic reply (Return-Path: <>)"
    try:
        content_type, report_type = parsed.get_content_type(), parsed.get_param("report-type")
    except Exception:  # an undecodable Content-Type: not a report
        content_type, report_type = "", None
    if content_type == "multipart/report" or content_type.startswith("message/delivery-status"):
        kind = str(report_type).lower() if isinstance(report_type, str) else "delivery-status"
        return f"a {'delivery status report' if kind == 'delivery-status' else 'report'} ({content_type}; report-type={kind})"
    if (auto := _get(parsed, "Auto-Submitted")) is not None and _token(auto) != "no":
        return f"an automatic reply (Auto-Submitted: {auto})"
    for name in ("X-Autoreply", "X-Autorespond", "X-Auto-Reply"):
        if (value := _get(parsed, name)) is not None and _token(value) not in ("no", "false", "0"):
            return f"an automatic reply ({name}: {value})"
    if (precedence := _get(parsed, "Precedence")) is not None and _token(precedence) in ("bulk", "junk", "list", "auto_reply"):
        return f"bulk or list mail (Precedence: {precedence})"
    for name in ("List-Id", "List-Unsubscribe"):
        if (value := _get(parsed, name)) is not None:
            return f"mailing-list mail ({name}: {value[:200]})"
    sender = (_get(parsed, "From") or "").lower()
    if "mailer-daemon@" in sender or sender.startswith("mailer-daemon"):
        return f"a bounce (From: {sender[:200]})"
    if (subject := _get(parsed, "Subject")) is not None and _AUTOMATIC_SUBJECT.match(subject):
        return f"an automatic reply or bounce (Subject: {subject[:200]})"
    return None


def answered_letters(parsed: EmailMessage | None) -> list[str]:
    """The outbox rows (our letters) the message answers: its In-Reply-To first, then its References, newest first."""
    if parsed is None:
        return []
    references = outbox_ids(_get(parsed, "References"))
    ids = outbox_ids(_get(parsed, "In-Reply-To")) + references[::-1]
    return list(dict.fromkeys(ids))


def subject_reference(parsed: EmailMessage | None) -> str | None:
    """The first claim reference (IPC-YYYY-NNNNNN) the subject carries, as every letter's subject does."""
    subject = _get(parsed, "Subject") if parsed is not None else None
    found = _REFERENCE.search(subject or "")
    return found.group(0) if found else None
