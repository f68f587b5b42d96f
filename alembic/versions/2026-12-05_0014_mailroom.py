"""mailroom: notices that arrived as messages, kept with their claims (issue 20)

`source_message` holds the original bytes (an SMTP message is stored here before it is acknowledged), the
reading of its text and the claim made from it; `mail_sender` maps a sender address to its placeholder notifier
account. Re-chained by the lead after the other branches' 0011s land.

Revision ID: 0011_mailroom
Revises: 0011_reports
Create Date: 2026-12-05 01:20:13.805635
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from alembic import op

revision: str = "0011_mailroom"
down_revision: str | None = "0011_reports"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "mail_sender",
        sa.Column("address", sa.String(length=320), nullable=False),
        sa.Column("account_id", sa.String(length=26), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"], name=op.f("fk_mail_sender_account_id_account"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("address", name=op.f("pk_mail_sender")),
    )
    op.create_table(
        "source_message",
        sa.Column("claim_id", sa.String(length=26), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("media_type", sa.String(length=40), nullable=False),
        sa.Column("filename", sa.String(length=300), nullable=True),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sender", sa.String(length=320), nullable=True),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("message_id", sa.Text(), nullable=True),
        sa.Column("envelope", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=True),
        sa.Column("regime", sa.String(length=20), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reading", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"], name=op.f("fk_source_message_claim_id_claim"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source_message")),
    )
    with op.batch_alter_table("source_message", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_source_message_claim_id"), ["claim_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_source_message_sha256"), ["sha256"], unique=False)
        batch_op.create_index("ix_source_message_status_created_at", ["status", "created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("source_message", schema=None) as batch_op:
        batch_op.drop_index("ix_source_message_status_created_at")
        batch_op.drop_index(batch_op.f("ix_source_message_sha256"))
        batch_op.drop_index(batch_op.f("ix_source_message_claim_id"))

    op.drop_table("source_message")
    op.drop_table("mail_sender")
