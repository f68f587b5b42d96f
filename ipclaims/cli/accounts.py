"""`ipclaims accounts create|list|set-password|disable|keys rotate` (CONTRACT.md "Setup and CLI")."""

from __future__ import annotations

import argparse
import json
import sys

from ipclaims.auth import passwords
from ipclaims.auth.service import active_key_counts, create_account, disable_account, find_by_name, list_accounts, rotate_keys
from ipclaims.cli import fail
from ipclaims.db import session_scope
from ipclaims.errors import AppError, NotFound
from ipclaims.models import Role


def create(args: argparse.Namespace) -> int:
    if not args.name.strip():
        return fail("accounts create", "--name must not be blank")
    with session_scope() as session:
        existing = find_by_name(session, args.name)
        if existing is not None:
            return fail(
                "accounts create",
                f"an account named {existing.name!r} already exists ({existing.id}, "
                f"{existing.role.value}); choose another name, or `ipclaims accounts keys rotate {existing.id}` "
                "for a new key",
            )
        issued = create_account(
            session, name=args.name.strip(), role=Role(args.role), email=args.email, trusted_flagger=args.trusted_flagger, key_label="cli"
        )
        out = {"id": issued.account.id, "role": issued.account.role.value, "api_key": issued.secret}
    if args.json:
        print(json.dumps(out))
    else:
        print(f"created {out['role']} account {out['id']}\nAPI key (shown once): {out['api_key']}")
    return 0


def list_(args: argparse.Namespace) -> int:
    with session_scope(write=False) as session:
        keys = active_key_counts(session)
        rows = [
            {
                "id": a.id,
                "name": a.name,
                "role": a.role.value,
                "email": a.email,
                "active": a.active,
                "trusted_flagger": a.trusted_flagger,
                "keys": keys.get(a.id, 0),
                "created_at": a.created_at.isoformat(),
            }
            for a in list_accounts(session, role=Role(args.role) if args.role else None)
        ]
    if args.json:
        for row in rows:
            print(json.dumps(row))
        return 0
    print(f"{'id':<26}  {'role':<13}  {'active':<6}  {'keys':>4}  name <email>")
    for row in rows:
        email = f" <{row['email']}>" if row["email"] else ""
        print(f"{row['id']:<26}  {row['role']:<13}  {'yes' if row['active'] else 'no':<6}  {row['keys']:>4}  {row['name']}{email}")
    return 0


def set_password(args: argparse.Namespace) -> int:
    """The password is one line on stdin (never an argument: it would show in `ps` and the shell history)."""
    line = sys.stdin.readline()
    password = line[:-1] if line.endswith("\n") else line
    password = password[:-1] if password.endswith("\r") else password
    try:
        passwords.check_strength(password)
    except AppError as exc:
        return fail("accounts set-password", exc.detail)
    with session_scope() as session:
        found = passwords.accounts_with_email(session, args.email)
        if not found:
            return fail("accounts set-password", f"no account with the email {args.email!r} (`ipclaims accounts list`)")
        if len(found) > 1:
            ids = ", ".join(a.id for a in found)
            return fail("accounts set-password", f"{len(found)} accounts have the email {args.email!r} ({ids}); give each its own first")
        passwords.set_password(session, found[0], password, reason="password set from the command line")
        name, account_id, active = found[0].name, found[0].id, found[0].active
    print(f"password set for {name} ({account_id}); sessions signed in with the old one are ended")
    if not active:
        print("note: the account is disabled; it can sign in once an admin re-activates it", file=sys.stderr)
    return 0


def disable(args: argparse.Namespace) -> int:
    try:
        with session_scope() as session:
            account = disable_account(session, args.id)
            name = account.name
    except NotFound:
        return fail("accounts disable", f"no account {args.id} (`ipclaims accounts list` shows the ids)")
    print(f"disabled {name} ({args.id}): its API keys no longer work")
    return 0


def keys_rotate(args: argparse.Namespace) -> int:
    try:
        with session_scope() as session:
            issued, revoked = rotate_keys(session, args.id)
            out = {
                "id": issued.account.id,
                "role": issued.account.role.value,
                "api_key": issued.secret,
                "key_id": issued.key.id,
                "revoked": [k.id for k in revoked],
            }
            active = issued.account.active
    except NotFound:
        return fail("accounts keys rotate", f"no account {args.id} (`ipclaims accounts list` shows the ids)")
    if args.json:
        print(json.dumps(out))
    else:
        print(f"revoked {len(out['revoked'])} key(s) of {out['id']}\nnew API key (shown once): {out['api_key']}")
        if not active:
            print("note: the account is disabled; the new key works once an admin re-activates it", file=sys.stderr)
    return 0
