"""pgcpu_generic_repeat: PostgreSQL plans repeat_earlier()'s query once per connection, not on every intake

`repeat_earlier(claim, urls)` (0015_pg_rollup_triggers) runs its one query through plpgsql's plan cache, which
plans a query with parameters afresh ("custom plan") while that looks cheaper than the plan made once for any
parameter ("generic plan"). For this query it always does: given the array, the planner knows it has two elements
rather than its default guess, so every custom plan is costed below the generic one and the cache never switches.
Planning it was the largest single part of the server's CPU per intake (perf on the backends: `standard_planner`
under `repeat_earlier` about a tenth of all samples; the function 0.6 ms a call in a loop, 0.2 ms with the generic
plan, on a database the intake bench filled).

`plan_cache_mode = force_generic_plan` among the function's settings makes the cache keep the generic plan. With
sequential scans, hash and merge joins off (the function's other settings) that plan is the same primary-key and
(md5(url), id) probes a custom plan makes, for any number of URLs; the results do not change (same query, ordered
by (received_at, id), the item id unique). The setting applies to this function's queries alone (a function's SET
is undone when it returns); the probe functions it calls are planned once per connection already.

Revision ID: pgcpu_generic_repeat
Revises: 0015_pg_rollup_triggers
Create Date: 2026-12-06 04:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "pgcpu_generic_repeat"
down_revision: str | None = "0015_pg_rollup_triggers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FUNCTION = "repeat_earlier(text, text[])"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER FUNCTION {_FUNCTION} SET plan_cache_mode = force_generic_plan")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER FUNCTION {_FUNCTION} RESET plan_cache_mode")
