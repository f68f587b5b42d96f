"""Part 3 of bench/match_speed.py: item content upload to verdict, end to end over HTTP on loopback.

A throw-away SQLite database is migrated, `ipclaims serve` (one worker, as `make run`) is started on it, a rights
holder registers reference works through the API, files a claim with one item per query, and uploads each query
as the item's content; the time from sending the upload to holding the item with its verdict is recorded (decode,
hashes, index, verification, storage, the audit event and the commit). Baseline in the same run: a bare FastAPI
app on the same uvicorn settings whose upload route only reads the file and computes `imagehash.phash` — what the
least useful "hash it" service costs for the same bytes.

Queries are edited copies from bench/data (bench/evaldata.py) when present, else edits of scikit-image photos.
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
DATA = BENCH / "data"

BARE_UPLOAD_APP = """
import imagehash
from fastapi import FastAPI, UploadFile
from PIL import Image


def create_app() -> FastAPI:
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

    @app.post("/upload")
    def upload(file: UploadFile) -> dict[str, str]:
        return {"phash": str(imagehash.phash(Image.open(file.file)))}

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _request(
    method: str, url: str, *, key: str | None = None, body: bytes | None = None, content_type: str | None = None
) -> tuple[int, Any, float]:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    if content_type:
        headers["Content-Type"] = content_type
    req = urllib.request.Request(url, data=body, method=method, headers=headers)
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=120) as resp:
            payload = resp.read()
            status = resp.status
    except urllib.error.HTTPError as exc:
        payload, status = exc.read(), exc.code
    elapsed = time.perf_counter() - started
    return status, json.loads(payload) if payload else None, elapsed


def _multipart(data: bytes, name: str = "upload.jpg") -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
    ).encode()
    return head + data + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


@contextmanager
def _server(cmd: list[str], env: dict[str, str], port: int, log: Path) -> Iterator[str]:
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if _request("GET", base + "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if proc.poll() is not None:
                raise RuntimeError(f"server exited: {log.read_text()[-2000:]}")
            time.sleep(0.1)
        yield base
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=30)


def _inputs(works: int, queries: int) -> tuple[list[tuple[str, bytes]], list[bytes]]:
    manifest = DATA / "manifest.json"
    if manifest.exists():
        m = json.loads(manifest.read_text())
        refs = [s for s in m["sources"] if s["role"] == "reference"][:works]
        names = {s["id"] for s in refs}
        picked = [q for q in m["queries"] if q["expected"] in names and q["edit"] != "exact"]
        step = max(1, len(picked) // queries)
        return (
            [(s["id"], (DATA / s["path"]).read_bytes()) for s in refs],
            [(DATA / q["path"]).read_bytes() for q in picked[::step][:queries]],
        )
    sys.path.insert(0, str(ROOT))
    from tests import images

    refs = [(n, images.encode(images.photo(n))) for n in images.PHOTOS][:works]
    edits = [images.encode(fn(images.photo(n))) for n in images.PHOTOS[:works] for fn in images.EDITS.values()]
    return refs, edits[:queries]


def _pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))] * 1e3


def end_to_end(works: int = 40, queries: int = 120) -> dict[str, Any]:
    refs, uploads = _inputs(works, queries)
    with tempfile.TemporaryDirectory(prefix="ipclaims-e2e-") as tmp:
        tmpdir = Path(tmp)
        env = {
            **os.environ,
            "IPCLAIMS_DATABASE_URL": f"sqlite:///{tmpdir / 'e2e.db'}",
            "IPCLAIMS_DATA_DIR": str(tmpdir / "data"),
            "IPCLAIMS_ENV": "development",
            "IPCLAIMS_LOG_LEVEL": "WARNING",
        }
        cli = [sys.executable, "-m", "ipclaims.cli"]
        subprocess.run([*cli, "migrate"], env=env, check=True, cwd=tmpdir, capture_output=True)
        made = subprocess.run(
            [*cli, "accounts", "create", "--name", "bench holder", "--role", "rights_holder", "--json"],
            env=env,
            check=True,
            cwd=tmpdir,
            capture_output=True,
            text=True,
        )
        key = json.loads(made.stdout)["api_key"]
        port = _free_port()
        register: list[float] = []
        content: list[float] = []
        verdicts: dict[str, int] = {}
        with _server([*cli, "serve", "--port", str(port)], env, port, tmpdir / "ipclaims.log") as base:
            for name, data in refs:
                _, work, _ = _request(
                    "POST", base + "/api/v1/works", key=key, body=json.dumps({"title": name}).encode(), content_type="application/json"
                )
                body, ctype = _multipart(data)
                status, _, dt = _request("POST", f"{base}/api/v1/works/{work['id']}/images", key=key, body=body, content_type=ctype)
                if status != 201:
                    raise RuntimeError(f"reference upload answered {status}")
                register.append(dt)
            claim = {
                "kind": "copyright",
                "regime": "EU_DSA",
                "explanation": "bench",
                "statements": {"bona_fide": True},
                "complainant": {"name": "Bench", "email": "bench@example.com"},
                "items": [{"url": f"https://videos.example.com/watch/{i}"} for i in range(len(uploads))],
            }
            status, made_claim, _ = _request(
                "POST", base + "/api/v1/claims", key=key, body=json.dumps(claim).encode(), content_type="application/json"
            )
            if status != 201:
                raise RuntimeError(f"claim answered {status}")
            for item, data in zip(made_claim["items"], uploads, strict=False):
                body, ctype = _multipart(data)
                status, out, dt = _request(
                    "POST", f"{base}/api/v1/claims/{made_claim['id']}/items/{item['id']}/content", key=key, body=body, content_type=ctype
                )
                if status != 200:
                    raise RuntimeError(f"item content answered {status}: {out}")
                content.append(dt)
                verdict = out["matches"][0]["verdict"] if out["matches"] else "(no candidate)"
                verdicts[verdict] = verdicts.get(verdict, 0) + 1
        bare_dir = tmpdir / "bare"
        bare_dir.mkdir()
        (bare_dir / "bare_upload.py").write_text(BARE_UPLOAD_APP)
        port = _free_port()
        baseline: list[float] = []
        with _server(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--app-dir",
                str(bare_dir),
                "--factory",
                "bare_upload:create_app",
                "--port",
                str(port),
                "--log-level",
                "warning",
            ],
            env,
            port,
            tmpdir / "bare.log",
        ) as base:
            for data in uploads:
                body, ctype = _multipart(data)
                status, _, dt = _request("POST", base + "/upload", body=body, content_type=ctype)
                if status != 200:
                    raise RuntimeError(f"bare upload answered {status}")
                baseline.append(dt)
    return {
        "works": len(refs),
        "uploads": len(uploads),
        "verdicts": verdicts,
        "register_p50": _pct(register, 50),
        "register_p99": _pct(register, 99),
        "content_p50": _pct(content, 50),
        "content_p99": _pct(content, 99),
        "bare_p50": _pct(baseline, 50),
        "bare_p99": _pct(baseline, 99),
        "ratio_p50": statistics.median(content) / statistics.median(baseline),
        "upload_mb": sum(len(d) for d in uploads) / len(uploads) / 1e6,
    }


if __name__ == "__main__":
    print(json.dumps(end_to_end(), indent=1))
