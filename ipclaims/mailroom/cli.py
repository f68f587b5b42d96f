"""`ipclaims notices import FILE_OR_FOLDER... [--regime R] [--json]`, `ipclaims notices sweep`, `ipclaims notices
retry ID` and `ipclaims inbox`: the handlers `ipclaims.cli.parser` names (the options are there)."""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from ipclaims import progress
from ipclaims.config import get_settings
from ipclaims.db import session_scope
from ipclaims.errors import AppError
from ipclaims.mailroom import ahead, arrival, forwarded, reading, replies, service
from ipclaims.mailroom.inbox import Inbox, sweep
from ipclaims.mailroom.schemas import messages_out
from ipclaims.models import Claim, SourceMessage, SourceStatus

NOTICE_SUFFIXES = (".eml", ".txt")  # what a folder is searched for (a file named on the command line is read whatever its name)


def notice_files(given: str) -> list[Path]:
    """The files an argument names: a file itself; a folder's `.eml` and `.txt` files (any case) at any depth, in
    sorted order, leaving out hidden files and everything under a hidden folder (`.git`, a mail client's `.trash`).
    Symbolic links to folders are not followed (no loops, nothing outside the folder)."""
    path = Path(given)
    if not path.is_dir():
        return [path]
    found: list[tuple[tuple[str, ...], Path]] = []
    for folder, dirs, names in os.walk(path):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            if not name.startswith(".") and name.lower().endswith(NOTICE_SUFFIXES):
                file = Path(folder) / name
                found.append((file.relative_to(path).parts, file))
    return [file for _, file in sorted(found)]


def import_file(path: Path, regime: str | None) -> dict[str, Any]:
    """One file made into a claim exactly as `POST /api/v1/notices` makes one; an error is returned, not raised.

    Bytes already stored as a message that became a claim (imported before, or received by the inbox or the API) are
    that claim, reported as a `duplicate` of it, as the inbox answers a message it has already: a folder imported
    twice, or a notice saved from the mailbox the inbox also received, makes no second claim; so is a copy with the
    same Message-ID, sender and text (`arrival`), and a forward of a notice that made a claim or such a notice after
    its forward (`forwarded`). As in the inbox, automatic mail and mail with nothing of a notice in it
    are errors (no claim), and a reply from a claim's notifier to one of its letters is linked to that claim
    (`reply`), a stranger's is an error."""
    settings = get_settings()
    try:
        with path.open("rb") as handle:
            raw = handle.read(settings.max_notice_bytes + 1)
        if len(raw) > settings.max_notice_bytes:
            return {"file": str(path), "error": f"larger than the {settings.max_notice_bytes:,}-byte limit", "status": 413}
        if not raw.strip():
            return {"file": str(path), "error": "the file is empty", "status": 422}
        with session_scope() as session:
            copy = service.claimed_copy(session, raw)
            verdict = arrival.sort(session, raw, None, person=False) if copy is None else None
            copy = copy or (verdict.copy if verdict else None)
            if copy is not None:
                return _duplicate(session, path, copy)
            assert verdict is not None
            if verdict.error is not None:
                return {"file": str(path), "error": verdict.error, "status": 422}
            actor = service.mailbox_account(session)
            if verdict.answer is not None:
                source = reading.source_of(raw, path.name)
                linked = replies.link(session, actor, verdict.answer, source, settings, sender=verdict.sender, channel="file")
                return _reply(path, linked)
            read = reading.read(reading.source_of(raw, path.name), regime=regime, kind=None)
            if (found := forwarded.claimed(session, read, lock=True)) is not None:
                return _duplicate(session, path, found.row)
            if (why := arrival.no_notice(read, settings, person=False)) is not None:
                return {"file": str(path), "error": why, "status": 422}
            payload = service.create(session, actor, read, regime=regime, kind=None, settings=settings, channel="file")
    except AppError as exc:
        return {"file": str(path), "error": exc.detail, "status": exc.status}
    except OSError as exc:
        return {"file": str(path), "error": exc.strerror or str(exc), "status": None}
    claim = json.loads(payload)
    elements = claim["completeness"]["elements"]
    return {
        "file": str(path),
        "id": claim["id"],
        "reference": claim["reference"],
        "status": claim["status"],
        "owner_id": claim["owner_id"],
        "completeness": {
            "complete": claim["completeness"]["complete"],
            "missing": [e["code"] for e in elements if e["status"] == "missing"],
            "deficient": [e["code"] for e in elements if e["status"] == "deficient"],
        },
        # A notice of more URLs than a claim takes is made into several claims (the line above is the first's).
        "claims": len(claim["parts"]),
        "parts": claim["parts"],
    }


def _reply(path: Path, linked: replies.Linked) -> dict[str, Any]:
    claim = linked.claim
    return {
        "file": str(path),
        "id": claim.id,
        "reference": claim.reference,
        "status": "reply",
        "claim_status": claim.status.value,
        "owner_id": claim.owner_id,
        "source_message_id": linked.row.id,
        "proposed": linked.proposed,
    }


def _duplicate(session: Session, path: Path, copy: SourceMessage) -> dict[str, Any]:
    claim = session.get(Claim, copy.claim_id)
    assert claim is not None  # the row is deleted with its claim
    return {
        "file": str(path),
        "id": claim.id,
        "reference": claim.reference,
        "status": "duplicate",
        "claim_status": claim.status.value,
        "owner_id": claim.owner_id,
        "source_message_id": copy.id,
    }


def import_notices(args: argparse.Namespace) -> int:
    show_bar = sys.stderr.isatty() and not args.json
    started, failed = time.monotonic(), 0
    # Each argument's files in turn; a folder with none is reported in its place. The bar counts every file.
    work: list[Path | dict[str, Any]] = []
    for given in args.files:
        work.extend(notice_files(given) or [{"file": given, "error": "no .eml or .txt files in this folder", "status": None}])
    total, done = sum(isinstance(w, Path) for w in work), 0
    for item in work:
        result = import_file(item, args.regime) if isinstance(item, Path) else item
        failed += "error" in result
        if show_bar:
            print("\r\033[K", end="", file=sys.stderr)
        _report(result, args.json)
        if show_bar and isinstance(item, Path):
            done += 1
            progress.bar(done, total, started, "notices")
    if show_bar:
        print(file=sys.stderr)
    return 1 if failed else 0


def _report(result: dict[str, Any], as_json: bool) -> None:
    path = result["file"]
    if as_json:
        print(json.dumps(result), flush=True)
    elif "error" in result:
        print(f"{path}: error: {result['error']}", file=sys.stderr)
    elif result["status"] == "duplicate":
        print(f"{path}: {result['reference']} duplicate (the same message already made this claim; it is {result['claim_status']})")
    elif result["status"] == "reply":
        proposed = ", ".join(result["proposed"]) or "nothing"
        print(f"{path}: {result['reference']} reply (may supply: {proposed}, for staff to apply; the claim is {result['claim_status']})")
    else:
        gaps = result["completeness"]["missing"] + result["completeness"]["deficient"]
        made = result["parts"]
        several = f"; one notice made into {len(made)} claims: {', '.join(p['reference'] for p in made)}" if len(made) > 1 else ""
        print(f"{path}: {result['reference']} {result['status']}" + (f" (to cure: {', '.join(gaps)})" if gaps else "") + several)


def retry_message(args: argparse.Namespace) -> int:
    try:
        with session_scope(write=False) as session:
            planned = ahead.plan(session, args.id, expected=SourceStatus.FAILED, person=True)
        read = planned.read_now() if planned is not None else None  # before the write, as the inbox reads (`ahead`)
        with session_scope() as session:
            out = messages_out(session, [service.retry(session, args.id, get_settings(), ahead=read)])[0]
    except AppError as exc:
        print(f"ipclaims notices retry: {exc.detail}", file=sys.stderr)
        return 1
    print(out.model_dump_json())
    return 0 if out.status is SourceStatus.PARSED else 1


def sweep_stored(_args: argparse.Namespace) -> int:
    swept = sweep(get_settings(), limit=10_000)
    print(
        json.dumps(
            {
                "parsed": swept.parsed,
                "failed": swept.failed,
                "waiting": swept.waiting,
                "replies": swept.replies,
                "duplicates": swept.duplicates,
            }
        )
    )
    return 0


def serve_inbox(args: argparse.Namespace) -> int:
    logging.basicConfig(level=get_settings().log_level.upper(), format="%(asctime)s %(levelname)s %(message)s")
    settings = get_settings()
    inbox = Inbox(settings, args.host, args.port)
    inbox.start()
    addresses = ", ".join(sorted(settings.inbox_address_set)) or "any recipient"
    print(f"ipclaims inbox: SMTP on {args.host}:{args.port} for {addresses}; limit {settings.max_notice_bytes:,} bytes", file=sys.stderr)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        inbox.stop()
    return 0
