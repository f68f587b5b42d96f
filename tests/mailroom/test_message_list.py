"""`GET /api/v1/notices/messages` pages as every list does (CONTRACT.md "Lists are {items, next_cursor}";
`ipclaims.paging`): newest first, a `next_cursor` while older messages remain, the same order under equal times,
and a cursor this API did not issue is a 422 problem+json. On SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from ipclaims.db import session_scope
from ipclaims.mailroom.inbox import store
from ipclaims.models import SourceMessage, SourceStatus
from tests.claims.test_refusals import assert_problem, forged
from tests.conftest import Actor

MESSAGES = "/api/v1/notices/messages"
ENVELOPE = {"mail_from": "relay@mail.example", "rcpt_tos": ["agent@platform.example"], "peer": "127.0.0.1"}


def _stored(n: int, *, tied: bool = False) -> list[str]:
    """`n` inbox messages; `tied`: every one stored at the same instant (ids alone then order them)."""
    ids = [store(f"From: s{i}@sender.example\nSubject: message {i}\n\nbody {i}\n".encode(), ENVELOPE) for i in range(n)]
    base = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    with session_scope() as s:
        for i, message_id in enumerate(ids):
            at = base if tied else base + timedelta(minutes=i)
            s.execute(update(SourceMessage).where(SourceMessage.id == message_id).values(created_at=at))
    return ids


def _walk(client: TestClient, actor: Actor, **params: Any) -> tuple[list[str], int]:
    """Every page from the first, following `next_cursor`: the ids in order and the number of pages."""
    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        r = client.get(MESSAGES, headers=actor.headers, params={**params, **({"cursor": cursor} if cursor else {})})
        assert r.status_code == 200, r.text
        body = r.json()
        pages += 1
        seen += [m["id"] for m in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            return seen, pages
        assert isinstance(cursor, str) and body["items"], body
        assert pages < 50


def test_a_page_of_two_leads_to_every_older_message_newest_first(client: TestClient, specialist: Actor) -> None:
    ids = _stored(7)
    first = client.get(MESSAGES, headers=specialist.headers, params={"limit": 2}).json()
    assert [m["id"] for m in first["items"]] == [ids[6], ids[5]]
    assert first["next_cursor"] is not None
    seen, pages = _walk(client, specialist, limit=2)
    assert seen == list(reversed(ids)) and pages == 4
    # A page exactly as long as what is left says there is no more.
    seen, pages = _walk(client, specialist, limit=7)
    assert seen == list(reversed(ids)) and pages == 1


def test_messages_stored_at_the_same_instant_page_in_one_stable_order(client: TestClient, specialist: Actor) -> None:
    ids = _stored(6, tied=True)
    whole = [m["id"] for m in client.get(MESSAGES, headers=specialist.headers, params={"limit": 50}).json()["items"]]
    assert whole == sorted(ids, reverse=True)
    for limit in (1, 2, 4):
        seen, _ = _walk(client, specialist, limit=limit)
        assert seen == whole, limit


def test_the_status_filter_holds_on_every_page(client: TestClient, specialist: Actor) -> None:
    ids = _stored(6)
    failed = ids[1::2]
    with session_scope() as s:
        s.execute(update(SourceMessage).where(SourceMessage.id.in_(failed)).values(status=SourceStatus.FAILED, error="unreadable"))
    seen, pages = _walk(client, specialist, limit=2, status="failed")
    assert seen == list(reversed(failed)) and pages == 2
    seen, _ = _walk(client, specialist, limit=2, status="received")
    assert seen == list(reversed(ids[0::2]))


@pytest.mark.parametrize(
    "cursor",
    ["garbage", "%%%", forged("2026-11-02T09:00:00+00:00"), forged("not a time", "x"), forged("2026-11-02T09:00:00", "x"), forged(1, 2)],
)
def test_a_cursor_this_api_did_not_issue_is_422(client: TestClient, specialist: Actor, cursor: str) -> None:
    _stored(3)
    body = assert_problem(client.get(MESSAGES, headers=specialist.headers, params={"cursor": cursor, "limit": 1}), 422)
    assert body["errors"] == [{"loc": ["query", "cursor"], "msg": "invalid cursor"}]


def test_a_blank_cursor_is_the_first_page(client: TestClient, specialist: Actor) -> None:
    ids = _stored(3)
    r = client.get(MESSAGES, headers=specialist.headers, params={"cursor": "", "limit": 2})
    assert r.status_code == 200, r.text
    assert [m["id"] for m in r.json()["items"]] == [ids[2], ids[1]]
