"""The staff pages read a bounded number of SQL statements, whatever the number of claims on the queue or of items,
notes and events on a claim: no query per row (an N+1 would make `/queue` and the review page slow at scale, as
bench/pages.py measures). Counted with a SQLAlchemy `before_cursor_execute` listener on the app's engine."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event

from ipclaims.db import get_engine
from tests.legal.notices import complete_claim
from tests.web.conftest import WebUser

# Ceilings with a little room: a page reading a few statements more than today is fine, one per row is not.
QUEUE_MAX = 6
CLAIM_PAGE_MAX = 16


@contextmanager
def counted() -> Iterator[list[str]]:
    seen: list[str] = []

    def note(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    engine = get_engine()
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def statements(client: TestClient, path: str) -> int:
    client.get(path)  # warm: caches and the session's first reads aside
    with counted() as seen:
        r = client.get(path)
    assert r.status_code == 200, (path, r.text[:300])
    return len(seen)


def file_claim(client: TestClient, holder: WebUser, items: int) -> dict[str, Any]:
    body = complete_claim("US_DMCA")
    body["items"] = [{"url": f"https://platform.example/p/{holder.email}/{n}", "work": 0} for n in range(items)]
    r = client.post("/api/v1/claims", json=body, headers=holder.headers)
    assert r.status_code == 201, r.text
    return dict(r.json())


def test_queue_and_claim_page_statements_do_not_grow_with_rows(
    client: TestClient, make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]
) -> None:
    specialist = make_web_user("specialist", name="Sam Specialist")
    page = signed_in(specialist)
    holders = [make_web_user("rights_holder", name=f"Holder {n}") for n in range(6)]
    small = file_claim(client, holders[0], 1)
    few = statements(page, "/queue")
    big = file_claim(client, holders[1], 8)
    for holder in holders[2:]:
        file_claim(client, holder, 2)
    for n in range(4):
        r = client.post(f"/api/v1/claims/{big['id']}/notes", json={"body": f"note {n}"}, headers=specialist.headers)
        assert r.status_code == 201, r.text
    many = statements(page, "/queue")
    assert few == many <= QUEUE_MAX, (few, many)

    one = statements(page, f"/claims/{small['id']}")
    eight = statements(page, f"/claims/{big['id']}")
    assert one == eight <= CLAIM_PAGE_MAX, (one, eight)
