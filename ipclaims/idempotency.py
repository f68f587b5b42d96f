"""`Idempotency-Key` on POST: the same key and body from the same account returns the first response.

Honoured on every POST that changes state (claims, transitions, decisions, notes, counter-notices, complaints,
closures). Not on account and key creation: the record would keep the one-time API key in clear text.

Follows draft-ietf-httpapi-idempotency-key-header: the same key with a different body is 422. The record is
claimed (inserted) before the work runs, in the request's own transaction, so a concurrent duplicate on
PostgreSQL waits on the unique index and then replays the committed answer instead of doing the work twice; on
SQLite writers are already serialised by BEGIN IMMEDIATE.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ipclaims.errors import Unprocessable
from ipclaims.models import Account, IdempotencyRecord, utcnow

RETENTION = timedelta(hours=24)
MAX_KEY_LENGTH = 255


def fingerprint(request: Request, body: bytes) -> str:
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    except ValueError:
        canonical = body
    digest = hashlib.sha256(f"{request.method} {request.url.path}\n".encode())
    digest.update(canonical)
    return digest.hexdigest()


def _replay(record: IdempotencyRecord, request_hash: str) -> JSONResponse:
    if record.request_hash != request_hash:
        raise Unprocessable("this Idempotency-Key was already used with a different request; use a new key")
    return JSONResponse(json.loads(record.response_body), status_code=record.status_code,
                        headers={"Idempotency-Replayed": "true"})


def run(session: Session, request: Request, account: Account, body: bytes, status_code: int,
        action: Callable[[], BaseModel]) -> JSONResponse:
    key = request.headers.get("idempotency-key")
    if key is None:
        return JSONResponse(action().model_dump(mode="json", by_alias=True), status_code=status_code)
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise Unprocessable(f"Idempotency-Key must be 1–{MAX_KEY_LENGTH} characters")
    request_hash = fingerprint(request, body)
    query = select(IdempotencyRecord).where(IdempotencyRecord.account_id == account.id, IdempotencyRecord.key == key)
    existing = session.scalars(query).first()
    if existing is not None and utcnow() - existing.created_at < RETENTION:
        return _replay(existing, request_hash)
    if existing is not None:
        session.delete(existing)
        session.flush()
    record = IdempotencyRecord(account_id=account.id, key=key, request_hash=request_hash, status_code=0, response_body="")
    try:
        with session.begin_nested():
            session.add(record)
            session.flush()
    except IntegrityError:
        # A concurrent request with the same key committed first: answer as it did.
        session.expire_all()
        return _replay(session.scalars(query).one(), request_hash)
    payload: dict[str, Any] = action().model_dump(mode="json", by_alias=True)
    record.status_code = status_code
    record.response_body = json.dumps(payload)
    return JSONResponse(payload, status_code=status_code)


def respond(session: Session, request: Request, account: Account, status_code: int,
            action: Callable[[], BaseModel]) -> JSONResponse:
    """`run` for a route whose body `http.json_body` parsed (it keeps the raw bytes on `request.state`).

    Every state-changing POST answers a retried request with its first response (CONTRACT.md "Idempotency-Key"),
    so a client whose connection dropped after a decision or a counter-notice can retry without a 409 or a copy.
    """
    return run(session, request, account, getattr(request.state, "raw_body", b""), status_code, action)


def prune(session: Session) -> int:
    result = session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.created_at < utcnow() - RETENTION))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
