"""`ipclaims rehash [--all] [--quiet]`: re-index reference images for matching."""

from __future__ import annotations

import argparse
import json
import sys
import time

from ipclaims import progress
from ipclaims.config import get_settings
from ipclaims.db import session_scope
from ipclaims.matching import service as matching


def rehash(args: argparse.Namespace) -> int:
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
