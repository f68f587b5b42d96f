"""Request/response plumbing shared by every JSON API: strict body parsing, body limits, pages (cursors: `paging`)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import aclosing
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Annotated, Any, Generic, Literal, TypeVar

from fastapi import Request
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator
from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ipclaims.config import get_settings
from ipclaims.errors import PROBLEM_JSON, PayloadTooLarge, Unprocessable, UnsupportedMedia, summary, validation_errors
from ipclaims.mediatypes import is_json

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")
V = TypeVar("V")

# An email address is stored (and mailed to) as it was validated: the legal checks and the outbox strip surrounding
# whitespace, so the stored value must be the stripped one (padding reached the 320-character outbox column).
EmailText = Annotated[str, StringConstraints(strip_whitespace=True)]
# Where the column is bounded (accounts, complaints, uploaders): the bound applies to the stripped address.
BoundedEmail = Annotated[str, StringConstraints(strip_whitespace=True, max_length=320)]


class StrictModel(BaseModel):
    """Request shapes: wrong JSON types are 422 (no "yes" for a boolean); unknown keys are ignored.

    Text must be storable as given on both databases: PostgreSQL refuses NUL in text and JSONB, and a lone UTF-16
    surrogate (`"\\ud800"`) cannot be encoded as UTF-8 by either driver. Both are malformed input (422), caught here
    rather than as a driver error (500) at commit.
    """

    model_config = ConfigDict(strict=True, extra="ignore")

    @field_validator("*", mode="after")
    @classmethod
    def _storable_text(cls, value: Any) -> Any:
        # Runs for every field of every request model: the common cases answered here, without a second call.
        kind = type(value)
        if kind is str:
            if "\x00" not in value and (value.isascii() or _encodable(value)):
                return value
        elif value is None or kind is bool or kind is int or kind is float:
            return value
        problem = _text_problem(value)
        if problem is not None:
            raise ValueError(problem)
        return value


def _encodable(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _text_problem(value: Any) -> str | None:
    if isinstance(value, str):
        if "\x00" in value:
            return "text must not contain NUL (\\u0000) characters"
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "text must be valid Unicode (no unpaired surrogate escapes)"
        return None
    if isinstance(value, list | tuple):
        for entry in value:
            if (problem := _text_problem(entry)) is not None:
                return problem
    return None


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


BODY_MODELS: dict[str, type[BaseModel]] = {}


def body_schema(model: type[BaseModel]) -> dict[str, Any]:
    """OpenAPI for a body parsed by `json_body` (FastAPI cannot see it since the route reads raw bytes);
    `openapi_components` adds the referenced schema."""
    BODY_MODELS[model.__name__] = model
    schema = {"$ref": f"#/components/schemas/{model.__name__}"}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


class ProblemError(BaseModel):
    loc: list[str | int]
    msg: str


class Problem(BaseModel):
    """An RFC 9457 problem, as every error of this API is answered (CONTRACT.md "Conventions")."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[ProblemError] = Field(default_factory=list)  # present when there are several problems to list


BODY_MODELS[Problem.__name__] = Problem

_PROBLEM_CONTENT = {PROBLEM_JSON: {"schema": {"$ref": f"#/components/schemas/{Problem.__name__}"}}}

# The refusals any API route may answer with, applied to every router at inclusion (`main.create_app`), so the
# OpenAPI shows the problem+json media type and shape a client must handle.
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"description": description, "content": _PROBLEM_CONTENT}
    for status, description in (
        (400, "Malformed request (e.g. a header that is not UTF-8)"),
        (401, "No API key, or an unknown or revoked one"),
        (403, "The caller's role may never do this"),
        (404, "Not found, or another rights holder's"),
        (409, "Not allowed in the current state, or a conflicting request"),
        (413, "Body or upload over the size limit, or an image over the pixel limit"),
        (415, "Body of the wrong media type"),
        (422, "Invalid request: `errors` lists each problem"),
    )
}


def openapi_components(spec: dict[str, Any]) -> dict[str, Any]:
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    for name, model in BODY_MODELS.items():
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}", mode="validation")
        for def_name, definition in schema.pop("$defs", {}).items():
            schemas.setdefault(def_name, definition)
        schemas[name] = schema
    return spec


async def read_json_body(request: Request, model: type[M]) -> tuple[M, bytes]:
    """Parse the body as JSON in pydantic's strict JSON mode (dates as ISO strings, no type coercion)."""
    if not is_json(request.headers.get("content-type", "")):
        raise UnsupportedMedia("send the body as application/json")
    raw = await request.body()
    try:
        return model.model_validate_json(raw or b"null"), raw
    except ValidationError as exc:
        errors = validation_errors(exc, prefix=("body",))
        raise Unprocessable(summary(errors, otherwise="invalid request body"), errors=errors) from None


def json_body(model: type[M]) -> Callable[[Request], Awaitable[M]]:
    async def dependency(request: Request) -> M:
        parsed, raw = await read_json_body(request, model)
        request.state.raw_body = raw
        return parsed

    return dependency


MULTIPART_FILE_SCHEMA = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            }
        },
    }
}


class _UploadParser(MultiPartParser):
    """Starlette's parser, noting whether the closing boundary arrived: python-multipart ends a body cut off
    mid-part without an error, drops the unfinished part and leaves its spooled file open."""

    ended = False

    def on_end(self) -> None:
        super().on_end()
        self.ended = True


def _malformed(message: str) -> Unprocessable:
    return Unprocessable(
        f"file: the multipart/form-data body is malformed: {message} (send one multipart part named `file`)",
        errors=[{"loc": ["body", "file"], "msg": message}],
    )


async def _read_form(request: Request) -> FormData:
    """The parsed body. Not `request.form()`: inside an app that turns every parser complaint (two files, no
    boundary, a nameless part, a broken body) into a bare 400; a malformed body is a 422 problem+json here."""
    async with aclosing(request.stream()) as stream:
        parser = _UploadParser(request.headers, stream, max_files=1, max_fields=20)
        try:
            form = await parser.parse()
        except MultiPartException as exc:
            raise _malformed(exc.message) from None
    if not parser.ended:
        for spooled in parser._files_to_close_on_error:  # the only handle on an unfinished part's file
            spooled.close()
        await form.close()
        raise _malformed("the body ends before its closing boundary")
    return form


async def read_form(request: Request) -> FormData:
    """A multipart/form-data body parsed as `multipart_file` parses it (malformed: 422); the caller closes it."""
    return await _read_form(request)


async def multipart_file(request: Request) -> AsyncIterator[UploadFile]:
    """The `file` part of a multipart/form-data upload: 415 for any other body, 422 when the part is missing.

    Starlette spools the part to a temporary file past 1 MB; the body limit middleware has already capped its size.
    """
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media != "multipart/form-data":
        raise UnsupportedMedia("send the image as multipart/form-data with a `file` part")
    form = await _read_form(request)
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise Unprocessable(
                "file: send the image in a multipart part named `file`", errors=[{"loc": ["body", "file"], "msg": "field required"}]
            )
        yield upload
    finally:
        await form.close()


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7396 JSON Merge Patch, as PATCH applies a nested object: objects merge key by key, a `null` removes the
    key (CONTRACT.md: `null` counts as absent), anything else replaces what was there."""
    if not isinstance(patch, dict):
        return patch
    merged = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = merge_patch(merged.get(key), value)
    return merged


# `?regime=&kind=` (CONTRACT.md writes its filters that way): an empty query value means the filter is not set.
Blank = Literal[""]


def unset_blank(value: V | Blank | None) -> V | None:
    return None if value == "" else value


def enum_list(values: list[str] | None, enum: type[StrEnum], name: str) -> list[str] | None:
    """`?status=a&status=b` and `?status=a,b` alike; an unknown value is a 422 naming the allowed ones."""
    if not values:
        return None
    out = [part.strip() for value in values for part in value.split(",") if part.strip()]
    allowed = {member.value for member in enum}
    bad = [v for v in out if v not in allowed]
    if bad:
        raise Unprocessable(
            f"{name}: unknown value {bad[0]!r}; one of {', '.join(sorted(allowed))}",
            errors=[{"loc": ["query", name], "msg": f"unknown value {bad[0]!r}"}],
        )
    return out or None


class BodyLimitMiddleware:
    """Refuses bodies over the limit before or while they stream in (413), for JSON and for uploads.

    Checked on the wire rather than after parsing so a 1 GB chunked upload never reaches memory.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        settings = get_settings()
        # The last of each header counts (as a dict of them would keep). latin-1 cannot fail;
        # `HeaderEncodingMiddleware`, outside this one, has already refused non-UTF-8 bytes.
        content_type = length_bytes = None
        for name, value in scope.get("headers", ()):
            lowered = name.lower()
            if lowered == b"content-type":
                content_type = value
            elif lowered == b"content-length":
                length_bytes = value
        multipart = content_type is not None and content_type.decode("latin-1").lower().startswith("multipart/")
        limit = settings.max_upload_bytes + 64_000 if multipart else settings.max_body_bytes
        what = "upload" if multipart else "JSON body"
        length = length_bytes.decode("latin-1") if length_bytes is not None else None
        if length is not None and length.isdecimal() and int(length) > limit:
            await _send_problem(send, limit, what)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise PayloadTooLarge(f"the {what} is larger than the {limit:,}-byte limit")
            return message

        await self.app(scope, limited_receive, send)


async def _send_problem(send: Send, limit: int, what: str) -> None:
    body = json.dumps(
        {
            "type": "/problems/payload-too-large",
            "title": "Payload too large",
            "status": 413,
            "detail": f"the {what} is larger than the {limit:,}-byte limit",
        }
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/problem+json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class HeaderEncodingMiddleware:
    """A header with a byte that is not UTF-8 is a 400 problem, answered before anything reads the headers.

    HTTP allows such bytes on the wire (obs-text) and servers pass them on; code that decodes a header as text would
    raise, and an unauthenticated client could then fill the log with a traceback per request. Not logged here:
    a malformed request is the client's mistake.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            for name, value in scope.get("headers", []):
                if name.isascii() and value.isascii():  # the usual case: ASCII is UTF-8, nothing to decode
                    continue
                try:
                    name.decode("utf-8")
                    value.decode("utf-8")
                except UnicodeDecodeError:
                    where = name.decode("latin-1")
                    await _send(
                        send,
                        400,
                        {
                            "type": "/problems/bad-request",
                            "title": "Bad request",
                            "status": 400,
                            "detail": f"header {where!r} is not valid UTF-8",
                            "errors": [{"loc": ["header", where.lower()], "msg": "not valid UTF-8"}],
                        },
                    )
                    return
        await self.app(scope, receive, send)


async def _send(send: Send, status: int, problem: dict[str, Any]) -> None:
    body = json.dumps(problem).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


# --- inclusive date ranges of `?from=&to=` (reports, exports, letters: one rule) ---------------------------------

DEFAULT_DAYS = 30


def date_range(start: date | None, end: date | None, *, today: date | None = None) -> tuple[date, date, datetime, datetime]:
    """Inclusive UTC dates (default: the last 30 days, today included) and the half-open [begin, stop) instants
    they cover; `from` after `to` is a 422."""
    today = today or datetime.now(UTC).date()
    end = end or today
    start = start or end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise Unprocessable("`from` is after `to`", errors=[{"loc": ["query", "from"], "msg": "after `to`"}])
    return start, end, datetime.combine(start, time.min, UTC), datetime.combine(end + timedelta(days=1), time.min, UTC)
