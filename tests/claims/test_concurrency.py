"""Concurrent intake: distinct references, no errors, never "database is locked" (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import IS_PG, Actor, end_pooled_connections
from tests.legal.notices import complete_claim
from tests.races import race


def test_eight_threads_posting_at_once_get_eight_distinct_references(client: Any, make_account: Any) -> None:
    actors: list[Actor] = [make_account("rights_holder") for _ in range(8)]
    results = race(8, lambda i: client.post("/api/v1/claims", json=complete_claim("US_DMCA"), headers=actors[i].headers))
    assert [r.status_code for r in results] == [201] * 8, [r.text for r in results if r.status_code != 201]
    refs = {r.json()["reference"] for r in results}
    assert len(refs) == 8


def test_same_idempotency_key_raced_from_threads_creates_one_claim(client: Any, holder: Actor) -> None:
    results = race(
        6, lambda _i: client.post("/api/v1/claims", json=complete_claim("EU_DSA"), headers={**holder.headers, "Idempotency-Key": "race-1"})
    )
    assert [r.status_code for r in results] == [201] * 6
    assert len({r.json()["id"] for r in results}) == 1
    assert len(client.get("/api/v1/claims", headers=holder.headers).json()["items"]) == 1


@pytest.mark.skipif(not IS_PG, reason="the reference counter has a connection pool of its own on PostgreSQL only")
def test_a_dropped_counter_connection_is_replaced_not_an_error(client: Any, holder: Actor) -> None:
    """The pool the year's base is read on does not ping on checkout (`db.run_reconnecting`): after a server
    restart or an idle timeout killed its pooled connections, the next intakes still get a 201 and distinct
    references."""

    from ipclaims.claims import references as numbering
    from ipclaims.db import autocommit_engine, get_engine

    first = client.post("/api/v1/claims", json=complete_claim("US_DMCA"), headers=holder.headers)
    assert first.status_code == 201, first.text
    counter = autocommit_engine(get_engine(), ping=False)
    end_pooled_connections(counter, 3)  # three in the pool, as after a burst of intakes, ended as by a restart
    assert counter.pool.checkedin() == 3
    references = {first.json()["reference"]}
    for _ in range(4):
        numbering.SEQUENCE.bases.clear()  # as in a process that has not read the year's base yet: the read goes to the pool
        answer = client.post("/api/v1/claims", json=complete_claim("US_DMCA"), headers=holder.headers)
        assert answer.status_code == 201, answer.text
        references.add(answer.json()["reference"])
    assert len(references) == 5
