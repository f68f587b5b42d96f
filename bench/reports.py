"""Benchmark of the reports: bulk-load N claims (Core inserts, not the API), then time the summary and a DSA export.

    .venv/bin/python bench/reports.py --claims 100000 --sqlite /tmp/reports.db
    .venv/bin/python bench/reports.py --claims 100000 --postgres postgresql+psycopg://postgres@127.0.0.1:5432/ipclaims_reports_bench

The spread is meant to look like a year of a platform's notices: regimes 45 % US_DMCA, 30 % EU_DSA, 15 % TM_POLICY,
10 % SG_CA2021; mostly one item per claim, up to five; most claims decided with a log-normal time to decision
(median ~20 h), a few abusive notifiers with mostly unfounded notices, counter-notices on ~4 % of US/SG removals,
elements missing or deficient at intake on ~10 % of claims, a year of receipt dates. The database is created afresh
(`alembic upgrade head`) and filled in chunks of 5,000 claims (the rollup triggers of 0013_rollups follow every
insert); PostgreSQL is VACUUMed and ANALYZEd after the load. `--no-load` times a database loaded before.

Goals at 1,000,000 claims: summary < 1 s on PostgreSQL, < 3 s on SQLite; the export streams in constant memory.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import os
import random
import resource
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from ipclaims import legal
from ipclaims.migrations import upgrade
from ipclaims.models import Account, Claim, ClaimElement, ClaimItem, CounterNotice, Event, new_id
from ipclaims.reports import exports, service
from ipclaims.triage.priority import DEFAULT_SLA_HOURS

NOW = datetime(2026, 12, 1, tzinfo=UTC)
CHUNK = 5000
REGIMES = (("US_DMCA", 45), ("EU_DSA", 30), ("TM_POLICY", 15), ("SG_CA2021", 10))
SOURCES = (("notice", 80), ("trusted_flagger", 8), ("partner", 6), ("press", 3), ("authority", 3))
OUTCOMES = (("removed", 60), ("disabled", 10), ("geo_blocked", 5), ("no_action", 20), ("restored", 5))


def pick(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([k for k, _ in table], weights=[w for _, w in table])[0]


def fresh(url: str) -> None:
    if url.startswith("sqlite:///"):
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    else:
        base, name = url.rsplit("/", 1)
        admin = create_engine(base + "/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            c.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
    upgrade(url)


def load(engine: Engine, n: int, seed: int = 1, first: int = 0) -> dict[str, int]:
    """Insert `n` claims (numbered from `first`, so a database can be topped up with another seed)."""
    rng = random.Random(seed)
    staff = [{"id": new_id(), "name": f"Reviewer {i}", "role": "specialist", "created_at": NOW} for i in range(6)]
    notifiers = [{"id": new_id(), "name": f"Notifier {i}", "role": "rights_holder", "created_at": NOW} for i in range(300)]
    abusive = {a["id"] for a in notifiers[:10]}
    codes = {r: legal.element_codes(r) for r, _ in REGIMES}
    counts = {"claims": 0, "items": 0, "elements": 0, "events": 0, "counter_notices": 0}
    with engine.begin() as c:
        c.execute(insert(Account.__table__), staff + notifiers)
    for start in range(first, first + n, CHUNK):
        claims: list[dict[str, Any]] = []
        items: list[dict[str, Any]] = []
        elements: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        counters: list[dict[str, Any]] = []
        for number in range(start, min(first + n, start + CHUNK)):
            regime = pick(rng, REGIMES)
            kind = "trademark" if regime == "TM_POLICY" or rng.random() < 0.05 else "copyright"
            owner = rng.choice(notifiers)["id"] if rng.random() < 0.7 else notifiers[rng.randrange(20)]["id"]
            received = NOW - timedelta(seconds=rng.randrange(365 * 86400))
            recent = received > NOW - timedelta(days=7)
            status = (
                rng.choice(("in_review", "needs_info"))
                if recent and rng.random() < 0.5
                else pick(rng, (("decided", 80), ("closed", 10), ("rejected", 5), ("needs_info", 5)))
            )
            claim_id = new_id()
            source = pick(rng, SOURCES)
            gaps = {code: rng.choice(("missing", "deficient")) for code in codes[regime] if rng.random() < 0.015}
            claims.append(
                {
                    "id": claim_id,
                    "created_at": received,
                    "reference": f"IPC-B-{number:09d}",
                    "owner_id": owner,
                    "submitted_by_id": owner,
                    "kind": kind,
                    "regime": regime,
                    "status": status,
                    "source": source,
                    "received_at": received,
                    "due_at": received + timedelta(hours=DEFAULT_SLA_HOURS[(regime, source)]),
                    "status_changed_at": received,
                    "updated_at": received,
                    "complete": not gaps,
                    "curable": False,
                    "priority": 0,
                    "priority_reasons": [],
                }
            )
            for position, code in enumerate(codes[regime]):
                intake = gaps.get(code, "present")
                elements.append(
                    {
                        "id": new_id(),
                        "claim_id": claim_id,
                        "position": position,
                        "code": code,
                        "status": "present" if status != "needs_info" else intake,
                        "intake_status": intake,
                        "citation": "",
                        "detail": "",
                    }
                )
            events.append(
                {
                    "at": received,
                    "actor_id": owner,
                    "actor_role": "rights_holder",
                    "claim_id": claim_id,
                    "subject_type": "claim",
                    "subject_id": claim_id,
                    "action": "submitted",
                    "internal": False,
                }
            )
            reviewer = rng.choice(staff)["id"]
            if status != "needs_info" and rng.random() < 0.3:
                events.append(
                    {
                        "at": received + timedelta(hours=rng.expovariate(1 / 4)),
                        "actor_id": reviewer,
                        "actor_role": "specialist",
                        "claim_id": claim_id,
                        "subject_type": "claim",
                        "subject_id": claim_id,
                        "action": "transition",
                        "internal": False,
                    }
                )
            for position in range(rng.choices((1, 2, 3, 5), weights=(60, 25, 10, 5))[0]):
                decided = status in ("decided", "closed", "rejected")
                outcome = ("no_action" if owner in abusive and rng.random() < 0.7 else pick(rng, OUTCOMES)) if decided else None
                decided_at = (received + timedelta(hours=math.exp(rng.gauss(3.0, 1.0)))) if decided else None
                scope = (
                    rng.choice((["DE", "FR"], ["US"], ["NL", "BE", "LU"]))
                    if outcome == "geo_blocked"
                    else ["US", "CA"]
                    if regime == "TM_POLICY" and rng.random() < 0.5
                    else None
                )
                item_id = new_id()
                items.append(
                    {
                        "id": item_id,
                        "created_at": received,
                        "claim_id": claim_id,
                        "position": position,
                        "url": f"https://video.example.com/watch?v={number}-{position}",
                        "locatable": True,
                        "status": "pending" if outcome is None else "actioned",
                        "outcome": outcome,
                        "decided_at": decided_at,
                        "decided_by_id": reviewer if decided else None,
                        "territorial_scope": scope,
                        "uploader": f"user{rng.randrange(50000)}",
                        "matches": [],
                    }
                )
                if decided_at is not None:
                    events.append(
                        {
                            "at": decided_at,
                            "actor_id": reviewer,
                            "actor_role": "specialist",
                            "claim_id": claim_id,
                            "subject_type": "item",
                            "subject_id": item_id,
                            "action": "decided",
                            "internal": False,
                        }
                    )
                if outcome in ("removed", "restored") and regime in ("US_DMCA", "SG_CA2021") and rng.random() < 0.04:
                    assert decided_at is not None
                    at = decided_at + timedelta(days=rng.randrange(1, 20))
                    counters.append(
                        {
                            "id": new_id(),
                            "created_at": at,
                            "claim_id": claim_id,
                            "item_id": item_id,
                            "regime": regime,
                            "updated_at": at,
                            "first_received_at": at,
                            "received_at": at,
                            "status": "restored" if outcome == "restored" else rng.choice(("forwarded", "litigation_hold", "deficient")),
                            "forwarded_at": at + timedelta(hours=2),
                            "complete": True,
                            "elements": [],
                        }
                    )
        with engine.begin() as c:
            for table, rows in ((Claim, claims), (ClaimItem, items), (ClaimElement, elements), (Event, events), (CounterNotice, counters)):
                if rows:
                    c.execute(insert(table.__table__), rows)
        counts["claims"] += len(claims)
        counts["items"] += len(items)
        counts["elements"] += len(elements)
        counts["events"] += len(events)
        counts["counter_notices"] += len(counters)
    if engine.dialect.name == "postgresql":
        # VACUUM as autovacuum would after a bulk load: index-only scans need the visibility map it sets.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.execute(text("VACUUM ANALYZE"))
    else:
        with engine.begin() as c:
            c.execute(text("ANALYZE"))
    return counts


def time_summary(engine: Engine, days: int, repeat: int = 3) -> tuple[float, float]:
    """Best wall time of `repeat` runs, and the process CPU time of that run (SQLite computes in-process: on a
    shared machine its wall time is mostly waiting for a core; PostgreSQL's CPU is in the server, not counted)."""
    end = NOW.date() - timedelta(days=1)
    start, end, r = service.date_range(end - timedelta(days=days - 1), end)
    best, cpu = math.inf, math.inf
    for _ in range(repeat):
        with Session(engine) as s:
            t, c = time.perf_counter(), time.process_time()
            report = service.summary(s, start, end, r)
            if time.perf_counter() - t < best:
                best, cpu = time.perf_counter() - t, time.process_time() - c
    assert report["claims"]["total"] > 0
    return best, cpu


def export(engine: Engine, wanted: int) -> tuple[int, float]:
    _start, _end, r = service.date_range(date(2025, 12, 1), NOW.date())
    got, cursor = 0, None
    t = time.perf_counter()
    while got < wanted:
        with Session(engine) as s:
            page = exports.dsa_statements(s, r, cursor)
        got += len(page["statements"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    return got, time.perf_counter() - t


def _export_rss(url: str, wanted: int) -> tuple[int, int]:
    """In a fresh process: export `wanted` statements; (statements, that process's peak RSS in KiB)."""
    os.environ["IPCLAIMS_DATABASE_URL"] = url
    engine = create_engine(url)
    got, _seconds = export(engine, wanted)
    return got, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def export_rss(url: str, wanted: int) -> tuple[int, float]:
    """Peak resident memory of a process that does nothing but the export (MiB): the same for 1,000 and 10,000
    statements when the export streams in constant memory."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        got, kib = pool.apply(_export_rss, (url, wanted))
    return got, round(kib / 1024, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--sqlite", metavar="PATH")
    parser.add_argument("--postgres", metavar="URL")
    parser.add_argument("--statements", type=int, default=10_000)
    parser.add_argument("--no-load", action="store_true", help="time an already loaded database")
    parser.add_argument("--repeat", type=int, default=3, help="summary runs per range (the best is reported)")
    args = parser.parse_args()
    results = []
    for url in ([f"sqlite:///{args.sqlite}"] if args.sqlite else []) + ([args.postgres] if args.postgres else []):
        os.environ["IPCLAIMS_DATABASE_URL"] = url
        counts: dict[str, Any] = {}
        load_s = 0.0
        if not args.no_load:
            fresh(url)
            engine = create_engine(url)
            t = time.perf_counter()
            counts = load(engine, args.claims)
            load_s = time.perf_counter() - t
        engine = create_engine(url)
        row: dict[str, Any] = {"database": engine.dialect.name, "claims": args.claims, **counts, "load_s": round(load_s, 1)}
        for days in (30, 365):
            wall, cpu = time_summary(engine, days, args.repeat)
            row[f"summary_{days}d_s"], row[f"summary_{days}d_cpu_s"] = round(wall, 3), round(cpu, 3)
        got, seconds = export(engine, args.statements)
        row |= {"statements": got, "export_s": round(seconds, 2)}
        tracemalloc.start()
        export(engine, args.statements)
        row["export_peak_python_mib"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 2)
        tracemalloc.stop()
        for wanted in (1000, args.statements):
            got, mib = export_rss(url, wanted)
            row[f"export_{got}_peak_rss_mib"] = mib
        results.append(row)
        print(json.dumps(row), flush=True)
        engine.dispose()


if __name__ == "__main__":
    main()
