"""workflow: complaints, SLA breach flag, fair-use flags, uploader email, outbox leases

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 18:30:50.331328
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "complaint",
        sa.Column("claim_id", sa.String(length=26), nullable=False),
        sa.Column("item_id", sa.String(length=26), nullable=False),
        sa.Column("complainant_role", sa.String(length=20), nullable=False),
        sa.Column("complainant_email", sa.String(length=320), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_id", sa.String(length=26), nullable=True),
        sa.Column("decided_by_id", sa.String(length=26), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"], name=op.f("fk_complaint_claim_id_claim"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["decided_by_id"], ["account.id"], name=op.f("fk_complaint_decided_by_id_account")),
        sa.ForeignKeyConstraint(["item_id"], ["claim_item.id"], name=op.f("fk_complaint_item_id_claim_item"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["account.id"], name=op.f("fk_complaint_recorded_by_id_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint")),
    )
    with op.batch_alter_table("complaint", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_complaint_claim_id"), ["claim_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_complaint_item_id"), ["item_id"], unique=False)

    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sla_breached_at", sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table("claim_item", schema=None) as batch_op:
        batch_op.add_column(sa.Column("uploader_email", sa.String(length=320), nullable=True))
        batch_op.add_column(sa.Column("fair_use_flags", JSON, nullable=True))

    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_column("lease_until")

    with op.batch_alter_table("claim_item", schema=None) as batch_op:
        batch_op.drop_column("fair_use_flags")
        batch_op.drop_column("uploader_email")

    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.drop_column("sla_breached_at")

    with op.batch_alter_table("complaint", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaint_item_id"))
        batch_op.drop_index(batch_op.f("ix_complaint_claim_id"))

    op.drop_table("complaint")
