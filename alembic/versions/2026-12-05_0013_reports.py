"""reports at a million claims: the report columns the database keeps, and indexes that read only them

The summary joined every item and every event of the range to its claim; at 1,000,000 claims those joins are most of
its time (one index lookup per row). The database now keeps three copies, each maintained by a trigger so that every
writer (intake's batched INSERTs, the ORM, the worker, a bulk load) keeps them exact without knowing of them:

* `claim_item.received_at`, `claim_item.owner_id`: the claim's receipt time and owner, set when the item is inserted
  (and again if the claim's ever change), so item figures (outcomes, decision hours, notifiers' unfounded rates)
  are one index-only scan of `ix_claim_item_received_at`, with no join.
* `claim.first_action_at`: the time of the earliest staff decision or transition event (CONTRACT.md "first action"),
  set by each such event that is earlier than the one stored, so hours to first action read the claim alone.

* `claim_element.received_at`, `claim_element.regime`: the same for the elements, so the elements that stood short
  at intake are counted from the partial index `ix_claim_element_intake_gap` alone (regime and range included).

`ix_claim_item_decided_at_id` gains `received_at` (the weekly decision hours read the index only);
`ix_claim_received_at` gains `first_action_at` and `due_at` (time to first action against the SLA). The backfill
computes the same values from the events and claims already stored; tests/reports/test_report_columns.py checks the
triggers against the direct computation.

Revision ID: 0011_reports
Revises: 0011_web
Create Date: 2026-12-05 01:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0011_reports"
down_revision: str | None = "0011_web"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FIRST_ACTION = "action IN ('decided', 'transition') AND actor_role IN ('specialist', 'legal', 'admin')"
CLAIM_INDEX = ["received_at", "regime", "kind", "status", "source", "owner_id", "first_action_at", "due_at", "id"]
OLD_CLAIM_INDEX = ["received_at", "regime", "kind", "status", "source", "owner_id", "id"]

SQLITE_TRIGGERS = (
    """CREATE TRIGGER trg_claim_item_report AFTER INSERT ON claim_item WHEN NEW.received_at IS NULL
    BEGIN
        UPDATE claim_item SET (received_at, owner_id) = (SELECT received_at, owner_id FROM claim WHERE id = NEW.claim_id)
        WHERE rowid = NEW.rowid;
    END""",
    """CREATE TRIGGER trg_claim_element_report AFTER INSERT ON claim_element WHEN NEW.received_at IS NULL
    BEGIN
        UPDATE claim_element SET (received_at, regime) = (SELECT received_at, regime FROM claim WHERE id = NEW.claim_id)
        WHERE rowid = NEW.rowid;
    END""",
    """CREATE TRIGGER trg_claim_report AFTER UPDATE OF received_at, owner_id, regime ON claim
    BEGIN
        UPDATE claim_item SET received_at = NEW.received_at, owner_id = NEW.owner_id WHERE claim_id = NEW.id;
        UPDATE claim_element SET received_at = NEW.received_at, regime = NEW.regime WHERE claim_id = NEW.id;
    END""",
    f"""CREATE TRIGGER trg_event_first_action AFTER INSERT ON event
    WHEN NEW.claim_id IS NOT NULL AND NEW.{FIRST_ACTION.replace(" AND actor_role", " AND NEW.actor_role")}
    BEGIN
        UPDATE claim SET first_action_at = NEW.at
        WHERE id = NEW.claim_id AND (first_action_at IS NULL OR first_action_at > NEW.at);
    END""",
)
# PostgreSQL: after the statement, from its transition table. Intake writes the claim, its items and elements in one
# statement (data-modifying CTEs, `db.send_together`); a BEFORE trigger's lookup of the claim would not see the claim
# inserted by that same statement, an AFTER STATEMENT trigger runs once it is done and fills every new row at once.
# Intake itself writes these columns (`claims.repository.insert_new_claim`): on both databases the triggers fill only
# rows inserted without them (the ORM, a bulk load), so intake does not write each item and element twice.
POSTGRES_TRIGGERS = (
    """CREATE FUNCTION claim_item_report() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        -- Intake writes these columns itself: most statements have nothing to fill, and the join below would
        -- otherwise be planned blind over the whole table (a transition table has no statistics).
        IF NOT EXISTS (SELECT FROM new_rows WHERE received_at IS NULL) THEN
            RETURN NULL;
        END IF;
        UPDATE claim_item i SET received_at = c.received_at, owner_id = c.owner_id
        FROM new_rows n JOIN claim c ON c.id = n.claim_id WHERE i.id = n.id AND n.received_at IS NULL;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER trg_claim_item_report AFTER INSERT ON claim_item
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION claim_item_report()""",
    """CREATE FUNCTION claim_element_report() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NOT EXISTS (SELECT FROM new_rows WHERE received_at IS NULL) THEN
            RETURN NULL;
        END IF;
        UPDATE claim_element e SET received_at = c.received_at, regime = c.regime
        FROM new_rows n JOIN claim c ON c.id = n.claim_id WHERE e.id = n.id AND n.received_at IS NULL;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER trg_claim_element_report AFTER INSERT ON claim_element
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION claim_element_report()""",
    """CREATE FUNCTION claim_report() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE claim_item SET received_at = NEW.received_at, owner_id = NEW.owner_id WHERE claim_id = NEW.id;
        UPDATE claim_element SET received_at = NEW.received_at, regime = NEW.regime WHERE claim_id = NEW.id;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER trg_claim_report AFTER UPDATE OF received_at, owner_id, regime ON claim
    FOR EACH ROW WHEN (OLD.received_at IS DISTINCT FROM NEW.received_at OR OLD.owner_id IS DISTINCT FROM NEW.owner_id
                       OR OLD.regime IS DISTINCT FROM NEW.regime)
    EXECUTE FUNCTION claim_report()""",
    """CREATE FUNCTION event_first_action() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE claim SET first_action_at = NEW.at
        WHERE id = NEW.claim_id AND (first_action_at IS NULL OR first_action_at > NEW.at);
        RETURN NULL;
    END $$""",
    f"""CREATE TRIGGER trg_event_first_action AFTER INSERT ON event
    FOR EACH ROW WHEN (NEW.claim_id IS NOT NULL AND NEW.{FIRST_ACTION.replace(" AND actor_role", " AND NEW.actor_role")})
    EXECUTE FUNCTION event_first_action()""",
)


def upgrade() -> None:
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.add_column(sa.Column("first_action_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("claim_item", schema=None) as batch_op:
        batch_op.add_column(sa.Column("received_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("owner_id", sa.String(length=26), nullable=True))
    with op.batch_alter_table("claim_element", schema=None) as batch_op:
        batch_op.add_column(sa.Column("received_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("regime", sa.String(length=20), nullable=True))
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    if postgres:
        bind.execute(
            sa.text("UPDATE claim_item i SET received_at = c.received_at, owner_id = c.owner_id FROM claim c WHERE c.id = i.claim_id")
        )
        bind.execute(
            sa.text("UPDATE claim_element e SET received_at = c.received_at, regime = c.regime FROM claim c WHERE c.id = e.claim_id")
        )
        bind.execute(
            sa.text(
                f"UPDATE claim c SET first_action_at = e.first FROM (SELECT claim_id, min(at) AS first "
                f"FROM event WHERE claim_id IS NOT NULL AND {FIRST_ACTION} GROUP BY claim_id) e "
                f"WHERE c.id = e.claim_id"
            )
        )
    else:
        bind.execute(
            sa.text(
                "UPDATE claim_item SET (received_at, owner_id) = "
                "(SELECT received_at, owner_id FROM claim WHERE claim.id = claim_item.claim_id)"
            )
        )
        bind.execute(
            sa.text(
                "UPDATE claim_element SET (received_at, regime) = "
                "(SELECT received_at, regime FROM claim WHERE claim.id = claim_element.claim_id)"
            )
        )
        bind.execute(
            sa.text(
                f"UPDATE claim SET first_action_at = first.at FROM (SELECT claim_id, min(at) AS at "
                f"FROM event WHERE claim_id IS NOT NULL AND {FIRST_ACTION} GROUP BY claim_id) AS first "
                f"WHERE claim.id = first.claim_id"
            )
        )
    for statement in POSTGRES_TRIGGERS if postgres else SQLITE_TRIGGERS:
        bind.execute(sa.text(statement))
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.drop_index("ix_claim_received_at")
        batch_op.create_index("ix_claim_received_at", CLAIM_INDEX, unique=False)
    with op.batch_alter_table("claim_item", schema=None) as batch_op:
        batch_op.create_index("ix_claim_item_received_at", ["received_at", "owner_id", "outcome", "decided_at"], unique=False)
        batch_op.drop_index("ix_claim_item_decided_at_id")
        batch_op.create_index("ix_claim_item_decided_at_id", ["decided_at", "id", "received_at"], unique=False)
    gap = sa.text("intake_status IN ('missing', 'deficient')")
    with op.batch_alter_table("claim_element", schema=None) as batch_op:
        batch_op.drop_index("ix_claim_element_intake_gap")
        batch_op.create_index(
            "ix_claim_element_intake_gap",
            ["received_at", "regime", "code", "intake_status", "claim_id"],
            unique=False,
            sqlite_where=gap,
            postgresql_where=gap,
        )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for trigger, table, function in (
            ("trg_claim_item_report", "claim_item", "claim_item_report"),
            ("trg_claim_element_report", "claim_element", "claim_element_report"),
            ("trg_claim_report", "claim", "claim_report"),
            ("trg_event_first_action", "event", "event_first_action"),
        ):
            bind.execute(sa.text(f"DROP TRIGGER IF EXISTS {trigger} ON {table}"))
            bind.execute(sa.text(f"DROP FUNCTION IF EXISTS {function}()"))
    else:
        for trigger in ("trg_claim_item_report", "trg_claim_element_report", "trg_claim_report", "trg_event_first_action"):
            bind.execute(sa.text(f"DROP TRIGGER IF EXISTS {trigger}"))
    gap = sa.text("intake_status IN ('missing', 'deficient')")
    with op.batch_alter_table("claim_element", schema=None) as batch_op:
        batch_op.drop_index("ix_claim_element_intake_gap")
        batch_op.create_index(
            "ix_claim_element_intake_gap", ["claim_id", "code", "intake_status"], unique=False, sqlite_where=gap, postgresql_where=gap
        )
        batch_op.drop_column("regime")
        batch_op.drop_column("received_at")
    with op.batch_alter_table("claim_item", schema=None) as batch_op:
        batch_op.drop_index("ix_claim_item_decided_at_id")
        batch_op.create_index("ix_claim_item_decided_at_id", ["decided_at", "id"], unique=False)
        batch_op.drop_index("ix_claim_item_received_at")
        batch_op.drop_column("owner_id")
        batch_op.drop_column("received_at")
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.drop_index("ix_claim_received_at")
        batch_op.create_index("ix_claim_received_at", OLD_CLAIM_INDEX, unique=False)
        batch_op.drop_column("first_action_at")
