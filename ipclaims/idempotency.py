"""`Idempotency-Key` on POST: the same key and body from the same account returns the first response.

Honoured on every POST that changes state (claims, transitions, decisions, notes, counter-notices, complaints,
closures). Not on account and key creation: the record would keep the one-time API key in clear text.

Follows draft-ietf-httpapi-idempotency-key-header: the same key with a different body is 422. The record is
claimed (inserted) in the request's own transaction before the work is written — before the work runs, or, for
intake on PostgreSQL, in the very statement that writes it (`run`'s `claim_late`) — so a concurrent duplicate on
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
from typing import Annotated, Any, cast

from fastapi import Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import Table, bindparam, delete, select, update
from sqlalchemy.orm import Session

from ipclaims.auth.deps import CurrentAccount
from ipclaims.db import DbSession, Prepared, insert_or_ignore
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


class KeyTaken(Exception):
    """Raised by an action whose claim of the key (`Answer.statement`) found it claimed already: `run` replays."""


def run(session: Session, request: Request, account: Account, body: bytes, status_code: int,
        action: Callable[[], BaseModel | bytes], *, claim_late: bool = False,
        request_hash: str | None = None) -> JSONResponse:
    """`action()` once per key: its answer is stored under the key and replayed for the same request again.

    The key is claimed before the action runs, and the answer written after it. `claim_late`, for an action that
    writes its answer itself (intake, `Answer.statement`): on PostgreSQL the claim then carries the answer and goes
    in the same statement as the action's rows, guarding them — one row written once instead of an insert and an
    update, and a round trip fewer. A concurrent duplicate still waits on the unique index, then writes nothing and
    replays. On SQLite writers take turns, so claiming first costs no waiting, and keeps a replay from using a
    reference number. `request_hash`: the request's `fingerprint`, if the caller computed it already (intake
    does, before it queues for its write turn).
    """
    key = key_of(request)
    if key is None:
        return RenderedJSON(render(action()), status_code=status_code)
    request_hash = request_hash or fingerprint(request, body)
    claim = {"account_id": account.id, "key": key, "request_hash": request_hash, "status_code": 0, "response_body": "",
             "created_at": utcnow()}
    late = claim_late and session.get_bind().dialect.name == "postgresql"
    for attempt in (1, 2):
        answer = Answer(status_code, claim)
        try:
            if not late:
                answer.claim_now(session)
            token = _PENDING.set(answer)
            try:
                payload = render(action())
            finally:
                _PENDING.reset(token)
        except KeyTaken:
            # Claimed already, and committed (on PostgreSQL the insert waited for a concurrent claimant to finish).
            query = select(IdempotencyRecord).where(IdempotencyRecord.account_id == account.id,
                                                    IdempotencyRecord.key == key)
            existing = session.scalars(query).one()
            if attempt == 2 or utcnow() - existing.created_at < RETENTION:
                return _replay(existing, request_hash)  # (a second time: a concurrent re-claim's answer)
            session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.id == existing.id)
                            .execution_options(synchronize_session=False))
            session.expire_all()
            continue
        if not answer.claimed:
            raise RuntimeError("a claim_late action must claim the key (Answer.statement or Answer.claim_now)")
        if not answer.written:
            _ANSWER.run(session.connection(), answer.values(payload))
        return RenderedJSON(payload, status_code=status_code)
    raise AssertionError("unreachable")


@dataclass
class Answer:
    """The key's claim and answer, for `run` and the action it runs.

    The action may write the answer itself, with statements of its own (intake sends it in the same round trip
    as its rows: `statement`); otherwise `run` writes it after the action.
    """

    status_code: int
    claim: dict[str, Any]  # the record's values, before the answer
    claimed: bool = False
    record_id: int | None = None  # when claimed by `claim_now`
    written: bool = False

    def claim_now(self, session: Session) -> None:
        """Claim the key before any write (status 0, no body yet); `KeyTaken` if the account has it already."""
        if not self.claimed:
            record_id = _CLAIM.scalar(session.connection(), self.claim)
            if record_id is None:
                raise KeyTaken
            self.record_id, self.claimed = cast(int, record_id), True

    def values(self, payload: bytes) -> dict[str, Any]:
        return {"record_id": self.record_id, "status_code": self.status_code, "response_body": payload.decode()}

    def statement(self, payload: bytes) -> tuple[tuple[Prepared, dict[str, Any]], bool]:
        """The statement that stores `payload` as the answer, for the action to run; `run` then does not.

        Returns it and whether it is a guard: when the key is not claimed yet (`run`'s `claim_late`) it is the
        claim itself, with the answer (INSERT ... ON CONFLICT DO NOTHING RETURNING id), to go first in a
        `db.send_together(..., guarded=True)`; the action then tells `guarded` whether the rows went in.
        Otherwise it is the UPDATE of the claimed record.
        """
        self.written = True
        if not self.claimed:
            return (_CLAIM, {**self.claim, "status_code": self.status_code, "response_body": payload.decode()}), True
        return (_ANSWER, self.values(payload)), False

    def guarded(self, inserted: bool) -> None:
        """Whether the guarded statement wrote its rows; if not, the key was taken already (raises `KeyTaken`)."""
        if not inserted:
            raise KeyTaken
        self.claimed = True


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


@dataclass(frozen=True)
class Once:
    """`respond` for the route that asked for it (`Idempotent`): `once(lambda: ...)` runs the lambda at most once
    per Idempotency-Key and answers with the route's declared `status_code` (200 unless the route says otherwise)."""

    session: Session
    request: Request
    account: Account

    def __call__(self, action: Callable[[], BaseModel | bytes]) -> JSONResponse:
        status_code = getattr(self.request.scope.get("route"), "status_code", None) or 200
        return respond(self.session, self.request, self.account, status_code, action)


def once(request: Request, session: DbSession, account: CurrentAccount) -> Once:
    # The same session and account as the route's own `DbSession` and role dependency: FastAPI resolves each once.
    return Once(session, request, account)


Idempotent = Annotated[Once, Depends(once)]


def prune(session: Session) -> int:
    result = session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.created_at < utcnow() - RETENTION))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
