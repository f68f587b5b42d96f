"""reports: elements as they stood at intake; indexes for the report ranges

* `claim_element.intake_status`: the element's status when the notice arrived. A cure (`PATCH` while needs_info)
  rewrites `status`, and the reports count what notifiers *send*. For claims never supplemented the current status
  is the intake status; for supplemented ones it is read back from the `submitted` event's reason, which lists every
  element that was not present ("<code> <status>; ..."), so the history is recovered, not guessed.
* `ix_claim_received_at`: every summary figure and the Lumen export are ranges on `received_at`; it carries the
  grouped columns and the id, so claim counts are index-only and joins to items and elements skip the table.
* `ix_claim_item_decided_at_id`: the weekly decisions and the DSA statements (range and keyset on the decision time).
* `ix_claim_element_intake_gap` (partial): the elements that stood short at intake, a small share of all elements.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 22:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("claim_element", schema=None) as batch_op:
        batch_op.add_column(sa.Column("intake_status", sa.String(length=20), nullable=True))
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.create_index("ix_claim_received_at", ["received_at", "regime", "kind", "status", "source", "owner_id", "id"], unique=False)
    with op.batch_alter_table("claim_item", schema=None) as batch_op:
        batch_op.create_index("ix_claim_item_decided_at_id", ["decided_at", "id"], unique=False)
    _backfill()
    gap = sa.text("intake_status IN ('missing', 'deficient')")
    with op.batch_alter_table("claim_element", schema=None) as batch_op:
        batch_op.create_index(
            "ix_claim_element_intake_gap", ["claim_id", "code", "intake_status"], unique=False, sqlite_where=gap, postgresql_where=gap
        )


def _backfill() -> None:
    bind = op.get_bind()
    supplemented = "SELECT claim_id FROM event WHERE action = 'supplemented' AND claim_id IS NOT NULL"
    bind.execute(sa.text(f"UPDATE claim_element SET intake_status = status WHERE claim_id NOT IN ({supplemented})"))
    rows = bind.execute(sa.text(f"SELECT claim_id, reason FROM event WHERE action = 'submitted' AND claim_id IN ({supplemented})"))
    for claim_id, reason in rows.fetchall():
        bind.execute(sa.text("UPDATE claim_element SET intake_status = 'present' WHERE claim_id = :c"), {"c": claim_id})
        for part in (reason or "").split(";"):
            code, _, status = part.strip().rpartition(" ")
            if code and status in ("missing", "deficient"):
                bind.execute(
                    sa.text("UPDATE claim_element SET intake_status = :s WHERE claim_id = :c AND code = :code"),
                    {"s": status, "c": claim_id, "code": code},
                )


def downgrade() -> None:
    with op.batch_alter_table("claim_item", schema=None) as batch_op:
        batch_op.drop_index("ix_claim_item_decided_at_id")
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.drop_index("ix_claim_received_at")
    with op.batch_alter_table("claim_element", schema=None) as batch_op:
        batch_op.drop_index("ix_claim_element_intake_gap")
        batch_op.drop_column("intake_status")
