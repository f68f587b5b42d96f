"""`ipclaims demo`: demo accounts, reference works with images, and claims of every regime, some incomplete.
Idempotent; development only.

Demo keys are derived from the development secret so `make run` can print the same working keys on every start;
production refuses both the command and that secret.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy.orm import Session

from ipclaims.auth.keys import KEY_PREFIX
from ipclaims.auth.passwords import hash_password
from ipclaims.auth.service import issue_key
from ipclaims.claims import service as claims_service
from ipclaims.claims.schemas import ClaimIn
from ipclaims.config import Settings, get_settings
from ipclaims.db import session_scope
from ipclaims.models import Account, Role, Work, WorkKind
from ipclaims.resources import resource_dir
from ipclaims.works import service as works_service


def demo_key(name: str, secret: str | None = None) -> str:
    """The demo key `name` as derived from `secret` (the configured one by default)."""
    digest = hashlib.sha256(f"{secret or get_settings().secret_key}:demo:{name}".encode()).hexdigest()[:32]
    return f"{KEY_PREFIX}demo_{name}_{digest}"


def demo_password(name: str, secret: str | None = None) -> str:
    """The demo account `name`'s web password, derived like its key (so production can recognise and refuse it)."""
    digest = hashlib.sha256(f"{secret or get_settings().secret_key}:demo-password:{name}".encode()).hexdigest()[:10]
    return f"demo-{name.replace('_', '-')}-{digest}"


def demo_sign_ins() -> dict[str, str]:
    """Email → demo password of each demo account, for `ipclaims demo` to print."""
    fixture: dict[str, Any] = json.loads((resource_dir("fixtures") / "demo.json").read_text())
    return {spec["email"]: demo_password(spec["key_name"]) for spec in fixture["accounts"] if spec.get("email")}


def load_demo() -> dict[str, str]:
    fixture: dict[str, Any] = json.loads((resource_dir("fixtures") / "demo.json").read_text())
    settings = get_settings()
    keys: dict[str, str] = {}
    with session_scope() as session:
        by_key_name: dict[str, Account] = {}
        fresh = False
        for spec in fixture["accounts"]:
            account = session.get(Account, spec["id"])
            if account is None:
                fresh = True
                account = Account(
                    id=spec["id"],
                    name=spec["name"],
                    role=Role(spec["role"]),
                    email=spec.get("email"),
                    trusted_flagger=spec.get("trusted_flagger", False),
                )
                session.add(account)
                session.flush()
                issue_key(session, account, label="demo", secret=demo_key(spec["key_name"]))
            if account.password_hash is None and account.email:
                account.password_hash = hash_password(demo_password(spec["key_name"]))
            by_key_name[spec["key_name"]] = account
            keys[spec["key_name"]] = demo_key(spec["key_name"])
        for spec in fixture.get("works", []):
            if session.get(Work, spec["id"]) is None:
                _demo_work(session, by_key_name[spec["owner"]], spec, settings)
        if fresh:
            for entry in fixture["claims"]:
                owner = by_key_name[entry["owner"]]
                claims_service.submit(session, owner, ClaimIn.model_validate_json(json.dumps(entry["claim"])), settings)
    return keys


def _demo_work(session: Session, owner: Account, spec: dict[str, Any], settings: Settings) -> None:
    work = Work(
        id=spec["id"],
        owner_id=owner.id,
        title=spec["title"],
        kind=WorkKind(spec.get("kind", "copyright")),
        registration_number=spec.get("registration_number"),
        description=spec.get("description"),
    )
    session.add(work)
    session.flush()
    for relative in spec.get("images", []):
        with open(resource_dir("fixtures") / relative, "rb") as fh:
            works_service.add_image(session, owner, work.id, fh, settings)
