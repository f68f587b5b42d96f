"""lean_letter: drop `ix_letter_claim_id_kind`, a prefix of `uq_letter_item_version` and `uq_letter_claim_version`

Every lookup by (claim, kind) is served by either unique index; the third index was one more B-tree written by every
intake (each owes its acknowledgment letter) and read by nothing the others do not serve (issue 15's intake cost).

Revision ID: 0014_lean_letter
Revises: 0013_rollups
Create Date: 2026-12-05 23:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0014_lean_letter"
down_revision: str | None = "0013_rollups"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_letter_claim_id_kind", table_name="letter")


def downgrade() -> None:
    op.create_index("ix_letter_claim_id_kind", "letter", ["claim_id", "kind"])
