"""`ipclaims worker [--once] [--interval S]`: timers, outbox, pending renders and hashing."""

from __future__ import annotations

import argparse
import json
import sys

from ipclaims.config import get_settings
from ipclaims.jobs import delivery
from ipclaims.jobs.worker import run_forever, run_once
from ipclaims.production import refuse_insecure_start


def _mail_note() -> None:
    """Where mail goes when no SMTP server is configured (development: a local Maildir), on stderr."""
    note = delivery.explain(get_settings())
    if note:
        print(note, file=sys.stderr)


def worker(args: argparse.Namespace) -> int:
    refuse_insecure_start(get_settings())
    if args.once:
        summary = run_once()
        print(json.dumps(summary))
        _mail_note()
        return 0
    _mail_note()
    run_forever(interval=args.interval)
    return 0
