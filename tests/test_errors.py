"""The busy answer: a database that stayed locked past the busy timeout (or a lost server) is load, not a bug."""

from __future__ import annotations

import sqlite3

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError

from ipclaims.errors import install_handlers


def test_a_database_that_stays_busy_is_a_503_to_retry() -> None:
    app = FastAPI()
    install_handlers(app)

    @app.get("/locked")
    def locked() -> None:
        raise OperationalError("BEGIN IMMEDIATE", None, sqlite3.OperationalError("database is locked"))

    with TestClient(app, raise_server_exceptions=False) as client:
        answer = client.get("/locked")
    assert answer.status_code == 503
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["retry-after"] == "1"
    assert answer.content == (
        b'{"type":"/problems/busy","title":"Service busy, retry shortly","status":503,"detail":"the database is busy; retry the request"}'
    )
