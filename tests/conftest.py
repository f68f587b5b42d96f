"""Shared fixtures: a migrated database per test run, a clean one per test, an app, a client and factories.

Databases are built with `alembic upgrade head` (never create_all), so the migrations are what the tests test.
SQLite: the migrated file is copied for each test. PostgreSQL (IPCLAIMS_TEST_DATABASE_URL): migrated once, then
every table is emptied after each test, its sequences restarted and the migration's seed rows put back.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.orm import Session

PG_URL = os.environ.get("IPCLAIMS_TEST_DATABASE_URL", "").strip()
IS_PG = bool(PG_URL)


def _reset_caches() -> None:
    from ipclaims import config, db
    from ipclaims.matching import library

    config.get_settings.cache_clear()
    db.dispose_engines()
    # One library per database URL: a PostgreSQL test database reused after emptying and restarting its sequences could
    # otherwise look unchanged to the next test's cheap refresh check.
    library.dispose_libraries()


@dataclass
class Template:
    url: str
    path: Path | None  # SQLite template file
    seed: dict[str, list[dict[str, Any]]]
    tables: list[str]  # children before parents, so a DELETE in this order never trips a foreign key
    sequences: list[str]


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Template:
    from ipclaims.migrations import upgrade

    if IS_PG:
        url = PG_URL
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        path = None
    else:
        path = tmp_path_factory.mktemp("db") / "template.db"
        url = f"sqlite:///{path}"
    upgrade(url)
    engine = create_engine(url)
    with engine.connect() as conn:
        ordered = [t for t, _ in reversed(inspect(conn).get_sorted_table_and_fkc_names()) if t]
        tables = [t for t in ordered if t != "alembic_version"]
        seed = {t: [dict(r._mapping) for r in conn.execute(text(f'SELECT * FROM "{t}"'))] for t in tables}
        sequences = [] if not IS_PG else list(conn.scalars(text("SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'")))
    engine.dispose()
    seed = {t: rows for t, rows in seed.items() if rows}
    return Template(url=url, path=path, seed=seed, tables=tables, sequences=sequences)


def _empty_pg(conn: Any, template: Template) -> None:
    """Empty every table and restart every sequence, as TRUNCATE … RESTART IDENTITY would.

    TRUNCATE gives each of ~40 tables new files, ~0.22 s a test on the CI machine (10 minutes of the PostgreSQL
    suite); DELETE of a test's few rows takes ~10 ms. Children go before parents. The report roll-up triggers fire on
    DELETE (TRUNCATE skips them) and may write rows into tables already emptied, so a second pass empties those.
    """
    for _ in range(2):
        for table in template.tables:
            conn.execute(text(f'DELETE FROM "{table}"'))
    counts = " UNION ALL ".join(f"SELECT '{t}' AS t, count(*) AS n FROM \"{t}\"" for t in template.tables)
    left = [row.t for row in conn.execute(text(f"SELECT t FROM ({counts}) AS c WHERE n > 0"))]
    assert not left, f"rows left after emptying the test database: {left}"
    if template.sequences:
        conn.execute(text("SELECT " + ", ".join(f"setval('\"{s}\"', 1, false)" for s in template.sequences)))


@pytest.fixture
def db_url(template_db: Template, tmp_path: Path) -> Iterator[str]:
    if template_db.path is not None:
        target = tmp_path / "ipclaims.db"
        shutil.copyfile(template_db.path, target)
        yield f"sqlite:///{target}"
        return
    yield template_db.url
    engine = create_engine(template_db.url)
    with engine.begin() as conn:
        _empty_pg(conn, template_db)
        for table, rows in template_db.seed.items():
            columns = list(rows[0])
            conn.execute(text(f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({", ".join(":" + c for c in columns)})'), rows)
    engine.dispose()


@pytest.fixture
def env(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    values = {
        "IPCLAIMS_DATABASE_URL": db_url,
        "IPCLAIMS_DATA_DIR": str(tmp_path / "data"),
        "IPCLAIMS_ENV": "test",
        "IPCLAIMS_PLATFORM_HOSTS": "",
        "IPCLAIMS_SMTP_URL": "",
    }
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    _reset_caches()
    yield values
    _reset_caches()


@pytest.fixture
def set_env(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Change settings inside a test (e.g. IPCLAIMS_PLATFORM_HOSTS) and drop the cached Settings."""

    def apply(**values: str) -> None:
        from ipclaims import config

        for key, value in values.items():
            monkeypatch.setenv(key, value)
        config.get_settings.cache_clear()

    return apply


@pytest.fixture
def session(env: dict[str, str]) -> Iterator[Session]:
    from ipclaims.db import session_scope

    with session_scope() as s:
        yield s


@pytest.fixture
def app(env: dict[str, str]) -> Any:
    from ipclaims.main import create_app

    return create_app()


@pytest.fixture
def client(app: Any) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@dataclass
class Actor:
    id: str
    role: str
    key: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}


@pytest.fixture
def make_account(env: dict[str, str]) -> Callable[..., Actor]:
    from ipclaims.auth.service import create_account
    from ipclaims.db import session_scope
    from ipclaims.models import Role

    def make(role: str = "rights_holder", *, name: str | None = None, email: str | None = None, trusted_flagger: bool = False) -> Actor:
        with session_scope() as s:
            issued = create_account(s, name=name or f"{role} account", role=Role(role), email=email, trusted_flagger=trusted_flagger)
            return Actor(id=issued.account.id, role=role, key=issued.secret)

    return make


@pytest.fixture
def holder(make_account: Callable[..., Actor]) -> Actor:
    return make_account("rights_holder", name="Holder A", email="a@holder-a.example")


@pytest.fixture
def specialist(make_account: Callable[..., Actor]) -> Actor:
    return make_account("specialist", name="Spec")


@pytest.fixture
def legal_user(make_account: Callable[..., Actor]) -> Actor:
    return make_account("legal", name="Counsel")


@pytest.fixture
def admin(make_account: Callable[..., Actor]) -> Actor:
    return make_account("admin", name="Admin")


@pytest.fixture
def scratch_url(tmp_path: Path) -> Any:
    """A database of its own for the downgrade round trip: a SQLite file, or a scratch PostgreSQL database."""
    if not IS_PG:
        yield f"sqlite:///{tmp_path / 'm.db'}"
        return
    from sqlalchemy.engine import make_url

    base = make_url(PG_URL)
    name = f"{base.database}_migrations"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield base.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def end_pooled_connections(engine: Any, count: int) -> list[int]:
    """Make `count` pooled connections of `engine`, then end their server processes, as a restart would."""
    held = [engine.connect() for _ in range(count)]
    pids = [conn.execute(text("SELECT pg_backend_pid()")).scalar_one() for conn in held]
    for conn in held:
        conn.rollback()
        conn.close()
    other = create_engine(engine.url)  # not one of the pooled connections it is about to end
    with other.connect() as conn:
        for pid in pids:
            assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar_one()
    other.dispose()
    return pids
