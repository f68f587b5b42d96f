"""Production refuses to start on anything publicly known (issue 16, defect 2), in one line on stderr with exit
status 1 and no traceback, and serves /docs only when asked. Run through the CLI in subprocesses, as an operator would."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.test_cli_and_migrations import cli_env, run_cli  # noqa: F401  (cli_env is a fixture)

SECRET = "a-production-secret-" + "q" * 24


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, key: str | None = None) -> int:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {key}"} if key else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


@contextmanager
def serving(env: dict[str, str], cwd: Path) -> Iterator[str]:
    port = _free_port()
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("IPCLAIMS_")} | env
    log = cwd / f"serve-{port}.log"
    with open(log, "w") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "ipclaims.cli", "serve", "--port", str(port)],
            env=full_env,
            cwd=cwd,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, log.read_text()
            try:
                if _get(base + "/healthz") == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(20)


def _one_line_refusal(out: subprocess.CompletedProcess[str]) -> str:
    assert out.returncode == 1, (out.returncode, out.stderr)
    assert "Traceback" not in out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    return lines[0]


@pytest.mark.slow
def test_production_refuses_demo_credentials_until_revoked(tmp_path: Path, cli_env: dict[str, str]) -> None:  # noqa: F811
    assert run_cli("migrate", env=cli_env, cwd=tmp_path).returncode == 0
    demo = run_cli("demo", "--json", env=cli_env, cwd=tmp_path)
    assert demo.returncode == 0, demo.stderr
    admin_key = json.loads(demo.stdout)["admin"]
    production = cli_env | {"IPCLAIMS_ENV": "production", "IPCLAIMS_SECRET_KEY": SECRET}

    for command in (["serve", "--port", str(_free_port())], ["worker", "--once"]):
        line = _one_line_refusal(run_cli(*command, env=production, cwd=tmp_path))
        assert "Ada Admin (admin" in line and "Sam Reviewer (specialist" in line  # which accounts
        assert "demo keys: ipc_demo_a" in line  # which keys (their display prefix, never the key)
        assert admin_key not in line
        assert "ipclaims demo --revoke" in line  # and how to revoke them

    revoked = run_cli("demo", "--revoke", env=production, cwd=tmp_path)
    assert revoked.returncode == 0, revoked.stderr
    assert json.loads(revoked.stdout) == {"accounts_disabled": 5, "keys_revoked": 5, "passwords_cleared": 0}
    assert run_cli("worker", "--once", env=production, cwd=tmp_path).returncode == 0

    with serving(production, tmp_path) as base:
        assert _get(base + "/api/v1/claims", admin_key) == 401  # the publicly derivable key no longer answers
        assert _get(base + "/docs") == 404 and _get(base + "/docs/assets/swagger-ui.css") == 404
        assert _get(base + "/api/v1/openapi.json") == 200
    with serving(production | {"IPCLAIMS_PUBLIC_DOCS": "true"}, tmp_path) as base:
        assert _get(base + "/docs") == 200 and _get(base + "/docs/assets/swagger-ui-bundle.js") == 200


def test_production_refuses_the_default_secret_in_one_line(tmp_path: Path, cli_env: dict[str, str]) -> None:  # noqa: F811
    production = cli_env | {"IPCLAIMS_ENV": "production"}
    for command in (["serve", "--port", str(_free_port())], ["worker", "--once"]):
        assert "IPCLAIMS_SECRET_KEY" in _one_line_refusal(run_cli(*command, env=production, cwd=tmp_path))


def test_a_key_derived_from_the_production_secret_is_refused_too(tmp_path: Path, cli_env: dict[str, str]) -> None:  # noqa: F811
    """`ipclaims demo` run in development under the secret production later uses: its keys are derivable as well."""
    assert run_cli("migrate", env=cli_env, cwd=tmp_path).returncode == 0
    assert run_cli("demo", env=cli_env | {"IPCLAIMS_SECRET_KEY": SECRET}, cwd=tmp_path).returncode == 0
    production = cli_env | {"IPCLAIMS_ENV": "production", "IPCLAIMS_SECRET_KEY": SECRET}
    assert "demo keys: ipc_demo_" in _one_line_refusal(run_cli("worker", "--once", env=production, cwd=tmp_path))


def test_serve_gives_slow_starting_workers_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Newer uvicorn kills a `--workers N` process that has not started within its health-check timeout (5 s) and
    starts another, for ever; importing the app took longer than that on a busy machine without cached bytecode."""
    import inspect

    import uvicorn

    from ipclaims import cli
    from ipclaims.cli import serve

    calls: list[dict[str, object]] = []
    monkeypatch.setattr(serve.uvicorn, "run", lambda *a, **kw: calls.append(kw))
    assert cli.main(["serve", "--workers", "2", "--port", "8123"]) == 0
    (kw,) = calls
    assert kw["workers"] == 2 and kw["port"] == 8123
    if "timeout_worker_healthcheck" in inspect.signature(uvicorn.Config).parameters:
        assert kw["timeout_worker_healthcheck"] == serve.WORKER_STARTUP_S >= 30
