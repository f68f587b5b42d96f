"""hooks2: the works an item's stored matches name, indexed; where each uploader stands against the repeat-infringer
threshold (issue 21)

`item_match_work` (item, work) lets a conflict find the undecided items to re-stamp through an index on the work
(it searched the text of every item's matches with LIKE); filled here from the matches already stored.
`uploader_strikes` remembers whether an uploader is at or above the threshold, so that crossing it is announced
once. Chained after 0012_webstaff; the lead re-chains.

Revision ID: 0013_hooks2
Revises: 0012_webstaff
Create Date: 2026-12-05 21:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0013_hooks2"
down_revision: str | None = "0012_webstaff"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BACKFILL = {
    "postgresql": (
        "INSERT INTO item_match_work (item_id, work_id) SELECT DISTINCT ci.id, m.value ->> 'work_id'"
        " FROM claim_item ci CROSS JOIN LATERAL jsonb_array_elements(ci.matches) AS m(value)"
        " WHERE ci.matches IS NOT NULL AND jsonb_typeof(ci.matches) = 'array' AND m.value ->> 'work_id' IS NOT NULL"
    ),
    "sqlite": (
        "INSERT INTO item_match_work (item_id, work_id) SELECT DISTINCT ci.id, json_extract(m.value, '$.work_id')"
        " FROM claim_item ci, json_each(ci.matches) AS m"
        " WHERE ci.matches IS NOT NULL AND json_type(ci.matches) = 'array' AND json_extract(m.value, '$.work_id') IS NOT NULL"
    ),
}


def upgrade() -> None:
    op.create_table(
        "item_match_work",
        sa.Column("item_id", sa.String(length=26), nullable=False),
        sa.Column("work_id", sa.String(length=26), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["claim_item.id"], name=op.f("fk_item_match_work_item_id_claim_item"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("item_id", "work_id", name=op.f("pk_item_match_work")),
    )
    with op.batch_alter_table("item_match_work", schema=None) as batch_op:
        batch_op.create_index("ix_item_match_work_work_id_item_id", ["work_id", "item_id"], unique=False)
    op.execute(_BACKFILL[op.get_bind().dialect.name])

    op.create_table(
        "uploader_strikes",
        sa.Column("uploader", sa.String(length=200), nullable=False),
        sa.Column("above", sa.Boolean(), nullable=False),
        sa.Column("counted", sa.Integer(), nullable=False),
        sa.Column("crossings", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("crossed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cleared_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("uploader", name=op.f("pk_uploader_strikes")),
    )


def downgrade() -> None:
    op.drop_table("uploader_strikes")
    with op.batch_alter_table("item_match_work", schema=None) as batch_op:
        batch_op.drop_index("ix_item_match_work_work_id_item_id")
    op.drop_table("item_match_work")
