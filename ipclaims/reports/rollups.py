"""Per-day rollups of the summary's counts, kept exact by the database (migration 0013_rollups).

At a million claims a year's summary read every claim and item of the range (index-only, still millions of rows).
Four small tables hold the same figures per UTC day of receipt instead, each row a count that triggers add to and
subtract from on every insert, update and delete of a claim or an item, whoever writes (intake's batched INSERTs,
the ORM, the worker, a bulk load, the report-column triggers of 0011_reports):

* `report_claim_day`: claims per day, regime, kind, status, source and `acted` (first action within the SLA,
  late, without an SLA, or none yet);
* `report_owner_day`: per day and notifier, claims, items decided and items decided `no_action`;
* `report_item_day`: items per day and outcome (`''`: undecided);
* `report_hours`: per measure, day and group, how many durations fall in each hour bucket (`bucket`: whole hours up
  to `FINE_HOURS`, wider after, see `bucket_hours`): `first` (claims, hours to first action, by source, day of
  receipt), `decision` (items, hours to decision, day of receipt) and `decided` (the same durations by the day of
  the decision, for the weekly trend).

The hour counts tell which bucket holds each rank a percentile interpolates between; only the values of those few
buckets are then read, in order, from expression indexes on the very durations (`ix_claim_first_action_hours`,
`ix_claim_item_decision_hours`), so medians stay exact. `rebuild` recomputes every rollup from the claims and
items (`ipclaims report --rebuild-rollups`), the same computation tests/reports/test_rollups.py compares with.
`counter_notice.claim_received_at` is kept here too (its claim's receipt time, for the counter-notices of a range).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Date, Integer, String, cast, column, func, text
from sqlalchemy import table as sa_table
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

TABLES = ("report_claim_day", "report_owner_day", "report_item_day", "report_hours")
# Written by triggers and read by SQL of their own only: they live in the migration, not in the models (alembic/env.py).
MIGRATION_ONLY_INDEXES = frozenset(
    {"ix_claim_first_action_hours", "ix_claim_item_decision_hours", "ix_claim_unacted", "ix_counter_notice_claim_received_at"}
) | frozenset(f"ix_{t}_shards" for t in TABLES)
MIGRATION_ONLY_COLUMNS = frozenset({("counter_notice", "claim_received_at")})
SHARD_INDEXES = {t: f"ix_{t}_shards" for t in TABLES}  # PostgreSQL: the rows `compact` folds, (day) WHERE shard <> 0
CLAIM_COLUMNS = ("received_at", "regime", "kind", "status", "source", "owner_id", "first_action_at", "due_at")
ITEM_COLUMNS = ("received_at", "owner_id", "outcome", "decided_at")
CLAIM_DAY = ("day", "regime", "kind", "status", "source", "acted")
OWNER_DAY = ("day", "owner_id")
OWNER_COUNTS = ("claims", "items_decided", "items_unfounded")
ITEM_DAY = ("day", "outcome")
HOURS = ("measure", "day", "grp", "bucket")
# Every rollup row also carries a `shard` (part of its key; readers sum over it). On PostgreSQL a trigger writes the
# shard of its connection (`pg_backend_pid() % SHARDS`): concurrent intakes of one day would otherwise all update the
# same few rows, each waiting for the last one's commit under its row lock (intake throughput fell by a third), and
# two writers touching the same rows in opposite orders could deadlock. SQLite has one writer at a time: shard 0.
# The worker folds the shards of past days back into shard 0 (`compact`), so only recent days keep several rows a key.
SHARD = "shard"
SHARDS = 16
KEYS = {"report_claim_day": CLAIM_DAY, "report_owner_day": OWNER_DAY, "report_item_day": ITEM_DAY, "report_hours": HOURS}
COUNTS = {"report_claim_day": ("n",), "report_owner_day": OWNER_COUNTS, "report_item_day": ("n",), "report_hours": ("n",)}


def shard(name: str) -> str:
    return f"(pg_backend_pid() % {SHARDS})" if name == "postgresql" else "0"


def _table(name: str, *columns: Any) -> Any:
    return sa_table(name, column("day", Date), *columns)


def _counts(*names: str) -> list[Any]:
    return [column(n, Integer) for n in names]


report_claim_day = _table("report_claim_day", *(column(c, String) for c in ("regime", "kind", "status", "source", "acted")), *_counts("n"))
report_owner_day = _table("report_owner_day", column("owner_id", String), *_counts(*OWNER_COUNTS))
report_item_day = _table("report_item_day", column("outcome", String), *_counts("n"))
report_hours = _table("report_hours", column("measure", String), column("grp", String), *_counts("bucket", "n"))


def week_of_day(name: str, d: Any) -> ColumnElement[Any]:
    """The Monday of a rollup day's ISO week: a date on PostgreSQL, `YYYY-MM-DD` text on SQLite (as `sql.week_start`)."""
    if name == "postgresql":
        return d - cast(func.extract("isodow", d), Integer) + 1  # type: ignore[no-any-return]
    return func.date(d, "weekday 0", "-6 days")


def hours(name: str, later: str, earlier: str) -> str:
    """Hours from `earlier` to `later`, spelt as text exactly as the expression indexes are (the planner matches the
    text)."""
    if name == "postgresql":
        return f"(CAST(EXTRACT(epoch FROM {later} - {earlier}) AS FLOAT) / 3600.0)"
    return f"((julianday({later}) - julianday({earlier})) * 24.0)"


def day(name: str, at: str) -> str:
    return f"CAST(timezone('UTC', {at}) AS DATE)" if name == "postgresql" else f"date({at})"


# Whole hours up to FINE_HOURS, then COARSE_HOURS at a time: the long tail of durations is sparse, and one bucket
# per hour there would be most of the rollup's rows.
FINE_HOURS = 128
COARSE_HOURS = 16


def bucket(name: str, later: str, earlier: str) -> str:
    whole = f"CAST(floor({hours(name, later, earlier)}) AS INTEGER)"
    return f"CASE WHEN {whole} < {FINE_HOURS} THEN {whole} ELSE {FINE_HOURS} + ({whole} - {FINE_HOURS}) / {COARSE_HOURS} END"


def bucket_hours(b: int) -> tuple[int, int]:
    """The hours [low, high) of bucket `b` (whole hours: a duration is in it exactly when its floor is)."""
    if b < FINE_HOURS:
        return b, b + 1
    low = FINE_HOURS + (b - FINE_HOURS) * COARSE_HOURS
    return low, low + COARSE_HOURS


def acted(row: str) -> str:
    """A claim's first action against its SLA: within, late, acted (no SLA), none (not acted on yet)."""
    fa, due = f"{row}.first_action_at", f"{row}.due_at"
    return f"CASE WHEN {fa} IS NULL THEN 'none' WHEN {fa} <= {due} THEN 'within' WHEN {fa} > {due} THEN 'late' ELSE 'acted' END"


def _upsert(name: str, table: str, values: list[str], where: str | None) -> str:
    keys, counts = KEYS[table] + (SHARD,), COUNTS[table]
    n = len(KEYS[table])
    values = [*values[:n], shard(name), *values[n:]]
    updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in counts)
    select = f"SELECT {', '.join(values)}" + (f" WHERE {where}" if where else "")
    return f"INSERT INTO {table} ({', '.join(keys + counts)}) {select} ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}"


# One share of a row: (table, the values of its key columns then of its counts, the condition for the row to count).
Share = tuple[str, list[str], str]


def claim_shares(name: str, row: str, sign: int) -> list[Share]:
    """What one claim row (`NEW` or `OLD`) adds to (`sign` 1) or takes from (-1) the rollups."""
    d = day(name, f"{row}.received_at")
    present = f"{row}.received_at IS NOT NULL"
    return [
        ("report_claim_day", [d, f"{row}.regime", f"{row}.kind", f"{row}.status", f"{row}.source", acted(row), str(sign)], present),
        ("report_owner_day", [d, f"{row}.owner_id", str(sign), "0", "0"], present),
        (
            "report_hours",
            ["'first'", d, f"{row}.source", bucket(name, f"{row}.first_action_at", f"{row}.received_at"), str(sign)],
            f"{present} AND {row}.first_action_at IS NOT NULL",
        ),
    ]


def item_shares(name: str, row: str, sign: int) -> list[Share]:
    """What one item row adds to or takes from the rollups (nothing until the trigger of 0011 gave it its claim's
    receipt time)."""
    d = day(name, f"{row}.received_at")
    present = f"{row}.received_at IS NOT NULL"
    decided = f"{present} AND {row}.decided_at IS NOT NULL"
    b = bucket(name, f"{row}.decided_at", f"{row}.received_at")
    unfounded = f"CASE WHEN {row}.outcome = 'no_action' THEN {sign} ELSE 0 END"
    return [
        ("report_item_day", [d, f"COALESCE({row}.outcome, '')", str(sign)], present),
        (
            "report_owner_day",
            [d, f"{row}.owner_id", "0", str(sign), unfounded],
            f"{present} AND {row}.owner_id IS NOT NULL AND {row}.outcome IS NOT NULL",
        ),
        ("report_hours", ["'decision'", d, "''", b, str(sign)], decided),
        ("report_hours", ["'decided'", day(name, f"{row}.decided_at"), "''", b, str(sign)], decided),
    ]


def claim_statements(name: str, row: str, sign: int) -> list[str]:
    return [_upsert(name, table, values, where) for table, values, where in claim_shares(name, row, sign)]


def item_statements(name: str, row: str, sign: int) -> list[str]:
    return [_upsert(name, table, values, where) for table, values, where in item_shares(name, row, sign)]


_SOURCES = {"claim": (claim_statements, CLAIM_COLUMNS), "claim_item": (item_statements, ITEM_COLUMNS)}
_SHARES = {"claim": claim_shares, "claim_item": item_shares}


def _guarded(shares: list[Share]) -> str:
    """PostgreSQL, a row trigger's body: each upsert run only when its row counts. A plpgsql IF on the row's fields
    is evaluated without the executor; an upsert whose SELECT finds nothing still costs a whole execution (intake's
    undecided items skipped three of their four)."""
    out = [
        f"        IF {where} THEN\n            {_upsert('postgresql', table, values, None)};\n        END IF;"
        for table, values, where in shares
    ]
    return "\n".join(out)


def _aggregated(shares: list[Share]) -> str:
    """PostgreSQL, a statement trigger's body: each upsert once for all the rows inserted (`new_rows`), summed per
    key (one statement for a notice's items, not one per item). Those that count only some rows (decided items,
    claims acted on: intake's never are) run only if one of the rows counts, which one EXISTS tells."""
    always: list[tuple[str, str]] = []
    rare: list[tuple[str, str]] = []
    for table, values, where in shares:
        keys, counts = KEYS[table], COUNTS[table]
        inner = ", ".join(f"{v} AS {c}" for v, c in zip(values, keys + counts, strict=True))
        upsert = _upsert("postgresql", table, [*keys, *(f"sum({c})" for c in counts)], None).replace(
            " ON CONFLICT", f" FROM (SELECT {inner} FROM new_rows r WHERE {where}) AS s GROUP BY {', '.join(keys)} ON CONFLICT", 1
        )
        (rare if " AND " in where else always).append((upsert, where))
    out = [f"        {upsert};" for upsert, _ in always]
    if rare:
        any_rare = " OR ".join(f"({where})" for where in dict.fromkeys(where for _, where in rare))
        body = "\n".join(f"            {upsert};" for upsert, _ in rare)
        out.append(f"        IF EXISTS (SELECT FROM new_rows r WHERE {any_rare}) THEN\n{body}\n        END IF;")
    return "\n".join(out)


def _postgres_ddl(table: str, columns: tuple[str, ...]) -> list[str]:
    """A statement trigger for inserts (intake writes a notice's items in one statement), row triggers for changes
    and deletes (a trigger with a column list cannot have transition tables), the changes' only when a column counted
    changed: most updates of a claim (the notifier's details, a reminder's time) change nothing the rollups count."""
    shares = _SHARES[table]
    changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in columns)
    return [
        f"""CREATE FUNCTION {table}_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
{_guarded(shares("postgresql", "OLD", -1))}
        IF TG_OP = 'UPDATE' THEN
{_guarded(shares("postgresql", "NEW", 1))}
        END IF;
        RETURN NULL;
    END $$""",
        f"""CREATE FUNCTION {table}_rollup_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
{_aggregated(shares("postgresql", "r", 1))}
        RETURN NULL;
    END $$""",
        f"CREATE TRIGGER trg_{table}_rollup_insert AFTER INSERT ON {table} "
        f"REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {table}_rollup_insert()",
        f"CREATE TRIGGER trg_{table}_rollup AFTER UPDATE OF {', '.join(columns)} ON {table} "
        f"FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION {table}_rollup()",
        f"CREATE TRIGGER trg_{table}_rollup_delete AFTER DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION {table}_rollup()",
    ]


def trigger_ddl(name: str) -> list[str]:
    """The rollup triggers of `claim` and `claim_item`: every change takes the old row's share and adds the new one's."""
    out: list[str] = []
    for table, (statements, columns) in _SOURCES.items():
        if name == "postgresql":
            out += _postgres_ddl(table, columns)
        else:
            for event, rows in (
                ("INSERT", (("NEW", 1),)),
                (f"UPDATE OF {', '.join(columns)}", (("OLD", -1), ("NEW", 1))),
                ("DELETE", (("OLD", -1),)),
            ):
                body = ";\n    ".join(s for row, sign in rows for s in statements(name, row, sign))
                out.append(
                    f"CREATE TRIGGER trg_{table}_rollup_{event.split()[0].lower()} AFTER {event} ON {table}\nBEGIN\n    {body};\nEND"
                )
    return out


# `counter_notice.claim_received_at`: its claim's receipt time, so the counter-notices of a range are one scan of
# `ix_counter_notice_claim_received_at` (looking up each one's claim was 19,000 probes a year at a million claims).
_COUNTER_RECEIVED = "(SELECT received_at FROM claim WHERE claim.id = NEW.claim_id)"
POSTGRES_COUNTER_DDL = (
    f"""CREATE FUNCTION counter_notice_received() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.claim_received_at := {_COUNTER_RECEIVED};
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER trg_counter_notice_received BEFORE INSERT OR UPDATE OF claim_id ON counter_notice
    FOR EACH ROW EXECUTE FUNCTION counter_notice_received()""",
    """CREATE FUNCTION claim_counter_received() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE counter_notice SET claim_received_at = NEW.received_at WHERE claim_id = NEW.id;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER trg_claim_counter_received AFTER UPDATE OF received_at ON claim
    FOR EACH ROW WHEN (OLD.received_at IS DISTINCT FROM NEW.received_at) EXECUTE FUNCTION claim_counter_received()""",
)
SQLITE_COUNTER_DDL = (
    *(
        f"""CREATE TRIGGER trg_counter_notice_received{suffix} AFTER {event} ON counter_notice
    BEGIN
        UPDATE counter_notice SET claim_received_at = {_COUNTER_RECEIVED} WHERE id = NEW.id;
    END"""
        for suffix, event in (("", "INSERT"), ("_moved", "UPDATE OF claim_id"))
    ),
    """CREATE TRIGGER trg_claim_counter_received AFTER UPDATE OF received_at ON claim
    BEGIN
        UPDATE counter_notice SET claim_received_at = NEW.received_at WHERE claim_id = NEW.id;
    END""",
)


def counter_ddl(name: str) -> tuple[str, ...]:
    return POSTGRES_COUNTER_DDL if name == "postgresql" else SQLITE_COUNTER_DDL


def rollup_drop_ddl() -> list[str]:
    """PostgreSQL: drop the rollup triggers of `claim` and `claim_item` and their functions, of any revision."""
    triggers = [f"DROP TRIGGER IF EXISTS trg_{t}_rollup{e} ON {t}" for t in _SOURCES for e in ("", "_insert", "_delete")]
    return triggers + [f"DROP FUNCTION IF EXISTS {t}_rollup{e}()" for t in _SOURCES for e in ("", "_insert")]


def drop_ddl(name: str) -> list[str]:
    if name == "postgresql":
        pairs = [("trg_counter_notice_received ON counter_notice", "counter_notice_received")]
        pairs += [("trg_claim_counter_received ON claim", "claim_counter_received")]
        drops = [s for trigger, function in pairs for s in (f"DROP TRIGGER IF EXISTS {trigger}", f"DROP FUNCTION IF EXISTS {function}()")]
        return rollup_drop_ddl() + drops
    names = [f"trg_{t}_rollup_{e}" for t in _SOURCES for e in ("insert", "update", "delete")]
    names += ["trg_counter_notice_received", "trg_counter_notice_received_moved", "trg_claim_counter_received"]
    return [f"DROP TRIGGER IF EXISTS {n}" for n in names]


def recompute(name: str) -> dict[str, str]:
    """Per rollup table, the SELECT that computes it from the claims and items (the rebuild and the tests' check)."""
    d = day(name, "received_at")
    first = bucket(name, "first_action_at", "received_at")
    b = bucket(name, "decided_at", "received_at")
    return {
        "report_claim_day": f"SELECT {d}, regime, kind, status, source, {acted('claim')}, count(*) FROM claim "
        "WHERE received_at IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6",
        "report_owner_day": "SELECT d, o, sum(c), sum(k), sum(u) FROM ("
        f"SELECT {d} AS d, owner_id AS o, count(*) AS c, 0 AS k, 0 AS u FROM claim WHERE received_at IS NOT NULL "
        "GROUP BY 1, 2 UNION ALL "
        f"SELECT {d}, owner_id, 0, count(*), sum(CASE WHEN outcome = 'no_action' THEN 1 ELSE 0 END) FROM claim_item "
        "WHERE received_at IS NOT NULL AND owner_id IS NOT NULL AND outcome IS NOT NULL GROUP BY 1, 2"
        ") AS parts GROUP BY d, o",
        "report_item_day": f"SELECT {d}, COALESCE(outcome, ''), count(*) FROM claim_item WHERE received_at IS NOT NULL GROUP BY 1, 2",
        "report_hours": f"SELECT 'first', {d}, source, {first}, count(*) FROM claim "
        "WHERE received_at IS NOT NULL AND first_action_at IS NOT NULL GROUP BY 2, 3, 4 UNION ALL "
        f"SELECT 'decision', {d}, '', {b}, count(*) FROM claim_item "
        "WHERE received_at IS NOT NULL AND decided_at IS NOT NULL GROUP BY 2, 4 UNION ALL "
        f"SELECT 'decided', {day(name, 'decided_at')}, '', {b}, count(*) FROM claim_item "
        "WHERE received_at IS NOT NULL AND decided_at IS NOT NULL GROUP BY 2, 4",
    }


def rebuild(connection: Connection) -> dict[str, int]:
    """Recompute every rollup from the claims and items, in the caller's transaction (rows per table).

    Needed only if the rollups were bypassed (triggers dropped by a table rebuild, rows written with triggers off);
    writers that arrive meanwhile wait for the transaction (PostgreSQL: the tables are locked first)."""
    name = connection.dialect.name
    if name == "postgresql":
        connection.execute(text(f"LOCK TABLE claim, claim_item, {', '.join(TABLES)} IN SHARE ROW EXCLUSIVE MODE"))
    rows = {}
    for table, select in recompute(name).items():
        connection.execute(text(f"DELETE FROM {table}"))
        columns = ", ".join(KEYS[table] + COUNTS[table])  # shard 0, the column's default
        connection.execute(text(f"INSERT INTO {table} ({columns}) {select}"))
        rows[table] = int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
    return rows


def compact(connection: Connection, before: date) -> int:
    """Fold the rows of shards other than 0 of the days before `before` into shard 0; how many keys were folded
    (PostgreSQL only: SQLite's triggers write shard 0 alone).

    One statement a table deletes the rows it folds and adds their sums, so an increment a trigger makes meanwhile
    is never lost: a row being deleted makes that trigger wait and then insert a new row (folded next time), and a row
    changed before the delete reached it is deleted, and summed, as changed (READ COMMITTED re-reads it)."""
    if connection.dialect.name != "postgresql":
        return 0
    folded = 0
    for table in TABLES:
        keys, counts = ", ".join(KEYS[table]), COUNTS[table]
        sums = ", ".join(f"sum({c})" for c in counts)
        updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in counts)
        result = connection.execute(
            text(
                f"WITH gone AS (DELETE FROM {table} WHERE {SHARD} <> 0 AND day < :before RETURNING *) "
                f"INSERT INTO {table} ({keys}, {SHARD}, {', '.join(counts)}) SELECT {keys}, 0, {sums} FROM gone GROUP BY {keys} "
                f"ON CONFLICT ({keys}, {SHARD}) DO UPDATE SET {updates}"
            ),
            {"before": before},
        )
        folded += int(result.rowcount or 0)
    return folded
