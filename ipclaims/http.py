"""Request/response plumbing shared by every JSON API: strict body parsing, body limits, pages and cursors."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Awaitable, Callable
from enum import StrEnum
from typing import Any, Generic, TypeVar

from fastapi import Request
from pydantic import BaseModel, ConfigDict, ValidationError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ipclaims.config import get_settings
from ipclaims.errors import PayloadTooLarge, Unprocessable, UnsupportedMedia, validation_errors

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


class StrictModel(BaseModel):
    """Request shapes: wrong JSON types are 422 (no "yes" for a boolean); unknown keys are ignored."""

    model_config = ConfigDict(strict=True, extra="ignore")


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


def openapi_components(spec: dict[str, Any]) -> dict[str, Any]:
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    for name, model in BODY_MODELS.items():
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}", mode="validation")
        for def_name, definition in schema.pop("$defs", {}).items():
            schemas.setdefault(def_name, definition)
        schemas[name] = schema
    return spec


def is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media in ("", "application/json") or media.endswith("+json")


async def read_json_body(request: Request, model: type[M]) -> tuple[M, bytes]:
    """Parse the body as JSON in pydantic's strict JSON mode (dates as ISO strings, no type coercion)."""
    if not is_json(request.headers.get("content-type", "")):
        raise UnsupportedMedia("send the body as application/json")
    raw = await request.body()
    try:
        return model.model_validate_json(raw or b"null"), raw
    except ValidationError as exc:
        errors = validation_errors(exc, prefix=("body",))
        raise Unprocessable(_first(errors), errors=errors) from None


def _first(errors: list[dict[str, Any]]) -> str:
    if not errors:
        return "invalid request body"
    where = ".".join(str(p) for p in errors[0]["loc"])
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{where}: {errors[0]['msg']}{more}"


def json_body(model: type[M]) -> Callable[[Request], Awaitable[M]]:
    async def dependency(request: Request) -> M:
        parsed, raw = await read_json_body(request, model)
        request.state.raw_body = raw
        return parsed

    return dependency


def enum_list(values: list[str] | None, enum: type[StrEnum], name: str) -> list[str] | None:
    """`?status=a&status=b` and `?status=a,b` alike; an unknown value is a 422 naming the allowed ones."""
    if not values:
        return None
    out = [part.strip() for value in values for part in value.split(",") if part.strip()]
    allowed = {member.value for member in enum}
    bad = [v for v in out if v not in allowed]
    if bad:
        raise Unprocessable(f"{name}: unknown value {bad[0]!r}; one of {', '.join(sorted(allowed))}",
                            errors=[{"loc": ["query", name], "msg": f"unknown value {bad[0]!r}"}])
    return out or None


def encode_cursor(*values: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, arity: int) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        values = None
    if not isinstance(values, list) or len(values) != arity:
        raise Unprocessable("cursor: not a cursor this API issued", errors=[{"loc": ["query", "cursor"], "msg": "invalid cursor"}])
    return values


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
        headers = {k.decode().lower(): v.decode() for k, v in scope.get("headers", [])}
        multipart = headers.get("content-type", "").lower().startswith("multipart/")
        limit = settings.max_upload_bytes + 64_000 if multipart else settings.max_body_bytes
        what = "upload" if multipart else "JSON body"
        length = headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > limit:
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
    body = json.dumps({"type": "/problems/payload-too-large", "title": "Payload too large", "status": 413,
                       "detail": f"the {what} is larger than the {limit:,}-byte limit"}).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
