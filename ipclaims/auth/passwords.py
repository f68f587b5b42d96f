"""Passwords for the web pages: argon2id hashes (argon2-cffi's RFC 9106 low-memory profile), sign-in by email.

API keys remain the API's credential; a password only opens a browser session (`ipclaims.web.session`). The
session cookie carries `stamp(account)`, derived from the stored hash, so changing the password ends every
session signed in with the old one.
"""

from __future__ import annotations

import hashlib
import hmac

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ipclaims.auth.service import account_changed
from ipclaims.errors import Unprocessable
from ipclaims.models import Account

MIN_LENGTH = 10
MAX_LENGTH = 1024  # argon2 takes any length; a megabyte "password" would only be a way to burn CPU

_HASHER = PasswordHasher()
# Verified when no account matches, so an unknown email takes as long as a wrong password.
_DUMMY_HASH = _HASHER.hash("not a password of anyone")


def check_strength(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise Unprocessable(f"a password needs at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise Unprocessable(f"a password has at most {MAX_LENGTH} characters")
    if not password.strip():
        raise Unprocessable("a password cannot be only spaces")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify(stored: str | None, password: str) -> bool:
    if len(password) > MAX_LENGTH:
        return False
    try:
        return _HASHER.verify(stored or _DUMMY_HASH, password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def stamp(account: Account) -> str:
    """A short fingerprint of the stored hash: a session carrying an older one was signed in before a change."""
    return hashlib.sha256((account.password_hash or "").encode()).hexdigest()[:16]


def stamp_matches(account: Account, value: object) -> bool:
    return isinstance(value, str) and account.password_hash is not None and hmac.compare_digest(stamp(account), value)


def accounts_with_email(session: Session, email: str) -> list[Account]:
    wanted = email.strip().lower()
    return list(session.scalars(select(Account).where(func.lower(Account.email) == wanted).order_by(Account.id)))


def set_password(session: Session, account: Account, password: str, *, reason: str = "password set") -> None:
    check_strength(password)
    account.password_hash = hash_password(password)
    account_changed(session, account, None, {"after": {"password": "changed"}}, reason=reason)


def authenticate(session: Session, email: str, password: str) -> Account | None:
    """The active account with this email whose password this is. Always verifies one hash at least."""
    candidates = [a for a in accounts_with_email(session, email) if a.active and a.password_hash]
    if not candidates:
        verify(None, password)
        return None
    for account in candidates:
        if verify(account.password_hash, password):
            return account
    return None
