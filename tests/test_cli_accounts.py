"""The command line a new operator meets first: `--version`, `serve`'s options, and accounts from creation to a
rotated key and a disabled account (CONTRACT.md "Setup and CLI"; additions "Command line")."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ipclaims import __version__
from ipclaims.cli import main
from tests.test_cli_and_migrations import run_cli


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"ipclaims {__version__}"


def test_serve_and_worker_options_say_what_they_do(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("serve", "worker"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
    out = " ".join(capsys.readouterr().out.split())  # argparse wraps help to the terminal's width
    for described in (
        "--host HOST address to listen on (default 127.0.0.1",
        "--port PORT TCP port (default 8000)",
        "--workers WORKERS server processes (default 1)",
        "--interval INTERVAL seconds between sweeps",
    ):
        assert described in out


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_create_list_rotate_and_disable(env: Any, client: Any, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "accounts", "create", "--name", "Aurora Studios", "--role", "rights_holder", "--email", "legal@aurora.example", "--json"
    )
    assert code == 0
    created = json.loads(out)
    assert set(created) == {"id", "role", "api_key"} and created["role"] == "rights_holder"  # exactly, as CONTRACT.md
    first = {"Authorization": f"Bearer {created['api_key']}"}
    assert client.get("/api/v1/me", headers=first).status_code == 200

    code, out, _ = run(capsys, "accounts", "list", "--json")
    rows = [json.loads(line) for line in out.splitlines()]
    [mine] = [r for r in rows if r["id"] == created["id"]]
    assert mine["name"] == "Aurora Studios" and mine["active"] is True and mine["keys"] == 1
    code, out, _ = run(capsys, "accounts", "list")
    assert code == 0 and created["id"] in out and "Aurora Studios <legal@aurora.example>" in out

    code, out, _ = run(capsys, "accounts", "keys", "rotate", created["id"], "--json")
    rotated = json.loads(out)
    assert code == 0 and rotated["api_key"] != created["api_key"] and len(rotated["revoked"]) == 1
    assert client.get("/api/v1/me", headers=first).status_code == 401  # the old key stopped working
    second = {"Authorization": f"Bearer {rotated['api_key']}"}
    assert client.get("/api/v1/me", headers=second).json()["id"] == created["id"]
    code, out, _ = run(capsys, "accounts", "keys", "rotate", created["id"])
    assert code == 0 and "new API key (shown once): ipc_" in out
    third = {"Authorization": f"Bearer {out.rsplit(' ', 1)[1].strip()}"}
    assert client.get("/api/v1/me", headers=second).status_code == 401
    assert client.get("/api/v1/me", headers=third).status_code == 200

    code, out, _ = run(capsys, "accounts", "disable", created["id"])
    assert code == 0 and "disabled Aurora Studios" in out
    assert client.get("/api/v1/me", headers=third).status_code == 401
    code, out, _ = run(capsys, "accounts", "list", "--json", "--role", "rights_holder")
    assert [json.loads(line)["active"] for line in out.splitlines()] == [False]


@pytest.mark.parametrize("name", ["Aurora Studios", "  aurora studios "])
def test_a_duplicate_name_is_refused_in_one_line(env: Any, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "accounts", "create", "--name", "Aurora Studios", "--role", "rights_holder", "--json")[0] == 0
    code, out, err = run(capsys, "accounts", "create", "--name", name, "--role", "admin", "--json")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "already exists" in err and "Aurora Studios" in err
    code, out, _ = run(capsys, "accounts", "list", "--json")
    assert len(out.splitlines()) == 1


def test_unknown_ids_are_one_line_refusals(env: Any, capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (("accounts", "disable", "nope"), ("accounts", "keys", "rotate", "nope"), ("outbox", "show", "nope")):
        code, out, err = run(capsys, *argv)
        assert code == 1 and out == "" and err.count("\n") == 1 and "nope" in err, argv


def test_duplicate_refusal_from_a_fresh_process_has_no_traceback(tmp_path: Path) -> None:
    cli_env = {"IPCLAIMS_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "IPCLAIMS_DATA_DIR": str(tmp_path / "data")}
    assert run_cli("migrate", env=cli_env, cwd=tmp_path).returncode == 0
    args = ("accounts", "create", "--name", "Dup", "--role", "legal", "--json")
    assert run_cli(*args, env=cli_env, cwd=tmp_path).returncode == 0
    again = run_cli(*args, env=cli_env, cwd=tmp_path)
    assert again.returncode == 1 and again.stdout == ""
    assert again.stderr.startswith("ipclaims accounts create: an account named 'Dup' already exists")
    assert "Traceback" not in again.stderr and again.stderr.count("\n") == 1
