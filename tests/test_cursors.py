"""Every list's cursor goes through one codec (`ipclaims.paging`): anything this API did not issue is a 422
problem+json naming the cursor, on SQLite and PostgreSQL alike — never a 500 from a driver that cannot bind it.

Once a 500: an events cursor `[2^70]` on SQLite and `[2^63]` on PostgreSQL (issue 16, defect 6).
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from ipclaims.errors import Unprocessable
from ipclaims.paging import decode_cursor, encode_cursor
from tests.claims.test_refusals import assert_problem, forged
from tests.conftest import Actor
from tests.review.flows import submit

TOO_BIG = [2**63, 2**70, -(2**63) - 1]
NOT_TEXT = ["a\u0000b", "\ud800"]  # PostgreSQL refuses NUL; no driver encodes a lone surrogate
NOT_JSON = [
    "%%%",
    "garbage!",
    base64.urlsafe_b64encode(b"\xff\xfe").decode(),
    base64.urlsafe_b64encode(b"[1,").decode(),
    base64.urlsafe_b64encode(b"[" * 5000).decode(),
]
AWARE = "2026-01-01T00:00:00+00:00"

# Per list: what its cursor holds, and cursors of the right shape whose values are wrong.
LISTS: dict[str, list[Any]] = {
    "claims": [[None], [7], [True], [["x"]], [{"x": 1}], ["a", "b"], [], *[[t] for t in NOT_TEXT], *[[n] for n in TOO_BIG]],
    "events": [["x"], [None], [True], [1.5], [1e400], [1, 2], *[[n] for n in TOO_BIG]],
    "queue": [
        ["a", None, "b"],
        [True, None, "x"],
        [1, "not a time", "x"],
        [1, "2026-01-01T00:00:00", "x"],
        [1, "0001-01-01T00:00:00+01:00", "x"],
        [1, None],
        [1, AWARE, 7],
        [1, AWARE, "a\u0000"],
        *[[n, None, "x"] for n in [*TOO_BIG, 2**31, -(2**31) - 1]],
        *[[n, AWARE, "x"] for n in TOO_BIG],
    ],
    "works": [[7], [None], [False], ["a", "b"], *[[t] for t in NOT_TEXT], *[[n] for n in TOO_BIG]],
}
# The largest values a cursor may carry (the queue's priority is a 32-bit INTEGER on PostgreSQL, an event id a
# 64-bit one): a page after them is an empty 200, not an error.
EDGES: dict[str, list[Any]] = {"claims": ["\uffff"], "events": [2**63 - 1], "queue": [-(2**31), None, "x"], "works": ["\U0010ffff"]}


def _path(client: Any, holder: Actor, which: str) -> str:
    if which == "events":
        return f"/api/v1/claims/{submit(client, holder, 'EU_DSA')['id']}/events"
    return f"/api/v1/{which}"


def _cases() -> list[Any]:
    out = [
        pytest.param(which, forged(*values), id=f"{which}-{json.dumps(values)[:40]}") for which, cases in LISTS.items() for values in cases
    ]
    out += [pytest.param(which, raw, id=f"{which}-not-json-{i}") for which in LISTS for i, raw in enumerate(NOT_JSON)]
    return out


@pytest.mark.parametrize(("which", "cursor"), _cases())
def test_a_cursor_this_api_did_not_issue_is_422(client: Any, holder: Actor, specialist: Actor, which: str, cursor: str) -> None:
    path = _path(client, holder, which)
    actor = specialist if which == "queue" else holder
    body = assert_problem(client.get(path, params={"cursor": cursor}, headers=actor.headers), 422)
    assert body["errors"] == [{"loc": ["query", "cursor"], "msg": "invalid cursor"}]


@pytest.mark.parametrize("which", list(EDGES))
def test_a_cursor_at_the_edge_of_the_range_is_an_empty_page(client: Any, holder: Actor, specialist: Actor, which: str) -> None:
    path = _path(client, holder, which)
    actor = specialist if which == "queue" else holder
    r = client.get(path, params={"cursor": forged(*EDGES[which])}, headers=actor.headers)
    assert r.status_code == 200, r.text
    assert r.json() == {"items": [], "next_cursor": None}


def test_issued_cursors_page_every_list(client: Any, holder: Actor, specialist: Actor) -> None:
    for i in range(3):
        submit(client, holder, "EU_DSA")
        client.post("/api/v1/works", json={"title": f"work {i}"}, headers=holder.headers)
    claim = submit(client, holder, "EU_DSA")
    for path in ("/api/v1/claims", "/api/v1/queue", "/api/v1/works", f"/api/v1/claims/{claim['id']}/events"):
        actor = specialist if path.endswith("queue") else holder
        seen, cursor = [], None
        while True:
            page = client.get(path, params={"limit": 1, **({"cursor": cursor} if cursor else {})}, headers=actor.headers)
            assert page.status_code == 200, (path, page.text)
            seen += [row["id"] for row in page.json()["items"]]
            cursor = page.json()["next_cursor"]
            if cursor is None:
                break
        everything = client.get(path, params={"limit": 200}, headers=actor.headers).json()["items"]
        assert seen == [row["id"] for row in everything] and len(seen) >= 1, path


def test_the_codec_round_trips_what_it_issues() -> None:
    from datetime import UTC, datetime

    due = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    cursor = encode_cursor(2**63 - 1, due, "01ABC", None)
    assert "=" not in cursor
    assert decode_cursor(cursor, (int, datetime, str, (str, type(None)))) == [2**63 - 1, due, "01ABC", None]
    with pytest.raises(Unprocessable):
        decode_cursor(cursor, (int, datetime, str))  # wrong arity
    with pytest.raises(Unprocessable):
        decode_cursor(encode_cursor(2**63), (int,))
