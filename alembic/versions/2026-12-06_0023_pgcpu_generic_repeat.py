"""pgcpu_generic_repeat: PostgreSQL plans repeat_earlier()'s query once per connection, not on every intake, and
its per-URL probes stay index probes whatever the statistics

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

The probes it calls, `repeat_latest_item` and `repeat_latest_restored` (one index probe per URL), compared
``md5(ci.url) = md5(u)``. Once ANALYZE has statistics saying claim_item holds few distinct URLs (the intake bench's
two URLs; any catalogue where a few URLs are claimed over and over), that equality makes the md5 ordering redundant
for the planner, and the probe's plan became a backward scan of the whole primary key with a filter: the newest
items first, so a URL claimed a moment ago was still found at once, but a URL never claimed read every item (8.9 ms a
lookup at 5,000 items, growing with the table; 0.34 ms with the probes below). As a range, ``md5(ci.url) >= md5(u)
AND md5(ci.url) <= md5(u)`` (the same rows), the order by md5 is no longer implied, so only the (md5(url), id)
index gives it without a sort (sorts are off in the probes): whatever the statistics, one backward probe of that
index, the latest item of the URL first. Same rows, same order, same results.

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
# The probes as 0015_pg_rollup_triggers made them, but for the URL test ({match}).
_PROBE = """
CREATE OR REPLACE FUNCTION {name}(u text, claim text) RETURNS varchar LANGUAGE plpgsql STABLE
SET enable_bitmapscan = off SET enable_sort = off AS $$
  BEGIN RETURN (SELECT ci.id FROM claim_item ci
  WHERE {match} AND ci.url = u AND ci.claim_id <> claim AND ci.status {test} 'restored'
  ORDER BY md5(ci.url) DESC, ci.id DESC LIMIT 1); END;
$$
"""
_PROBES = {"repeat_latest_item": "<>", "repeat_latest_restored": "="}
RANGE = "md5(ci.url) >= md5(u) AND md5(ci.url) <= md5(u)"
EQUAL = "md5(ci.url) = md5(u)"


def _probes(match: str) -> None:
    for name, test in _PROBES.items():
        op.execute(_PROBE.format(name=name, test=test, match=match))


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER FUNCTION {_FUNCTION} SET plan_cache_mode = force_generic_plan")
        _probes(RANGE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _probes(EQUAL)
        op.execute(f"ALTER FUNCTION {_FUNCTION} RESET plan_cache_mode")
