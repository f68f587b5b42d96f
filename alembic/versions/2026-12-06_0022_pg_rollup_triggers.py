"""pg_rollup_triggers: PostgreSQL's rollup triggers cheaper per intake, the repeat probes' plans kept

Measured per intake on PostgreSQL (bench/intake_profile.py's request, the server's CPU read from /proc), the
database's share was about as large as the application's, on the same cores. Two parts of it change here, the
results do not:

* The rollup triggers of `claim` and `claim_item` (0013_rollups) ran every upsert for every row, even those whose
  SELECT found nothing to count (an undecided item ran four, three of them for nothing): a whole execution each.
  Inserts now have a statement trigger that sums the inserted rows (`new_rows`) per key, one upsert per rollup for a
  notice's items, and skips the rollups that count decided items or claims acted on when none is; updates and deletes
  keep row triggers, which run each upsert only when its row counts (a plpgsql IF, not the executor), and updates
  fire only when a column counted changed.
* The repeat-lookup probes (0011_repeat_lookup) were SQL functions, parsed and planned afresh on every call (two
  calls per URL of every notice). As plpgsql functions with the same body and settings, each session plans the
  probe once and keeps it.

Revision ID: 0015_pg_rollup_triggers
Revises: 0015_lean_intake
Create Date: 2026-12-06 01:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op
from ipclaims.reports import rollups

revision: str = "0015_pg_rollup_triggers"
down_revision: str | None = "0015_lean_intake"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PROBE = """
CREATE OR REPLACE FUNCTION {name}(u text, claim text) RETURNS varchar LANGUAGE {language} STABLE
SET enable_bitmapscan = off SET enable_sort = off AS $$
  {begin}SELECT ci.id FROM claim_item ci
  WHERE md5(ci.url) = md5(u) AND ci.url = u AND ci.claim_id <> claim AND ci.status {test} 'restored'
  ORDER BY md5(ci.url) DESC, ci.id DESC LIMIT 1{end}
$$
"""
_PROBES = {"repeat_latest_item": "<>", "repeat_latest_restored": "="}
# The whole lookup of integrations/grey_areas.py (`_EARLIER`) as one function. Sent as it is, its plan is made once per
# connection (prepared after a few runs) on the table sizes of that moment: planned on a near-empty database (a new
# deployment, every bench run) it hash-joins sequential scans of `claim` and `claim_item`, kept while they grow
# (16 ms an intake at 10,000 claims) until an autovacuum's ANALYZE happens to invalidate it. Here the plan is made
# with sequential scans off, so it is the primary-key probes at any size.
_EARLIER = """
CREATE FUNCTION repeat_earlier(claim text, urls text[])
RETURNS TABLE (item_id varchar, url text, item_status varchar, outcome varchar, decided_at timestamptz,
               claim_id varchar, reference varchar, claim_status varchar, received_at timestamptz)
LANGUAGE plpgsql STABLE SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off AS $$
BEGIN
  RETURN QUERY
  WITH found AS (SELECT repeat_latest_item(u.url, claim) AS latest, repeat_latest_restored(u.url, claim) AS restored
                 FROM unnest(urls) AS u(url))
  SELECT ci.id, ci.url, ci.status, ci.outcome, ci.decided_at, c.id, c.reference, c.status, c.received_at
  FROM claim_item ci JOIN claim c ON c.id = ci.claim_id
  WHERE ci.id IN (SELECT latest FROM found UNION SELECT restored FROM found)
  ORDER BY c.received_at, ci.id;
END $$
"""
# `idempotency_record.response_body`, a claim's JSON answer (~3 kB): compressed on every intake, with lz4 where the
# server has it, at a fraction of pglz's CPU (read back only for a replay).
_LZ4 = "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
_PLPGSQL = {"language": "plpgsql", "begin": "BEGIN RETURN (", "end": "); END;"}
_SQL = {"language": "sql", "begin": "", "end": ""}


def _old_rollup_ddl() -> list[str]:
    """0013_rollups' row triggers, as that revision made them (for the downgrade)."""
    out: list[str] = []
    for table, statements, columns in (
        ("claim", rollups.claim_statements, rollups.CLAIM_COLUMNS),
        ("claim_item", rollups.item_statements, rollups.ITEM_COLUMNS),
    ):
        old = ";\n            ".join(statements("postgresql", "OLD", -1))
        new = ";\n            ".join(statements("postgresql", "NEW", 1))
        out.append(
            f"""CREATE FUNCTION {table}_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            {old};
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            {new};
        END IF;
        RETURN NULL;
    END $$"""
        )
        out.append(
            f"CREATE TRIGGER trg_{table}_rollup AFTER INSERT OR DELETE OR UPDATE OF {', '.join(columns)} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_rollup()"
        )
    return out


def _replace(rollup_ddl: list[str], probe: dict[str, str]) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite's triggers and probes are unchanged
    for statement in [*rollups.rollup_drop_ddl(), *rollup_ddl]:
        op.execute(statement)
    for name, test in _PROBES.items():
        op.execute(_PROBE.format(name=name, test=test, **probe))


def _compression(method: str) -> None:
    if op.get_bind().exec_driver_sql(_LZ4).scalar():
        op.execute(f"ALTER TABLE idempotency_record ALTER COLUMN response_body SET COMPRESSION {method}")


def upgrade() -> None:
    _replace(rollups.trigger_ddl("postgresql"), _PLPGSQL)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_EARLIER)
        _compression("lz4")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _compression("pglz")
        op.execute("DROP FUNCTION IF EXISTS repeat_earlier(text, text[])")
    _replace(_old_rollup_ddl(), _SQL)
