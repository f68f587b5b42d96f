"""The `ipclaims` command (CONTRACT.md "Setup and CLI")."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from ipclaims.config import Mode, get_settings
from ipclaims.models import LetterKind, Role


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    get_settings().check_secure()
    uvicorn.run("ipclaims.main:create_app", factory=True, host=args.host, port=args.port, workers=args.workers,
                log_level=get_settings().log_level.lower(), proxy_headers=False)
    return 0


def _migrate(_args: argparse.Namespace) -> int:
    from ipclaims.migrations import upgrade

    upgrade()
    return 0


def _accounts_create(args: argparse.Namespace) -> int:
    from ipclaims.auth.service import create_account
    from ipclaims.db import session_scope

    with session_scope() as session:
        issued = create_account(session, name=args.name, role=Role(args.role), email=args.email,
                                trusted_flagger=args.trusted_flagger, key_label="cli")
        out = {"id": issued.account.id, "role": issued.account.role.value, "api_key": issued.secret}
    if args.json:
        print(json.dumps(out))
    else:
        print(f"created {out['role']} account {out['id']}\nAPI key (shown once): {out['api_key']}")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from ipclaims.demo import load_demo

    settings = get_settings()
    if settings.env is Mode.PRODUCTION:
        print("ipclaims demo: refused in production (it creates accounts with well-known keys)", file=sys.stderr)
        return 2
    keys = load_demo()
    if args.json:
        print(json.dumps(keys))
    else:
        print("Demo API keys (development only):")
        for role, key in keys.items():
            print(f"  {role:<14} {key}")
    return 0


def _worker(args: argparse.Namespace) -> int:
    from ipclaims.jobs.worker import run_forever, run_once

    if args.once:
        summary = run_once()
        print(json.dumps(summary))
        return 0
    run_forever(interval=args.interval)
    return 0


def _rehash(args: argparse.Namespace) -> int:
    """Re-index reference images (after a hashing upgrade, or `--all`), with a progress bar on a terminal."""
    import time

    from ipclaims.db import session_scope
    from ipclaims.matching import service

    settings = get_settings()
    with session_scope(write=False) as session:
        ids = service.stale_images(session, everything=args.all)
    total, done, failed = len(ids), 0, 0
    started = time.monotonic()
    show = sys.stderr.isatty() and not args.quiet
    for n, image_id in enumerate(ids, 1):
        with session_scope() as session:
            if service.rehash(session, image_id, settings, only_if_stale=not args.all):
                done += 1
            else:
                failed += 1
        if show:
            rate = n / max(1e-9, time.monotonic() - started)
            filled = int(30 * n / total)
            print(f"\r[{'#' * filled}{'.' * (30 - filled)}] {n}/{total} images  {rate:.1f}/s  eta {(total - n) / rate:.0f}s",
                  end="", file=sys.stderr, flush=True)
    if show and total:
        print(file=sys.stderr)
    print(json.dumps({"images": total, "reindexed": done, "skipped": failed,
                      "seconds": round(time.monotonic() - started, 2)}))
    return 0


def _outbox_list(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from ipclaims.db import session_scope
    from ipclaims.models import OutboxMessage

    with session_scope(write=False) as session:
        rows = session.scalars(select(OutboxMessage).where(OutboxMessage.status == args.status)
                               .order_by(OutboxMessage.created_at, OutboxMessage.id).limit(args.limit)).all()
        out = [{"id": m.id, "kind": m.kind, "to": m.to_addr, "claim_id": m.claim_id, "attempts": m.attempts,
                "created_at": m.created_at.isoformat(), "last_error": m.last_error} for m in rows]
    for row in out:
        print(json.dumps(row))
    return 0


def _outbox_retry(args: argparse.Namespace) -> int:
    from ipclaims.jobs.delivery import requeue_failed

    print(json.dumps({"requeued": requeue_failed(args.ids or None)}))
    return 0


def _letters_export(args: argparse.Namespace) -> int:
    from ipclaims.letters.cli import export_command  # WeasyPrint and the database only for the command that needs them

    return export_command(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ipclaims", description="Intellectual-property claim processor")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="serve the API and the web pages")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(func=_serve)

    migrate = sub.add_parser("migrate", help="alembic upgrade head on IPCLAIMS_DATABASE_URL")
    migrate.set_defaults(func=_migrate)

    worker = sub.add_parser("worker", help="timers, outbox, pending renders and hashing")
    worker.add_argument("--once", action="store_true", help="run one sweep and exit 0")
    worker.add_argument("--interval", type=float, default=5.0, help="seconds between sweeps")
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

    outbox = sub.add_parser("outbox", help="inspect the mail outbox; queue given-up mail again")
    outbox_sub = outbox.add_subparsers(dest="outbox_command", required=True)
    listing = outbox_sub.add_parser("list", help="one JSON line per message, oldest first")
    listing.add_argument("--status", default="failed", choices=["pending", "sent", "failed"])
    listing.add_argument("--limit", type=int, default=100)
    listing.set_defaults(func=_outbox_list)
    retry = outbox_sub.add_parser("retry", help="queue failed mail again (all, or the ids given); attempts start over")
    retry.add_argument("ids", nargs="*", metavar="ID")
    retry.set_defaults(func=_outbox_retry)

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
    demo.add_argument("--json", action="store_true")
    demo.set_defaults(func=_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
