"""Letters: what ipclaims' renderer costs over bare WeasyPrint, and 1,000 owed letters rendered and exported.

Run from the repository root with the virtualenv:

    python bench/letters.py                        # both parts, defaults below
    python bench/letters.py --repeat 5 --letters 40   # a quick run

Part 1, the same letter HTML (a US decision letter with 10 items) rendered by bare WeasyPrint
(`HTML(string, base_url=<static dir>).write_pdf(stylesheets=[CSS(filename=letter.css)], pdf_variant="pdf/a-3b",
srgb=True)`, its default URL fetcher, the stylesheet parsed for each letter) and by
`ipclaims.letters.render.pdf_from_html` (the same call through the project's refusing URL fetcher, with the
stylesheet and font configuration it keeps per process). The two take turns, `--repeat` times each; medians. Goal: ipclaims / bare ≤ 1.1.

Part 2, `--letters` owed letters (default 1,000: acknowledgment, decision and two statements of reasons per claim)
requested in a fresh SQLite database, rendered by the worker's sweep (`letters.worker.render_pending`, a process pool
on every core, 2 here) and exported as a zip (`letters.export.stream` to a file). Reports wall time of each (goal
render + export < 60 s) and peak RSS of the sweep's process and of its largest pool child.

Timings are printed, never asserted: the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup_env(tmp: Path) -> None:
    os.environ.update(
        {
            "IPCLAIMS_DATABASE_URL": f"sqlite:///{tmp / 'bench.db'}",
            "IPCLAIMS_DATA_DIR": str(tmp / "data"),
            "IPCLAIMS_ENV": "test",
            "IPCLAIMS_SMTP_URL": "",
        }
    )


def _claim_body(items: int) -> dict[str, object]:
    return {
        "kind": "copyright",
        "regime": "US_DMCA",
        "complainant": {
            "name": "Ada Rights",
            "organization": "Rights Co",
            "email": "ada@rights.example.com",
            "phone": "+1 212 555 0100",
            "relationship": "owner",
            "address": {"street": "1 Main Street", "city": "New York", "region": "NY", "postal_code": "10001", "country": "US"},
        },
        "works": [{"title": "Sunset Song", "description": "Music video, 2024"}],
        "items": [{"url": f"https://video.example.com/watch?v=bench{i:04d}", "work": 0} for i in range(items)],
        "statements": {"good_faith": True, "accuracy": True, "authority_under_penalty_of_perjury": True},
        "signature": {"name": "/s/ Ada Rights"},
    }


def part1(repeat: int) -> None:
    import weasyprint

    from ipclaims.auth.service import create_account
    from ipclaims.claims.intake import submit
    from ipclaims.claims.schemas import ClaimIn
    from ipclaims.config import get_settings
    from ipclaims.db import session_scope
    from ipclaims.letters import render, service
    from ipclaims.models import ClaimItem, ItemOutcome, Letter, LetterKind, Role

    settings = get_settings()
    with session_scope() as session:
        account = create_account(session, name="bench", role=Role.RIGHTS_HOLDER, email="b@example.com").account
        submit(session, account, ClaimIn.model_validate_json(json.dumps(_claim_body(10))), settings)
        session.flush()
        letter = session.query(Letter).first()
        assert letter is not None
        for item in session.query(ClaimItem):
            item.outcome, item.territorial_scope = ItemOutcome.REMOVED, None
        session.flush()
        letter.kind = LetterKind.DECISION
        html = service.html_of(session, letter, settings)
        session.rollback()
    static = render.static_dir().as_uri() + "/"
    sheet = render.static_dir() / render.STYLESHEET

    def bare() -> bytes:
        # Bare WeasyPrint as one would call it per letter: its default fetcher, the stylesheet read and parsed each time.
        css = weasyprint.CSS(filename=str(sheet))
        return weasyprint.HTML(string=html, base_url=static).write_pdf(stylesheets=[css], pdf_variant="pdf/a-3b", srgb=True)

    def ours() -> bytes:
        return render.pdf_from_html(html)

    bare(), ours()  # warm fonts and caches for both
    times: dict[str, list[float]] = {"bare": [], "ipclaims": []}
    for _ in range(repeat):
        for name, fn in (("bare", bare), ("ipclaims", ours)):
            started = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - started)
    b, o = statistics.median(times["bare"]), statistics.median(times["ipclaims"])
    print(
        f"part 1: bare WeasyPrint {b * 1000:.0f} ms, ipclaims {o * 1000:.0f} ms per letter "
        f"(median of {repeat}); ratio {o / b:.3f} (goal ≤ 1.1)"
    )


def part2(letters: int) -> None:
    from ipclaims.auth.service import create_account
    from ipclaims.claims.intake import submit
    from ipclaims.claims.schemas import ClaimIn
    from ipclaims.config import get_settings
    from ipclaims.db import session_scope
    from ipclaims.letters import export, service, subscriber
    from ipclaims.letters.worker import render_pending
    from ipclaims.models import Claim, ClaimItem, ItemOutcome, LetterKind, Role, utcnow

    settings = get_settings()
    claims = max(1, letters // 4)
    with session_scope() as session:
        account = create_account(session, name="bench2", role=Role.RIGHTS_HOLDER, email="c@example.com").account
        for _ in range(claims):
            submit(session, account, ClaimIn.model_validate_json(json.dumps(_claim_body(2))), settings)  # owes an acknowledgment
        session.flush()
        # The rows the letters subscriber asks for when items are removed and the claim decided (no review flow:
        # this measures rendering and export, not the workflow).
        owed = []
        for n, claim in enumerate(session.query(Claim)):
            items = session.query(ClaimItem).filter(ClaimItem.claim_id == claim.id).all()
            for item in items:
                item.outcome = ItemOutcome.REMOVED
                owed.append(subscriber.row(LetterKind.STATEMENT_OF_REASONS, claim.id, version=1, item_id=item.id, event_id=n))
            owed.append(subscriber.row(LetterKind.DECISION, claim.id, version=1, event_id=n))
        session.flush()
        subscriber.INSERT.run(session.connection(), owed)
    with session_scope(write=False) as session:
        owed = len(service.due_ids(session, 10**7))
    started = time.perf_counter()
    cpu_started = time.process_time()
    summary = render_pending(utcnow(), settings)
    sweep_cpu = time.process_time() - cpu_started
    rendered_in = time.perf_counter() - started
    out = Path(settings.data_dir) / "export.zip"
    started = time.perf_counter()
    with session_scope(write=False) as session, out.open("wb") as handle:
        for chunk in export.stream(session, None, None, None):
            handle.write(chunk)
    exported_in = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    child = children.ru_maxrss / 1024
    pool_cpu = children.ru_utime + children.ru_stime  # the pool's processes, ended when the sweep shut the pool down
    print(
        f"part 2: {owed} owed letters; rendered {summary} in {rendered_in:.1f} s on {os.cpu_count()} cores, "
        f"exported {out.stat().st_size / 1e6:.1f} MB in {exported_in:.1f} s; total {rendered_in + exported_in:.1f} s "
        f"(goal < 60 s); CPU {sweep_cpu:.1f} s in the sweep's process + {pool_cpu:.1f} s in the pool "
        f"(on a quiet machine the wall time is about their sum / {os.cpu_count()}); "
        f"peak RSS {own:.0f} MB (sweep), {child:.0f} MB (largest pool process)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--letters", type=int, default=1000)
    parser.add_argument("--parts", default="12")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ipclaims-letters-bench-") as tmp:
        _setup_env(Path(tmp))
        from ipclaims.migrations import upgrade

        upgrade()
        from ipclaims import letters, notifications

        # The owed letters' and mail's subscribers, as every process registers them at start-up (main, cli).
        notifications.register()
        letters.register()
        if "1" in args.parts:
            part1(args.repeat)
        if "2" in args.parts:
            part2(args.letters)
    return 0


if __name__ == "__main__":
    sys.exit(main())
