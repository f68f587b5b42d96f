"""Every `ipclaims` command and option (CONTRACT.md "Setup and CLI"), from the standard library alone.

Nothing here imports the application: `ipclaims --help`, a sub-command's help and a usage error must not wait for
WeasyPrint, the web app or the database layer (3-6 s before this split). Each command names its handler as
`"module:function"`, imported by `ipclaims.cli.run` once the command has been chosen — as pip's command registry
names each command's module (pip `_internal/commands/__init__.py`).
"""

from __future__ import annotations

import argparse
import datetime as dt

from ipclaims import __version__

# The vocabularies the options offer, written out so that the parser imports neither the models nor the law;
# tests/test_cli_startup.py holds them to `models.Role`, `models.LetterKind`, `legal.REGIMES` and `mailroom.parts`.
ROLES = ("rights_holder", "specialist", "legal", "admin")
LETTER_KINDS = (
    "acknowledgment",
    "deficiency",
    "decision",
    "statement_of_reasons",
    "counter_notice_forwarded",
    "restoration",
    "rejection",
)
REGIMES = ("US_DMCA", "EU_DSA", "SG_CA2021", "TM_POLICY")
MAX_NOTICE_PARTS = 10  # claims made from one notice (mailroom.parts.MAX_PARTS)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ipclaims", description="Intellectual-property claim processor")
    parser.add_argument("--version", action="version", version=f"ipclaims {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    _service(sub)
    _accounts(sub)
    _outbox(sub)
    _report(sub)
    _webhooks(sub)
    _notices(sub)
    _letters(sub)
    demo = sub.add_parser("demo", help="load demo accounts and claims (development only; idempotent)")
    demo.add_argument("--json", action="store_true", help="print the demo keys as one JSON object keyed by role")
    demo.add_argument("--revoke", action="store_true", help="disable the demo accounts and revoke every demo key")
    demo.set_defaults(handler="ipclaims.cli.demo:demo")
    return parser


def _service(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = sub.add_parser("serve", help="serve the API and the web pages")
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1, this machine only; 0.0.0.0 for every interface)"
    )
    serve.add_argument("--port", type=int, default=8000, help="TCP port (default 8000)")
    serve.add_argument("--workers", type=int, default=1, help="server processes (default 1); on SQLite they take turns to write")
    serve.set_defaults(handler="ipclaims.cli.serve:serve")

    migrate = sub.add_parser("migrate", help="alembic upgrade head on IPCLAIMS_DATABASE_URL")
    migrate.set_defaults(handler="ipclaims.cli.migrate:migrate")

    worker = sub.add_parser("worker", help="timers, outbox, pending renders and hashing")
    worker.add_argument("--once", action="store_true", help="run one sweep and exit 0")
    worker.add_argument("--interval", type=float, default=5.0, help="seconds between sweeps (default 5)")
    worker.set_defaults(handler="ipclaims.cli.worker:worker")

    rehash = sub.add_parser("rehash", help="re-index reference images for matching (stale ones, or --all)")
    rehash.add_argument("--all", action="store_true", help="every image, not only those hashed by an older scheme")
    rehash.add_argument("--quiet", action="store_true", help="no progress bar")
    rehash.set_defaults(handler="ipclaims.cli.rehash:rehash")


def _accounts(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    accounts = sub.add_parser("accounts", help="manage accounts")
    accounts_sub = accounts.add_subparsers(dest="accounts_command", required=True)
    create = accounts_sub.add_parser("create", help="create an account and print its first API key")
    create.add_argument("--name", required=True)
    create.add_argument("--role", required=True, choices=ROLES)
    create.add_argument("--email")
    create.add_argument("--trusted-flagger", action="store_true", help="DSA Art. 22 trusted flagger")
    create.add_argument("--json", action="store_true", help='print {"id", "role", "api_key"}')
    create.set_defaults(handler="ipclaims.cli.accounts:create")
    set_password = accounts_sub.add_parser("set-password", help="set the web sign-in password of an account; reads one line from stdin")
    set_password.add_argument("--email", required=True, help="the account's email (the one it signs in with)")
    set_password.set_defaults(handler="ipclaims.cli.accounts:set_password")
    listing = accounts_sub.add_parser("list", help="every account: id, role, active, active keys, name and email")
    listing.add_argument("--role", choices=ROLES)
    listing.add_argument("--json", action="store_true", help="one JSON object per line")
    listing.set_defaults(handler="ipclaims.cli.accounts:list_")
    disable = accounts_sub.add_parser("disable", help="deactivate an account: its keys stop working at once")
    disable.add_argument("id", metavar="ID", help="the account's id (`ipclaims accounts list`)")
    disable.set_defaults(handler="ipclaims.cli.accounts:disable")
    keys = accounts_sub.add_parser("keys", help="an account's API keys")
    keys_sub = keys.add_subparsers(dest="keys_command", required=True)
    rotate = keys_sub.add_parser("rotate", help="issue a new key and revoke every other key of the account; the new key is printed once")
    rotate.add_argument("id", metavar="ID", help="the account's id (`ipclaims accounts list`)")
    rotate.add_argument("--json", action="store_true", help='print {"id", "role", "api_key", "key_id", "revoked"}')
    rotate.set_defaults(handler="ipclaims.cli.accounts:keys_rotate")


def _outbox(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    outbox = sub.add_parser("outbox", help="inspect the mail outbox; queue given-up mail again")
    outbox_sub = outbox.add_subparsers(dest="outbox_command", required=True)
    listing = outbox_sub.add_parser("list", help="one JSON line per message, oldest first")
    listing.add_argument("--status", default="failed", choices=["pending", "sent", "failed"])
    listing.add_argument("--limit", type=int, default=100)
    listing.set_defaults(handler="ipclaims.cli.outbox:list_")
    retry = outbox_sub.add_parser("retry", help="queue failed mail again (all, or the ids given); attempts start over")
    retry.add_argument("ids", nargs="*", metavar="ID")
    retry.set_defaults(handler="ipclaims.cli.outbox:retry")
    show = outbox_sub.add_parser("show", help="print one message: its headers, outbox state and text")
    show.add_argument("id", metavar="ID")
    show.set_defaults(handler="ipclaims.cli.outbox:show")


def _report(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = sub.add_parser("report", help="the reports summary for a range of receipt dates (default: last 30 days)")
    report.add_argument("--from", dest="from_", type=dt.date.fromisoformat, metavar="YYYY-MM-DD")
    report.add_argument("--to", type=dt.date.fromisoformat, metavar="YYYY-MM-DD")
    report.add_argument("--json", action="store_true", help="print the summary as JSON")
    report.add_argument(
        "--rebuild-rollups", action="store_true", help="recompute the per-day report rollups from the claims and items (maintenance)"
    )
    report.set_defaults(handler="ipclaims.cli.report:report")


def _webhooks(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`ipclaims webhooks add|list|rotate|delete|test-receiver`: handlers in `integrations/cli.py`."""
    webhooks = sub.add_parser("webhooks", help="platform webhook endpoints (Standard Webhooks)")
    commands = webhooks.add_subparsers(dest="webhooks_command", required=True)
    add = commands.add_parser("add", help="add an endpoint and print its secret (shown once)")
    add.add_argument("url")
    add.add_argument("--description")
    add.set_defaults(handler="ipclaims.integrations.cli:add_endpoint")
    listing = commands.add_parser("list", help="one JSON line per endpoint (no secrets)")
    listing.set_defaults(handler="ipclaims.integrations.cli:list_endpoints")
    rotate = commands.add_parser("rotate", help="issue a new secret; the old one keeps signing for the grace period")
    rotate.add_argument("endpoint_id")
    rotate.add_argument(
        "--grace-hours", type=int, default=None, help="default IPCLAIMS_WEBHOOK_SECRET_GRACE_HOURS; 0 ends the old secret at once"
    )
    rotate.set_defaults(handler="ipclaims.integrations.cli:rotate_secret")
    delete = commands.add_parser("delete", help="stop sending to an endpoint (its pending deliveries are given up)")
    delete.add_argument("endpoint_id")
    delete.set_defaults(handler="ipclaims.integrations.cli:delete_endpoint")
    test = commands.add_parser("test-receiver", help="run a local receiver that verifies signatures, for integrators")
    test.add_argument("--secret", required=True, help="the endpoint's whsec_ secret")
    test.add_argument("--host", default="127.0.0.1")
    test.add_argument("--port", type=int, default=8787)
    test.set_defaults(handler="ipclaims.integrations.cli:run_test_receiver")


def _notices(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`ipclaims notices import|sweep|retry` and `ipclaims inbox`: handlers in `mailroom/cli.py`."""
    notices = sub.add_parser("notices", help="notices in free text and email")
    notices_sub = notices.add_subparsers(dest="notices_command", required=True)
    imp = notices_sub.add_parser(
        "import",
        help="make a claim of each .eml/.txt file, as POST /api/v1/notices does",
        description=(
            "Make a claim of each file, as POST /api/v1/notices does. A folder stands for every .eml and .txt file "
            "under it, at any depth, in sorted order; hidden files and hidden folders are skipped. A file whose exact "
            "bytes already made a claim (imported before, or received by the inbox or the API) is reported as a "
            "duplicate of that claim, and no second claim is made. A notice listing more URLs than a claim takes is "
            f"made into several claims of the one message (at most {MAX_NOTICE_PARTS}). Exit status 1 if any file failed."
        ),
    )
    imp.add_argument("files", nargs="+", metavar="FILE_OR_FOLDER", help="an .eml or .txt file, or a folder of them")
    imp.add_argument("--regime", choices=REGIMES, help="read every file under this regime (default: what each text shows)")
    imp.add_argument("--json", action="store_true", help="one JSON object per file: its claim, or its error")
    imp.set_defaults(handler="ipclaims.mailroom.cli:import_notices")
    swp = notices_sub.add_parser("sweep", help="read messages the inbox stored but has not made claims of yet")
    swp.set_defaults(handler="ipclaims.mailroom.cli:sweep_stored")
    rty = notices_sub.add_parser(
        "retry",
        help="read a failed inbox message again (as POST /api/v1/notices/messages/{id}/retry)",
        description=(
            "Read a failed message again through the inbox's own path and print its row as JSON: parsed, with its "
            "claim (exit 0), or failed again with the reason (exit 1). A message that is not failed, or no such "
            "message: one line on stderr, exit 1."
        ),
    )
    rty.add_argument("id", metavar="ID", help="the message's id (GET /api/v1/notices/messages?status=failed)")
    rty.set_defaults(handler="ipclaims.mailroom.cli:retry_message")

    inbox = sub.add_parser("inbox", help="an SMTP server for the designated agent's address: each message becomes a claim")
    inbox.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    inbox.add_argument("--port", type=int, default=8025, help="TCP port (default 8025)")
    inbox.set_defaults(handler="ipclaims.mailroom.cli:serve_inbox")


def _letters(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    letters = sub.add_parser("letters", help="letters: bulk export for legal")
    letters_sub = letters.add_subparsers(dest="letters_command", required=True)
    exp = letters_sub.add_parser("export", help="a zip of the letters' PDFs and manifest.csv")
    exp.add_argument("--from", dest="from_", help="YYYY-MM-DD, inclusive, on created_at (UTC); default 30 days ago")
    exp.add_argument("--to", help="YYYY-MM-DD, inclusive; default today")
    exp.add_argument("--kind", choices=LETTER_KINDS)
    exp.add_argument("--out", required=True, help="the zip file to write")
    exp.add_argument("--quiet", action="store_true", help="no progress bar")
    exp.set_defaults(handler="ipclaims.letters.cli:export_command")
