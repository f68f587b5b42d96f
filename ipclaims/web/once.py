"""A form that makes something once: the form's hidden token is the idempotency key (`idempotency.run_with_record`),
so a double submit, or a submit again after going back, answers with what the first one made."""

from __future__ import annotations

import json
from collections.abc import Callable

from fastapi import Request
from sqlalchemy.orm import Session

from ipclaims import idempotency
from ipclaims.db import WriteTransaction
from ipclaims.models import Account


async def submit_once(
    tx: WriteTransaction,
    request: Request,
    user: Account,
    make: Callable[[Session, idempotency.KeyRecord | None], bytes],
    *,
    fingerprint: str,
    key: str,
    opening: str | None = None,
) -> str:
    """Run `make(session, record)` (it returns the 201 JSON body, as the API route's service does) once per `key`;
    the id of what it made, or of what the first submit made."""
    answer = await tx.run(
        lambda session: idempotency.run_with_record(
            session, request, user, b"", 201, lambda record: make(session, record), request_hash=fingerprint, key=key
        ),
        opening=opening,
    )
    return str(json.loads(bytes(answer.body))["id"])
