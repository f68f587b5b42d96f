"""web: a password for signing in to the web pages (issue 18)

Nullable: accounts made before the web pages, and API-only accounts, have no password until
`ipclaims accounts set-password` gives them one. Re-chained by the lead after the other branches' 0011s land.

Revision ID: 0011_web
Revises: 0011
Create Date: 2026-12-05 01:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0011_web"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("account") as batch:
        batch.add_column(sa.Column("password_hash", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("account") as batch:
        batch.drop_column("password_hash")
