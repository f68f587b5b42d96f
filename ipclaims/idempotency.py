"""`Idempotency-Key` on POST: the same key and body from the same account returns the first response.

Honoured on every POST that changes state (claims, transitions, decisions, notes, counter-notices, complaints,
closures). Not on account and key creation: the record would keep the one-time API key in clear text.

Follows draft-ietf-httpapi-idempotency-key-header: the same key with a different body is 422. The record is
claimed (inserted) in the request's own transaction before the work is written — before the work runs, or in the
very statement that writes it (`KeyRecord.with_answer`, intake on PostgreSQL) — so a concurrent duplicate on
PostgreSQL waits on the unique index and then replays the committed answer instead of doing the work twice; on
SQLite writers are already serialised by BEGIN IMMEDIATE. The claim is an INSERT ... ON CONFLICT DO NOTHING: a
duplicate is an empty RETURNING rather than an error, so no savepoint is needed to survive it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any, cast

from fastapi import Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from pydantic_core import to_json
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
    digest = hashlib.sha256(f"{request.method} {_path(request)}\n".encode())
    digest.update(canonical)
    return digest.hexdigest()


def _path(request: Request) -> str:
    """`request.url.path` without building the URL (a tenth of the fingerprint's cost): the URL's path is the
    scope's, with only `?`, `#` and `\\` escaped."""
    path: str = request.scope["path"]
    return request.url.path if "?" in path or "#" in path or "\\" in path else path


def _replay(record: IdempotencyRecord, request_hash: str) -> JSONResponse:
    if record.request_hash != request_hash:
        raise Unprocessable("this Idempotency-Key was already used with a different request; use a new key")
    # Re-rendered rather than sent as stored, so a record kept in any JSON layout replays the same bytes.
    return JSONResponse(json.loads(record.response_body), status_code=record.status_code, headers={"Idempotency-Replayed": "true"})


class RenderedJSON(JSONResponse):
    """A JSONResponse whose body was rendered already (`render`), so it is not serialised twice."""

    def render(self, content: Any) -> bytes:
        return content if isinstance(content, bytes) else super().render(content)


def render(result: BaseModel | bytes | dict[str, Any]) -> bytes:
    """The response body as JSONResponse renders it: of a model, of its `model_dump(mode="json")`, or JSON bytes a
    service rendered itself (the one JSON rendering of the API's answers: a replay re-renders the same way)."""
    if isinstance(result, bytes):
        return result
    content = result if isinstance(result, dict) else result.model_dump(mode="json", by_alias=True)
    return json.dumps(content, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":")).encode()


def render_plain(content: dict[str, Any]) -> bytes:
    """`render` of a dict built of strings, ints, booleans, None, lists and dicts only (floats only where Python
    writes them without an exponent, no NaN): pydantic-core's encoder writes exactly JSONResponse's bytes for those
    (compact, UTF-8 unescaped, the same control-character escapes), several times faster. For intake's answer
    (`claims.presenter.claim_json`), rendered on every claim; a test holds the two renderings equal."""
    return to_json(content)


def key_of(request: Request) -> str | None:
    key = request.headers.get("idempotency-key")
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise Unprocessable(f"Idempotency-Key must be 1–{MAX_KEY_LENGTH} characters")
    return key


_TABLE = cast(Table, IdempotencyRecord.__table__)
_CLAIM = Prepared(
    insert_or_ignore(
        _TABLE, ("account_id", "key", "request_hash", "status_code", "response_body", "created_at"), ("account_id", "key"), returning="id"
    )
)
_ANSWER = Prepared(
    update(_TABLE)
    .where(_TABLE.c.id == bindparam("record_id"))
    .values(status_code=bindparam("status_code"), response_body=bindparam("response_body"))
)


class KeyTaken(Exception):
    """Raised by an action whose write of the key's record (`KeyRecord.with_answer`) found it written already:
    `run_with_record` replays."""


@dataclass
class KeyRecord:
    """An Idempotency-Key's record, written by the action `run_with_record` runs, in the action's transaction.

    Either `claim` it before any other write (status 0; `run_with_record` stores the answer after the action), or
    send `with_answer(payload)` as the first statement of the work, guarding it (``INSERT ... ON CONFLICT DO
    NOTHING RETURNING id``, `db.send_together(..., guarded=True)`): one row written once and no round trip of its
    own; if it inserted nothing, write nothing and raise `KeyTaken`. A concurrent duplicate waits on the unique
    index either way, then replays the committed answer.
    """

    status_code: int
    values: dict[str, Any]  # the record's values, before the answer
    record_id: int | None = None  # when claimed
    answered: bool = False

    def claim(self, session: Session) -> None:
        """Claim the key before any write (status 0, no body yet); `KeyTaken` if the account has it already."""
        if self.record_id is None:
            record_id = _CLAIM.scalar(session.connection(), self.values)
            if record_id is None:
                raise KeyTaken
            self.record_id = cast(int, record_id)

    def with_answer(self, payload: bytes) -> tuple[Prepared, dict[str, Any]]:
        """The record with its answer, as a statement for the action to send first (see the class)."""
        if self.record_id is not None:
            raise RuntimeError("the key is claimed already: run_with_record stores the answer")
        self.answered = True
        return _CLAIM, {**self.values, "status_code": self.status_code, "response_body": payload.decode()}


def run_with_record(
    session: Session,
    request: Request,
    account: Account,
    body: bytes,
    status_code: int,
    action: Callable[[KeyRecord | None], BaseModel | bytes],
    *,
    request_hash: str | None = None,
    key: str | None = None,
) -> JSONResponse:
    """`action(record)` once per key: its answer is stored under the key and replayed for the same request again.

    The action writes the key's record itself (`KeyRecord`), in its own transaction, before or with its work;
    `record` is None without an Idempotency-Key. `request_hash`: the request's `fingerprint`, if the caller
    computed it already (intake does, before it queues for its write turn). `key`: given by the caller instead of the
    header (the web form's hidden token, so a double-submitted form makes one claim).
    """
    key = key if key is not None else key_of(request)
    if key is None:
        return RenderedJSON(render(action(None)), status_code=status_code)
    request_hash = request_hash or fingerprint(request, body)
    values = {
        "account_id": account.id,
        "key": key,
        "request_hash": request_hash,
        "status_code": 0,
        "response_body": "",
        "created_at": utcnow(),
    }
    for attempt in (1, 2):
        record = KeyRecord(status_code, values)
        try:
            payload = render(action(record))
        except KeyTaken:
            # Written already, and committed (on PostgreSQL the insert waited for a concurrent claimant to finish).
            query = select(IdempotencyRecord).where(IdempotencyRecord.account_id == account.id, IdempotencyRecord.key == key)
            existing = session.scalars(query).one()
            if attempt == 2 or utcnow() - existing.created_at < RETENTION:
                return _replay(existing, request_hash)  # (a second time: a concurrent re-claim's answer)
            session.execute(
                delete(IdempotencyRecord).where(IdempotencyRecord.id == existing.id).execution_options(synchronize_session=False)
            )
            session.expire_all()
            continue
        if not record.answered:
            if record.record_id is None:
                raise RuntimeError("the action must write the key's record (KeyRecord.claim or with_answer)")
            _ANSWER.run(
                session.connection(), {"record_id": record.record_id, "status_code": status_code, "response_body": payload.decode()}
            )
        return RenderedJSON(payload, status_code=status_code)
    raise AssertionError("unreachable")


def run(
    session: Session, request: Request, account: Account, body: bytes, status_code: int, action: Callable[[], BaseModel | bytes]
) -> JSONResponse:
    """`run_with_record` for an action that knows nothing of the key: it is claimed before the action runs."""

    def claimed_first(record: KeyRecord | None) -> BaseModel | bytes:
        if record is not None:
            record.claim(session)
        return action()

    return run_with_record(session, request, account, body, status_code, claimed_first)


def respond(
    session: Session, request: Request, account: Account, status_code: int, action: Callable[[], BaseModel | bytes]
) -> JSONResponse:
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
