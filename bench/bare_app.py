"""The baseline bench/intake.py measures ipclaims against: the least a FastAPI app can do with a claim.

`POST /api/v1/claims` parses the body as a JSON object (FastAPI's own body parsing; malformed JSON is its 422),
inserts it as one JSON row into its own table `bench_bare_claim` (a ULID, the receipt time and the body) in one
transaction committed before the response, and answers 201 with the row echoed back. No authentication, no
validation of the notice, no completeness rows, no reference number, no audit event, no idempotency: everything
ipclaims adds on top is what the ratio measures.

The database side is deliberately ipclaims' own: the route takes `ipclaims.db.DbSession`, so the driver
(sqlite3 / psycopg 3), the pool, the SQLite pragmas (WAL, busy timeout, synchronous=NORMAL), the transaction mode
(BEGIN IMMEDIATE for writes, queued per process) and the commit before the response are the same code, not copies
that could drift. The insert is a Core statement executed on that session (no ORM unit of work). The route is a
plain `def`, run in the threadpool, as ipclaims' routes are. bench/intake.py creates the table (`create_schema`) and serves this module
with the same uvicorn settings as `ipclaims serve`:

    IPCLAIMS_DATABASE_URL=... python -m uvicorn --app-dir bench --factory bare_app:create_app --workers N ...
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import Body, FastAPI
from sqlalchemy import Column, DateTime, MetaData, String, Table, insert, text

from ipclaims.db import DbSession, get_engine
from ipclaims.models import new_id, utcnow
from ipclaims.models.base import JSONType

METADATA = MetaData()
BARE_CLAIM = Table(
    "bench_bare_claim",
    METADATA,
    Column("id", String(26), primary_key=True),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("body", JSONType, nullable=False),
)


def create_schema(url: str) -> None:
    engine = get_engine(url)
    METADATA.create_all(engine)


def create_app() -> FastAPI:
    app = FastAPI(title="bare intake baseline", docs_url=None, redoc_url=None, openapi_url=None)

    @app.post("/api/v1/claims", status_code=201)
    def submit(session: DbSession, body: dict[str, Any] = Body(...)) -> dict[str, Any]:
        row_id, now = new_id(), utcnow()
        dialect = session.get_bind().dialect.name
        session.execute(insert(BARE_CLAIM).values(id=row_id, received_at=_naive_on_sqlite(dialect, now), body=body))
        return {"id": row_id, "received_at": now.isoformat(), **body}

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        with get_engine().connect() as conn:
            conn.execute(text("SELECT 1"))
        return {"status": "ok"}

    return app


def _naive_on_sqlite(dialect: str, value: datetime) -> datetime:
    # SQLite's DateTime refuses nothing but stores no offset; store UTC as ipclaims' UTCDateTime does.
    return value.replace(tzinfo=None) if dialect == "sqlite" else value
