"""Accounts and keys: the CLI, the admin API and the demo loader all create them here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ipclaims.auth.keys import display_prefix, generate_key, hash_key
from ipclaims.errors import NotFound
from ipclaims.models import Account, ApiKey, Role, utcnow

# Refreshing `last_used_at` on every request would turn each read into a write; an hour's precision is enough.
LAST_USED_PRECISION = timedelta(hours=1)


@dataclass(frozen=True)
class IssuedKey:
    account: Account
    key: ApiKey
    secret: str


def create_account(session: Session, *, name: str, role: Role, email: str | None = None,
                   trusted_flagger: bool = False, key_label: str | None = None, secret: str | None = None) -> IssuedKey:
    account = Account(name=name, role=role, email=email, trusted_flagger=trusted_flagger)
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


def authenticate(session: Session, secret: str, *, touch: bool) -> Account | None:
    row = session.execute(
        select(ApiKey, Account)
        .join(Account, Account.id == ApiKey.account_id)
        .where(ApiKey.key_hash == hash_key(secret), ApiKey.revoked_at.is_(None), Account.active.is_(True))
    ).first()
    if row is None:
        return None
    key, account = row
    now = utcnow()
    if touch and (key.last_used_at is None or now - key.last_used_at > LAST_USED_PRECISION):
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
    return key


def update_account(session: Session, admin: Account, account_id: str, changes: dict[str, object]) -> Account:
    """Trusted-flagger status (DSA Art. 22) and deactivation are admin decisions, recorded in the audit trail."""
    from ipclaims.claims.workflow import record_event

    account = get_account(session, account_id)
    before = {k: getattr(account, k) for k in changes}
    for key, value in changes.items():
        if value is not None:
            setattr(account, key, value)
    record_event(session, claim_id=None, actor=admin, subject_type="account", subject_id=account.id,
                 action="account_updated", data={"before": before, "after": {k: getattr(account, k) for k in changes}},
                 internal=True)
    return account
