"""Outbox delivery over SMTP with leases and exponential backoff.

A message is leased in a short transaction, sent with no transaction open (an SMTP round trip must never hold the
SQLite write lock or a PostgreSQL row lock), then marked sent. Messages are leased one at a time, just before each
is sent, so a lease never runs out while the messages before it in the same sweep are still being sent. A worker
killed mid-send leaves only a lease, which expires and is retried; the Message-ID is fixed per outbox row so a
receiver can drop the rare duplicate that at-least-once delivery allows.

Failures come in two kinds (RFC 5321 §4.2.1). A permanent refusal (a 5xx reply: no such mailbox, message
rejected) counts towards IPCLAIMS_OUTBOX_MAX_ATTEMPTS. Anything else — the server down or unreachable, a 4xx
"try again later", a refused login, a bad IPCLAIMS_SMTP_URL — says nothing about the message, so it is retried
with backoff until the message is IPCLAIMS_OUTBOX_MAX_AGE_HOURS old: an outage of hours never loses the mail the
law requires (the § 512(g)(2)(B) copy of a counter-notice). `failed` mail can be queued again (`requeue_failed`,
`ipclaims outbox retry`).

Without IPCLAIMS_SMTP_URL, development delivers to a local Maildir under the data directory (`data/mail/`, readable
with any mail client or `ipclaims outbox show ID`), so a newcomer sees the mail the workflow sends; production and
the test suite keep it pending in the outbox until a server is configured, and `ipclaims worker` says why.
"""

from __future__ import annotations

import logging
import mailbox
import smtplib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sqlalchemy import func, or_, select, update

from ipclaims.config import Mode, Settings
from ipclaims.db import session_scope
from ipclaims.letters.service import attachment, holds_mail, owed_letter
from ipclaims.models import OutboxMessage, OutboxStatus, utcnow
from ipclaims.notifications.outbox import auto_submitted, message_id

log = logging.getLogger("ipclaims.delivery")

LEASE = timedelta(minutes=5)
LETTER_HOLD = timedelta(minutes=1)  # mail waiting for its letter is looked at again after this
BATCH = 50


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, … capped at 1 h."""
    return timedelta(seconds=min(3600, 30 * 2 ** max(0, attempts - 1)))


@dataclass(frozen=True)
class Leased:
    id: str
    to_addr: str
    subject: str
    body: str
    lease_until: datetime
    attempts: int
    created_at: datetime
    requeued_at: datetime | None = None
    attachment: tuple[str, bytes] | None = None  # the letter's PDF (filename, bytes), when the mail reports one
    kind: str = ""  # the outbox row's kind: which Auto-Submitted value it carries

    @property
    def queued_at(self) -> datetime:
        """Since when delivery has been tried: first queued, or queued again after being given up."""
        return self.requeued_at or self.created_at


def lease_due(now: datetime, *, limit: int = BATCH) -> list[Leased]:
    """Lease up to `limit` due messages. One that carries a letter not rendered yet is held (`letters.service.
    holds_mail`): it is not sent without its PDF, and is looked at again after LETTER_HOLD, no attempt counted."""
    with session_scope() as session:
        query = (
            select(OutboxMessage)
            .where(
                OutboxMessage.status == OutboxStatus.PENDING,
                OutboxMessage.next_attempt_at <= now,
                or_(OutboxMessage.lease_until.is_(None), OutboxMessage.lease_until <= now),
            )
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .with_for_update(skip_locked=True)
        )
        until = now + LEASE
        leased: list[Leased] = []
        while len(leased) < limit:
            rows = list(session.scalars(query.limit(limit - len(leased))))
            if not rows:
                break
            for r in rows:
                letter = owed_letter(session, r.claim_id, r.kind, r.dedupe_key)
                if holds_mail(letter):
                    r.next_attempt_at = now + LETTER_HOLD
                    continue
                r.lease_until = until
                leased.append(
                    Leased(r.id, r.to_addr, r.subject, r.body, until, r.attempts, r.created_at, r.requeued_at, attachment(letter), r.kind)
                )
            session.flush()  # leased and held rows leave the query (the session does not autoflush)
        return leased


def _message(m: Leased, settings: Settings) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = settings.mail_from
    msg["To"] = m.to_addr
    msg["Subject"] = m.subject
    msg["Date"] = format_datetime(m.created_at)
    msg["Message-ID"] = message_id(m.id)
    # RFC 3834: automatic mail. Responders must not answer it (and the inbox screens it should it come back); Exchange
    # and Outlook honour X-Auto-Response-Suppress and send no out-of-office or automatic reply to it at all.
    msg["Auto-Submitted"] = auto_submitted(m.kind)
    msg["X-Auto-Response-Suppress"] = "OOF, AutoReply"
    msg.set_content(m.body)
    if m.attachment is not None:
        msg.add_attachment(m.attachment[1], maintype="application", subtype="pdf", filename=m.attachment[0])
    return msg


class SmtpSettingError(ValueError):
    """IPCLAIMS_SMTP_URL cannot be used: the message is fine, the setting is not."""


def send(m: Leased, settings: Settings) -> None:
    url = urlsplit(settings.smtp_url)
    if url.scheme not in ("smtp", "smtps"):
        raise SmtpSettingError(f"IPCLAIMS_SMTP_URL must be smtp:// or smtps://, not {url.scheme!r}")
    smtp_cls = smtplib.SMTP_SSL if url.scheme == "smtps" else smtplib.SMTP
    with smtp_cls(url.hostname or "localhost", url.port or (465 if url.scheme == "smtps" else 25), timeout=20) as smtp:
        if url.username:
            smtp.login(unquote(url.username), unquote(url.password or ""))
        smtp.send_message(_message(m, settings))


def maildir(settings: Settings) -> Path:
    return settings.data_dir / "mail"


def deliver_local(m: Leased, settings: Settings) -> None:
    """Development without SMTP: the message as it would be sent, as one file in a Maildir (`new/`)."""
    mailbox.Maildir(maildir(settings), create=True).add(_message(m, settings))


def transport(settings: Settings) -> Callable[[Leased, Settings], None] | None:
    """How due mail leaves: SMTP when configured; a local Maildir in development; otherwise it stays queued."""
    if settings.smtp_url:
        return send
    return deliver_local if settings.env is Mode.DEVELOPMENT else None


def pending_count() -> int:
    with session_scope(write=False) as session:
        return int(session.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == OutboxStatus.PENDING)) or 0)


def explain(settings: Settings) -> str | None:
    """One line for `ipclaims worker` when mail does not go to an SMTP server, saying where it goes instead."""
    if settings.smtp_url:
        return None
    if transport(settings) is deliver_local:
        return (
            f"mail: IPCLAIMS_SMTP_URL is unset, so (development) mail is delivered to the Maildir "
            f"{maildir(settings)}/new; `ipclaims outbox list --status sent` lists it, `ipclaims outbox show ID` "
            "prints one"
        )
    return (
        f"mail: IPCLAIMS_SMTP_URL is unset: {pending_count()} message(s) pending in the outbox stay there "
        "until it is set (`ipclaims outbox list --status pending`)"
    )


def show(message_id: str, settings: Settings) -> str | None:
    """One outbox message as text: the headers it is (or would be) sent with, its outbox state, then the body."""
    with session_scope(write=False) as session:
        row = session.get(OutboxMessage, message_id)
        if row is None:
            return None
        leased = Leased(
            row.id,
            row.to_addr,
            row.subject,
            row.body,
            row.lease_until or row.created_at,
            row.attempts,
            row.created_at,
            row.requeued_at,
            kind=row.kind,
        )
        state = {
            "X-Outbox-Kind": row.kind,
            "X-Outbox-Claim": row.claim_id or "-",
            "X-Outbox-Status": f"{row.status} (attempts: {row.attempts})",
            "X-Outbox-Sent": row.sent_at.isoformat() if row.sent_at else "-",
            "X-Outbox-Last-Error": row.last_error or "-",
        }
    msg = _message(leased, settings)
    headers = [f"{name}: {msg[name]}" for name in ("From", "To", "Subject", "Date", "Message-ID", "Auto-Submitted")]
    headers += [f"{name}: {value}" for name, value in state.items()]
    return "\n".join(headers) + "\n\n" + leased.body


def permanent(exc: BaseException) -> bool:
    """Whether the receiving server refused the message itself (a 5xx reply), as opposed to not being reachable,
    asking to try later (4xx), refusing our login, or a configuration error: those say nothing about the message."""
    if isinstance(exc, smtplib.SMTPAuthenticationError | smtplib.SMTPConnectError | smtplib.SMTPHeloError):
        return False  # the server (or our login) refused the session, not this message
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return bool(exc.recipients) and all(code >= 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):  # sender refused, data refused, …
        return exc.smtp_code >= 500
    # The network, a disconnect, a bad setting: transient. Anything else is a message that cannot be sent as it is
    # (an address or header that does not encode): retrying it forever would only repeat the error.
    return not isinstance(exc, OSError | smtplib.SMTPException | SmtpSettingError)


def _settle(m: Leased, now: datetime, *, error: BaseException | None, settings: Settings) -> None:
    with session_scope() as session:
        mine = (OutboxMessage.id == m.id) & (OutboxMessage.lease_until == m.lease_until)
        if error is None:
            values: dict[str, object] = {
                "status": OutboxStatus.SENT,
                "sent_at": now,
                "attempts": m.attempts + 1,
                "lease_until": None,
                "last_error": None,
            }
        else:
            attempts = m.attempts + 1
            refused = permanent(error)
            failed = (
                attempts >= settings.outbox_max_attempts if refused else now - m.queued_at >= timedelta(hours=settings.outbox_max_age_hours)
            )
            kind = "refused" if refused else "not delivered"
            values = {
                "attempts": attempts,
                "last_error": f"{kind}: {type(error).__name__}: {error}"[:2000],
                "lease_until": None,
                "status": OutboxStatus.FAILED if failed else OutboxStatus.PENDING,
                "next_attempt_at": now + backoff(attempts),
            }
        session.execute(update(OutboxMessage).where(mine).values(**values).execution_options(synchronize_session=False))


def deliver_due(now: datetime, settings: Settings, *, limit: int = BATCH) -> dict[str, int]:
    """Send what is due, up to `limit` messages. With no IPCLAIMS_SMTP_URL, mail stays in the outbox (CONTRACT.md),
    except in development, where it goes to a local Maildir (`transport`).

    `now` is the sweep's time; each lease and outcome is stamped with it plus the time the sweep has taken so far.
    """
    deliver = transport(settings)
    if deliver is None:
        return {"sent": 0, "failed": 0}
    started = time.monotonic()

    def clock() -> datetime:
        return now + timedelta(seconds=time.monotonic() - started)

    sent = failed = 0
    for _ in range(limit):
        leased = lease_due(clock(), limit=1)
        if not leased:
            break
        m = leased[0]
        try:
            deliver(m, settings)
        except Exception as exc:  # every failure is recorded on the message; none stops the sweep
            log.warning("mail %s to %s failed: %s", m.id, m.to_addr, exc)
            _settle(m, clock(), error=exc, settings=settings)
            failed += 1
        else:
            _settle(m, clock(), error=None, settings=settings)
            sent += 1
    return {"sent": sent, "failed": failed}


def requeue_failed(ids: Sequence[str] | None = None) -> int:
    """Queue given-up (`failed`) mail again, all of it or the ids given; returns how many. Attempts and the retry
    age start over (`requeued_at`)."""
    with session_scope() as session:
        where = OutboxMessage.status == OutboxStatus.FAILED
        if ids:
            where = where & OutboxMessage.id.in_(list(ids))
        now = utcnow()
        result = session.execute(
            update(OutboxMessage)
            .where(where)
            .values(
                status=OutboxStatus.PENDING,
                attempts=0,
                next_attempt_at=now,
                lease_until=None,
                requeued_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]
