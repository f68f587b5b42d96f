"""unbounded notice text: the notifier's contact fields and work registration numbers become TEXT

A notice is stored as the notifier wrote it and judged by the legal checkers (an email that does not parse is an
element `deficient` in a 201, CONTRACT.md "Claims"). VARCHAR(n) limits on these columns turned an over-long value into
a PostgreSQL error (a 500) instead; SQLite never enforced them.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 09:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, column, the old VARCHAR length)
WIDENED: tuple[tuple[str, str, int], ...] = (
    ("complainant", "email", 320),
    ("complainant", "phone", 100),
    ("complainant", "fax", 100),
    ("complainant", "city", 200),
    ("complainant", "region", 200),
    ("complainant", "postal_code", 40),
    ("complainant", "country", 100),
    ("claim_work", "registration_number", 100),
)


def _tables() -> list[str]:
    return list(dict.fromkeys(table for table, _, _ in WIDENED))


def upgrade() -> None:
    for table in _tables():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for t, column, length in WIDENED:
                if t == table:
                    batch_op.alter_column(column, existing_type=sa.String(length=length), type_=sa.Text(), existing_nullable=True)


def downgrade() -> None:
    # Values longer than the old limits would not fit back: cut them, as the old columns would have refused them.
    for table in _tables():
        for t, column, length in WIDENED:
            if t == table:
                op.execute(sa.text(f"UPDATE {table} SET {column} = substr({column}, 1, {length}) WHERE length({column}) > {length}"))
        with op.batch_alter_table(table, schema=None) as batch_op:
            for t, column, length in WIDENED:
                if t == table:
                    batch_op.alter_column(column, existing_type=sa.Text(), type_=sa.String(length=length), existing_nullable=True)
