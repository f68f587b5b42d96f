"""repeat lookup: the latest earlier item of a URL in one index probe, so intake does not slow down as a URL recurs

Migration 0010's hash index on `claim_item.url` found every earlier item of a URL, and the repeat-claim check then
sorted them all: an intake of a URL claimed n times before cost O(n), and the intake bench (which sends the same two
URLs) fell to a twentieth of its throughput. The new indexes end in `id` (ULIDs sort by time), so "the latest earlier
item" and "the latest restored one" are each one probe, read backwards. PostgreSQL indexes `md5(url)`: a URL may
exceed a btree entry's size limit. The restored index is partial: few items are ever restored.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 01:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_KEY = {"postgresql": "md5(url), id", "sqlite": "url, id"}
# PostgreSQL plans the probe inline with a guess of a handful of earlier items per URL and takes a bitmap scan and a
# sort, reading every earlier item of a hot URL. As functions with bitmap scans and sorts off, each is the backward
# index scan that stops at the first row. The literal 'restored' lets the second use the partial index.
_PROBE = """
CREATE FUNCTION {name}(u text, claim text) RETURNS varchar LANGUAGE sql STABLE
SET enable_bitmapscan = off SET enable_sort = off AS $$
  SELECT ci.id FROM claim_item ci
  WHERE md5(ci.url) = md5(u) AND ci.url = u AND ci.claim_id <> claim AND ci.status {test} 'restored'
  ORDER BY md5(ci.url) DESC, ci.id DESC LIMIT 1
$$
"""
_FUNCTIONS = {"repeat_latest_item": "<>", "repeat_latest_restored": "="}


def upgrade() -> None:
    key = _KEY[op.get_bind().dialect.name]
    op.execute("DROP INDEX IF EXISTS ix_claim_item_url")
    op.execute(f"CREATE INDEX ix_claim_item_url ON claim_item ({key})")
    op.execute(f"CREATE INDEX ix_claim_item_url_restored ON claim_item ({key}) WHERE status = 'restored'")
    if op.get_bind().dialect.name == "postgresql":
        for name, test in _FUNCTIONS.items():
            op.execute(_PROBE.format(name=name, test=test))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in _FUNCTIONS:
            op.execute(f"DROP FUNCTION IF EXISTS {name}(text, text)")
    op.execute("DROP INDEX IF EXISTS ix_claim_item_url_restored")
    op.execute("DROP INDEX IF EXISTS ix_claim_item_url")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE INDEX ix_claim_item_url ON claim_item USING hash (url)")
    else:
        op.execute("CREATE INDEX ix_claim_item_url ON claim_item (url)")
