"""Intake's route calls its dependencies by hand (`claims.api._Resolved`): the same ones, in the same order and with
the same refusals as FastAPI's resolution of its declared signature, which still makes the OpenAPI operation."""

from __future__ import annotations

from typing import Any

from fastapi.routing import APIRoute

from ipclaims.auth.deps import current_account
from ipclaims.claims import api
from ipclaims.db import get_transaction
from tests.conftest import Actor
from tests.legal.notices import complete_claim


def _intake_route(app: Any) -> APIRoute:
    routes = [r for r in api.router.routes if isinstance(r, APIRoute) and r.path == "/api/v1/claims" and "POST" in r.methods]
    assert len(routes) == 1
    return routes[0]


def test_the_declared_dependencies_are_the_ones_called(app: Any) -> None:
    route = _intake_route(app)
    assert isinstance(route, api._Resolved)
    calls = [d.call for d in route.dependant.dependencies]
    # `_submit` calls current_account, then the ClaimIn body, then the transaction: the declared order.
    assert calls[0] is current_account
    assert getattr(calls[1], "__qualname__", "").startswith("json_body.")
    assert calls[2] is get_transaction
    assert len(calls) == 3
    assert [p.name for p in route.dependant.query_params + route.dependant.header_params + route.dependant.body_params] == []


def test_refusals_come_in_the_declared_order(client: Any, holder: Actor) -> None:
    # No key, a body of the wrong media type: the key is checked first.
    r = client.post("/api/v1/claims", content=b"x", headers={"content-type": "text/plain"})
    assert r.status_code == 401 and r.headers["content-type"] == "application/problem+json"
    assert r.headers["www-authenticate"] == "Bearer"
    r = client.post("/api/v1/claims", content=b"x", headers={**holder.headers, "content-type": "text/plain"})
    assert r.status_code == 415 and r.headers["content-type"] == "application/problem+json"
    r = client.post("/api/v1/claims", content=b"{", headers={**holder.headers, "content-type": "application/json"})
    assert r.status_code == 422 and r.json()["errors"]
    r = client.post("/api/v1/claims", json=complete_claim("US_DMCA"), headers=holder.headers)
    assert r.status_code == 201 and r.json()["status"] == "in_review"
