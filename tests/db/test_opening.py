"""`db.opening`: on PostgreSQL a write unit's first query goes with its BEGIN, as the pooled connection's check."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from ipclaims import db
from tests.conftest import IS_PG, end_pooled_connections


def test_what_an_opening_returned_is_read_once_and_only_for_its_own_query() -> None:
    assert db.opened("SELECT 1") is None  # no unit is running
    opening = db.Opening("SELECT 1")
    token = db._OPENING.set(opening)
    try:
        assert db.opened("SELECT 1") is None  # not sent (SQLite, or the checkout did not send it)
        opening.value, opening.sent = "1", True
        assert db.opened("SELECT 2") is None  # another query's
        assert db.opened("SELECT 1") == "1"
        assert db.opened("SELECT 1") is None  # once
    finally:
        db._OPENING.reset(token)


@pytest.mark.skipif(not IS_PG, reason="the PostgreSQL pool's checkout check")
def test_dead_pooled_connections_are_replaced_for_intake_and_reads(client: Any, holder: Any) -> None:
    """The request pool checks a connection on checkout: with a ping, or, for intake, with the BEGIN that draws its
    reference number (`db.Opening`). After the server ended every pooled connection, both still answer."""
    from tests.legal.notices import complete_claim

    first = client.post("/api/v1/claims", json=complete_claim("US_DMCA"), headers=holder.headers)
    assert first.status_code == 201, first.text
    references = {first.json()["reference"]}
    for _ in range(2):
        end_pooled_connections(db.get_engine(), 3)
        answer = client.post("/api/v1/claims", json=complete_claim("US_DMCA"), headers=holder.headers)
        assert answer.status_code == 201, answer.text
        references.add(answer.json()["reference"])
        end_pooled_connections(db.get_engine(), 3)
        listed = client.get("/api/v1/claims", headers=holder.headers)
        assert listed.status_code == 200, listed.text
    assert len(references) == 3
    assert len(listed.json()["items"]) == 3


@pytest.mark.skipif(not IS_PG, reason="the PostgreSQL pool's checkout check")
def test_an_opening_that_fails_leaves_the_connection_usable(env: dict[str, str]) -> None:
    from sqlalchemy.exc import ProgrammingError

    engine = db.get_engine()
    token = db._OPENING.set(db.Opening("SELECT no_such_function()"))
    try:
        with pytest.raises(ProgrammingError, match="no_such_function"):  # the error's own class: not a "retry" 503
            engine.connect()
    finally:
        db._OPENING.reset(token)
    token = db._OPENING.set(db.Opening("SELECT 41 + 1"))
    try:
        with engine.connect() as conn:
            assert db.opened("SELECT 41 + 1") == "42"
            assert db.opened("SELECT 41 + 1") is None  # once
            assert conn.execute(text("SELECT count(*) FROM account")).scalar_one() >= 0
            conn.rollback()
    finally:
        db._OPENING.reset(token)
    with engine.connect() as conn:  # no opening: a plain checkout, in no transaction until a statement
        assert conn.execute(text("SELECT 1")).scalar_one() == 1


@pytest.mark.skipif(not IS_PG, reason="the PostgreSQL pool's checkout check")
def test_the_opening_is_the_units_first_statement_in_its_transaction(env: dict[str, str]) -> None:
    """BEGIN went with the query: the query ran inside the transaction the unit then uses (one snapshot)."""
    engine = db.get_engine()
    token = db._OPENING.set(db.Opening("SELECT txid_current()::text"))
    try:
        with engine.connect() as conn:
            began = db.opened("SELECT txid_current()::text")
            assert began is not None
            assert conn.execute(text("SELECT txid_current()::text")).scalar_one() == began
            conn.rollback()
    finally:
        db._OPENING.reset(token)
