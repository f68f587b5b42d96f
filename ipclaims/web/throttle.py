"""Failed sign-ins, throttled per email and per client address: at most `LIMIT` in `WINDOW_S`, then 429 until
the oldest counted failure leaves the window. Kept in the database (`sign_in_failure`), so every process and
`--workers N` worker shares one budget; rows older than the window are pruned as new failures arrive."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, insert, select
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


def forget(session: Session, keys: list[str]) -> None:
    session.execute(delete(SignInFailure).where(SignInFailure.key.in_(keys)))


def reset() -> None:
    """Every failure forgotten (tests)."""
    with session_scope() as session:
        session.execute(delete(SignInFailure))


def keys_for(email: str, client: str | None) -> list[str]:
    return [f"email:{email.strip().lower()}"[:400], f"ip:{client or '?'}"]
