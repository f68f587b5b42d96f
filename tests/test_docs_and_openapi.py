"""/docs works without internet (Swagger UI from the installed package) and the OpenAPI lists the problem responses
every API route may answer with (issue 16, "Also")."""

from __future__ import annotations

import re

from ipclaims.http import Problem

PROBLEM_STATUSES = {"400", "401", "403", "404", "409", "413", "415", "422"}


def test_docs_page_loads_everything_from_this_server(client):
    page = client.get("/docs")
    assert page.status_code == 200
    assert "://" not in page.text  # no CDN, no external favicon
    urls = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page.text)
    assert {"/docs/assets/swagger-ui-bundle.js", "/docs/assets/swagger-ui.css"} <= set(urls)
    for url in urls:
        asset = client.get(url)
        assert asset.status_code == 200 and len(asset.content) > 0, url
    assert client.get("/docs/assets/swagger-ui-bundle.js").headers["content-type"].startswith(("application/javascript", "text/javascript"))
    assert "url: '/api/v1/openapi.json'" in page.text


def test_docs_are_not_served_in_production_unless_asked(set_env, env):
    from fastapi.testclient import TestClient

    from ipclaims.main import create_app

    set_env(IPCLAIMS_ENV="production", IPCLAIMS_SECRET_KEY="x" * 40)
    with TestClient(create_app()) as hidden:
        assert hidden.get("/docs").status_code == 404
        assert hidden.get("/docs/assets/swagger-ui.css").status_code == 404
        assert hidden.get("/api/v1/openapi.json").status_code == 200
    set_env(IPCLAIMS_ENV="production", IPCLAIMS_SECRET_KEY="x" * 40, IPCLAIMS_PUBLIC_DOCS="true")
    with TestClient(create_app()) as shown:
        assert shown.get("/docs").status_code == 200
        assert shown.get("/docs/assets/swagger-ui.css").status_code == 200


def test_every_api_operation_lists_the_problem_responses(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["components"]["schemas"]["Problem"]["required"] == ["type", "title", "status", "detail"]
    operations = [(path, method, op) for path, ops in spec["paths"].items() if path.startswith("/api/v1/") for method, op in ops.items()]
    assert len(operations) > 20
    for path, method, op in operations:
        listed = {
            status
            for status, response in op["responses"].items()
            if response.get("content", {}).get("application/problem+json", {}).get("schema") == {"$ref": "#/components/schemas/Problem"}
        }
        assert listed >= PROBLEM_STATUSES, (method, path, sorted(op["responses"]))
        assert "application/json" not in op["responses"]["422"].get("content", {}), (method, path)


def test_a_real_refusal_matches_the_documented_problem(client, holder):
    response = client.post("/api/v1/claims", headers=holder.headers, json={"kind": 3})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    Problem.model_validate(response.json())
    unauthenticated = client.get("/api/v1/claims")
    assert unauthenticated.status_code == 401
    Problem.model_validate(unauthenticated.json())
