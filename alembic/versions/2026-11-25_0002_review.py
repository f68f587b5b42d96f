"""review: counter-notices, notes, closures, SLA policy (seeded), outbox

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 18:23:15.380204
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "sla_policy",
        sa.Column("regime", sa.String(length=20), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("hours", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("regime", "source", name=op.f("pk_sla_policy")),
    )
    op.create_table(
        "closure",
        sa.Column("calendar", sa.String(length=8), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.String(length=26), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["account.id"], name=op.f("fk_closure_created_by_id_account")),
        sa.PrimaryKeyConstraint("calendar", "day", name=op.f("pk_closure")),
    )
    op.create_table(
        "claim_note",
        sa.Column("claim_id", sa.String(length=26), nullable=False),
        sa.Column("author_id", sa.String(length=26), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("internal", sa.Boolean(), nullable=False),
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["account.id"], name=op.f("fk_claim_note_author_id_account")),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"], name=op.f("fk_claim_note_claim_id_claim"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_note")),
    )
    with op.batch_alter_table("claim_note", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_note_claim_id"), ["claim_id"], unique=False)

    op.create_table(
        "outbox_message",
        sa.Column("dedupe_key", sa.String(length=200), nullable=False),
        sa.Column("claim_id", sa.String(length=26), nullable=True),
        sa.Column("kind", sa.String(length=60), nullable=False),
        sa.Column("to_addr", sa.String(length=320), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"], name=op.f("fk_outbox_message_claim_id_claim"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_message")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_outbox_message_dedupe_key")),
    )
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_message_claim_id"), ["claim_id"], unique=False)
        batch_op.create_index("ix_outbox_message_status_next_attempt_at", ["status", "next_attempt_at"], unique=False)

    op.create_table(
        "counter_notice",
        sa.Column("claim_id", sa.String(length=26), nullable=False),
        sa.Column("item_id", sa.String(length=26), nullable=False),
        sa.Column("regime", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("recorded_by_id", sa.String(length=26), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("subscriber", JSON, nullable=True),
        sa.Column("material", sa.Text(), nullable=True),
        sa.Column("statements", JSON, nullable=True),
        sa.Column("sg_address_for_service", sa.Text(), nullable=True),
        sa.Column("signature", JSON, nullable=True),
        sa.Column("first_received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("curable", sa.Boolean(), nullable=False),
        sa.Column("elements", JSON, nullable=False),
        sa.Column("restore_earliest", sa.Date(), nullable=True),
        sa.Column("restore_latest", sa.Date(), nullable=True),
        sa.Column("restore_on", sa.Date(), nullable=True),
        sa.Column("clock_timezone", sa.String(length=64), nullable=True),
        sa.Column("forwarded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("court", JSON, nullable=True),
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"], name=op.f("fk_counter_notice_claim_id_claim"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["item_id"], ["claim_item.id"], name=op.f("fk_counter_notice_item_id_claim_item"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["account.id"], name=op.f("fk_counter_notice_recorded_by_id_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_counter_notice")),
    )
    with op.batch_alter_table("counter_notice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_counter_notice_claim_id"), ["claim_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_counter_notice_item_id"), ["item_id"], unique=False)
        batch_op.create_index("ix_counter_notice_status_restore_on", ["status", "restore_on"], unique=False)

    sla = sa.table("sla_policy", sa.column("regime", sa.String), sa.column("source", sa.String), sa.column("hours", sa.Integer))
    # Hours from receipt to a first decision; policy, editable by an admin afterwards (PUT /api/v1/admin/sla).
    notice_hours = {"US_DMCA": 48, "EU_DSA": 72, "SG_CA2021": 48, "TM_POLICY": 120}
    escalated_hours = {"trusted_flagger": 24, "partner": 24, "press": 12, "authority": 12}
    rows = [{"regime": r, "source": "notice", "hours": h} for r, h in notice_hours.items()]
    rows += [{"regime": r, "source": s, "hours": h} for r in notice_hours for s, h in escalated_hours.items()]
    op.bulk_insert(sla, rows)


def downgrade() -> None:
    with op.batch_alter_table("counter_notice", schema=None) as batch_op:
        batch_op.drop_index("ix_counter_notice_status_restore_on")
        batch_op.drop_index(batch_op.f("ix_counter_notice_item_id"))
        batch_op.drop_index(batch_op.f("ix_counter_notice_claim_id"))

    op.drop_table("counter_notice")
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_message_status_next_attempt_at")
        batch_op.drop_index(batch_op.f("ix_outbox_message_claim_id"))

    op.drop_table("outbox_message")
    with op.batch_alter_table("claim_note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_note_claim_id"))

    op.drop_table("claim_note")
    op.drop_table("closure")
    op.drop_table("sla_policy")
