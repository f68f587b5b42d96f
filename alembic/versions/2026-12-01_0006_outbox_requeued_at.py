"""outbox requeued_at: when given-up mail was queued again, so its retry age starts over

Mail that could not be handed over is retried until IPCLAIMS_OUTBOX_MAX_AGE_HOURS old. Measured from `created_at`
alone, mail given up after a long outage and then queued again (`ipclaims outbox retry`) was already too old: its
first temporary failure gave it up again. The age now counts from `requeued_at` when it is set.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 12:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("requeued_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_column("requeued_at")
