"""`ipclaims letters export --from D --to D [--kind K] --out FILE.zip` (CONTRACT.md "Letters"); the options are in
`ipclaims.cli.parser`."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

from ipclaims.db import session_scope
from ipclaims.letters import export, service
from ipclaims.models import LetterKind
from ipclaims.progress import bar as progress_bar


def export_command(args: argparse.Namespace) -> int:
    start = dt.date.fromisoformat(args.from_) if args.from_ else None
    end = dt.date.fromisoformat(args.to) if args.to else None
    kind = LetterKind(args.kind) if args.kind else None
    out = Path(args.out)
    show = sys.stderr.isatty() and not args.quiet
    started = time.monotonic()
    count = refused = 0

    def progress(n: int) -> None:
        nonlocal count
        count = n
        if show:
            progress_bar(n, total, started, "letters")

    def failed(n: int) -> None:
        nonlocal refused
        refused = n

    partial = out.with_name(out.name + ".part")
    with session_scope(write=False) as session:
        total = service.export_count(session, start, end, kind)
        with partial.open("wb") as handle:
            for chunk in export.stream(session, start, end, kind, progress, failed):
                handle.write(chunk)
    os.replace(partial, out)  # a half-written export never sits under the name asked for
    if show:
        print(file=sys.stderr)
    print(
        json.dumps(
            {"letters": count, "integrity_failures": refused, "file": str(out.resolve()), "seconds": round(time.monotonic() - started, 2)}
        )
    )
    return 0
