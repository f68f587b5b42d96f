"""The documented CLI, run as a separate process from another directory, and the migration history."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, text


def run_cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("IPCLAIMS_")} | env
    return subprocess.run([sys.executable, "-m", "ipclaims.cli", *args], env=full_env, cwd=cwd, text=True, capture_output=True, timeout=120)


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    return {"IPCLAIMS_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "IPCLAIMS_DATA_DIR": str(tmp_path / "data")}


def test_migrate_accounts_create_and_demo_from_any_directory(tmp_path: Path, cli_env: dict[str, str]) -> None:
    elsewhere = tmp_path / "somewhere" / "else"
    elsewhere.mkdir(parents=True)
    assert run_cli("migrate", env=cli_env, cwd=elsewhere).returncode == 0
    out = run_cli(
        "accounts", "create", "--name", "Aurora", "--role", "rights_holder", "--email", "a@b.example", "--json", env=cli_env, cwd=elsewhere
    )
    assert out.returncode == 0, out.stderr
    created = json.loads(out.stdout)
    assert set(created) == {"id", "role", "api_key"} and created["role"] == "rights_holder"
    first = run_cli("demo", "--json", env=cli_env, cwd=elsewhere)
    second = run_cli("demo", "--json", env=cli_env, cwd=elsewhere)
    assert first.returncode == second.returncode == 0
    assert json.loads(first.stdout) == json.loads(second.stdout)
    engine = create_engine(cli_env["IPCLAIMS_DATABASE_URL"])
    with engine.connect() as conn:
        regimes = {r for (r,) in conn.execute(text("SELECT DISTINCT regime FROM claim"))}
        statuses = {s for (s,) in conn.execute(text("SELECT DISTINCT status FROM claim"))}
        n = conn.execute(text("SELECT count(*) FROM claim")).scalar_one()
    engine.dispose()
    assert regimes == {"US_DMCA", "EU_DSA", "SG_CA2021", "TM_POLICY"}
    assert {"needs_info", "in_review"} <= statuses
    assert n == 6  # idempotent: the second run added nothing


def test_accounts_create_rejects_unknown_role(tmp_path: Path, cli_env: dict[str, str]) -> None:
    run_cli("migrate", env=cli_env, cwd=tmp_path)
    out = run_cli("accounts", "create", "--name", "x", "--role", "owner", "--json", env=cli_env, cwd=tmp_path)
    assert out.returncode != 0 and "invalid choice" in out.stderr


def test_production_refuses_default_secret_and_demo(tmp_path: Path, cli_env: dict[str, str]) -> None:
    env = cli_env | {"IPCLAIMS_ENV": "production"}
    out = run_cli("demo", env=env, cwd=tmp_path)
    assert out.returncode != 0
    assert "IPCLAIMS_SECRET_KEY" in out.stderr
    out = run_cli("demo", env=env | {"IPCLAIMS_SECRET_KEY": "s3cret-for-prod-" + "x" * 20}, cwd=tmp_path)
    assert out.returncode == 2 and "refused in production" in out.stderr


def test_worker_once_exits_zero_with_nothing_to_do(tmp_path: Path, cli_env: dict[str, str]) -> None:
    assert run_cli("migrate", env=cli_env, cwd=tmp_path).returncode == 0
    out = run_cli("worker", "--once", env=cli_env, cwd=tmp_path)
    assert out.returncode == 0, out.stderr


def test_migrations_upgrade_downgrade_and_match_the_models(scratch_url: str) -> None:
    from alembic import command
    from ipclaims.migrations import alembic_config, downgrade, upgrade

    upgrade(scratch_url)
    downgrade(scratch_url, "base")
    engine = create_engine(scratch_url)
    assert inspect(engine).get_table_names() == ["alembic_version"]
    engine.dispose()
    upgrade(scratch_url)
    command.check(alembic_config(scratch_url))  # raises if the models and the migrations disagree


def test_migrations_match_models_on_this_database(template_db: Any) -> None:
    from alembic import command
    from ipclaims.migrations import alembic_config

    command.check(alembic_config(template_db.url))


@pytest.mark.parametrize("command", [("accounts", "list"), ("notices", "import", "{notice}"), ("outbox", "list")])
def test_an_unmigrated_database_is_a_one_line_refusal(tmp_path: Path, cli_env: dict[str, str], command: tuple[str, ...]) -> None:
    notice = tmp_path / "notice.txt"
    notice.write_text("Hello,\n\nOur handbook is copied at https://github.com/someone/handbook/blob/main/book.md.\n", encoding="utf-8")
    out = run_cli(*(part.format(notice=notice) for part in command), env=cli_env, cwd=tmp_path)
    assert out.returncode == 1, out.stderr
    assert "Traceback" not in out.stderr and "run `ipclaims migrate`" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
