"""Server memory under a burst of small files that declare large pictures (issue 16, defect 1).

Run from the repository root with the virtualenv (Linux: reads /proc):

    python bench/upload_memory.py                      # 1, 8, 16 and 24 concurrent uploads
    python bench/upload_memory.py --bursts 24 --decode-memory-bytes 256000000

The hostile file is a PNG declaring 7000×7000 16-bit RGBA (49 MP, under the 50 MP `IPCLAIMS_MAX_IMAGE_PIXELS`
default) whose pixel data compresses to a few hundred kilobytes. The script migrates a scratch SQLite database,
loads the demo data (for a work, a claim item and the keys), serves ipclaims with `ipclaims serve` on loopback (one
process, as `make run` does) and, for each burst size N, sends N such uploads at once, spread over the three upload
routes (`POST /api/v1/works/{id}/images`, `POST /api/v1/claims/{id}/items/{item_id}/content`, `POST /api/v1/match`).
While a burst runs, the server's resident set (VmRSS of the process in /proc) is sampled every 20 ms; two seconds
after the last response it is read again. Printed: idle RSS before the first burst, then per burst the statuses,
the wall time, the peak RSS and the RSS after, in MB. Goals: peak under 1,500 MB at 24, and after each burst back
near idle (within 250 MB of it).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import zlib
from collections import Counter
from pathlib import Path

SIDE = 7000
GOAL_PEAK_MB = 1500
GOAL_AFTER_ABOVE_IDLE_MB = 250


def hostile_png(side: int = SIDE) -> bytes:
    """A valid 16-bit RGBA PNG of side×side pixels (a grey ramp per row), a few hundred kB compressed."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    compressor = zlib.compressobj(9)
    parts = []
    for y in range(side):
        level = (y * 65535 // side).to_bytes(2, "big")
        row = b"\x00" + (level * 3 + b"\xff\xff") * side  # filter 0, then RGBA 16-bit samples
        parts.append(compressor.compress(row))
    parts.append(compressor.flush())
    ihdr = struct.pack(">IIBBBBB", side, side, 16, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", b"".join(parts)) + chunk(b"IEND", b"")


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def cli(*args: str, env: dict[str, str]) -> str:
    out = subprocess.run([sys.executable, "-m", "ipclaims.cli", *args], env=env, capture_output=True, text=True, check=True, timeout=300)
    return out.stdout


def request(
    base: str, method: str, path: str, key: str, *, body: bytes | None = None, content_type: str | None = None, timeout: float = 300
) -> tuple[int, bytes]:
    headers = {"Authorization": f"Bearer {key}"}
    if content_type:
        headers["Content-Type"] = content_type
    req = urllib.request.Request(base + path, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def multipart(data: bytes) -> tuple[bytes, str]:
    body = (
        b'--bench\r\nContent-Disposition: form-data; name="file"; filename="hostile.png"\r\n'
        b"Content-Type: image/png\r\n\r\n" + data + b"\r\n--bench--\r\n"
    )
    return body, "multipart/form-data; boundary=bench"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def burst(pid: int, base: str, routes: list[tuple[str, str]], body: bytes, ctype: str, n: int) -> tuple[float, float, float, Counter[int]]:
    """N uploads at once, spread over `routes`: seconds, peak RSS (MB) while they ran, RSS 2 s after, statuses."""
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    done = threading.Event()
    peak = rss_mb(pid)

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, rss_mb(pid))
            time.sleep(0.02)

    def upload(i: int) -> None:
        path, key = routes[i % len(routes)]
        try:
            code = request(base, "POST", path, key, body=body, content_type=ctype)[0]
        except OSError:
            code = 0
        with lock:
            statuses[code] += 1

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.monotonic()
    threads = [threading.Thread(target=upload, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.monotonic() - started
    done.set()
    sampler.join()
    time.sleep(2)
    return seconds, peak, rss_mb(pid), statuses


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bursts", default="1,8,16,24", help="comma-separated concurrent upload counts")
    parser.add_argument("--routes", default="work,item,match", help="which upload routes to spread the bursts over")
    parser.add_argument("--decode-memory-bytes", type=int, default=None, help="IPCLAIMS_DECODE_MEMORY_BYTES")
    args = parser.parse_args()
    bursts = [int(n) for n in args.bursts.split(",")]

    png = hostile_png()
    print(f"hostile PNG: {SIDE}x{SIDE} 16-bit RGBA, {len(png) / 1e3:.0f} kB", flush=True)
    tmp = Path(tempfile.mkdtemp(prefix="ipclaims-upload-memory-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("IPCLAIMS_")}
    env |= {
        "IPCLAIMS_DATABASE_URL": f"sqlite:///{tmp / 'bench.db'}",
        "IPCLAIMS_DATA_DIR": str(tmp / "data"),
        "IPCLAIMS_ENV": "development",
        "IPCLAIMS_LOG_LEVEL": "warning",
    }
    if args.decode_memory_bytes:
        env["IPCLAIMS_DECODE_MEMORY_BYTES"] = str(args.decode_memory_bytes)
    cli("migrate", env=env)
    keys = json.loads(cli("demo", "--json", env=env))
    holder, specialist = keys["rights_holder"], keys["specialist"]

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "ipclaims.cli", "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if request(base, "GET", "/healthz", holder, timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                print("server did not start", file=sys.stderr)
                return 2
            time.sleep(0.2)
        _, raw = request(base, "GET", "/api/v1/claims?limit=50", holder)
        claims = json.loads(raw)["items"]
        item = next((c["id"], i["id"]) for c in claims for i in c.get("items", []))
        every = {
            "work": ("/api/v1/works/0000000000000000000DEM0WK1/images", holder),
            "item": (f"/api/v1/claims/{item[0]}/items/{item[1]}/content", holder),
            "match": ("/api/v1/match", specialist),
        }
        routes = [every[name] for name in args.routes.split(",")]
        body, ctype = multipart(png)
        time.sleep(3)  # let the library warm-up thread finish
        idle = rss_mb(server.pid)
        print(f"idle RSS: {idle:,.0f} MB\n", flush=True)
        print(f"{'concurrent':>10} {'seconds':>8} {'peak MB':>8} {'after MB':>9}  statuses")
        rows = []
        for n in bursts:
            seconds, peak, after, statuses = burst(server.pid, base, routes, body, ctype, n)
            rows.append((n, peak, after))
            shown = ", ".join(f"{code}×{count}" for code, count in sorted(statuses.items()))
            print(f"{n:>10} {seconds:>8.1f} {peak:>8,.0f} {after:>9,.0f}  {shown}", flush=True)
        worst_peak = max(p for _, p, _ in rows)
        worst_after = max(a for _, _, a in rows)
        print(
            f"\ngoal: peak < {GOAL_PEAK_MB:,} MB (worst {worst_peak:,.0f}); after within {GOAL_AFTER_ABOVE_IDLE_MB} MB "
            f"of idle {idle:,.0f} (worst {worst_after:,.0f})"
        )
        ok = worst_peak < GOAL_PEAK_MB and worst_after - idle < GOAL_AFTER_ABOVE_IDLE_MB
        return 0 if ok else 1
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    sys.exit(main())
