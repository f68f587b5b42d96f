"""The rollup triggers' cheaper paths (migration 0015_pg_rollup_triggers): several rows of one INSERT summed per
key, the rollups of decided items counted from an INSERT, updates that change no counted column, and the repeat
lookup as one PostgreSQL function agreeing with the statement it replaces."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import insert, select, text, update
from sqlalchemy.orm import Session

from ipclaims.integrations import grey_areas
from ipclaims.models import Claim, ClaimItem, new_id
from tests.conftest import IS_PG, Actor
from tests.reports.test_rollups import _kept, assert_rollups_exact
from tests.review.flows import submit


def test_one_insert_of_decided_items_is_counted_per_key(client: Any, session: Session, holder: Actor) -> None:
    a = submit(client, holder, "US_DMCA")
    received = session.scalar(select(Claim.received_at).where(Claim.id == a["id"]))
    assert received is not None
    # Same day and outcome for several rows (summed into one upsert), two outcomes, two decision days, one undecided.
    rows = [
        {
            "id": new_id(),
            "claim_id": a["id"],
            "position": 10 + i,
            "url": f"https://example.com/bulk/{i}",
            "locatable": True,
            "status": "pending" if i >= 5 else "no_action" if i % 2 else "actioned",
            "received_at": received,
            "owner_id": holder.id,
            "outcome": (None if i >= 5 else "no_action" if i % 2 else "removed"),
            "decided_at": None if i >= 5 else received + timedelta(hours=3 + 30 * (i % 2), minutes=i),
            "created_at": received,
        }
        for i in range(6)
    ]
    before = _kept(session)
    session.rollback()
    session.execute(insert(ClaimItem.__table__), rows)
    session.commit()
    assert_rollups_exact(session)
    after = _kept(session)
    session.rollback()
    assert after["report_hours"] - before["report_hours"], "decided items inserted must add decision hours"


def test_updates_of_uncounted_or_unchanged_columns_keep_the_rollups(client: Any, session: Session, holder: Actor) -> None:
    a, b = submit(client, holder, "US_DMCA"), submit(client, holder, "EU_DSA")
    before = _kept(session)
    session.rollback()
    session.execute(update(Claim).where(Claim.id == a["id"]).values(explanation="changed, not counted"))
    session.execute(update(Claim).where(Claim.id == b["id"]).values(status=Claim.status))  # same value
    session.execute(update(ClaimItem).where(ClaimItem.claim_id == a["id"]).values(description="changed"))
    session.commit()
    assert _kept(session) == before
    session.rollback()
    session.execute(update(Claim).where(Claim.id == b["id"]).values(status="closed", received_at=datetime(2026, 1, 2, tzinfo=UTC)))
    session.commit()
    assert_rollups_exact(session)


@pytest.mark.skipif(not IS_PG, reason="repeat_earlier() is PostgreSQL's (SQLite sends the lookup as a statement)")
def test_repeat_earlier_function_agrees_with_the_lookup_statement(client: Any, session: Session, holder: Actor) -> None:
    urls = ["https://video.example.com/watch?v=1", "https://video.example.com/watch?v=2", "https://never.example.com/x"]
    claims = [submit(client, holder, "US_DMCA", items=[{"url": u, "description": "copy", "work": 0} for u in urls[:2]]) for _ in range(3)]
    restored = claims[0]["items"][1]["id"]
    session.execute(update(ClaimItem).where(ClaimItem.id == restored).values(status="restored"))
    session.commit()
    # The lookup as intake sent it inline before the function (the probes per URL, joined to their claims).
    inline = grey_areas._EARLIER.format(
        latest="repeat_latest_item(u.url, :c)", restored="repeat_latest_restored(u.url, :c)", urls="unnest(CAST(:u AS text[])) AS u(url)"
    )
    assert "repeat_earlier" in str(grey_areas._QUERIES["postgresql"].statement)
    for claim_id in (claims[-1]["id"], new_id()):
        expected = [tuple(r) for r in session.execute(text(inline), {"c": claim_id, "u": urls})]
        got = session.execute(text("SELECT * FROM repeat_earlier(:c, CAST(:u AS text[]))"), {"c": claim_id, "u": urls}).all()
        assert [tuple(r) for r in got] == expected
        assert [tuple(r) for r in grey_areas._earlier(session, claim_id, urls)] == expected
        # the restored item, and each URL's latest item on another claim (the newest claim but this one's)
        latest = claims[-2] if claim_id == claims[-1]["id"] else claims[-1]
        assert {r[0] for r in got} == {restored} | {i["id"] for i in latest["items"]}
    session.rollback()


@pytest.mark.skipif(not IS_PG, reason="repeat_earlier() is PostgreSQL's (SQLite sends the lookup as a statement)")
def test_repeat_earlier_keeps_one_generic_plan_of_index_probes(session: Session) -> None:
    # Migration pgcpu_generic_repeat: plpgsql re-planned the function's query on every intake (each custom plan,
    # knowing the array's length, looked cheaper than the generic one). The plan kept must be the index probes.
    conn = session.connection()
    config, body = conn.execute(text("SELECT proconfig, prosrc FROM pg_proc WHERE proname = 'repeat_earlier'")).one()
    assert "plan_cache_mode=force_generic_plan" in config
    found = re.search(r"RETURN QUERY(.*?);\s*END", body, re.DOTALL)
    assert found is not None, body
    query = found.group(1).replace(", claim)", ", $1)").replace("unnest(urls)", "unnest($2)")
    for setting in config:  # the function's own settings, as it runs
        name, value = setting.split("=", 1)
        conn.exec_driver_sql(f"SET LOCAL {name} = {value}")
    conn.exec_driver_sql(f"PREPARE earlier_probe(text, text[]) AS {query}")
    rows = conn.exec_driver_sql("""EXPLAIN (VERBOSE) EXECUTE earlier_probe('x', '{"https://a.example/1","https://a.example/2"}')""").all()
    plan = " | ".join(row[0] for row in rows)
    conn.exec_driver_sql("DEALLOCATE earlier_probe")
    session.rollback()
    assert "unnest($2)" in plan and "$1)" in plan, plan  # the generic plan: no parameter folded into it
    assert "Index Scan using pk_claim_item on" in plan and "Index Scan using pk_claim on" in plan, plan
    assert "Seq Scan" not in plan, plan


def test_multi_row_updates_and_deletes_keep_the_rollups_exact(client: Any, session: Session, holder: Actor) -> None:
    urls = [{"url": f"https://example.com/multi/{i}", "description": "copy", "work": 0} for i in range(3)]
    a, b, c = (submit(client, holder, regime, items=urls) for regime in ("US_DMCA", "EU_DSA", "US_DMCA"))
    decided = datetime.now(UTC)
    # One statement deciding several items of two claims, then one reopening one of them, then one changing owners.
    session.execute(
        update(ClaimItem).where(ClaimItem.claim_id.in_([a["id"], b["id"]])).values(outcome="removed", status="actioned", decided_at=decided)
    )
    session.commit()
    assert_rollups_exact(session)
    session.execute(update(ClaimItem).where(ClaimItem.claim_id == a["id"], ClaimItem.position == 0).values(outcome=None, decided_at=None))
    session.execute(update(Claim).where(Claim.id.in_([a["id"], c["id"]])).values(status="closed", first_action_at=decided))
    session.commit()
    assert_rollups_exact(session)
    # Deletes: one item, then a whole claim (its items go by ON DELETE CASCADE, each through the row trigger).
    session.execute(text("DELETE FROM claim_item WHERE claim_id = :c AND position = 1"), {"c": b["id"]})
    session.execute(text("DELETE FROM claim WHERE id = :c"), {"c": a["id"]})
    session.commit()
    assert_rollups_exact(session)
