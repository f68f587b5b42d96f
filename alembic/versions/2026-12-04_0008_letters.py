"""letters: one row per rendering, and the reason a decision gives the parties

`letter` archives every rendering (CONTRACT.md "Letters"); its bytes are stored under IPCLAIMS_DATA_DIR by sha256;
its versions are unique per (claim, kind, item).
`claim_item.public_reason` is what a letter or mail tells the parties; `decision_reason` stays internal.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 22:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("claim_item") as batch:
        batch.add_column(sa.Column("public_reason", sa.Text(), nullable=True))
    op.create_table(
        "letter",
        sa.Column("id", sa.String(26), nullable=False),
        sa.Column("claim_id", sa.String(26), nullable=False),
        sa.Column("item_id", sa.String(26), nullable=True),
        sa.Column("counter_notice_id", sa.String(26), nullable=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("template_version", sa.String(40), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("sha256", sa.String(64), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("requested_by_id", sa.String(26), nullable=True),
        sa.Column("dedupe_key", sa.String(200), nullable=True),
        sa.Column("rendered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"], name=op.f("fk_letter_claim_id_claim"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["item_id"], ["claim_item.id"], name=op.f("fk_letter_item_id_claim_item"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["counter_notice_id"], ["counter_notice.id"], name=op.f("fk_letter_counter_notice_id_counter_notice"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["requested_by_id"], ["account.id"], name=op.f("fk_letter_requested_by_id_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letter")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_letter_dedupe_key")),
    )
    op.create_index("ix_letter_claim_id_kind", "letter", ["claim_id", "kind"])
    # One row per version of (claim, kind, item); the letters of no item (NULLs are distinct) by a partial index.
    op.create_index("uq_letter_item_version", "letter", ["claim_id", "kind", "item_id", "version"], unique=True)
    op.create_index(
        "uq_letter_claim_version",
        "letter",
        ["claim_id", "kind", "version"],
        unique=True,
        sqlite_where=sa.text("item_id IS NULL"),
        postgresql_where=sa.text("item_id IS NULL"),
    )
    op.create_index("ix_letter_status_created_at", "letter", ["status", "created_at"])
    op.create_index("ix_letter_created_at", "letter", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_letter_created_at", table_name="letter")
    op.drop_index("ix_letter_status_created_at", table_name="letter")
    op.drop_index("uq_letter_claim_version", table_name="letter")
    op.drop_index("uq_letter_item_version", table_name="letter")
    op.drop_index("ix_letter_claim_id_kind", table_name="letter")
    op.drop_table("letter")
    with op.batch_alter_table("claim_item") as batch:
        batch.drop_column("public_reason")
