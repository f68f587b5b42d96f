"""`ipclaims report [--from D] [--to D] [--json] [--rebuild-rollups]`: the reports summary (CONTRACT.md "Reports")."""

from __future__ import annotations

import argparse
import json

from ipclaims.cli import fail
from ipclaims.db import session_scope
from ipclaims.errors import AppError
from ipclaims.reports import rollups
from ipclaims.reports import service as reports


def report(args: argparse.Namespace) -> int:
    """The summary of `GET /api/v1/reports/summary`, as a table or (`--json`) the same JSON; `--rebuild-rollups`
    recomputes the report rollups (migration 0013_rollups) from the claims and items instead."""
    if args.rebuild_rollups:
        with session_scope() as session:
            print(json.dumps({"rebuilt": rollups.rebuild(session.connection())}))
        return 0
    try:
        start, end, r = reports.date_range(args.from_, args.to)
        with session_scope(write=False) as session:
            summary = reports.summary(session, start, end, r)
    except AppError as exc:
        return fail("report", exc.detail)
    print(json.dumps(summary, indent=2) if args.json else reports.text_table(summary))
    return 0
