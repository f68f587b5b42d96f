"""webstaff: each account's own page settings, first the reviewer-wellness blur of reported images (issue 18)

One row per account, made when the person first changes a setting; no row means the defaults (blurred). Chained
after 0011_web (this branch is built on web); the lead re-chains.

Revision ID: 0012_webstaff
Revises: 0011_hooks
Create Date: 2026-12-05 02:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0012_webstaff"
down_revision: str | None = "0011_hooks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "account_preference",
        sa.Column("account_id", sa.String(length=26), nullable=False),
        sa.Column("blur_reported_images", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"], name=op.f("fk_account_preference_account_id_account"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_account_preference")),
    )


def downgrade() -> None:
    op.drop_table("account_preference")
