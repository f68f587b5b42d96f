"""lean_intake: indexes an intake no longer writes — those on columns a new claim leaves NULL become partial
(``WHERE column IS NOT NULL``), and two that nothing reads are dropped

Every index on a table intake writes is one more B-tree the SQLite commit appends a page of to the WAL (and one more
root-to-leaf path read and changed inside the write turn every writer waits for; on PostgreSQL one more index
insertion and its WAL record). These entries were all of the same kind: keys no query looks up.

* Partial, ``WHERE … IS NOT NULL`` (a new claim or item has NULL there; every query that seeks the index compares the
  column, which implies it is not NULL, so both planners still use them — the two duration indexes' queries say so
  in words, `reports.ranks`):
  `ix_claim_assignee_id` (claims assigned to someone: ``assignee_id = ?``; "unassigned" was never a useful seek,
  most open claims are), `ix_claim_first_action_hours` (durations of claims acted on), `ix_claim_item_decided_at_id`
  and `ix_claim_item_decision_hours` (decided items: the DSA statements, the decision percentiles),
  `ix_claim_item_uploader` (items naming an uploader: repeat-infringer counts, ``uploader = ?`` / ``IN``).
* `ix_claim_flag_routed_at` becomes `ix_claim_flag_unrouted`, (claim_id) of the legal flags not routed yet: the
  worker's query (``legal IS true AND routed_at IS NULL ORDER BY claim_id``) read every unrouted flag through the
  old one, including the repeat-claim flags that are never routed (most flags, one B-tree entry each at intake).
* Dropped: `ix_claim_item_received_at` (its reader, the summary's item figures, reads `report_item_day` and
  `report_owner_day` since 0013_rollups) and `ix_claim_work_reference_work_id` (no query selects works by their
  reference work).

Revision ID: 0015_lean_intake
Revises: 0014_lean_letter
Create Date: 2026-12-06 01:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op
from ipclaims.reports import rollups

revision: str = "0015_lean_intake"
down_revision: str | None = "0014_lean_letter"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _durations(name: str) -> tuple[str, str]:
    return rollups.hours(name, "first_action_at", "received_at"), rollups.hours(name, "decided_at", "received_at")


def upgrade() -> None:
    bind = op.get_bind()
    first, decision = _durations(bind.dialect.name)
    for index in (
        "ix_claim_assignee_id",
        "ix_claim_first_action_hours",
        "ix_claim_item_decided_at_id",
        "ix_claim_item_decision_hours",
        "ix_claim_item_uploader",
        "ix_claim_item_received_at",
        "ix_claim_work_reference_work_id",
        "ix_claim_flag_routed_at",
    ):
        bind.execute(sa.text(f"DROP INDEX {index}"))
    legal = "1" if bind.dialect.name == "sqlite" else "true"  # as SQLAlchemy spells `legal.is_(True)`: the planners match the text
    for statement in (
        f"CREATE INDEX ix_claim_flag_unrouted ON claim_flag (claim_id) WHERE legal IS {legal} AND routed_at IS NULL",
        "CREATE INDEX ix_claim_assignee_id ON claim (assignee_id) WHERE assignee_id IS NOT NULL",
        f"CREATE INDEX ix_claim_first_action_hours ON claim (({first}), received_at, source, first_action_at) "
        "WHERE first_action_at IS NOT NULL",
        "CREATE INDEX ix_claim_item_decided_at_id ON claim_item (decided_at, id, received_at) WHERE decided_at IS NOT NULL",
        f"CREATE INDEX ix_claim_item_decision_hours ON claim_item (({decision}), received_at, decided_at) WHERE decided_at IS NOT NULL",
        "CREATE INDEX ix_claim_item_uploader ON claim_item (uploader) WHERE uploader IS NOT NULL",
    ):
        bind.execute(sa.text(statement))


def downgrade() -> None:
    bind = op.get_bind()
    first, decision = _durations(bind.dialect.name)
    for index in (
        "ix_claim_assignee_id",
        "ix_claim_first_action_hours",
        "ix_claim_item_decided_at_id",
        "ix_claim_item_decision_hours",
        "ix_claim_item_uploader",
        "ix_claim_flag_unrouted",
    ):
        bind.execute(sa.text(f"DROP INDEX {index}"))
    for statement in (
        "CREATE INDEX ix_claim_flag_routed_at ON claim_flag (routed_at)",
        "CREATE INDEX ix_claim_assignee_id ON claim (assignee_id)",
        f"CREATE INDEX ix_claim_first_action_hours ON claim (({first}), received_at, source, first_action_at)",
        "CREATE INDEX ix_claim_item_decided_at_id ON claim_item (decided_at, id, received_at)",
        f"CREATE INDEX ix_claim_item_decision_hours ON claim_item (({decision}), received_at, decided_at)",
        "CREATE INDEX ix_claim_item_uploader ON claim_item (uploader)",
        "CREATE INDEX ix_claim_item_received_at ON claim_item (received_at, owner_id, outcome, decided_at)",
        "CREATE INDEX ix_claim_work_reference_work_id ON claim_work (reference_work_id)",
    ):
        bind.execute(sa.text(statement))
