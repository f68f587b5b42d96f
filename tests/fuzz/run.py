"""`make fuzz`: a bounded, deterministic schemathesis run against a served instance on loopback.

    python -m tests.fuzz.run [--max-examples N] [--database-url URL] [--keep]

It migrates a fresh database (a SQLite file in a scratch directory, or the PostgreSQL database given, which is
WIPED first), loads the demo, seeds one object of every kind the API addresses by id (a claim in each state the
routes care about, an item decision, a counter-notice, a complaint, a work with an image, a note), serves the app
with `ipclaims serve` on a free loopback port and runs `st run` twice: with a rights holder's key and with a
specialist's key. The seeded ids are given to schemathesis as dictionaries for the path parameters, so most cases
reach the code behind the 404 rather than stopping at it.

It fails (exit 1) on any 5xx (`not_a_server_error`) or any response that contradicts the OpenAPI document
(`response_schema_conformance`), and then prints the last line of each distinct server-side traceback from the
server's log. `--generation-deterministic` makes the cases the same on every run of the same code and schema.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from tests.legal.notices import REMOVE, changed, complete_claim, complete_counter_notice

REPO = Path(__file__).resolve().parents[2]
CHECKS = "not_a_server_error,response_schema_conformance"
ROLES = ("rights_holder", "specialist")
# Per API operation and phase; 20 keeps both keys' runs on one database near a minute and a half on 2 shared cores.
DEFAULT_EXAMPLES = 20
# How often a path parameter takes a seeded id rather than a generated string (which is a 404, or a 422 for dates).
SEEDED_ID_PROBABILITY = 0.8


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Api:
    """A few JSON calls to seed the server; every failure stops the run (a seeding error is a harness error)."""

    def __init__(self, base: str, key: str) -> None:
        self.base = base
        self.key = key

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        expect: int = 200,
        raw: bytes | None = None,
        content_type: str = "application/json",
    ) -> Any:
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        request = urllib.request.Request(
            self.base + path, data=data, method=method, headers={"Authorization": f"Bearer {self.key}", "Content-Type": content_type}
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status, payload = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, payload = exc.code, exc.read()
        if status != expect:
            raise SystemExit(f"fuzz seeding: {method} {path} answered {status}, expected {expect}: {payload[:500]!r}")
        return json.loads(payload) if payload else None

    def upload(self, path: str, file: Path, *, expect: int) -> Any:
        boundary = uuid.uuid4().hex
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file.name}"\r\n'
                f"Content-Type: application/octet-stream\r\n\r\n"
            ).encode()
            + file.read_bytes()
            + f"\r\n--{boundary}--\r\n".encode()
        )
        return self.call("POST", path, raw=body, expect=expect, content_type=f"multipart/form-data; boundary={boundary}")


def seed(base: str, keys: dict[str, str]) -> dict[str, list[str]]:
    """One object of each kind the routes take by id, in the states their routes act on; returns ids by parameter."""
    holder, staff = Api(base, keys["rights_holder"]), Api(base, keys["specialist"])
    incomplete = holder.call("POST", "/api/v1/claims", changed(complete_claim("US_DMCA"), [(("signature",), REMOVE)]), expect=201)
    in_review = holder.call("POST", "/api/v1/claims", complete_claim("TM_POLICY"), expect=201)
    decided = holder.call("POST", "/api/v1/claims", complete_claim("US_DMCA"), expect=201)
    eu = holder.call("POST", "/api/v1/claims", complete_claim("EU_DSA"), expect=201)
    for claim in (decided, eu):
        for item in claim["items"]:
            staff.call(
                "POST",
                f"/api/v1/claims/{claim['id']}/items/{item['id']}/decision",
                {"outcome": "removed", "reason": "copies the work", "territorial_scope": ["DE"]},
            )
    counter = staff.call(
        "POST",
        f"/api/v1/claims/{decided['id']}/items/{decided['items'][0]['id']}/counter-notices",
        complete_counter_notice("US_DMCA"),
        expect=201,
    )
    complaint = holder.call(
        "POST",
        f"/api/v1/claims/{eu['id']}/items/{eu['items'][0]['id']}/complaints",
        {"complainant_role": "notifier", "complainant_email": "ada@rights.example.com", "body": "the decision left a copy up"},
        expect=201,
    )
    holder.call("POST", f"/api/v1/claims/{in_review['id']}/notes", {"body": "shared note", "internal": False}, expect=201)
    work = holder.call("POST", "/api/v1/works", {"title": "Fuzz reference", "kind": "copyright"}, expect=201)
    holder.upload(f"/api/v1/works/{work['id']}/images", REPO / "fixtures" / "images" / "morning-espresso.jpg", expect=201)
    claims = (incomplete, in_review, decided, eu)
    me = {role: Api(base, key).call("GET", "/api/v1/me")["id"] for role, key in keys.items() if role in ROLES}
    return {
        "claim_id": [c["id"] for c in claims],
        "item_id": [i["id"] for c in claims for i in c["items"]],
        "counter_id": [counter["id"]],
        "complaint_id": [complaint["id"]],
        "work_id": [work["id"], "0000000000000000000DEM0WK1"],
        "account_id": sorted(me.values()),
        "uploader": ["reposter_991"],
        "calendar_code": ["US", "SG"],
        "day": ["2026-12-24"],
    }


def config_toml(ids: dict[str, list[str]], max_examples: int) -> str:
    lines = ["[generation]", "deterministic = true", f"max-examples = {max_examples}", ""]
    for name, values in ids.items():
        lines += [f"[dictionaries.{name}]", f"values = {json.dumps(values)}", ""]
    lines.append("[parameters]")
    lines += [f'"path.{name}" = {{ dictionary = "{name}", probability = {SEEDED_ID_PROBABILITY} }}' for name in ids]
    return "\n".join(lines) + "\n"


def wipe_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def server_errors(log: Path) -> list[str]:
    """The last line of each distinct traceback in the server's log (the exception), in order of first appearance."""
    seen: dict[str, None] = {}
    lines = log.read_text(errors="replace").splitlines()
    for n, line in enumerate(lines):
        if line.startswith("Traceback "):
            rest = (candidate for candidate in lines[n + 1 :] if candidate and not candidate.startswith((" ", "Traceback")))
            last = next(iter(_skip_chained(rest)), "")
            seen.setdefault(last[:300], None)
    return list(seen)


def _skip_chained(lines: Iterator[str]) -> Iterator[str]:
    for line in lines:
        if not line.startswith(("During handling", "The above exception")):
            yield line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-examples", type=int, default=int(os.environ.get("FUZZ_MAX_EXAMPLES", DEFAULT_EXAMPLES)))
    parser.add_argument(
        "--database-url",
        default=os.environ.get("FUZZ_DATABASE_URL", ""),
        help="a PostgreSQL database to run on; it is WIPED (default: a SQLite file in a scratch directory)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory (database, server log, reports)")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="ipclaims-fuzz-"))
    url = args.database_url or f"sqlite:///{workdir / 'fuzz.db'}"
    if url.startswith("postgresql"):
        wipe_postgres(url)
    env = {k: v for k, v in os.environ.items() if not k.startswith("IPCLAIMS_")} | {
        "IPCLAIMS_DATABASE_URL": url,
        "IPCLAIMS_DATA_DIR": str(workdir / "data"),
        "IPCLAIMS_ENV": "development",
    }
    cli = [sys.executable, "-m", "ipclaims.cli"]
    subprocess.run([*cli, "migrate"], env=env, cwd=workdir, check=True)
    keys = json.loads(subprocess.run([*cli, "demo", "--json"], env=env, cwd=workdir, check=True, capture_output=True, text=True).stdout)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = workdir / "server.log"
    with open(log, "wb") as out:
        server = subprocess.Popen(
            [*cli, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            cwd=workdir,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    failed: list[str] = []
    started = time.monotonic()
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2).close()
                break
            except OSError:
                time.sleep(0.25)
        else:
            raise SystemExit(f"fuzz: the server did not start; see {log}")
        ids = seed(base, keys)
        config = workdir / "schemathesis.toml"
        config.write_text(config_toml(ids, args.max_examples))
        database = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
        for role in ROLES:
            print(f"\n=== schemathesis as {role} on {database}, {args.max_examples} examples per operation and phase", flush=True)
            run = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "schemathesis.cli",
                    "--config-file",
                    str(config),
                    "--no-color",
                    "run",
                    f"{base}/api/v1/openapi.json",
                    "--checks",
                    CHECKS,
                    "--workers",
                    "1",
                    "--header",
                    f"Authorization: Bearer {keys[role]}",
                    "--report",
                    "junit",
                    "--report-dir",
                    str(workdir / f"report-{role}"),
                ],
                cwd=workdir,
            )
            if run.returncode != 0:
                failed.append(role)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    print(f"\nfuzz: {time.monotonic() - started:.0f}s; " + (f"FAILED as {', '.join(failed)}" if failed else "passed"))
    errors = server_errors(log)
    if errors:
        print("server-side exceptions (last line of each distinct traceback in the server log):")
        for line in errors:
            print(f"  {line}")
    if failed or args.keep:
        print(f"scratch directory kept: {workdir} (server.log, report-*/)")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
