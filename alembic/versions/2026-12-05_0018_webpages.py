"""webpages: failed sign-ins in the database, so the sign-in throttle holds across processes and workers (issue 18)

One row per failed sign-in and key (`email:…`, `ip:…`); the throttle counts a key's rows in its window and prunes
older rows as new failures arrive. Chained after 0012_webstaff; the lead re-chains.

Revision ID: 0013_webpages
Revises: 0013_hooks2
Create Date: 2026-12-05 21:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0013_webpages"
down_revision: str | None = "0013_hooks2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sign_in_failure",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(length=400), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_failure")),
    )
    op.create_index("ix_sign_in_failure_key_at", "sign_in_failure", ["key", "at"], unique=False)
    op.create_index("ix_sign_in_failure_at", "sign_in_failure", ["at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_sign_in_failure_at", table_name="sign_in_failure")
    op.drop_index("ix_sign_in_failure_key_at", table_name="sign_in_failure")
    op.drop_table("sign_in_failure")
