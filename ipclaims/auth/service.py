"""Accounts and keys: the CLI, the admin API and the demo loader all create them here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from ipclaims.auth import cache
from ipclaims.auth.keys import display_prefix, generate_key, hash_key
from ipclaims.db import after_commit, lookup_engine
from ipclaims.errors import NotFound
from ipclaims.events import Action, record_event
from ipclaims.models import Account, ApiKey, Role, utcnow

# Refreshing `last_used_at` on every request would turn each read into a write; an hour's precision is enough.
LAST_USED_PRECISION = timedelta(hours=1)


@dataclass(frozen=True)
class IssuedKey:
    account: Account
    key: ApiKey
    secret: str


def create_account(
    session: Session,
    *,
    name: str,
    role: Role,
    email: str | None = None,
    trusted_flagger: bool = False,
    key_label: str | None = None,
    secret: str | None = None,
) -> IssuedKey:
    # Stored as mail will use it (the CLI passes `--email` as typed; the API has already stripped it).
    account = Account(name=name, role=role, email=email.strip() if email else email, trusted_flagger=trusted_flagger)
    session.add(account)
    session.flush()
    return issue_key(session, account, label=key_label, secret=secret)


def issue_key(session: Session, account: Account, *, label: str | None = None, secret: str | None = None) -> IssuedKey:
    """`secret` is only passed by the development demo loader, whose keys are printed on every start."""
    secret = secret or generate_key()
    key = ApiKey(account_id=account.id, key_hash=hash_key(secret), prefix=display_prefix(secret), label=label)
    session.add(key)
    session.flush()
    return IssuedKey(account=account, key=key, secret=secret)


_CALLER = (
    select(ApiKey.id, ApiKey.last_used_at, Account)
    .join(Account, Account.id == ApiKey.account_id)
    .where(ApiKey.key_hash == bindparam("key_hash"), ApiKey.revoked_at.is_(None), Account.active.is_(True))
)


def load_caller(url: str, key_hash: str) -> cache.Caller | None:
    """The active account behind an unrevoked key, read on the lookup pool and remembered (`auth.cache`).

    Blocking I/O: the auth dependency calls it from the threadpool, only when the cache has no live entry.
    """
    seen = cache.generation()
    with Session(lookup_engine(url)) as session:
        row = session.execute(_CALLER, {"key_hash": key_hash}).first()
    if row is None:
        return None
    key_id, last_used_at, account = row  # detached when the session closes, every column loaded
    return cache.put(url, key_hash, account, key_id, last_used_at, seen)


def needs_touch(last_used_at: datetime | None, now: datetime) -> bool:
    return last_used_at is None or now - last_used_at > LAST_USED_PRECISION


def touch_key(session: Session, key_id: str, at: datetime) -> None:
    session.execute(update(ApiKey).where(ApiKey.id == key_id).values(last_used_at=at).execution_options(synchronize_session=False))


def authenticate(session: Session, secret: str, *, touch: bool) -> Account | None:
    """Authenticate inside a session of one's own (scripts, tests); requests use `auth.deps.current_account`."""
    row = session.execute(
        select(ApiKey, Account)
        .join(Account, Account.id == ApiKey.account_id)
        .where(ApiKey.key_hash == hash_key(secret), ApiKey.revoked_at.is_(None), Account.active.is_(True))
    ).first()
    if row is None:
        return None
    key, account = row._tuple()
    now = utcnow()
    if touch and needs_touch(key.last_used_at, now):
        key.last_used_at = now
    return account


def get_account(session: Session, account_id: str) -> Account:
    account = session.get(Account, account_id)
    if account is None:
        raise NotFound(f"no account {account_id}")
    return account


def list_accounts(session: Session, *, role: Role | None = None) -> list[Account]:
    query = select(Account).order_by(Account.id)
    if role is not None:
        query = query.where(Account.role == role)
    return list(session.scalars(query))


def list_keys(session: Session, account: Account) -> list[ApiKey]:
    return list(session.scalars(select(ApiKey).where(ApiKey.account_id == account.id).order_by(ApiKey.id)))


def revoke_key(session: Session, account: Account, key_id: str) -> ApiKey:
    key = session.get(ApiKey, key_id)
    if key is None or key.account_id != account.id:
        raise NotFound(f"no key {key_id} on account {account.id}")
    if key.revoked_at is None:
        key.revoked_at = utcnow()
    # At once, and again after the commit: a request that read the key meanwhile must not keep it alive.
    cache.forget_key(key.key_hash)
    after_commit(session, lambda: cache.forget_key(key.key_hash))
    return key


def update_account(session: Session, admin: Account, account_id: str, changes: dict[str, object]) -> Account:
    """Trusted-flagger status (DSA Art. 22) and deactivation are admin decisions, recorded in the audit trail."""
    account = get_account(session, account_id)
    before = {k: getattr(account, k) for k in changes}
    for key, value in changes.items():
        if value is not None:
            setattr(account, key, value)
    account_changed(session, account, admin, {"before": before, "after": {k: getattr(account, k) for k in changes}})
    return account


def account_changed(session: Session, account: Account, actor: Account | None, data: dict[str, Any], *, reason: str | None = None) -> None:
    """An account's change in the audit trail, its cached copy dropped now and again after the commit, so the next
    request sees it (a deactivation, a new password, trusted-flagger status)."""
    cache.forget_account(account.id)
    after_commit(session, lambda: cache.forget_account(account.id))
    record_event(
        session,
        claim_id=None,
        actor=actor,
        subject_type="account",
        subject_id=account.id,
        action=Action.ACCOUNT_UPDATED,
        data=data,
        reason=reason,
        internal=True,
    )


def find_by_name(session: Session, name: str) -> Account | None:
    """The account whose name matches, ignoring case and surrounding spaces: two "Aurora Studios" would be two
    notifiers to the people reading the queue, and only one of them holds the works."""
    wanted = name.strip().lower()
    return session.scalars(select(Account).where(func.lower(func.trim(Account.name)) == wanted).order_by(Account.id).limit(1)).first()


def active_key_counts(session: Session) -> dict[str, int]:
    rows = session.execute(select(ApiKey.account_id, func.count()).where(ApiKey.revoked_at.is_(None)).group_by(ApiKey.account_id))
    return {account_id: int(count) for account_id, count in rows}


def disable_account(session: Session, account_id: str) -> Account:
    """The command line's way to stop an account (its keys stop working at once); an audit event records it."""
    account = get_account(session, account_id)
    if account.active:
        account.active = False
        account_changed(
            session, account, None, {"before": {"active": True}, "after": {"active": False}}, reason="disabled from the command line"
        )
    return account


def rotate_keys(session: Session, account_id: str, *, label: str | None = "rotated") -> tuple[IssuedKey, list[ApiKey]]:
    """Issue a new key and revoke every key the account had: a leaked key is replaced in one step."""
    account = get_account(session, account_id)
    old = [key for key in list_keys(session, account) if key.revoked_at is None]
    for key in old:
        revoke_key(session, account, key.id)
    return issue_key(session, account, label=label), old
