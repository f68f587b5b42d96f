"""mail_copies: a stored message is found by its Message-ID, so that a copy relayed or exported twice (other bytes,
the same Message-ID and sender) is the first one's claim, not a second

The inbox looks the Message-ID up before its `250` reply and the sweeper again before it makes a claim: without an
index each look-up read every message of the window. A hash index on PostgreSQL (equality only, and a header of up
to 998 characters may not fit a btree entry); a plain one on SQLite.

Revision ID: 0024_mail_copies
Revises: pgcpu_generic_repeat
Create Date: 2026-12-07 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0024_mail_copies"
down_revision: str | None = "pgcpu_generic_repeat"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_source_message_message_id", "source_message", ["message_id"], postgresql_using="hash")


def downgrade() -> None:
    op.drop_index("ix_source_message_message_id", table_name="source_message")
