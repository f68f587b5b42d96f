"""Keyset pages for every list: one cursor codec and one `paginate()`.

A cursor is the sort key of a page's last row, as JSON in URL-safe base64. It is client input: anything this API
did not issue — not base64 or JSON, the wrong number of values, a value of the wrong type, an integer outside the
databases' 64-bit range, text either database cannot store — is one 422 problem, never an error deeper down.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select
from sqlalchemy.orm import Session

from ipclaims.errors import Unprocessable

R = TypeVar("R")

MAX_PAGE = 200
# What a column can bind: past it a parameter is a driver error (OverflowError on SQLite, NumericValueOutOfRange on
# PostgreSQL), so a value outside its column's range is refused here. SQLite's INTEGER and PostgreSQL's BIGINT hold
# INT64; PostgreSQL's INTEGER (e.g. claim.priority) only INT32.
INT64 = range(-(2**63), 2**63)
INT32 = range(-(2**31), 2**31)

# A field's type: a range of integers (`int` means INT64), str, datetime (aware, sent as ISO 8601 text), or a tuple
# of them, with type(None) where a value may be null.
CursorField = type | range
CursorType = CursorField | tuple[CursorField, ...]


def encode_cursor(*values: Any) -> str:
    plain = [v.isoformat() if isinstance(v, datetime) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain, separators=(",", ":")).encode()).decode().rstrip("=")


def invalid_cursor() -> Unprocessable:
    return Unprocessable("cursor: not a cursor this API issued", errors=[{"loc": ["query", "cursor"], "msg": "invalid cursor"}])


def decode_cursor(cursor: str, types: Sequence[CursorType]) -> list[Any]:
    """The values `encode_cursor` packed, checked against `types` (one per value); a 422 for anything else."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError, RecursionError):
        raise invalid_cursor() from None
    if not isinstance(values, list) or len(values) != len(types):
        raise invalid_cursor()
    return [_field(value, t if isinstance(t, tuple) else (t,)) for value, t in zip(values, types, strict=True)]


def _field(value: Any, types: tuple[CursorField, ...]) -> Any:
    if value is None and type(None) in types:
        return None
    ranges = [t for t in types if isinstance(t, range)] + ([INT64] if int in types else [])
    if isinstance(value, int) and not isinstance(value, bool) and any(value in r for r in ranges):
        return value
    if str in types and isinstance(value, str) and _storable(value):
        return value
    if datetime in types and isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
            if parsed.tzinfo is not None:
                # In UTC, as stored; "0001-01-01T00:00+01:00" has no UTC time (OverflowError): not our cursor.
                return parsed.astimezone(UTC)
        except (ValueError, OverflowError):
            pass
    raise invalid_cursor()


def _storable(text: str) -> bool:
    # PostgreSQL refuses NUL in text; a lone surrogate cannot be encoded as UTF-8 by either driver.
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in text


@dataclass(frozen=True)
class Keyset(Generic[R]):
    """How a list is ordered, and how a page's last row and the next page's start are written."""

    types: tuple[CursorType, ...]  # the cursor's values, as `decode_cursor` checks them
    order: tuple[ColumnElement[Any], ...]
    after: Callable[..., ColumnElement[bool]]  # the rows after the decoded cursor values, in `order`
    key: Callable[[R], tuple[Any, ...]]  # a row's cursor values


def paginate(session: Session, query: Select[tuple[R]], keyset: Keyset[R], *, cursor: str | None, limit: int) -> tuple[list[R], str | None]:
    """One page of `query` in `keyset` order from `cursor` on, and the cursor of the next page (None at the end)."""
    limit = max(1, min(limit, MAX_PAGE))
    if cursor:
        query = query.where(keyset.after(*decode_cursor(cursor, keyset.types)))
    rows = list(session.scalars(query.order_by(*keyset.order).limit(limit + 1)))
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, encode_cursor(*keyset.key(rows[-1]))
