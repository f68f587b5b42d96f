"""The `ipclaims` command (CONTRACT.md "Setup and CLI")."""

from __future__ import annotations

import argparse
import datetime as dt
import inspect
import json
import sys
import time
from collections.abc import Sequence
from typing import Any

import uvicorn
from sqlalchemy import select
from sqlalchemy.exc import OperationalError, ProgrammingError

from ipclaims import __version__, integrations, letters, notifications, progress
from ipclaims.auth import passwords
from ipclaims.auth.service import active_key_counts, create_account, disable_account, find_by_name, list_accounts, rotate_keys
from ipclaims.config import InsecureSettings, Mode, get_settings
from ipclaims.db import error_reason, session_scope
from ipclaims.demo import demo_sign_ins, load_demo
from ipclaims.errors import AppError, NotFound
from ipclaims.integrations import cli as integrations_cli
from ipclaims.jobs import delivery
from ipclaims.jobs.worker import run_forever, run_once
from ipclaims.letters import cli as letters_cli
from ipclaims.mailroom import cli as mailroom_cli
from ipclaims.matching import service as matching
from ipclaims.migrations import upgrade
from ipclaims.models import LetterKind, OutboxMessage, Role
from ipclaims.production import refuse_insecure_start, revoke_demo
from ipclaims.reports import rollups
from ipclaims.reports import service as reports

# How long a `serve --workers N` process may take to start (import the app) before uvicorn gives up on it. Newer
# uvicorn releases wait 5 s, then kill and restart the worker — for ever, on a machine busy or slow enough that the
# imports take longer (seen: 6 s of compiling sources where no bytecode is cached, PYTHONDONTWRITEBYTECODE).
WORKER_STARTUP_S = 60


def _serve(args: argparse.Namespace) -> int:
    refuse_insecure_start(get_settings())
    patience: dict[str, Any] = (
        {"timeout_worker_healthcheck": WORKER_STARTUP_S}
        if "timeout_worker_healthcheck" in inspect.signature(uvicorn.Config).parameters
        else {}
    )
    uvicorn.run(
        "ipclaims.main:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=get_settings().log_level.lower(),
        proxy_headers=False,
        **patience,
    )
    return 0


def _migrate(_args: argparse.Namespace) -> int:
    upgrade()
    return 0


def _fail(command: str, message: str) -> int:
    """A refusal the user can act on: one line on stderr, exit status 1, no traceback."""
    print(f"ipclaims {command}: {message}", file=sys.stderr)
    return 1


def _accounts_create(args: argparse.Namespace) -> int:
    if not args.name.strip():
        return _fail("accounts create", "--name must not be blank")
    with session_scope() as session:
        existing = find_by_name(session, args.name)
        if existing is not None:
            return _fail(
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


def _accounts_list(args: argparse.Namespace) -> int:
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


def _accounts_set_password(args: argparse.Namespace) -> int:
    """The password is one line on stdin (never an argument: it would show in `ps` and the shell history)."""
    line = sys.stdin.readline()
    password = line[:-1] if line.endswith("\n") else line
    password = password[:-1] if password.endswith("\r") else password
    try:
        passwords.check_strength(password)
    except AppError as exc:
        return _fail("accounts set-password", exc.detail)
    with session_scope() as session:
        found = passwords.accounts_with_email(session, args.email)
        if not found:
            return _fail("accounts set-password", f"no account with the email {args.email!r} (`ipclaims accounts list`)")
        if len(found) > 1:
            ids = ", ".join(a.id for a in found)
            return _fail("accounts set-password", f"{len(found)} accounts have the email {args.email!r} ({ids}); give each its own first")
        passwords.set_password(session, found[0], password, reason="password set from the command line")
        name, account_id, active = found[0].name, found[0].id, found[0].active
    print(f"password set for {name} ({account_id}); sessions signed in with the old one are ended")
    if not active:
        print("note: the account is disabled; it can sign in once an admin re-activates it", file=sys.stderr)
    return 0


def _accounts_disable(args: argparse.Namespace) -> int:
    try:
        with session_scope() as session:
            account = disable_account(session, args.id)
            name = account.name
    except NotFound:
        return _fail("accounts disable", f"no account {args.id} (`ipclaims accounts list` shows the ids)")
    print(f"disabled {name} ({args.id}): its API keys no longer work")
    return 0


def _accounts_keys_rotate(args: argparse.Namespace) -> int:
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
        return _fail("accounts keys rotate", f"no account {args.id} (`ipclaims accounts list` shows the ids)")
    if args.json:
        print(json.dumps(out))
    else:
        print(f"revoked {len(out['revoked'])} key(s) of {out['id']}\nnew API key (shown once): {out['api_key']}")
        if not active:
            print("note: the account is disabled; the new key works once an admin re-activates it", file=sys.stderr)
    return 0


def _mail_note() -> None:
    """Where mail goes when no SMTP server is configured (development: a local Maildir), on stderr."""
    note = delivery.explain(get_settings())
    if note:
        print(note, file=sys.stderr)


def _outbox_show(args: argparse.Namespace) -> int:
    text = delivery.show(args.id, get_settings())
    if text is None:
        return _fail("outbox show", f"no message {args.id} (`ipclaims outbox list --status pending|sent|failed`)")
    print(text, end="" if text.endswith("\n") else "\n")
    return 0


def _demo(args: argparse.Namespace) -> int:
    settings = get_settings()
    if args.revoke:  # allowed in production: it is how a demonstrated database is made fit to serve
        print(json.dumps(revoke_demo(settings)))
        return 0
    if settings.env is Mode.PRODUCTION:
        print("ipclaims demo: refused in production (it creates accounts with well-known keys)", file=sys.stderr)
        return 2
    keys = load_demo()
    if args.json:
        print(json.dumps(keys))
    else:
        print("Demo API keys (development only):")
        width = max(map(len, keys)) + 1
        for role, key in keys.items():
            print(f"  {role:<{width}} {key}")
        print("Demo web sign-ins at /login (development only):")
        for email, password in demo_sign_ins().items():
            print(f"  {email:<40} {password}")
    return 0


def _worker(args: argparse.Namespace) -> int:
    refuse_insecure_start(get_settings())
    if args.once:
        summary = run_once()
        print(json.dumps(summary))
        _mail_note()
        return 0
    _mail_note()
    run_forever(interval=args.interval)
    return 0


def _rehash(args: argparse.Namespace) -> int:
    """Re-index reference images (after a hashing upgrade, or `--all`), with a progress bar on a terminal."""
    settings = get_settings()
    with session_scope(write=False) as session:
        ids = matching.stale_images(session, everything=args.all)
    total, done, failed = len(ids), 0, 0
    started = time.monotonic()
    show = sys.stderr.isatty() and not args.quiet
    for n, image_id in enumerate(ids, 1):
        with session_scope() as session:
            if matching.rehash(session, image_id, settings, only_if_stale=not args.all):
                done += 1
            else:
                failed += 1
        if show:
            progress.bar(n, total, started, "images")
    if show and total:
        print(file=sys.stderr)
    print(json.dumps({"images": total, "reindexed": done, "skipped": failed, "seconds": round(time.monotonic() - started, 2)}))
    return 0


def _outbox_list(args: argparse.Namespace) -> int:
    with session_scope(write=False) as session:
        rows = session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.status == args.status)
            .order_by(OutboxMessage.created_at, OutboxMessage.id)
            .limit(args.limit)
        ).all()
        out = [
            {
                "id": m.id,
                "kind": m.kind,
                "to": m.to_addr,
                "claim_id": m.claim_id,
                "attempts": m.attempts,
                "created_at": m.created_at.isoformat(),
                "last_error": m.last_error,
            }
            for m in rows
        ]
    for row in out:
        print(json.dumps(row))
    return 0


def _outbox_retry(args: argparse.Namespace) -> int:
    print(json.dumps({"requeued": delivery.requeue_failed(args.ids or None)}))
    return 0


def _report(args: argparse.Namespace) -> int:
    """The summary of `GET /api/v1/reports/summary`, as a table or (`--json`) the same JSON; `--rebuild-rollups`
    recomputes the report rollups (migration 0013_rollups) from the claims and items instead."""
    if args.rebuild_rollups:
        with session_scope() as session:
            print(json.dumps({"rebuilt": rollups.rebuild(session.connection())}))
        return 0
    try:
        start, end, r = reports.date_range(args.from_, args.to)
        with session_scope(write=False) as session:
            report = reports.summary(session, start, end, r)
    except AppError as exc:
        return _fail("report", exc.detail)
    print(json.dumps(report, indent=2) if args.json else reports.text_table(report))
    return 0


def _letters_export(args: argparse.Namespace) -> int:
    return letters_cli.export_command(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ipclaims", description="Intellectual-property claim processor")
    parser.add_argument("--version", action="version", version=f"ipclaims {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="serve the API and the web pages")
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1, this machine only; 0.0.0.0 for every interface)"
    )
    serve.add_argument("--port", type=int, default=8000, help="TCP port (default 8000)")
    serve.add_argument("--workers", type=int, default=1, help="server processes (default 1); on SQLite they take turns to write")
    serve.set_defaults(func=_serve)

    migrate = sub.add_parser("migrate", help="alembic upgrade head on IPCLAIMS_DATABASE_URL")
    migrate.set_defaults(func=_migrate)

    worker = sub.add_parser("worker", help="timers, outbox, pending renders and hashing")
    worker.add_argument("--once", action="store_true", help="run one sweep and exit 0")
    worker.add_argument("--interval", type=float, default=5.0, help="seconds between sweeps (default 5)")
    worker.set_defaults(func=_worker)

    rehash = sub.add_parser("rehash", help="re-index reference images for matching (stale ones, or --all)")
    rehash.add_argument("--all", action="store_true", help="every image, not only those hashed by an older scheme")
    rehash.add_argument("--quiet", action="store_true", help="no progress bar")
    rehash.set_defaults(func=_rehash)

    accounts = sub.add_parser("accounts", help="manage accounts")
    accounts_sub = accounts.add_subparsers(dest="accounts_command", required=True)
    create = accounts_sub.add_parser("create", help="create an account and print its first API key")
    create.add_argument("--name", required=True)
    create.add_argument("--role", required=True, choices=[r.value for r in Role])
    create.add_argument("--email")
    create.add_argument("--trusted-flagger", action="store_true", help="DSA Art. 22 trusted flagger")
    create.add_argument("--json", action="store_true", help='print {"id", "role", "api_key"}')
    create.set_defaults(func=_accounts_create)
    set_password = accounts_sub.add_parser("set-password", help="set the web sign-in password of an account; reads one line from stdin")
    set_password.add_argument("--email", required=True, help="the account's email (the one it signs in with)")
    set_password.set_defaults(func=_accounts_set_password)
    listing = accounts_sub.add_parser("list", help="every account: id, role, active, active keys, name and email")
    listing.add_argument("--role", choices=[r.value for r in Role])
    listing.add_argument("--json", action="store_true", help="one JSON object per line")
    listing.set_defaults(func=_accounts_list)
    disable = accounts_sub.add_parser("disable", help="deactivate an account: its keys stop working at once")
    disable.add_argument("id", metavar="ID", help="the account's id (`ipclaims accounts list`)")
    disable.set_defaults(func=_accounts_disable)
    keys = accounts_sub.add_parser("keys", help="an account's API keys")
    keys_sub = keys.add_subparsers(dest="keys_command", required=True)
    rotate = keys_sub.add_parser("rotate", help="issue a new key and revoke every other key of the account; the new key is printed once")
    rotate.add_argument("id", metavar="ID", help="the account's id (`ipclaims accounts list`)")
    rotate.add_argument("--json", action="store_true", help='print {"id", "role", "api_key", "key_id", "revoked"}')
    rotate.set_defaults(func=_accounts_keys_rotate)

    outbox = sub.add_parser("outbox", help="inspect the mail outbox; queue given-up mail again")
    outbox_sub = outbox.add_subparsers(dest="outbox_command", required=True)
    listing = outbox_sub.add_parser("list", help="one JSON line per message, oldest first")
    listing.add_argument("--status", default="failed", choices=["pending", "sent", "failed"])
    listing.add_argument("--limit", type=int, default=100)
    listing.set_defaults(func=_outbox_list)
    retry = outbox_sub.add_parser("retry", help="queue failed mail again (all, or the ids given); attempts start over")
    retry.add_argument("ids", nargs="*", metavar="ID")
    retry.set_defaults(func=_outbox_retry)
    show = outbox_sub.add_parser("show", help="print one message: its headers, outbox state and text")
    show.add_argument("id", metavar="ID")
    show.set_defaults(func=_outbox_show)

    report = sub.add_parser("report", help="the reports summary for a range of receipt dates (default: last 30 days)")
    report.add_argument("--from", dest="from_", type=dt.date.fromisoformat, metavar="YYYY-MM-DD")
    report.add_argument("--to", type=dt.date.fromisoformat, metavar="YYYY-MM-DD")
    report.add_argument("--json", action="store_true", help="print the summary as JSON")
    report.add_argument(
        "--rebuild-rollups", action="store_true", help="recompute the per-day report rollups from the claims and items (maintenance)"
    )
    report.set_defaults(func=_report)
    integrations_cli.add_commands(sub)
    mailroom_cli.add_commands(sub)
    letters = sub.add_parser("letters", help="letters: bulk export for legal")
    letters_sub = letters.add_subparsers(dest="letters_command", required=True)
    exp = letters_sub.add_parser("export", help="a zip of the letters' PDFs and manifest.csv")
    exp.add_argument("--from", dest="from_", help="YYYY-MM-DD, inclusive, on created_at (UTC); default 30 days ago")
    exp.add_argument("--to", help="YYYY-MM-DD, inclusive; default today")
    exp.add_argument("--kind", choices=[k.value for k in LetterKind])
    exp.add_argument("--out", required=True, help="the zip file to write")
    exp.add_argument("--quiet", action="store_true", help="no progress bar")
    exp.set_defaults(func=_letters_export)

    demo = sub.add_parser("demo", help="load demo accounts and claims (development only; idempotent)")
    demo.add_argument("--json", action="store_true", help="print the demo keys as one JSON object keyed by role")
    demo.add_argument("--revoke", action="store_true", help="disable the demo accounts and revoke every demo key")
    demo.set_defaults(func=_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    notifications.register()  # the worker, the demo loader and imports record events: their follow-ups too
    integrations.register()  # webhooks to the platform, grey-area flags at intake
    letters.register()  # the owed letters
    try:
        return int(args.func(args) or 0)
    except InsecureSettings as exc:  # a refusal to start is a message for the operator, not a traceback
        print(f"ipclaims: {exc}", file=sys.stderr)
        return 1
    except (OperationalError, ProgrammingError) as exc:  # an unmigrated or unreachable database: say so in one line
        print(
            f"ipclaims {args.command}: the database is not ready ({error_reason(exc)}); run `ipclaims migrate` and check "
            "IPCLAIMS_DATABASE_URL",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
