"""`idempotency.run_with_record`: the one hook every idempotent route goes through. A route's action writes the key's
record in its own transaction — claimed before its work (`run`), or with its answer as the first statement of
its work (intake on PostgreSQL) — and the record answers a retry the same either way."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import insert, select, text

from ipclaims import idempotency
from ipclaims.db import Prepared, send_together
from ipclaims.models import Account, IdempotencyRecord, OutboxMessage, Role, new_id, utcnow
from ipclaims.notifications.outbox import INSERT

_TABLE = OutboxMessage.__table__


class _Request:
    method = "POST"

    def __init__(self, key: str | None) -> None:
        self.headers = {"idempotency-key": key} if key is not None else {}
        self.url = type("U", (), {"path": "/api/v1/things"})()
        self.scope = {"path": "/api/v1/things"}  # what `idempotency.fingerprint` reads the path from


def _account(session: Any) -> Account:
    account = Account(id=new_id(), name="n", role=Role.RIGHTS_HOLDER, email=None, trusted_flagger=False, active=True, created_at=utcnow())
    session.execute(
        insert(Account.__table__).values(
            id=account.id, name="n", role="rights_holder", email=None, trusted_flagger=False, active=True, created_at=utcnow()
        )
    )
    return account


def _row(key: str) -> dict[str, Any]:
    at = utcnow()
    return {
        "id": new_id(),
        "dedupe_key": key,
        "claim_id": None,
        "kind": "acknowledgment",
        "to_addr": "a@b.example",
        "subject": "s",
        "body": "b",
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": at,
        "lease_until": None,
        "sent_at": None,
        "last_error": None,
        "created_at": at,
    }


WORK = Prepared(insert(_TABLE).returning(_TABLE.c.id), list(_row("columns")))  # type: ignore[attr-defined]


@pytest.mark.parametrize("mode", ["claimed first", "with its answer"])
def test_the_record_answers_a_retry_however_the_action_wrote_it(session: Any, mode: str) -> None:
    account = _account(session)
    calls: list[str] = []

    def action(record: idempotency.KeyRecord | None) -> bytes:
        assert record is not None
        calls.append(mode)
        if mode == "claimed first":
            record.claim(session)
            INSERT.run(session.connection(), _row(f"k-{len(calls)}"))
            return b'{"n":1}'
        guard = record.with_answer(b'{"n":1}')
        cursor = send_together(session.connection(), [guard, (WORK, _row(f"k-{len(calls)}"))], returning=1, guarded=True)
        written = cursor.fetchone()
        cursor.close()
        if written is None:
            raise idempotency.KeyTaken
        return b'{"n":1}'

    first = idempotency.run_with_record(session, _Request("same"), account, b"{}", 201, action)  # type: ignore[arg-type]
    assert first.status_code == 201 and first.body == b'{"n":1}'
    again = idempotency.run_with_record(session, _Request("same"), account, b"{}", 201, action)  # type: ignore[arg-type]
    assert again.headers["idempotency-replayed"] == "true" and again.body == b'{"n":1}'
    assert calls == [mode, mode]
    records = session.scalars(select(IdempotencyRecord).where(IdempotencyRecord.account_id == account.id)).all()
    assert [(r.status_code, r.response_body) for r in records] == [(201, '{"n":1}')]
    # The work of the retry was not written: its record came first and found the key taken.
    assert session.scalar(text("SELECT count(*) FROM outbox_message")) == 1
    assert session.scalar(select(OutboxMessage.dedupe_key)) == "k-1"
    session.rollback()


def test_an_action_that_writes_no_record_is_an_error(session: Any) -> None:
    account = _account(session)
    with pytest.raises(RuntimeError, match="must write the key's record"):
        idempotency.run_with_record(session, _Request("k"), account, b"{}", 201, lambda _record: b"{}")  # type: ignore[arg-type]
    session.rollback()


def test_without_a_key_there_is_no_record(session: Any) -> None:
    seen: list[object] = []
    response = idempotency.run_with_record(
        session,
        _Request(None),
        _account(session),
        b"{}",
        201,  # type: ignore[arg-type]
        lambda record: seen.append(record) or b"{}",
    )
    assert seen == [None] and response.status_code == 201
    session.rollback()
