"""Claim references, IPC-YYYY-NNNNNN: numbered from 1 in each year, never repeated, carried across migration 0007
(the PostgreSQL counter became a sequence, `claims.references`)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import IS_PG, Actor
from tests.legal.notices import complete_claim


def draw(url: str, year: int, n: int = 1) -> list[str]:
    """`n` references for `year`, each in a committed transaction of its own, as intake draws them."""
    from ipclaims.claims.references import next_reference
    from ipclaims.db import session_factory

    out = []
    for _ in range(n):
        with session_factory(write=True, url=url)() as session:
            out.append(next_reference(session, year))
            session.commit()
    return out


def test_a_years_claims_are_numbered_from_one_in_order(client: Any, holder: Actor) -> None:
    refs = []
    for _ in range(3):
        r = client.post("/api/v1/claims", json=complete_claim("US_DMCA"), headers=holder.headers)
        assert r.status_code == 201, r.text
        refs.append(r.json()["reference"])
    year = refs[0][4:8]
    assert refs == [f"IPC-{year}-{n:06d}" for n in (1, 2, 3)]


def test_each_year_starts_at_one_and_the_others_carry_on(env: dict[str, str]) -> None:
    url = env["IPCLAIMS_DATABASE_URL"]
    assert draw(url, 2026, 2) == ["IPC-2026-000001", "IPC-2026-000002"]
    assert draw(url, 2027, 2) == ["IPC-2027-000001", "IPC-2027-000002"]
    # A late 2026 claim (a clock behind) reuses no number. On PostgreSQL the years share one sequence, so numbers
    # drawn for 2027 meanwhile are a gap in 2026 (and the other way round).
    late, later = draw(url, 2026)[0], draw(url, 2027)[0]
    assert late > "IPC-2026-000002" and later > "IPC-2027-000002"
    if not IS_PG:
        assert (late, later) == ("IPC-2026-000003", "IPC-2027-000003")


def test_a_process_arriving_later_continues_the_year(env: dict[str, str]) -> None:
    """Another worker process reads the year's base for itself; it must continue the year, not restart it."""
    from ipclaims.claims import references

    url = env["IPCLAIMS_DATABASE_URL"]
    assert draw(url, 2026, 2) == ["IPC-2026-000001", "IPC-2026-000002"]
    references.SEQUENCE.bases.clear()
    assert draw(url, 2026) == ["IPC-2026-000003"]


def test_a_process_starting_later_numbers_on_without_a_gap(client: Any, holder: Actor) -> None:
    """Through the API, where PostgreSQL draws the number with BEGIN before the process has read the year's base:
    a number drawn above an existing base is used, not thrown away."""
    from ipclaims.claims import references

    refs = []
    for _ in range(4):
        references.SEQUENCE.bases.clear()  # each intake as the first of a newly started process
        r = client.post("/api/v1/claims", json=complete_claim("US_DMCA"), headers=holder.headers)
        assert r.status_code == 201, r.text
        refs.append(int(r.json()["reference"][-6:]))
    assert refs == [1, 2, 3, 4]


@pytest.mark.skipif(not IS_PG, reason="SQLite numbers in the intake's transaction: a rolled-back number is reused")
def test_a_rolled_back_intake_leaves_a_gap_not_a_duplicate(env: dict[str, str]) -> None:
    from ipclaims.claims.references import next_reference
    from ipclaims.db import session_factory

    url = env["IPCLAIMS_DATABASE_URL"]
    assert draw(url, 2026) == ["IPC-2026-000001"]
    with session_factory(write=True, url=url)() as session:
        assert next_reference(session, 2026) == "IPC-2026-000002"
        session.rollback()
    assert draw(url, 2026) == ["IPC-2026-000003"]


def test_migration_0007_carries_each_years_count_over_and_back(scratch_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from ipclaims import config, db
    from ipclaims.migrations import downgrade, upgrade

    monkeypatch.setenv("IPCLAIMS_DATABASE_URL", scratch_url)
    config.get_settings.cache_clear()
    upgrade(scratch_url, "0006")
    engine = create_engine(scratch_url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO claim_reference_counter (year, last_value) VALUES (2025, 7), (2026, 41)"))
    try:
        upgrade(scratch_url)
        assert draw(scratch_url, 2026, 2) == ["IPC-2026-000042", "IPC-2026-000043"]
        assert draw(scratch_url, 2025)[0] >= "IPC-2025-000008"  # the years share one sequence: maybe a gap
        assert draw(scratch_url, 2027) == ["IPC-2027-000001"]
        db.dispose_engines()
        downgrade(scratch_url, "0006")
        with engine.connect() as conn:
            counts = dict(conn.execute(text("SELECT year, last_value FROM claim_reference_counter")).all())
        # Back on the counter, each year resumes above every number it gave (on PostgreSQL, possibly after a gap).
        assert counts[2026] >= 43 and counts[2025] >= 8 and counts[2027] >= 1
        upgrade(scratch_url)
        assert int(draw(scratch_url, 2026)[0][-6:]) > 43
    finally:
        db.dispose_engines()
        engine.dispose()
        config.get_settings.cache_clear()


@pytest.mark.skipif(not IS_PG, reason="PostgreSQL draws the number with BEGIN (db.Opening)")
def test_a_number_drawn_before_the_years_base_is_not_used(client: Any, holder: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    """Intake draws its number with BEGIN, before it knows the year's base. For a year this process has no base
    for yet, other processes may draw numbers and set the base meanwhile; the early number would then fall at or
    below the base, so a new one is drawn."""
    from datetime import UTC, datetime

    from ipclaims.claims import intake, references

    monkeypatch.setattr(intake, "utcnow", lambda: datetime(2031, 1, 1, 0, 0, 1, tzinfo=UTC))
    real = references.run_reconnecting

    def others_first(engine: Any, fn: Any) -> Any:
        with engine.connect() as conn:  # other processes' intakes, numbered between our BEGIN and our base
            for _ in range(5):
                conn.execute(text(references.DRAWN_WITH_BEGIN))
        return real(engine, fn)

    monkeypatch.setattr(references, "run_reconnecting", others_first)
    first = client.post("/api/v1/claims", json=complete_claim("US_DMCA"), headers=holder.headers)
    assert first.status_code == 201, first.text
    assert first.json()["reference"] == "IPC-2031-000001"
    second = client.post("/api/v1/claims", json=complete_claim("US_DMCA"), headers=holder.headers)
    assert second.json()["reference"] == "IPC-2031-000002"  # drawn with BEGIN, the base known by then


def test_each_database_has_its_numbering(env: dict[str, str]) -> None:
    """SQLite bumps the year's counter row in the intake's transaction; PostgreSQL subtracts the year's base from one
    sequence. Each numbers a year from 1, consecutively when nothing else draws."""
    from ipclaims.claims import references
    from ipclaims.db import session_factory

    url = env["IPCLAIMS_DATABASE_URL"]
    with session_factory(write=True, url=url)() as session:
        numbering = references.numbering(session)
        assert numbering is (references.SEQUENCE if IS_PG else references.COUNTER)
        assert [numbering.next_reference(session, 2030) for _ in range(3)] == ["IPC-2030-000001", "IPC-2030-000002", "IPC-2030-000003"]
        session.commit()
    if IS_PG:  # the base is read once per process and year, from a connection of its own
        assert any(year == 2030 for _, year in references.SEQUENCE.bases)
