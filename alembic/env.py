"""Alembic environment: the URL comes from the caller's config or IPCLAIMS_DATABASE_URL, never from alembic.ini."""

from __future__ import annotations

import warnings

from sqlalchemy import create_engine, exc, pool

from alembic import context
from ipclaims.config import get_settings
from ipclaims.models import Base
from ipclaims.models.integration import MIGRATION_ONLY_INDEXES
from ipclaims.reports import rollups

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    return config.attributes.get("database_url") or get_settings().database_url


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction(), warnings.catch_warnings():
        # SQLite's reflection skips expression indexes with a warning: those of 0013_rollups are migration-only.
        warnings.filterwarnings("ignore", message="Skipped unsupported reflection of expression-based index", category=exc.SAWarning)
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(_url(), poolclass=pool.NullPool)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def _render_item(type_: str, obj: object, autogen_context: object) -> str | bool:
    # Migrations stay frozen: render the project's column types as plain SQLAlchemy types.
    from ipclaims.models.base import StrEnumType, UTCDateTime

    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and isinstance(obj, StrEnumType):
        return f"sa.String(length={obj.impl.length})"
    return False


def _include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    # Indexes whose definition differs per dialect (an expression on PostgreSQL) exist in their migration only; so do
    # the report rollups and the columns and indexes only the database's triggers write and the reports read
    # (migration 0013_rollups).
    if type_ == "index":
        return name not in MIGRATION_ONLY_INDEXES and name not in rollups.MIGRATION_ONLY_INDEXES
    if type_ == "table":
        return name not in rollups.TABLES
    if type_ == "column":
        return (getattr(getattr(obj, "table", None), "name", None), name) not in rollups.MIGRATION_ONLY_COLUMNS
    return True


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    # render_as_batch: SQLite cannot ALTER most things in place; batch mode copies the table instead.
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        render_item=_render_item,
        include_object=_include_object,
    )
    with context.begin_transaction(), warnings.catch_warnings():
        # SQLite's reflection skips expression indexes with a warning: those of 0013_rollups are migration-only.
        warnings.filterwarnings("ignore", message="Skipped unsupported reflection of expression-based index", category=exc.SAWarning)
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
