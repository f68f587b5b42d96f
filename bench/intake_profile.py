"""In-process CPU cost of one intake: ipclaims' POST /api/v1/claims against the bare app, in the same process.

No sockets, no uvicorn, no load generator: each app is called as an ASGI application from one event loop, one request
at a time, with the same request bench/intake.py sends (the same body, key and a fresh `Idempotency-Key`), on the
same scratch database (migrated SQLite file, or a PostgreSQL database it creates and drops). What is left is the
Python (and driver) work per request, which is what the HTTP ratio is made of once both servers saturate the CPU.
Sync routes still run in anyio's threadpool, as under uvicorn, so thread hand-offs are counted as well.

    python bench/intake_profile.py                   # CPU ms per request, both apps, and the ratio
    python bench/intake_profile.py --db postgres     # the same on a scratch PostgreSQL database
    python bench/intake_profile.py --profile 25      # + cProfile of ipclaims, top 25 functions by own time
    python bench/intake_profile.py --callgrind       # instructions per request under valgrind (load-independent)
    python bench/intake_profile.py --wal             # SQLite: WAL bytes, pages and statements per intake (load-independent)

CPU time is `time.process_time()` (all threads of this process) over --n requests after --warmup; the figure is the
median of --repeats batches. It still varies a little with machine load (caches, frequency); `--callgrind` runs the
script again under valgrind for two batch sizes and divides the difference in executed instructions by the
difference in requests, which does not depend on load at all (and is ~50× slower).

`--profile` runs the threadpool hand-offs inline (so cProfile, which sees one thread, sees everything); use it to
find hot spots, not for the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import pstats
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
for entry in (str(ROOT), str(BENCH)):
    if entry not in sys.path:
        sys.path.insert(0, entry)

from intake import CLAIM, PATH, prepare, scratch_database  # noqa: E402

ASGIApp = Callable[[dict[str, Any], Callable[[], Awaitable[dict[str, Any]]], Callable[[dict[str, Any]], Awaitable[None]]], Awaitable[None]]


class Client:
    """Calls an ASGI app directly with bench/intake.py's request; every answer must be a fresh 201."""

    def __init__(self, app: ASGIApp, api_key: str) -> None:
        self.app = app
        self.body = json.dumps(CLAIM).encode()
        self.key = api_key
        self.run_id = secrets.token_hex(6)
        self.sent = 0

    async def post(self) -> None:
        self.sent += 1
        headers = [
            (b"host", b"127.0.0.1"),
            (b"content-type", b"application/json"),
            (b"authorization", f"Bearer {self.key}".encode()),
            (b"content-length", str(len(self.body)).encode()),
            (b"idempotency-key", f"{self.run_id}-{self.sent}".encode()),
        ]
        scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": PATH,
            "raw_path": PATH.encode(),
            "root_path": "",
            "query_string": b"",
            "headers": headers,
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8000),
            "state": {},
        }
        delivered = False
        status = 0
        chunks: list[bytes] = []

        async def receive() -> dict[str, Any]:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": self.body, "more_body": False}
            await asyncio.sleep(3600)
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                if any(k.lower() == b"idempotency-replayed" for k, _ in message.get("headers", [])):
                    status = -status
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, send)
        if status != 201:
            raise SystemExit(f"request {self.sent}: status {status}: {b''.join(chunks)[:400]!r}")


class ServerCPU:
    """CPU seconds used by the PostgreSQL backends connected to one database (Linux /proc: utime + stime of every
    process titled `postgres: USER DBNAME ...`), so the server's share of an intake is counted beside the client's.
    Other databases' backends (other test runs) are not counted; the cluster's shared WAL writer and checkpointer are
    not either."""

    TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

    def __init__(self, dbname: str | None) -> None:
        self.dbname = dbname
        self.total = 0.0

    def now(self) -> float:
        if not self.dbname:
            return 0.0
        ticks = 0
        for proc in Path("/proc").iterdir():
            if not proc.name.isdigit():
                continue
            try:
                title = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                if not title.startswith("postgres: ") or f" {self.dbname} " not in title:
                    continue
                fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            ticks += int(fields[11]) + int(fields[12])
        return ticks / self.TICK


SERVER = ServerCPU(None)


async def batch(client: Client, n: int) -> float:
    """CPU seconds (all threads) for n sequential requests; the database backends' share is added to SERVER.total."""
    start, server = time.process_time(), SERVER.now()
    for _ in range(n):
        await client.post()
    SERVER.total = SERVER.now() - server
    return time.process_time() - start


class WriteTurns:
    """Wall time spent holding a write turn (`ipclaims.db.session._admitted(write=True)`): on SQLite the turn is taken one at
    a time across `serve` workers, so its length bounds throughput at 1 / turn whatever the number of cores."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.count = 0

    def install(self) -> None:
        from contextlib import asynccontextmanager

        from ipclaims.db import session as db

        admitted = db._admitted

        @asynccontextmanager
        async def timed(url: str, *, write: bool) -> Any:
            async with admitted(url, write=write):
                start = time.perf_counter()
                try:
                    yield
                finally:
                    if write:
                        self.seconds += time.perf_counter() - start
                        self.count += 1

        db._admitted = timed  # type: ignore[assignment]

    def take(self) -> float:
        ms = self.seconds / self.count * 1000 if self.count else float("nan")
        self.seconds, self.count = 0.0, 0
        return ms


def inline_threadpool() -> None:
    """Run `anyio.to_thread.run_sync` work on the event loop's thread, so one cProfile sees the whole request."""
    import anyio.to_thread

    async def run_sync(func: Callable[..., Any], *args: Any, **_kwargs: Any) -> Any:
        return func(*args)

    anyio.to_thread.run_sync = run_sync  # type: ignore[assignment]


def build_apps(url: str, workdir: Path) -> dict[str, ASGIApp]:
    os.environ.update({"IPCLAIMS_DATABASE_URL": url, "IPCLAIMS_DATA_DIR": str(workdir / "data"), "IPCLAIMS_LOG_LEVEL": "WARNING"})
    (workdir / "data").mkdir(exist_ok=True)
    from bare_app import create_app as bare_app

    from ipclaims import config
    from ipclaims.main import create_app

    config.get_settings.cache_clear()
    # No lifespan: it only warms the matching library, which intake never touches.
    return {"bare": bare_app(), "ipclaims": create_app()}


async def measure(
    apps: dict[str, ASGIApp], key: str, args: argparse.Namespace, turns: WriteTurns
) -> tuple[dict[str, list[float]], dict[str, list[float]], dict[str, list[float]]]:
    """CPU ms per request of each app's batches (this process), write-turn ms, and the database server's CPU ms."""
    clients = {name: Client(app, key) for name, app in apps.items()}
    for client in clients.values():
        await batch(client, args.warmup)
    turns.take()
    cpu: dict[str, list[float]] = {name: [] for name in clients}
    held: dict[str, list[float]] = {name: [] for name in clients}
    served: dict[str, list[float]] = {name: [] for name in clients}
    for _ in range(args.repeats):  # alternate, so a change in machine load hits both apps alike
        for name, client in clients.items():
            cpu[name].append(await batch(client, args.n) / args.n * 1000)
            held[name].append(turns.take())
            served[name].append(SERVER.total / args.n * 1000)
    return cpu, held, served


def profile(app: ASGIApp, key: str, args: argparse.Namespace) -> None:
    inline_threadpool()
    client = Client(app, key)

    async def go() -> cProfile.Profile:
        await batch(client, args.warmup)
        prof = cProfile.Profile()
        prof.enable()
        await batch(client, args.n)
        prof.disable()
        return prof

    prof = asyncio.run(go())
    stats = pstats.Stats(prof)
    stats.sort_stats("tottime").print_stats(args.profile)
    stats.sort_stats("cumulative").print_stats(args.profile * 2)


def callgrind(args: argparse.Namespace) -> int:
    """Instructions per request from two valgrind runs (n1, n2 requests): (I2 - I1) / (n2 - n1)."""
    if shutil.which("valgrind") is None:
        print("--callgrind needs valgrind (apt-get install valgrind)", file=sys.stderr)
        return 2
    results: dict[str, dict[int, int]] = {"bare": {}, "ipclaims": {}}
    small, large = args.callgrind_n
    for app in ("bare", "ipclaims"):
        for n in (small, large):
            with tempfile.TemporaryDirectory() as out:
                cmd = [
                    "valgrind",
                    "--tool=callgrind",
                    f"--callgrind-out-file={out}/cg.out",
                    "--collect-atstart=yes",
                    sys.executable,
                    __file__,
                    "--db",
                    args.db,
                    "--pg-url",
                    args.pg_url,
                    "--only",
                    app,
                    "--n",
                    str(n),
                    "--warmup",
                    str(args.warmup),
                    "--repeats",
                    "1",
                ]
                run = subprocess.run(cmd, capture_output=True, text=True, check=False)
                if run.returncode != 0:
                    print(run.stderr[-3000:], file=sys.stderr)
                    return 1
                found = re.search(r"Collected : (\d+)", run.stderr)
                if not found:
                    print(run.stderr[-3000:], file=sys.stderr)
                    return 1
                results[app][n] = int(found.group(1))
    per = {app: (r[large] - r[small]) / (large - small) for app, r in results.items()}
    for app, value in per.items():
        print(f"{app:<9} {value / 1e6:8.2f} M instructions per request (callgrind, {small} vs {large} requests)")
    print(
        f"ratio     ipclaims/bare = {per['ipclaims'] / per['bare']:.2f}× the instructions "
        f"(throughput bound ≈ {per['bare'] / per['ipclaims']:.2f}× bare)"
    )
    return 0


class StatementLog:
    """Every SQL statement the apps' SQLite connections run (sqlite3's trace callback), to count those inside a write
    transaction: from BEGIN IMMEDIATE to COMMIT. Python's callback passes each trigger program's start as the
    statement that fired it again (its expanded SQL), so a line equal to the one before is counted as a trigger run."""

    def __init__(self) -> None:
        self.inside = False
        self.last = ""
        self.writes = 0  # statements between BEGIN IMMEDIATE and COMMIT (BEGIN and COMMIT not counted)
        self.triggers = 0  # trigger programs started inside those
        self.transactions = 0

    def install(self) -> None:
        from sqlalchemy import event
        from sqlalchemy.engine import Engine

        @event.listens_for(Engine, "connect")
        def _trace(dbapi_connection: Any, _record: Any) -> None:
            if hasattr(dbapi_connection, "set_trace_callback"):
                dbapi_connection.set_trace_callback(self.seen)

    def seen(self, sql: str) -> None:
        head = sql.lstrip()[:16].upper()
        again, self.last = sql == self.last, sql
        if head.startswith("BEGIN IMMEDIATE"):
            self.inside, self.transactions = True, self.transactions + 1
        elif head.startswith(("COMMIT", "ROLLBACK")):
            self.inside = False
        elif self.inside and not head.startswith("PRAGMA"):
            if again or head.startswith("-- TRIGGER"):
                self.triggers += 1
            else:
                self.writes += 1


def wal(args: argparse.Namespace) -> int:
    """WAL bytes and frames per intake, statements per write transaction, and which B-trees the WAL pages belong to.

    The checkpoint thread is stopped, the WAL truncated, then --n intakes of each app run one after the other; every
    page a commit changed is appended to the WAL as one frame (24-byte header + page), so the WAL's growth over the
    batch divided by --n is what a commit of one intake writes. The pages are attributed to tables and indexes by
    reading the frames' page numbers against the dbstat virtual table. No timing: the same on a busy machine.
    """
    if args.db != "sqlite":
        print("--wal is for SQLite", file=sys.stderr)
        return 2
    from ipclaims.db import engine as db_engine

    # No checkpoint while measuring: neither the thread nor SQLite's automatic one (which would restart the WAL).
    db_engine._Checkpointer.ensure = classmethod(lambda cls, path: None)  # type: ignore[assignment,method-assign]
    db_engine.AUTOCHECKPOINT_PAGES = 0
    workdir = Path(tempfile.mkdtemp(prefix="ipclaims-wal-"))
    try:
        url = f"sqlite:///{workdir / 'bench.db'}"
        key = prepare(url)
        apps = build_apps(url, workdir)
        if args.only:
            apps = {args.only: apps[args.only]}
        log = StatementLog()
        log.install()
        path = workdir / "bench.db"
        walfile = Path(f"{path}-wal")
        import sqlite3

        def truncate() -> None:
            with sqlite3.connect(path) as c:
                c.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()

        async def run() -> None:
            for name, app in apps.items():
                client = Client(app, key)
                await batch(client, args.warmup)
                truncate()
                before = walfile.stat().st_size if walfile.exists() else 0
                log.writes = log.triggers = log.transactions = 0
                io = _io()
                await batch(client, args.n)
                io = {k: v - io.get(k, 0) for k, v in _io().items()}
                frames, owners = _wal_frames(walfile, path)
                size = walfile.stat().st_size - before
                print(
                    f"{name:<9} {size / args.n:9.0f} WAL bytes/intake ({frames / args.n:.2f} pages); "
                    f"{log.writes / max(log.transactions, 1):.1f} statements and {log.triggers / max(log.transactions, 1):.1f} "
                    f"trigger runs per write transaction ({log.transactions} transactions); "
                    f"{io.get('syscr', 0) / args.n:.1f} read and {io.get('syscw', 0) / args.n:.1f} write syscalls per request"
                )
                for owner, count in sorted(owners.items(), key=lambda kv: -kv[1]):
                    print(f"          {count / args.n:6.2f} pages  {owner}")

        asyncio.run(run())
        from ipclaims.db import dispose_engines

        dispose_engines()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


def _io() -> dict[str, int]:
    """This process's I/O counters (Linux /proc/self/io: read and write syscalls, bytes); empty elsewhere."""
    try:
        text = Path("/proc/self/io").read_text()
    except OSError:
        return {}
    return {key: int(value) for key, value in (line.split(": ") for line in text.splitlines())}


def _wal_frames(walfile: Path, database: Path) -> tuple[int, dict[str, int]]:
    """(frames in the WAL, frames per B-tree name) — read from the WAL file's frame headers and dbstat."""
    import sqlite3
    import struct

    data = walfile.read_bytes()
    if len(data) < 32:
        return 0, {}
    page_size = struct.unpack(">I", data[8:12])[0]
    pages = [struct.unpack(">I", data[off : off + 4])[0] for off in range(32, len(data) - page_size - 23, 24 + page_size)]
    with sqlite3.connect(database) as c:
        names = dict(c.execute("SELECT pageno, name FROM dbstat").fetchall())
    owners: dict[str, int] = {}
    for page in pages:
        owner = names.get(page, "(free list or header)" if page != 1 else "(header page 1)")
        owners[owner] = owners.get(owner, 0) + 1
    return len(pages), owners


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"))
    parser.add_argument("--n", type=int, default=300, help="requests per measured batch (default 300)")
    parser.add_argument("--warmup", type=int, default=50, help="unmeasured requests first (default 50)")
    parser.add_argument("--repeats", type=int, default=5, help="batches per app, alternating; median shown (default 5)")
    parser.add_argument("--profile", type=int, default=0, metavar="TOP", help="cProfile ipclaims and print the TOP functions")
    parser.add_argument("--callgrind", action="store_true", help="instructions per request under valgrind")
    parser.add_argument("--wal", action="store_true", help="SQLite: WAL bytes, pages and statements per intake")
    parser.add_argument("--callgrind-n", type=int, nargs=2, default=(10, 40), metavar=("N1", "N2"))
    parser.add_argument("--only", choices=("bare", "ipclaims"), help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.callgrind:
        return callgrind(args)
    if args.wal:
        return wal(args)
    workdir = Path(tempfile.mkdtemp(prefix="ipclaims-profile-"))
    try:
        with ExitStack() as stack:
            url = stack.enter_context(scratch_database(args.db, workdir, args.pg_url))
            key = prepare(url)
            apps = build_apps(url, workdir)
            if args.db == "postgres":
                SERVER.dbname = url.rsplit("/", 1)[1].split("?")[0]
            if args.only:
                apps = {args.only: apps[args.only]}
            if args.profile:
                profile(apps["ipclaims"], key, args)
                return 0
            turns = WriteTurns()
            turns.install()
            with _uvloop():
                results, held, served = asyncio.run(measure(apps, key, args, turns))
            from ipclaims.db import dispose_engines

            dispose_engines()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    medians = {name: statistics.median(values) for name, values in results.items()}
    load = os.getloadavg()
    print(
        f"in-process intake, {args.db}: {args.repeats} × {args.n} sequential requests per app after {args.warmup} warm-up "
        f"(load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f})"
    )
    for name, values in results.items():
        print(
            f"{name:<9} {medians[name]:7.2f} CPU ms/request  (batches: {', '.join(f'{v:.2f}' for v in values)}); "
            f"write turn {statistics.median(held[name]):.2f} ms"
            + (f"; server CPU {statistics.median(served[name]):.2f} ms/request" if SERVER.dbname else "")
        )
    if len(medians) == 2:
        ratio = medians["bare"] / medians["ipclaims"]
        print(f"ratio     bare/ipclaims CPU = {ratio:.2f}  (the throughput ratio this allows, before HTTP overhead)")
    return 0


class _uvloop:
    """uvicorn's default loop when uvloop is installed ("auto"), so the event-loop side costs what it costs there."""

    def __enter__(self) -> None:
        try:
            import uvloop
        except ImportError:
            return
        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())

    def __exit__(self, *exc: object) -> None:
        asyncio.set_event_loop_policy(None)


if __name__ == "__main__":
    sys.exit(main())
