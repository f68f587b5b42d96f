"""rollups: per-day counts of the summary kept by triggers, and indexes on the durations its percentiles read

A 365-day summary at 1,000,000 claims read every claim and item of the year (SQLite 96 s, PostgreSQL 35 s on a
loaded machine). The four `report_*` tables hold its counts per UTC day (ipclaims/reports/rollups.py describes
them), kept exact by row triggers on `claim` and `claim_item`; the hours-to-first-action and hours-to-decision
percentiles read per-hour counts from `report_hours` and then only the values of the hours holding the ranks they
need, from expression indexes on those durations. `counter_notice.claim_received_at` (its claim's receipt time,
kept by triggers like 0011_reports' columns) makes the counter-notices of a range one index scan. `ix_claim_unacted`
serves the SLA figures of the claims not acted on yet (they depend on the time of the report, so they cannot be
rolled up). The rollups are filled from the claims and items stored (`rollups.rebuild`, also
`ipclaims report --rebuild-rollups`).

Revision ID: 0013_rollups
Revises: 0013_webpages
Create Date: 2026-12-05 21:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op
from ipclaims.reports import rollups

revision: str = "0013_rollups"
down_revision: str | None = "0013_webpages"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _day() -> sa.Column[object]:
    return sa.Column("day", sa.Date(), nullable=False)


def _shard() -> sa.Column[object]:
    return sa.Column(rollups.SHARD, sa.SmallInteger(), nullable=False, server_default="0")


def upgrade() -> None:
    count = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    op.create_table(
        "report_claim_day",
        _day(),
        *(sa.Column(c, sa.String(length=20), nullable=False) for c in ("regime", "kind", "status", "source")),
        sa.Column("acted", sa.String(length=10), nullable=False),
        sa.Column("n", count, nullable=False),
        _shard(),
        sa.PrimaryKeyConstraint(*rollups.CLAIM_DAY, rollups.SHARD, name="pk_report_claim_day"),
    )
    op.create_table(
        "report_owner_day",
        _day(),
        sa.Column("owner_id", sa.String(length=26), nullable=False),
        *(sa.Column(c, count, nullable=False) for c in rollups.OWNER_COUNTS),
        _shard(),
        sa.PrimaryKeyConstraint(*rollups.OWNER_DAY, rollups.SHARD, name="pk_report_owner_day"),
    )
    op.create_table(
        "report_item_day",
        _day(),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("n", count, nullable=False),
        _shard(),
        sa.PrimaryKeyConstraint(*rollups.ITEM_DAY, rollups.SHARD, name="pk_report_item_day"),
    )
    op.create_table(
        "report_hours",
        sa.Column("measure", sa.String(length=10), nullable=False),
        _day(),
        sa.Column("grp", sa.String(length=20), nullable=False),
        sa.Column("bucket", sa.Integer(), nullable=False),
        sa.Column("n", count, nullable=False),
        _shard(),
        sa.PrimaryKeyConstraint(*rollups.HOURS, rollups.SHARD, name="pk_report_hours"),
    )
    bind = op.get_bind()
    name = bind.dialect.name
    first = rollups.hours(name, "first_action_at", "received_at")
    decision = rollups.hours(name, "decided_at", "received_at")
    bind.execute(sa.text(f"CREATE INDEX ix_claim_first_action_hours ON claim (({first}), received_at, source, first_action_at)"))
    bind.execute(sa.text(f"CREATE INDEX ix_claim_item_decision_hours ON claim_item (({decision}), received_at, decided_at)"))
    bind.execute(sa.text("CREATE INDEX ix_claim_unacted ON claim (received_at, source, due_at) WHERE first_action_at IS NULL"))
    if name == "postgresql":  # the rows the worker folds (rollups.compact); SQLite writes shard 0 only
        for table, index in rollups.SHARD_INDEXES.items():
            bind.execute(sa.text(f"CREATE INDEX {index} ON {table} (day) WHERE {rollups.SHARD} <> 0"))
    for statement in rollups.trigger_ddl(name):
        bind.execute(sa.text(statement))
    rollups.rebuild(bind)
    op.add_column("counter_notice", sa.Column("claim_received_at", sa.DateTime(timezone=True), nullable=True))
    receipt = "(SELECT received_at FROM claim WHERE claim.id = counter_notice.claim_id)"
    bind.execute(sa.text(f"UPDATE counter_notice SET claim_received_at = {receipt}"))
    for statement in rollups.counter_ddl(name):
        bind.execute(sa.text(statement))
    op.create_index("ix_counter_notice_claim_received_at", "counter_notice", ["claim_received_at", "status", "forwarded_at"])


def downgrade() -> None:
    bind = op.get_bind()
    for statement in rollups.drop_ddl(bind.dialect.name):
        bind.execute(sa.text(statement))
    for index in ("ix_claim_first_action_hours", "ix_claim_item_decision_hours", "ix_claim_unacted", "ix_counter_notice_claim_received_at"):
        bind.execute(sa.text(f"DROP INDEX {index}"))
    with op.batch_alter_table("counter_notice", schema=None) as batch_op:
        batch_op.drop_column("claim_received_at")
    for table in reversed(rollups.TABLES):
        op.drop_table(table)
