"""message_parts: a notice listing more URLs than a claim takes is made into several claims, and every part finds the
message it was made from (issue 20, `mailroom.parts`)

`source_message_part` links each claim made from a message to it, with the claim's place among the parts and how
many of the notice's URLs it took. The message's own `claim_id` stays the first part (a copy of the message is a
duplicate of it); the link points from the part to the message and its claim, never back, so there is no cycle of
foreign keys. Each message made into a claim before this revision gets its one row (part 1), so every lookup of a
claim's message goes the one way.

Revision ID: 0025_message_parts
Revises: 0024_mail_copies
Create Date: 2026-12-07 12:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0025_message_parts"
down_revision: str | None = "0024_mail_copies"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The earliest parsed message of each claim (there is one; the order only makes the backfill safe if there were two),
# with the number of items its claim has now (what it took, unless staff have changed the items since).
BACKFILL = """
INSERT INTO source_message_part (claim_id, message_id, part, items)
SELECT m.claim_id, m.id, 1, (SELECT count(*) FROM claim_item i WHERE i.claim_id = m.claim_id)
FROM source_message m
WHERE m.status = 'parsed' AND m.claim_id IS NOT NULL
  AND NOT EXISTS (
    SELECT 1 FROM source_message o
    WHERE o.claim_id = m.claim_id AND o.status = 'parsed'
      AND (o.created_at < m.created_at OR (o.created_at = m.created_at AND o.id < m.id))
  )
"""


def upgrade() -> None:
    op.create_table(
        "source_message_part",
        sa.Column("claim_id", sa.String(length=26), nullable=False),
        sa.Column("message_id", sa.String(length=26), nullable=False),
        sa.Column("part", sa.Integer(), nullable=False),
        sa.Column("items", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claim.id"], name=op.f("fk_source_message_part_claim_id_claim"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["message_id"], ["source_message.id"], name=op.f("fk_source_message_part_message_id_source_message"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("claim_id", name=op.f("pk_source_message_part")),
        sa.UniqueConstraint("message_id", "part", name=op.f("uq_source_message_part_message_id_part")),
    )
    op.execute(BACKFILL)


def downgrade() -> None:
    op.drop_table("source_message_part")
