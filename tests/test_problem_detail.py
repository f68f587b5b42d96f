"""One summary line for a 422's `detail`, whether FastAPI (query, path) or `http.json_body` (body) found the errors."""

from __future__ import annotations

from typing import Any

from ipclaims.errors import summary
from tests.conftest import Actor


def test_summary_names_the_first_error_and_counts_the_rest() -> None:
    errors = [{"loc": ["body", "items", 0, "url"], "msg": "field required"}, {"loc": ["body", "kind"], "msg": "x"}]
    assert summary(errors) == "body.items.0.url: field required (and 1 more)"
    assert summary(errors[:1]) == "body.items.0.url: field required"
    assert summary([{"loc": [], "msg": "not an object"}]) == "body: not an object"
    assert summary([]) == "invalid request" and summary([], otherwise="invalid request body") == "invalid request body"


def test_body_and_query_errors_read_the_same(client: Any, holder: Actor) -> None:
    body = client.post("/api/v1/works", json={"title": 7, "kind": "patent"}, headers=holder.headers).json()
    assert body["detail"] == f"body.title: {body['errors'][0]['msg']} (and 1 more)"
    query = client.get("/api/v1/works", params={"limit": "many"}, headers=holder.headers).json()
    assert query["detail"] == f"query.limit: {query['errors'][0]['msg']}"
