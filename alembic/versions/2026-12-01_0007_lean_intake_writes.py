"""lean intake writes: drop indexes no query needs; PostgreSQL numbers claims from a sequence

Every claim writes a row per element, item and work, and each index on those tables is one more entry per row:

* `ix_claim_element_claim_id`, `ix_claim_item_claim_id` and `ix_claim_work_claim_id` repeat the leading column of the
  unique (claim_id, code) and (claim_id, position) indexes, which serve every lookup by claim (and the cascades);
* `ix_claim_element_status` serves no query: elements are only ever read with their claim.

On PostgreSQL the reference number (IPC-YYYY-NNNNNN) came from an UPSERT of the year's counter row, committed on a
connection of its own so the row was not locked until the intake committed: a second transaction, and a row
update, per claim. It now comes from `claim_reference_seq` (nextval, in the intake's own transaction; never locked,
never rolled back): the year's number is the sequence value minus the year's `sequence_base`, set once, when the
year's first claim is numbered (`ipclaims.claims.intake.next_reference`). The years already counted continue where
they stopped: their base is minus the count. SQLite keeps counting in `last_value`, inside the intake's transaction.
The sequence must keep CACHE 1 (the default): a year's base is the sequence's last value, which is only a bound on
every number drawn before it when no session holds numbers of its own. Stop processes of the previous version
before upgrading: they would go on counting in `last_value` (a duplicate reference is refused by the unique index).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 14:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, index, column)
DROPPED: tuple[tuple[str, str, str], ...] = (
    ("claim_element", "ix_claim_element_claim_id", "claim_id"),
    ("claim_element", "ix_claim_element_status", "status"),
    ("claim_item", "ix_claim_item_claim_id", "claim_id"),
    ("claim_work", "ix_claim_work_claim_id", "claim_id"),
)
SEQUENCE = "claim_reference_seq"


def upgrade() -> None:
    for table, index, _column in DROPPED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(index)
    with op.batch_alter_table("claim_reference_counter", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sequence_base", sa.BigInteger(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(sa.text(f"CREATE SEQUENCE {SEQUENCE} AS bigint CACHE 1"))
        op.execute(sa.text("UPDATE claim_reference_counter SET sequence_base = -last_value"))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # The counter resumes above every number the sequence can have given for the year (a gap at most).
        op.execute(
            sa.text(
                "UPDATE claim_reference_counter SET last_value = greatest(last_value, "
                f"(SELECT last_value FROM {SEQUENCE}) - sequence_base) WHERE sequence_base IS NOT NULL"
            )
        )
        op.execute(sa.text(f"DROP SEQUENCE {SEQUENCE}"))
    with op.batch_alter_table("claim_reference_counter", schema=None) as batch_op:
        batch_op.drop_column("sequence_base")
    for table, index, column in reversed(DROPPED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(index, [column], unique=False)
