"""Errors carry their HTTP status; one handler renders RFC 9457 problem+json (STYLE.md habit 6)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

log = logging.getLogger("ipclaims.errors")

PROBLEM_JSON = "application/problem+json"


class AppError(Exception):
    status: int = 400
    code: str = "bad-request"
    title: str = "Bad request"

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
        plain: str | None = None,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.errors = errors
        self.headers = headers
        # The refusal as a page says it to a person (a sentence, no field paths or setting names); never in the
        # problem+json, whose `detail` is the API's as CONTRACT.md has it.
        self.plain = plain


def size_words(size: int) -> str:
    """A byte count as a person reads a limit, in the decimal units the limits are set in: 5 MB, 900 KB, 10.5 MB."""
    for unit, scale in (("MB", 1_000_000), ("KB", 1_000)):
        if size >= scale:
            return f"{round(size / scale, 1):g} {unit}"
    return f"{size:,} bytes"


class Unauthenticated(AppError):
    status, code, title = 401, "unauthenticated", "Authentication required"


class NotPermitted(AppError):
    status, code, title = 403, "forbidden", "Not permitted for this role"


class NotFound(AppError):
    status, code, title = 404, "not-found", "Not found"


class InvalidTransition(AppError):
    status, code, title = 409, "invalid-transition", "Not allowed in the current state"


class Conflict(AppError):
    status, code, title = 409, "conflict", "Conflict"


class PayloadTooLarge(AppError):
    status, code, title = 413, "payload-too-large", "Payload too large"


class UnsupportedMedia(AppError):
    status, code, title = 415, "unsupported-media-type", "Unsupported media type"


class Unprocessable(AppError):
    status, code, title = 422, "validation-error", "Invalid request"


class ServiceBusy(AppError):
    status, code, title = 503, "busy", "Service busy, retry shortly"


def problem(
    status: int, code: str, title: str, detail: str, errors: list[dict[str, Any]] | None = None, headers: dict[str, str] | None = None
) -> JSONResponse:
    body: dict[str, Any] = {"type": f"/problems/{code}", "title": title, "status": status, "detail": detail}
    if errors:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def validation_errors(exc: ValidationError | RequestValidationError, *, prefix: tuple[str | int, ...] = ()) -> list[dict[str, Any]]:
    out = []
    for err in exc.errors():
        loc = [*prefix, *(p for p in err.get("loc", ()) if p != "__root__")]
        msg = err.get("msg", "invalid")
        if err.get("type") == "json_invalid":
            msg = f"malformed JSON: {err.get('ctx', {}).get('error', msg)}"
        out.append({"loc": loc, "msg": msg})
    return out


def summary(errors: list[dict[str, Any]], *, otherwise: str = "invalid request") -> str:
    """A problem's `detail` for its `errors`: the first one, where it is, and how many more."""
    if not errors:
        return otherwise
    first = errors[0]
    where = ".".join(str(p) for p in first["loc"]) or "body"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{where}: {first['msg']}{more}"


# The web pages answer an error with a page, not problem+json: (request, status, title, detail, headers) → the
# page, or None for a request that is not a page's (the API's, the docs').
PageRenderer = Callable[[Request, int, str, str, "dict[str, str] | None"], Awaitable["Response | None"]]


Headers = dict[str, str] | None


def install_handlers(app: FastAPI, page: PageRenderer | None = None) -> None:
    async def answer(
        request: Request, status: int, code: str, title: str, detail: str, errors: list[dict[str, Any]] | None, headers: Headers
    ) -> Response:
        shown = await page(request, status, title, detail, headers) if page is not None else None
        return shown if shown is not None else problem(status, code, title, detail, errors, headers)

    @app.exception_handler(AppError)
    async def _app_error(request: Request, exc: AppError) -> Response:
        return await answer(request, exc.status, exc.code, exc.title, exc.detail, exc.errors, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _request_validation(request: Request, exc: RequestValidationError) -> Response:
        errors = validation_errors(exc)
        return await answer(request, 422, "validation-error", "Invalid request", summary(errors), errors, None)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "http-error")
        title = {404: "Not found", 405: "Method not allowed"}.get(exc.status_code, "HTTP error")
        return await answer(request, exc.status_code, code, title, str(exc.detail), None, getattr(exc, "headers", None))

    @app.exception_handler(OperationalError)
    async def _operational(_request: Request, exc: OperationalError) -> Response:
        # A lock wait that outlived the busy timeout is load, not a bug: tell the client to retry.
        log.warning("database operational error: %s", exc)
        busy = ServiceBusy("the database is busy; retry the request", headers={"Retry-After": "1"})
        return await _app_error(_request, busy)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error", exc_info=exc)
        detail = "an unexpected error occurred; it has been logged"
        return await answer(request, 500, "internal-error", "Internal error", detail, None, None)
