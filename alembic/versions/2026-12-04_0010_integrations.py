"""integrations: platform webhook endpoints, their durable deliveries, and execution confirmations (issue 21)

One delivery row per (endpoint, event), written in the event's transaction; `item_execution` records the platform's
confirmation that it carried a measure out; `claim_flag` and `account_domain` hold the grey areas seen at intake
(repeat claims, impersonated notifiers), with a hash index on `claim_item.url` for the repeat lookup (a hash index:
a long URL can exceed a btree entry's size limit). Re-chained by the lead after the other branches' 0008/0009 land.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 22:49:49.362173
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "webhook_endpoint",
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("secret", sa.String(length=100), nullable=False),
        sa.Column("previous_secret", sa.String(length=100), nullable=True),
        sa.Column("previous_valid_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_endpoint")),
    )
    op.create_table(
        "webhook_delivery",
        sa.Column("endpoint_id", sa.String(length=26), nullable=False),
        sa.Column("event_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("message_id", sa.String(length=40), nullable=False),
        sa.Column("event_type", sa.String(length=60), nullable=False),
        sa.Column("claim_id", sa.String(length=26), nullable=True),
        sa.Column("item_id", sa.String(length=26), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_status_code", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"], name=op.f("fk_webhook_delivery_claim_id_claim"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["endpoint_id"], ["webhook_endpoint.id"], name=op.f("fk_webhook_delivery_endpoint_id_webhook_endpoint"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_delivery")),
        sa.UniqueConstraint("endpoint_id", "event_id", name=op.f("uq_webhook_delivery_endpoint_id_event_id")),
    )
    with op.batch_alter_table("webhook_delivery", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_webhook_delivery_claim_id"), ["claim_id"], unique=False)
        batch_op.create_index("ix_webhook_delivery_endpoint_id_item_id_event_id", ["endpoint_id", "item_id", "event_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_webhook_delivery_item_id"), ["item_id"], unique=False)
        batch_op.create_index("ix_webhook_delivery_status_next_attempt_at", ["status", "next_attempt_at"], unique=False)

    op.create_table(
        "item_execution",
        sa.Column("item_id", sa.String(length=26), nullable=False),
        sa.Column("message_id", sa.String(length=40), nullable=True),
        sa.Column("executed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_by_id", sa.String(length=26), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["confirmed_by_id"], ["account.id"], name=op.f("fk_item_execution_confirmed_by_id_account")),
        sa.ForeignKeyConstraint(["item_id"], ["claim_item.id"], name=op.f("fk_item_execution_item_id_claim_item"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item_execution")),
    )
    with op.batch_alter_table("item_execution", schema=None) as batch_op:
        batch_op.create_index("ix_item_execution_item_id_executed_at", ["item_id", "executed_at"], unique=False)
    op.create_table(
        "account_domain",
        sa.Column("account_id", sa.String(length=26), nullable=False),
        sa.Column("domain", sa.String(length=253), nullable=False),
        sa.Column("verified_by_id", sa.String(length=26), nullable=True),
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"], name=op.f("fk_account_domain_account_id_account"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["verified_by_id"], ["account.id"], name=op.f("fk_account_domain_verified_by_id_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_domain")),
        sa.UniqueConstraint("account_id", "domain", name=op.f("uq_account_domain_account_id_domain")),
    )
    with op.batch_alter_table("account_domain", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_account_domain_domain"), ["domain"], unique=False)

    op.create_table(
        "claim_flag",
        sa.Column("dedupe_key", sa.String(length=200), nullable=False),
        sa.Column("claim_id", sa.String(length=26), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("item_id", sa.String(length=26), nullable=True),
        sa.Column("related_claim_id", sa.String(length=26), nullable=True),
        sa.Column("related_item_id", sa.String(length=26), nullable=True),
        sa.Column("detail", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False),
        sa.Column("legal", sa.Boolean(), nullable=False),
        sa.Column("routed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"], name=op.f("fk_claim_flag_claim_id_claim"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_flag")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_claim_flag_dedupe_key")),
    )
    with op.batch_alter_table("claim_flag", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_flag_claim_id"), ["claim_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_flag_routed_at"), ["routed_at"], unique=False)

    with op.batch_alter_table("claim_item", schema=None) as batch_op:
        batch_op.create_index("ix_claim_item_url", ["url"], unique=False, postgresql_using="hash")


def downgrade() -> None:
    with op.batch_alter_table("claim_item", schema=None) as batch_op:
        batch_op.drop_index("ix_claim_item_url", postgresql_using="hash")

    with op.batch_alter_table("claim_flag", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_flag_routed_at"))
        batch_op.drop_index(batch_op.f("ix_claim_flag_claim_id"))

    op.drop_table("claim_flag")
    with op.batch_alter_table("account_domain", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_account_domain_domain"))

    op.drop_table("account_domain")
    with op.batch_alter_table("item_execution", schema=None) as batch_op:
        batch_op.drop_index("ix_item_execution_item_id_executed_at")

    op.drop_table("item_execution")
    with op.batch_alter_table("webhook_delivery", schema=None) as batch_op:
        batch_op.drop_index("ix_webhook_delivery_status_next_attempt_at")
        batch_op.drop_index(batch_op.f("ix_webhook_delivery_item_id"))
        batch_op.drop_index("ix_webhook_delivery_endpoint_id_item_id_event_id")
        batch_op.drop_index(batch_op.f("ix_webhook_delivery_claim_id"))

    op.drop_table("webhook_delivery")
    op.drop_table("webhook_endpoint")
