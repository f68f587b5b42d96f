"""notice_key: a forward of a notice that made a claim is found as that notice, and the notice after its forward

A colleague forwards a notice the agent's mailbox also got (attached, or inline under a "Forwarded message" line):
other bytes, another Message-ID and sender, one notice. Each message that makes a claim keeps the key of the notice
it carries (`mailroom.forwarded.key_of`: the notice's sender and the words of its text as read), looked up by
equality when another message is read; a plain index (64 hex characters fit a btree entry). Messages stored before
this revision have none: a forward of one of them makes a claim of its own, as before.

Revision ID: 0027_notice_key
Revises: 0026_document_sources
Create Date: 2026-12-08 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0027_notice_key"
down_revision: str | None = "0026_document_sources"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("source_message", sa.Column("notice_key", sa.String(length=64), nullable=True))
    op.create_index("ix_source_message_notice_key", "source_message", ["notice_key"])


def downgrade() -> None:
    op.drop_index("ix_source_message_notice_key", table_name="source_message")
    with op.batch_alter_table("source_message") as batch:  # SQLite before 3.35 has no DROP COLUMN
        batch.drop_column("notice_key")
