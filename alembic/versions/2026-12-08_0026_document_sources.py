"""document sources: a notice kept as the PDF or Word document the import page read has that document's media type

`source_message.media_type` held `message/rfc822` or `text/plain` in VARCHAR(40); a Word document's type
(`application/vnd.openxmlformats-officedocument.wordprocessingml.document`, 71 characters) would be a PostgreSQL error
(a 500) instead of the claim. VARCHAR(100) takes every type `mailroom.documents` lists; SQLite never enforced it.

Revision ID: 0026_document_sources
Revises: 0025_message_parts
Create Date: 2026-12-08 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0026_document_sources"
down_revision: str | None = "0025_message_parts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("source_message", schema=None) as batch_op:
        batch_op.alter_column("media_type", existing_type=sa.String(length=40), type_=sa.String(length=100), existing_nullable=False)


def downgrade() -> None:
    # A type longer than the old column (a Word document's) would not fit back: such a notice is kept as bytes of no
    # stated type (the rows are few, and only a downgrade loses which document they were).
    op.execute(sa.text("UPDATE source_message SET media_type = 'application/octet-stream' WHERE length(media_type) > 40"))
    with op.batch_alter_table("source_message", schema=None) as batch_op:
        batch_op.alter_column("media_type", existing_type=sa.String(length=100), type_=sa.String(length=40), existing_nullable=False)
