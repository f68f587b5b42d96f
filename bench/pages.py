"""Server time of the staff pages against the JSON API for the same data, in the same run (issue 18).

    .venv/bin/python bench/pages.py --claims 10000 --sqlite /tmp/pages.db
    .venv/bin/python bench/pages.py --claims 10000 --postgres postgresql+psycopg://postgres@127.0.0.1:5432/ipc_pages_bench

Loads N open claims (in review, two items, every element present, one event each; Core inserts, not the API), then
times, through the ASGI app in-process (no network: the server's own time plus the client's small constant),
`GET /queue` against `GET /api/v1/queue?limit=25`, and a staff `GET /claims/{id}` against
`GET /api/v1/claims/{id}` plus its `/events` (what the page shows). Goal: page p95 < 150 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, insert, text

CHUNK = 5000
NOW = datetime.now(UTC)
REGIMES = ("US_DMCA", "EU_DSA", "TM_POLICY", "SG_CA2021")


def fresh(url: str) -> None:
    from ipclaims.migrations import upgrade

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


def load(url: str, n: int) -> str:
    from ipclaims import legal
    from ipclaims.models import Account, Claim, ClaimElement, ClaimItem, Event, new_id

    rng = random.Random(1)
    engine = create_engine(url)
    owners = [{"id": new_id(), "name": f"Notifier {i}", "role": "rights_holder", "created_at": NOW} for i in range(50)]
    with engine.begin() as c:
        c.execute(insert(Account.__table__), owners)
    first = ""
    for start in range(0, n, CHUNK):
        claims, items, elements, events = [], [], [], []
        for number in range(start, min(n, start + CHUNK)):
            regime = REGIMES[number % 4]
            claim_id = new_id()
            first = first or claim_id
            received = NOW - timedelta(hours=rng.randrange(24 * 30))
            owner = rng.choice(owners)["id"]
            claims.append(
                {
                    "id": claim_id, "created_at": received, "reference": f"IPC-P-{number:08d}", "owner_id": owner,
                    "submitted_by_id": owner, "kind": "trademark" if regime == "TM_POLICY" else "copyright", "regime": regime,
                    "status": "in_review", "source": "notice", "received_at": received, "status_changed_at": received,
                    "updated_at": received, "complete": True, "curable": False, "priority": rng.randrange(0, 40),
                    "priority_reasons": ["+5 2 reported items"], "due_at": received + timedelta(hours=48),
                }
            )  # fmt: skip
            for position in range(2):
                items.append(
                    {
                        "id": new_id(), "created_at": received, "claim_id": claim_id, "position": position,
                        "url": f"https://video.example.com/watch?v={number}-{position}", "locatable": True, "status": "pending",
                        "matches": [],
                    }
                )  # fmt: skip
            for position, code in enumerate(legal.element_codes(regime)):
                elements.append(
                    {"id": new_id(), "claim_id": claim_id, "position": position, "code": code, "status": "present",
                     "intake_status": "present", "citation": "", "detail": ""}
                )  # fmt: skip
            events.append(
                {"at": received, "actor_id": owner, "actor_role": "rights_holder", "claim_id": claim_id, "subject_type": "claim",
                 "subject_id": claim_id, "action": "submitted", "to_status": "in_review", "internal": False, "data": {}}
            )  # fmt: skip
        with engine.begin() as c:
            c.execute(insert(Claim.__table__), claims)
            c.execute(insert(ClaimItem.__table__), items)
            c.execute(insert(ClaimElement.__table__), elements)
            c.execute(insert(Event.__table__), events)
    if not url.startswith("sqlite"):
        with engine.connect() as c:
            c.execute(text("ANALYZE"))
    engine.dispose()
    return first


CPU: dict[int, list[float]] = {}  # id of a `timed` result → the process CPU time of each request, in ms


def timed(client: TestClient, paths: list[str], repeat: int, **kw: Any) -> list[float]:
    """Wall time of each request in ms; the CPU time this process spent on each (server and client, every thread:
    on a shared machine the wall time includes waiting for a core, the CPU time does not) is kept in `CPU`."""
    out, cpu = [], []
    for _ in range(repeat):
        for path in paths:
            c0, t0 = time.process_time(), time.perf_counter()
            r = client.get(path, **kw)
            out.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
            assert r.status_code == 200, (path, r.status_code, r.text[:300])
    CPU[id(out)] = cpu
    return out


def p95(ms: list[float]) -> float:
    ms = sorted(ms)
    return ms[max(0, int(len(ms) * 0.95) - 1)]


def summary(name: str, ms: list[float], cpu: list[float] | None = None) -> str:
    cpu = cpu if cpu is not None else CPU.get(id(ms))
    line = f"{name:<34} n={len(ms):<4} p50={statistics.median(ms):7.1f} ms  p95={p95(ms):7.1f} ms"
    if cpu:
        line += f"   CPU p50={statistics.median(cpu):6.1f} ms  p95={p95(cpu):6.1f} ms"
    return line


def run(url: str, n: int, repeat: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="pages-bench-"))
    os.environ.update({"IPCLAIMS_DATABASE_URL": url, "IPCLAIMS_DATA_DIR": str(tmp), "IPCLAIMS_ENV": "test", "IPCLAIMS_SMTP_URL": ""})
    from ipclaims import config

    config.get_settings.cache_clear()
    fresh(url)
    t0 = time.perf_counter()
    first = load(url, n)
    print(f"{url.split(':', 1)[0]}: loaded {n} open claims in {time.perf_counter() - t0:.1f} s; load average {os.getloadavg()[0]:.2f}")
    from ipclaims.auth import passwords
    from ipclaims.auth.service import create_account
    from ipclaims.db import session_scope
    from ipclaims.main import create_app
    from ipclaims.models import Role

    with session_scope() as s:
        issued = create_account(s, name="Bench Specialist", role=Role.SPECIALIST, email="bench@staff.example")
        passwords.set_password(s, issued.account, "bench password for pages")
        key = issued.secret
    with TestClient(create_app(), follow_redirects=False) as web, TestClient(create_app()) as api:
        token = web.get("/login").text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        form = {"email": "bench@staff.example", "password": "bench password for pages", "csrf_token": token}
        assert web.post("/login", data=form).status_code == 303
        auth = {"headers": {"Authorization": f"Bearer {key}"}}
        timed(web, ["/queue", f"/claims/{first}"], 2)  # warm
        timed(api, ["/api/v1/queue?limit=25", f"/api/v1/claims/{first}"], 2, **auth)
        print(summary("page  GET /queue", timed(web, ["/queue"], repeat)))
        print(summary("api   GET /api/v1/queue?limit=25", timed(api, ["/api/v1/queue?limit=25"], repeat, **auth)))
        print(summary("page  GET /claims/{id} (staff)", timed(web, [f"/claims/{first}"], repeat)))
        both = [f"/api/v1/claims/{first}", f"/api/v1/claims/{first}/events"]
        pairs = timed(api, both, repeat, **auth)
        cpu = CPU[id(pairs)]
        added = [a + b for a, b in zip(pairs[::2], pairs[1::2], strict=True)]
        print(summary("api   GET claim + its events", added, [a + b for a, b in zip(cpu[::2], cpu[1::2], strict=True)]))
        print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--sqlite", metavar="PATH")
    parser.add_argument("--postgres", metavar="URL")
    args = parser.parse_args()
    if args.sqlite:
        run(f"sqlite:///{args.sqlite}", args.claims, args.repeat)
    if args.postgres:
        run(args.postgres, args.claims, args.repeat)


if __name__ == "__main__":
    main()
