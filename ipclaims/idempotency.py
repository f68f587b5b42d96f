"""`Idempotency-Key` on POST: the same key and body from the same account returns the first response.

Honoured on every POST that changes state (claims, transitions, decisions, notes, counter-notices, complaints,
closures). Not on account and key creation: the record would keep the one-time API key in clear text.

Follows draft-ietf-httpapi-idempotency-key-header: the same key with a different body is 422. The record is
claimed (inserted) before the work runs, in the request's own transaction, so a concurrent duplicate on
PostgreSQL waits on the unique index and then replays the committed answer instead of doing the work twice; on
SQLite writers are already serialised by BEGIN IMMEDIATE. The claim is an INSERT ... ON CONFLICT DO NOTHING: a
duplicate is an empty RETURNING rather than an error, so no savepoint is needed to survive it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, cast

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import Table, bindparam, delete, select, update
from sqlalchemy.orm import Session

from ipclaims.db import Prepared, insert_or_ignore
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
    # Re-rendered rather than sent as stored, so a record kept in any JSON layout replays the same bytes.
    return JSONResponse(json.loads(record.response_body), status_code=record.status_code,
                        headers={"Idempotency-Replayed": "true"})


class RenderedJSON(JSONResponse):
    """A JSONResponse whose body was rendered already (`render`), so it is not serialised twice."""

    def render(self, content: Any) -> bytes:
        return content if isinstance(content, bytes) else super().render(content)


def render(result: BaseModel | bytes) -> bytes:
    """The response body: a model as JSONResponse would render it, or JSON bytes a service rendered itself."""
    if isinstance(result, bytes):
        return result
    content: dict[str, Any] = result.model_dump(mode="json", by_alias=True)
    return json.dumps(content, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":")).encode()


def key_of(request: Request) -> str | None:
    key = request.headers.get("idempotency-key")
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise Unprocessable(f"Idempotency-Key must be 1–{MAX_KEY_LENGTH} characters")
    return key


_TABLE = cast(Table, IdempotencyRecord.__table__)
_CLAIM = Prepared(insert_or_ignore(_TABLE, ("account_id", "key", "request_hash", "status_code", "response_body",
                                            "created_at"), ("account_id", "key"), returning="id"))
_ANSWER = Prepared(update(_TABLE).where(_TABLE.c.id == bindparam("record_id"))
                   .values(status_code=bindparam("status_code"), response_body=bindparam("response_body")))


def _claim(session: Session, account_id: str, key: str, request_hash: str) -> int | None:
    """Insert the key's record (status 0, no body yet); None when the account already has one for the key."""
    values = {"account_id": account_id, "key": key, "request_hash": request_hash, "status_code": 0,
              "response_body": "", "created_at": utcnow()}
    record_id = _CLAIM.scalar(session.connection(), values)
    return None if record_id is None else cast(int, record_id)


def run(session: Session, request: Request, account: Account, body: bytes, status_code: int,
        action: Callable[[], BaseModel | bytes]) -> JSONResponse:
    key = key_of(request)
    if key is None:
        return RenderedJSON(render(action()), status_code=status_code)
    request_hash = fingerprint(request, body)
    record_id = _claim(session, account.id, key, request_hash)
    if record_id is None:
        # Already claimed, and committed (on PostgreSQL the insert waited for a concurrent claimant to finish).
        query = select(IdempotencyRecord).where(IdempotencyRecord.account_id == account.id, IdempotencyRecord.key == key)
        existing = session.scalars(query).one()
        if utcnow() - existing.created_at < RETENTION:
            return _replay(existing, request_hash)
        session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.id == existing.id)
                        .execution_options(synchronize_session=False))
        record_id = _claim(session, account.id, key, request_hash)
        if record_id is None:  # a concurrent request re-claimed the expired key first: answer as it did
            session.expire_all()
            return _replay(session.scalars(query).one(), request_hash)
    answer = Answer(record_id, status_code)
    token = _PENDING.set(answer)
    try:
        payload = render(action())
    finally:
        _PENDING.reset(token)
    if not answer.written:
        _ANSWER.run(session.connection(), answer.values(payload))
    return RenderedJSON(payload, status_code=status_code)


@dataclass
class Answer:
    """The claimed record's answer: `run` writes it after the action, unless the action wrote it already with
    statements of its own (intake sends it in the same round trip as its rows: `statement`)."""

    record_id: int
    status_code: int
    written: bool = False

    def values(self, payload: bytes) -> dict[str, Any]:
        return {"record_id": self.record_id, "status_code": self.status_code, "response_body": payload.decode()}

    def statement(self, payload: bytes) -> tuple[Prepared, dict[str, Any]]:
        """The UPDATE that stores `payload` as the answer, for the action to run; `run` then does not."""
        self.written = True
        return _ANSWER, self.values(payload)


_PENDING: ContextVar[Answer | None] = ContextVar("idempotency_answer", default=None)


def pending() -> Answer | None:
    """The answer the running action may write itself (None without an Idempotency-Key)."""
    return _PENDING.get()


def respond(session: Session, request: Request, account: Account, status_code: int,
            action: Callable[[], BaseModel | bytes]) -> JSONResponse:
    """`run` for a route whose body `http.json_body` parsed (it keeps the raw bytes on `request.state`).

    Every state-changing POST answers a retried request with its first response (CONTRACT.md "Idempotency-Key"),
    so a client whose connection dropped after a decision or a counter-notice can retry without a 409 or a copy.
    """
    return run(session, request, account, getattr(request.state, "raw_body", b""), status_code, action)


def prune(session: Session) -> int:
    result = session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.created_at < utcnow() - RETENTION))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
