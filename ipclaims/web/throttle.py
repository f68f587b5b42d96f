"""Failed sign-ins, throttled per email and per client address: at most `LIMIT` in `WINDOW_S`, then 429 until
the oldest counted failure leaves the window. Kept in the database (`sign_in_failure`), so every process and
`--workers N` worker shares one budget; rows older than the window are pruned as new failures arrive.

An attempt is recorded as a failure before its password is checked (`reserve`), under a lock on its keys, and the
record taken back if the password was right (`succeeded`): checking first and recording after let a burst of
parallel posts all pass the check before any failure was written, each getting a password guess."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.orm import Session

from ipclaims.db import session_scope
from ipclaims.models import SignInFailure, utcnow

LIMIT = 5
WINDOW_S = 15 * 60
WINDOW = timedelta(seconds=WINDOW_S)


def retry_after(session: Session, keys: list[str], now: datetime | None = None) -> int:
    """Seconds until a sign-in for these keys may be tried again; 0 when it may be tried now."""
    now = now or utcnow()
    query = (
        select(SignInFailure.key, func.count(), func.max(SignInFailure.at))
        .where(SignInFailure.key.in_(keys), SignInFailure.at > now - WINDOW)
        .group_by(SignInFailure.key)
    )
    wait = 0.0
    for key, count, _latest in session.execute(query).tuples():
        if count >= LIMIT:
            # The LIMIT-th most recent failure must leave the window before the next try.
            times = session.scalars(
                select(SignInFailure.at).where(SignInFailure.key == key).order_by(SignInFailure.at.desc()).offset(LIMIT - 1).limit(1)
            ).all()
            if times:
                wait = max(wait, (times[0] + WINDOW - now).total_seconds())
    return int(wait) + (1 if wait > 0 else 0)


def record_failure(session: Session, keys: list[str], now: datetime | None = None) -> None:
    now = now or utcnow()
    session.execute(delete(SignInFailure).where(SignInFailure.at <= now - WINDOW))
    session.execute(insert(SignInFailure), [{"key": key[:400], "at": now} for key in keys])


def reserve(session: Session, keys: list[str], now: datetime | None = None) -> tuple[int, list[int]]:
    """Count this attempt as a failure before its password is checked: (0, the rows recorded) when it may be tried,
    else (seconds to wait, []) with nothing recorded. One at a time per key: SQLite writers are serialised by BEGIN
    IMMEDIATE; on PostgreSQL a transaction-scoped advisory lock on each key (in order) makes a parallel attempt wait
    until this one's record is committed, so it counts it."""
    now = now or utcnow()
    keys = sorted({key[:400] for key in keys})
    if session.get_bind().dialect.name == "postgresql":
        for key in keys:
            session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": f"sign-in:{key}"})
    wait = retry_after(session, keys, now)
    if wait:
        return wait, []
    session.execute(delete(SignInFailure).where(SignInFailure.at <= now - WINDOW))
    ids = session.scalars(insert(SignInFailure).returning(SignInFailure.id), [{"key": key, "at": now} for key in keys]).all()
    return 0, [int(i) for i in ids]


def succeeded(session: Session, keys: list[str], reserved: list[int]) -> None:
    """The password was right: this attempt's records taken back, and the email's earlier failures forgotten."""
    session.execute(delete(SignInFailure).where(SignInFailure.id.in_(reserved)))
    forget(session, keys[:1])


def forget(session: Session, keys: list[str]) -> None:
    session.execute(delete(SignInFailure).where(SignInFailure.key.in_(keys)))


def reset() -> None:
    """Every failure forgotten (tests)."""
    with session_scope() as session:
        session.execute(delete(SignInFailure))


def keys_for(email: str, client: str | None) -> list[str]:
    return [f"email:{email.strip().lower()}"[:400], f"ip:{client or '?'}"]
