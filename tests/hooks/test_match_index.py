"""The re-stamp when a conflict opens or is resolved finds the undecided items by the works their stored matches
name through `item_match_work`'s index (it searched every item's matches as text with LIKE): the same items are
re-stamped as before, decided ones are left alone, and the plan uses the index on both databases."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select, text

from ipclaims.db import session_scope
from ipclaims.matching import conflicts
from ipclaims.models import ClaimItem, ItemMatchWork
from tests.conftest import Actor
from tests.hooks.test_ownership_conflicts import claim_with_content, match_for, queue, register

MIGRATION = Path(__file__).resolve().parents[2] / "alembic" / "versions" / "2026-12-05_0017_hooks2.py"


def _pairs() -> set[tuple[str, str]]:
    with session_scope(write=False) as s:
        return {(i, w) for i, w in s.execute(select(ItemMatchWork.item_id, ItemMatchWork.work_id))}


def test_only_undecided_items_naming_the_works_are_restamped(
    client: Any, holder: Actor, specialist: Actor, make_account: Callable[..., Actor]
) -> None:
    other = make_account("rights_holder", name="Holder B", email="b@holder-b.example")
    mine = register(client, holder)
    pending, pending_item = claim_with_content(client, holder, mine)
    decided, decided_item = claim_with_content(client, holder, mine)
    assert (pending_item, mine) in _pairs() and (decided_item, mine) in _pairs()
    body = {"outcome": "removed", "reason": "a copy of the registered photograph"}
    r = client.post(f"/api/v1/claims/{decided}/items/{decided_item}/decision", json=body, headers=specialist.headers)
    assert r.status_code == 200, r.text

    theirs = register(client, other)
    [conflict] = queue(client, specialist)
    assert match_for(client, specialist, pending, mine)["verdict"] == "possible"  # re-stamped through the index
    assert match_for(client, specialist, decided, mine)["verdict"] == "match"  # decided: its record stays as decided
    with session_scope(write=False) as s:
        found = [i.id for i in s.scalars(conflicts.undecided_naming([mine, theirs]))]
        assert found == [pending_item]
        assert list(s.scalars(conflicts.undecided_naming(["01NOTAWORK0000000000000000"]))) == []

    body = {"outcome": "winner", "winner_work_id": mine, "reason": "A holds the registration"}
    assert client.post(f"/api/v1/conflicts/{conflict['id']}/resolve", json=body, headers=specialist.headers).status_code == 200
    assert match_for(client, specialist, pending, mine)["verdict"] == "match"


def test_the_migration_fills_the_index_from_the_stored_matches(client: Any, holder: Actor) -> None:
    mine = register(client, holder)
    _, item_id = claim_with_content(client, holder, mine)
    written = _pairs()
    assert (item_id, mine) in written
    with session_scope(write=False) as s:
        stored = s.get(ClaimItem, item_id)
        assert stored is not None
        assert {(item_id, str(m["work_id"])) for m in stored.matches} == {p for p in written if p[0] == item_id}
    spec = importlib.util.spec_from_file_location("migration_0013_hooks2", MIGRATION)
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    with session_scope() as s:
        s.execute(text("DELETE FROM item_match_work"))
        s.execute(text(migration._BACKFILL[s.get_bind().dialect.name]))
    assert _pairs() == written


def test_the_restamp_lookup_uses_the_work_index(client: Any) -> None:
    query = conflicts.undecided_naming(["01AAAAAAAAAAAAAAAAAAAAAAAA", "01BBBBBBBBBBBBBBBBBBBBBBBB"])
    with session_scope(write=False) as s:
        dialect = s.get_bind().dialect
        sql = str(query.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
        if dialect.name == "sqlite":
            plan = " ".join(str(row[-1]) for row in s.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
        else:
            s.execute(text("SET LOCAL enable_seqscan = off"))  # empty tables: ask whether the index can serve it
            plan = " ".join(str(row[0]) for row in s.execute(text(f"EXPLAIN {sql}")))
    assert "ix_item_match_work_work_id_item_id" in plan, plan
