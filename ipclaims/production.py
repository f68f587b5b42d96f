"""What production refuses to start with (CONTRACT.md "Setup and CLI"): the default secret, and any demo account,
demo key or demo web password still active.

Demo keys are derived from a secret by a public formula (`demo.demo_key`), so whoever has read the source can compute
the demo admin's key for the development secret, and for any secret `ipclaims demo` ran under. A database that was
demonstrated in development and then served in production would answer those keys; `serve` and `worker` therefore
check the database before starting and name what is active and how to revoke it (`ipclaims demo --revoke`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import CursorResult, or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ipclaims.auth import passwords
from ipclaims.auth.keys import hash_key
from ipclaims.config import DEV_SECRET, InsecureSettings, Mode, Settings
from ipclaims.db import error_reason, session_scope
from ipclaims.demo import demo_key, demo_password
from ipclaims.models import Account, ApiKey, utcnow
from ipclaims.resources import resource_dir

REVOKE_HINT = "revoke them with `ipclaims demo --revoke`"


@dataclass(frozen=True)
class DemoFixture:
    account_ids: frozenset[str]
    key_hashes: frozenset[str]


def demo_fixture(settings: Settings) -> DemoFixture:
    """The demo accounts' ids and the hashes of every demo key derivable from the development secret or this one."""
    fixture: dict[str, Any] = json.loads((resource_dir("fixtures") / "demo.json").read_text())
    names = [spec["key_name"] for spec in fixture["accounts"]]
    secrets = {DEV_SECRET, settings.secret_key}
    return DemoFixture(
        account_ids=frozenset(spec["id"] for spec in fixture["accounts"]),
        key_hashes=frozenset(hash_key(demo_key(name, secret)) for name in names for secret in secrets),
    )


def active_demo_credentials(session: Session, settings: Settings) -> tuple[list[str], list[str]]:
    """Active demo accounts ("name (role, id)") and unrevoked demo keys ("prefix… of account id") still usable."""
    demo = demo_fixture(settings)
    accounts = session.scalars(
        select(Account).where(Account.id.in_(sorted(demo.account_ids)), Account.active.is_(True)).order_by(Account.id)
    ).all()
    keys = session.execute(
        select(ApiKey.prefix, ApiKey.account_id)
        .join(Account, Account.id == ApiKey.account_id)
        .where(
            ApiKey.revoked_at.is_(None), Account.active.is_(True), or_(ApiKey.key_hash.in_(sorted(demo.key_hashes)), ApiKey.label == "demo")
        )
        .order_by(ApiKey.account_id, ApiKey.prefix)
    ).all()
    return ([f"{a.name} ({a.role.value}, {a.id})" for a in accounts], [f"{prefix}… of account {account_id}" for prefix, account_id in keys])


def demo_password_accounts(session: Session, settings: Settings) -> list[Account]:
    """Active accounts that sign in with a demo password. Argon2 hashes are salted, so they cannot be
    looked up like keys: the accounts bearing a demo account's email are verified against every derivable one."""
    fixture: dict[str, Any] = json.loads((resource_dir("fixtures") / "demo.json").read_text())
    found: list[Account] = []
    for spec in fixture["accounts"]:
        if not spec.get("email"):
            continue
        candidates = [demo_password(spec["key_name"], secret) for secret in sorted({DEV_SECRET, settings.secret_key})]
        for account in passwords.accounts_with_email(session, spec["email"]):
            if account.active and account.password_hash and any(passwords.verify(account.password_hash, c) for c in candidates):
                found.append(account)
    return found


def revoke_demo(settings: Settings) -> dict[str, int]:
    """Disable the demo accounts and revoke every demo key (any account, any environment)."""
    demo = demo_fixture(settings)
    with session_scope() as session:
        accounts = session.execute(
            update(Account).where(Account.id.in_(sorted(demo.account_ids)), Account.active.is_(True)).values(active=False)
        )
        keys = session.execute(
            update(ApiKey)
            .where(ApiKey.revoked_at.is_(None), or_(ApiKey.key_hash.in_(sorted(demo.key_hashes)), ApiKey.label == "demo"))
            .values(revoked_at=utcnow())
        )
        assert isinstance(accounts, CursorResult) and isinstance(keys, CursorResult)
        cleared = demo_password_accounts(session, settings)
        for account in cleared:  # an account outside the fixture that was given a demo password: it loses it
            account.password_hash = None
        return {"accounts_disabled": accounts.rowcount, "keys_revoked": keys.rowcount, "passwords_cleared": len(cleared)}


def refuse_insecure_start(settings: Settings) -> None:
    """Raise InsecureSettings (one line, for stderr) if production would start on anything publicly known."""
    if settings.env is not Mode.PRODUCTION:
        return
    settings.check_secure()
    try:
        with session_scope(write=False) as session:
            accounts, keys = active_demo_credentials(session, settings)
            demo_passwords = [f"{a.email} ({a.id})" for a in demo_password_accounts(session, settings)]
    except SQLAlchemyError as exc:  # unmigrated or unreachable: nothing can be verified, so nothing is served
        raise InsecureSettings(
            f"IPCLAIMS_ENV=production cannot check the database for demo credentials ({error_reason(exc)}); "
            "run `ipclaims migrate` and check IPCLAIMS_DATABASE_URL"
        ) from None
    if accounts or keys or demo_passwords:
        active = "; ".join(
            part
            for part in (
                f"demo accounts: {', '.join(accounts)}" if accounts else "",
                f"demo keys: {', '.join(keys)}" if keys else "",
                f"demo passwords: {', '.join(demo_passwords)}" if demo_passwords else "",
            )
            if part
        )
        raise InsecureSettings(f"IPCLAIMS_ENV=production refuses to start while demo credentials are active ({active}); {REVOKE_HINT}")
