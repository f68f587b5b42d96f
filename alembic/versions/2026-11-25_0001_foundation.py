"""foundation: accounts, keys, claims, elements, events, idempotency

Revision ID: 0001
Revises:
Create Date: 2026-11-25 18:18:24.214879
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "account",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("trusted_flagger", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account")),
    )
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_account_role"), ["role"], unique=False)

    op.create_table(
        "claim_reference_counter",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_claim_reference_counter")),
    )
    op.create_table(
        "api_key",
        sa.Column("account_id", sa.String(length=26), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"], name=op.f("fk_api_key_account_id_account"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_key")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_api_key_key_hash")),
    )
    with op.batch_alter_table("api_key", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_key_account_id"), ["account_id"], unique=False)

    op.create_table(
        "claim",
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("owner_id", sa.String(length=26), nullable=False),
        sa.Column("submitted_by_id", sa.String(length=26), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("regime", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rights_owner", sa.Text(), nullable=True),
        sa.Column("sg_address_for_service", sa.Text(), nullable=True),
        sa.Column("explanation", sa.Text(), nullable=True),
        sa.Column("trademark", JSON, nullable=True),
        sa.Column("statements", JSON, nullable=True),
        sa.Column("signature", JSON, nullable=True),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("curable", sa.Boolean(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("priority_reasons", JSON, nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("assignee_id", sa.String(length=26), nullable=True),
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["assignee_id"], ["account.id"], name=op.f("fk_claim_assignee_id_account")),
        sa.ForeignKeyConstraint(["owner_id"], ["account.id"], name=op.f("fk_claim_owner_id_account")),
        sa.ForeignKeyConstraint(["submitted_by_id"], ["account.id"], name=op.f("fk_claim_submitted_by_id_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim")),
        sa.UniqueConstraint("reference", name=op.f("uq_claim_reference")),
    )
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_assignee_id"), ["assignee_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_due_at"), ["due_at"], unique=False)
        batch_op.create_index("ix_claim_owner_id_id", ["owner_id", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_regime"), ["regime"], unique=False)
        batch_op.create_index("ix_claim_status_priority_due_at", ["status", "priority", "due_at"], unique=False)

    op.create_table(
        "idempotency_record",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("account_id", sa.String(length=26), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("response_body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"], name=op.f("fk_idempotency_record_account_id_account"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_record")),
        sa.UniqueConstraint("account_id", "key", name=op.f("uq_idempotency_record_account_id_key")),
    )
    op.create_table(
        "claim_element",
        sa.Column("claim_id", sa.String(length=26), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("citation", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"], name=op.f("fk_claim_element_claim_id_claim"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_element")),
        sa.UniqueConstraint("claim_id", "code", name=op.f("uq_claim_element_claim_id_code")),
    )
    with op.batch_alter_table("claim_element", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_element_claim_id"), ["claim_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_element_status"), ["status"], unique=False)

    op.create_table(
        "claim_item",
        sa.Column("claim_id", sa.String(length=26), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("work_index", sa.Integer(), nullable=True),
        sa.Column("locatable", sa.Boolean(), nullable=False),
        sa.Column("location_detail", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.Column("territorial_scope", JSON, nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.String(length=26), nullable=True),
        sa.Column("uploader", sa.String(length=200), nullable=True),
        sa.Column("matches", JSON, nullable=False),
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"], name=op.f("fk_claim_item_claim_id_claim"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["decided_by_id"], ["account.id"], name=op.f("fk_claim_item_decided_by_id_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_item")),
        sa.UniqueConstraint("claim_id", "position", name=op.f("uq_claim_item_claim_id_position")),
    )
    with op.batch_alter_table("claim_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_item_claim_id"), ["claim_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_item_uploader"), ["uploader"], unique=False)

    op.create_table(
        "claim_work",
        sa.Column("claim_id", sa.String(length=26), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("urls", JSON, nullable=True),
        sa.Column("reference_work_id", sa.String(length=26), nullable=True),
        sa.Column("registration_number", sa.String(length=100), nullable=True),
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"], name=op.f("fk_claim_work_claim_id_claim"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_work")),
        sa.UniqueConstraint("claim_id", "position", name=op.f("uq_claim_work_claim_id_position")),
    )
    with op.batch_alter_table("claim_work", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_work_claim_id"), ["claim_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_work_reference_work_id"), ["reference_work_id"], unique=False)

    op.create_table(
        "complainant",
        sa.Column("claim_id", sa.String(length=26), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("organization", sa.Text(), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("phone", sa.String(length=100), nullable=True),
        sa.Column("fax", sa.String(length=100), nullable=True),
        sa.Column("street", sa.Text(), nullable=True),
        sa.Column("city", sa.String(length=200), nullable=True),
        sa.Column("region", sa.String(length=200), nullable=True),
        sa.Column("postal_code", sa.String(length=40), nullable=True),
        sa.Column("country", sa.String(length=100), nullable=True),
        sa.Column("relationship", sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"], name=op.f("fk_complainant_claim_id_claim"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("claim_id", name=op.f("pk_complainant")),
    )
    op.create_table(
        "event",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.String(length=26), nullable=True),
        sa.Column("actor_role", sa.String(length=20), nullable=False),
        sa.Column("claim_id", sa.String(length=26), nullable=True),
        sa.Column("subject_type", sa.String(length=30), nullable=False),
        sa.Column("subject_id", sa.String(length=26), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("from_status", sa.String(length=30), nullable=True),
        sa.Column("to_status", sa.String(length=30), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("data", JSON, nullable=True),
        sa.Column("internal", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["account.id"], name=op.f("fk_event_actor_id_account")),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"], name=op.f("fk_event_claim_id_claim"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event")),
    )
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.create_index("ix_event_claim_id_id", ["claim_id", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_index("ix_event_claim_id_id")

    op.drop_table("event")
    op.drop_table("complainant")
    with op.batch_alter_table("claim_work", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_work_reference_work_id"))
        batch_op.drop_index(batch_op.f("ix_claim_work_claim_id"))

    op.drop_table("claim_work")
    with op.batch_alter_table("claim_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_item_uploader"))
        batch_op.drop_index(batch_op.f("ix_claim_item_claim_id"))

    op.drop_table("claim_item")
    with op.batch_alter_table("claim_element", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_element_status"))
        batch_op.drop_index(batch_op.f("ix_claim_element_claim_id"))

    op.drop_table("claim_element")
    op.drop_table("idempotency_record")
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.drop_index("ix_claim_status_priority_due_at")
        batch_op.drop_index(batch_op.f("ix_claim_regime"))
        batch_op.drop_index("ix_claim_owner_id_id")
        batch_op.drop_index(batch_op.f("ix_claim_due_at"))
        batch_op.drop_index(batch_op.f("ix_claim_assignee_id"))

    op.drop_table("claim")
    with op.batch_alter_table("api_key", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_key_account_id"))

    op.drop_table("api_key")
    op.drop_table("claim_reference_counter")
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_account_role"))

    op.drop_table("account")
