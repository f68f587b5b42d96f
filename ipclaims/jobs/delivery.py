"""Outbox delivery over SMTP with leases and exponential backoff.

A message is leased in a short transaction, sent with no transaction open (an SMTP round trip must never hold the
SQLite write lock or a PostgreSQL row lock), then marked sent. A worker killed mid-send leaves only a lease, which
expires and is retried; the Message-ID is fixed per outbox row so a receiver can drop the rare duplicate that
at-least-once delivery allows.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from urllib.parse import unquote, urlsplit

from sqlalchemy import or_, select, update

from ipclaims.config import Settings
from ipclaims.db import session_scope
from ipclaims.models import OutboxMessage, OutboxStatus

log = logging.getLogger("ipclaims.delivery")

LEASE = timedelta(minutes=5)
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


def lease_due(now: datetime, *, limit: int = BATCH) -> list[Leased]:
    with session_scope() as session:
        query = (
            select(OutboxMessage)
            .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now,
                   or_(OutboxMessage.lease_until.is_(None), OutboxMessage.lease_until <= now))
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        rows = list(session.scalars(query))
        until = now + LEASE
        for row in rows:
            row.lease_until = until
        return [Leased(r.id, r.to_addr, r.subject, r.body, until, r.attempts, r.created_at) for r in rows]


def _message(m: Leased, settings: Settings) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = settings.mail_from
    msg["To"] = m.to_addr
    msg["Subject"] = m.subject
    msg["Date"] = format_datetime(m.created_at)
    msg["Message-ID"] = f"<{m.id.lower()}@ipclaims>"
    msg.set_content(m.body)
    return msg


def send(m: Leased, settings: Settings) -> None:
    url = urlsplit(settings.smtp_url)
    if url.scheme not in ("smtp", "smtps"):
        raise ValueError(f"IPCLAIMS_SMTP_URL must be smtp:// or smtps://, not {url.scheme!r}")
    smtp_cls = smtplib.SMTP_SSL if url.scheme == "smtps" else smtplib.SMTP
    with smtp_cls(url.hostname or "localhost", url.port or (465 if url.scheme == "smtps" else 25), timeout=20) as smtp:
        if url.username:
            smtp.login(unquote(url.username), unquote(url.password or ""))
        smtp.send_message(_message(m, settings))


def _settle(m: Leased, now: datetime, *, error: str | None, settings: Settings) -> None:
    with session_scope() as session:
        mine = (OutboxMessage.id == m.id) & (OutboxMessage.lease_until == m.lease_until)
        if error is None:
            values: dict[str, object] = {"status": OutboxStatus.SENT, "sent_at": now, "attempts": m.attempts + 1,
                                         "lease_until": None, "last_error": None}
        else:
            attempts = m.attempts + 1
            failed = attempts >= settings.outbox_max_attempts
            values = {"attempts": attempts, "last_error": error[:2000], "lease_until": None,
                      "status": OutboxStatus.FAILED if failed else OutboxStatus.PENDING,
                      "next_attempt_at": now + backoff(attempts)}
        session.execute(update(OutboxMessage).where(mine).values(**values).execution_options(synchronize_session=False))


def deliver_due(now: datetime, settings: Settings) -> dict[str, int]:
    """Send what is due. With no IPCLAIMS_SMTP_URL, mail stays in the outbox (CONTRACT.md)."""
    if not settings.smtp_url:
        return {"sent": 0, "failed": 0}
    sent = failed = 0
    for m in lease_due(now):
        try:
            send(m, settings)
        except (OSError, smtplib.SMTPException, ValueError) as exc:
            log.warning("mail %s to %s failed: %s", m.id, m.to_addr, exc)
            _settle(m, now, error=f"{type(exc).__name__}: {exc}", settings=settings)
            failed += 1
        else:
            _settle(m, now, error=None, settings=settings)
            sent += 1
    return {"sent": sent, "failed": failed}
