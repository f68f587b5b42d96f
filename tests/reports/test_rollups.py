"""The report rollups the triggers keep (migration 0013_rollups) equal their recomputation from the claims and items,
after every kind of writer: intake through the API, decisions and transitions, the ORM's inserts, updates and
deletes, and a bulk Core insert; and `ipclaims report --rebuild-rollups` restores them when they were bypassed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.orm import Session

from ipclaims.cli import main as cli_main
from ipclaims.db import session_scope
from ipclaims.models import Claim, ClaimItem, Event, new_id
from ipclaims.reports import ranks, rollups, service
from tests.conftest import Actor
from tests.review.flows import counter, decide, submit


def _norm(row: Any) -> tuple[Any, ...]:
    return tuple(int(v) if isinstance(v, int | Decimal) else str(v) for v in row)


def _counted(table: str, rows: Any) -> set[tuple[Any, ...]]:
    """Rows with a count, as plain tuples (a row whose claims all moved elsewhere stays behind at 0)."""
    counts = len(rollups.OWNER_COUNTS) if table == "report_owner_day" else 1
    return {_norm(r) for r in rows if any(r[-counts:])}


def _kept(session: Session) -> dict[str, set[tuple[Any, ...]]]:
    columns = {"report_claim_day": (*rollups.CLAIM_DAY, "n"), "report_owner_day": rollups.OWNER_DAY + rollups.OWNER_COUNTS}
    columns |= {"report_item_day": (*rollups.ITEM_DAY, "n"), "report_hours": (*rollups.HOURS, "n")}
    # summed over the shards (PostgreSQL's writers spread a day's counts over rows of their connection)
    sums = {t: ", ".join(f"sum({n})" for n in rollups.COUNTS[t]) for t in columns}
    keys = {t: ", ".join(rollups.KEYS[t]) for t in columns}
    return {t: _counted(t, session.execute(text(f"SELECT {keys[t]}, {sums[t]} FROM {t} GROUP BY {keys[t]}")).all()) for t in columns}


def _recomputed(session: Session) -> dict[str, set[tuple[Any, ...]]]:
    name = session.get_bind().dialect.name
    return {t: _counted(t, session.execute(text(q)).all()) for t, q in rollups.recompute(name).items()}


def assert_rollups_exact(session: Session) -> None:
    session.expire_all()
    kept, recomputed = _kept(session), _recomputed(session)
    session.rollback()  # end the read: the API's writers wait for none
    for table in rollups.TABLES:
        assert kept[table] == recomputed[table], table
    # counter_notice.claim_received_at, which the database keeps too, is its claim's receipt time
    join = "counter_notice JOIN claim ON claim.id = counter_notice.claim_id"
    pairs = session.execute(text(f"SELECT counter_notice.claim_received_at, claim.received_at FROM {join}")).all()
    session.rollback()
    assert all(a == b and a is not None for a, b in pairs)


def test_rollups_follow_intake_and_the_workflow(client: Any, session: Session, holder: Actor, specialist: Actor, legal_user: Actor) -> None:
    claims = [submit(client, holder, regime) for regime in ("US_DMCA", "EU_DSA", "TM_POLICY", "SG_CA2021", "US_DMCA")]
    assert_rollups_exact(session)
    assert session.execute(text("SELECT count(*) FROM report_claim_day")).scalar_one() > 0
    session.rollback()
    decide(client, specialist, claims[0], 0, "removed")
    counter(client, specialist, claims[0], 0)
    decide(client, specialist, claims[1], 0, "no_action")
    r = client.post(f"/api/v1/claims/{claims[2]['id']}/withdraw", json={"reason": "sent in error"}, headers=holder.headers)
    assert r.status_code == 200, r.text
    r = client.put(f"/api/v1/claims/{claims[3]['id']}/source", json={"source": "press", "reason": "press"}, headers=legal_user.headers)
    assert r.status_code == 200, r.text
    assert_rollups_exact(session)
    kept = _kept(session)
    assert any(r[0] == "first" for r in kept["report_hours"]) and any(r[0] == "decided" for r in kept["report_hours"])
    assert any(r[-1] == 1 and r[-2] for r in kept["report_owner_day"])  # an unfounded (no_action) item counted


def test_rollups_follow_orm_and_bulk_writes(client: Any, session: Session, holder: Actor, specialist: Actor, legal_user: Actor) -> None:
    a, b = submit(client, holder, "US_DMCA"), submit(client, holder, "EU_DSA")
    decide(client, specialist, a, 0, "removed")
    counter(client, specialist, a, 0)
    # ORM updates of every column a rollup keys on: receipt moved back two days, regime, status, source, owner,
    # an item's outcome and decision time, its SLA.
    claim = session.get(Claim, a["id"])
    assert claim is not None
    claim.received_at = claim.received_at - timedelta(days=2)
    claim.status = "closed"  # type: ignore[assignment]
    claim.source = "partner"  # type: ignore[assignment]
    claim.owner_id = legal_user.id
    claim.due_at = claim.received_at + timedelta(hours=1)
    session.flush()
    item = session.scalars(select(ClaimItem).where(ClaimItem.claim_id == b["id"])).first()
    assert item is not None
    item.outcome = "no_action"  # type: ignore[assignment]
    item.decided_at = datetime.now(UTC) + timedelta(days=3)
    session.commit()
    assert_rollups_exact(session)
    # A back-dated staff event moves the first action (0011's trigger updates the claim, the rollup follows).
    session.add(
        Event(
            claim_id=b["id"],
            at=datetime.now(UTC) - timedelta(minutes=5),
            action="transition",
            actor_role="legal",
            actor_id=legal_user.id,
            subject_type="claim",
            subject_id=b["id"],
        )
    )
    session.commit()
    assert_rollups_exact(session)
    # ORM insert of an item without receipt time (0011's trigger fills it), ORM deletes of an item and a claim.
    session.add(ClaimItem(claim_id=b["id"], position=9, url="https://example.com/extra", locatable=True, outcome="removed"))
    session.commit()
    assert_rollups_exact(session)
    session.execute(delete(ClaimItem).where(ClaimItem.claim_id == b["id"], ClaimItem.position == 0))
    session.commit()
    assert_rollups_exact(session)
    session.delete(session.get(Claim, a["id"]))
    session.commit()
    assert_rollups_exact(session)
    # A bulk Core insert and a bulk Core update, as a loader or a migration would write.
    at = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
    rows = [
        {
            "id": new_id(),
            "created_at": at,
            "reference": f"IPC-T-{i:05d}",
            "owner_id": holder.id,
            "submitted_by_id": holder.id,
            "kind": "copyright",
            "regime": "US_DMCA",
            "status": "in_review",
            "source": "notice",
            "received_at": at + timedelta(hours=i),
            "due_at": at + timedelta(hours=i + 48),
            "status_changed_at": at,
            "updated_at": at,
            "complete": True,
            "curable": False,
            "priority": 0,
            "priority_reasons": [],
            "first_action_at": at + timedelta(hours=i + 3 * i),
        }
        for i in range(6)
    ]
    session.execute(insert(Claim.__table__), rows)
    session.execute(update(Claim).where(Claim.reference.like("IPC-T-%")).values(status="decided"))
    session.commit()
    assert_rollups_exact(session)


def test_rebuild_restores_bypassed_rollups(client: Any, session: Session, holder: Actor, specialist: Actor) -> None:
    claim = submit(client, holder, "US_DMCA")
    decide(client, specialist, claim, 0, "removed")
    session.execute(text("DELETE FROM report_hours"))
    session.execute(text("UPDATE report_claim_day SET n = n + 7"))
    session.commit()
    with pytest.raises(AssertionError):
        assert_rollups_exact(session)
    # hour counts that promise durations no claim holds: the summary says what to run, never a 500 or a wrong median
    day = session.scalar(text("SELECT min(day) FROM report_claim_day"))
    session.execute(text("INSERT INTO report_hours (measure, day, grp, bucket, n) VALUES ('decision', :d, '', 3, 5)"), {"d": day})
    session.commit()
    r = client.get("/api/v1/reports/summary", params={"from": str(day)[:10], "to": str(day)[:10]}, headers=specialist.headers)
    assert r.status_code == 503 and "--rebuild-rollups" in r.json()["detail"], r.text
    assert cli_main(["report", "--rebuild-rollups"]) == 0
    assert_rollups_exact(session)
    r = client.get("/api/v1/reports/summary", params={"from": str(day)[:10], "to": str(day)[:10]}, headers=specialist.headers)
    assert r.status_code == 200, r.text


def test_percentiles_read_from_rollups_equal_a_sort(client: Any, session: Session, holder: Actor, specialist: Actor) -> None:
    """Hours to decision at odd and even counts, several in one hour: the rollup path equals sorting every value."""
    claim = submit(client, holder, "US_DMCA")
    received = session.scalar(select(Claim.received_at).where(Claim.id == claim["id"]))
    assert received is not None
    hours = [0.25, 0.5, 0.75, 3.5, 3.6, 3.7, 3.8, 10.0, 27.25, 27.5, 400.0]
    session.execute(
        insert(ClaimItem.__table__),
        [
            {
                "id": new_id(),
                "created_at": received,
                "claim_id": claim["id"],
                "position": 10 + i,
                "url": f"https://x.example/{i}",
                "locatable": True,
                "status": "actioned",
                "outcome": "removed",
                "decided_at": received + timedelta(hours=h),
                "matches": [],
            }
            for i, h in enumerate(hours)
        ],
    )
    session.commit()
    day = received.date()
    _start, _end, r = service.date_range(day, day)
    got = ranks.percentiles(session, "decision", r)[ranks.ALL]
    assert got == (3.7, 27.5, 11)  # 11 values: median the 6th, p90 the 10th (position 10.0)
    session.execute(delete(ClaimItem).where(ClaimItem.position == 10))  # 10 values: the mean of the middle two
    session.commit()
    got = ranks.percentiles(session, "decision", r)[ranks.ALL]
    assert got == (3.75, 64.75, 10)  # p90: position 9.1, a tenth of the way from 27.5 to 400
    assert ranks.percentiles(session, "decision", service.date_range(day - timedelta(days=3), day - timedelta(days=1))[2]) == {}


def test_the_worker_folds_past_days_shards_into_one_row(client: Any, session: Session, holder: Actor, specialist: Actor) -> None:
    """PostgreSQL's triggers write the shard of their connection; `compact` folds the rows of days before the one given
    into shard 0 and the figures stay exact. SQLite writes shard 0 only: nothing to fold."""
    claim = submit(client, holder, "US_DMCA")
    decide(client, specialist, claim, 0, "removed")
    today = date.fromisoformat(str(session.scalar(text("SELECT max(day) FROM report_claim_day")))[:10])
    postgres = session.get_bind().dialect.name == "postgresql"

    def sharded() -> int:
        n = sum(int(session.scalar(text(f"SELECT count(*) FROM {t} WHERE shard <> 0")) or 0) for t in rollups.TABLES)
        session.rollback()  # end the read before the worker's write (SQLite)
        return n

    if postgres:  # the writers' connections may all have drawn shard 0: move one count to shard 15, as another would
        keys = ", ".join(rollups.CLAIM_DAY)
        row = session.execute(text(f"SELECT {keys}, shard FROM report_claim_day WHERE n > 0 LIMIT 1")).one()
        where = " AND ".join(f"{k} = :{k}" for k in (*rollups.CLAIM_DAY, "shard"))
        values = dict(zip((*rollups.CLAIM_DAY, "shard"), row, strict=True))
        session.execute(text(f"UPDATE report_claim_day SET n = n - 1 WHERE {where}"), values)
        session.execute(
            text(
                f"INSERT INTO report_claim_day ({keys}, shard, n) VALUES ({', '.join(':' + k for k in rollups.CLAIM_DAY)}, 15, 1) "
                f"ON CONFLICT ({keys}, shard) DO UPDATE SET n = report_claim_day.n + 1"
            ),
            values,
        )
        session.commit()
        assert sharded() > 0
    assert_rollups_exact(session)
    with session_scope() as s:
        assert rollups.compact(s.connection(), today) == 0  # today's rows stay as written
    assert (sharded() > 0) is postgres
    with session_scope() as s:
        folded = rollups.compact(s.connection(), today + timedelta(days=1))
    assert (folded > 0) is postgres
    assert sharded() == 0
    assert_rollups_exact(session)
