"""Legal's letters desk: `/letters` (every letter, filtered by date and kind, with an inline PDF preview served from
this origin), `/letters/export` (the zip of the letters API's export service, same filters) and
`/letters/{id}.pdf` (one letter, inline, for the preview and the review page's links). Escalated claims are
`/escalated` (web.queue); legal decides them on the review page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from ipclaims.db import DbSession, session_scope
from ipclaims.errors import AppError
from ipclaims.letters import export
from ipclaims.letters import service as letters_service
from ipclaims.models import Account, LetterKind, Role
from ipclaims.web.auth import StaffUser, require_role
from ipclaims.web.templating import render

router = APIRouter()

# Who may list and export every letter: the letters API's exporters (legal, admin).
Exporter = Annotated[Account, Depends(require_role(Role.LEGAL, Role.ADMIN))]
KINDS = tuple((k.value, k.value.replace("_", " ").capitalize()) for k in LetterKind)
PAGE_SIZE = 50
DateParam = Annotated[str | None, Query(max_length=10)]


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _kind(value: str | None) -> LetterKind | None:
    return LetterKind(value) if value in {k for k, _ in KINDS} else None


@router.get("/letters", include_in_schema=False)
def letters_page(
    request: Request,
    session: DbSession,
    user: Exporter,
    from_: Annotated[str | None, Query(alias="from", max_length=10)] = None,
    to: DateParam = None,
    kind: Annotated[str | None, Query(max_length=40)] = None,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    preview: Annotated[str | None, Query(max_length=26)] = None,
) -> HTMLResponse:
    start, end, chosen = _date(from_), _date(to), _kind(kind)
    values = {"from": from_ if start else "", "to": to if end else "", "kind": chosen.value if chosen else ""}
    error = None
    rows: list[Any] = []
    next_cursor = None
    count = 0
    try:
        rows, next_cursor = letters_service.list_letters(session, user, start, end, chosen, cursor or None, PAGE_SIZE)
        count = letters_service.export_count(session, start, end, chosen)
    except AppError as exc:  # `from` after `to`, or a cursor that is not one
        error = exc.detail
    query = urlencode({k: v for k, v in values.items() if v})
    shown = next((letter for letter, _ in rows if letter.id == preview), None)
    context = {
        "rows": rows,
        "next_cursor": next_cursor,
        "on_first": not cursor,
        "values": values,
        "kinds": KINDS,
        "query": query,
        "error": error,
        "export_count": count,
        "preview": shown,
    }
    return render(request, "staff/letters.html", context, status_code=422 if error else 200)


@router.get("/letters/export", include_in_schema=False)
def export_letters(
    _user: Exporter,
    from_: Annotated[str | None, Query(alias="from", max_length=10)] = None,
    to: DateParam = None,
    kind: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    start, end, chosen = _date(from_), _date(to), _kind(kind)
    letters_service.day_bounds(start, end)  # `from` after `to`: the 422 page before any byte is streamed

    def body() -> Iterator[bytes]:
        with session_scope(write=False) as session:  # the request's session ends before a streamed body is sent
            yield from export.stream(session, start, end, chosen)

    name = f"letters-{start or 'last-30-days'}-{end or 'today'}{'-' + chosen.value if chosen else ''}.zip"
    return StreamingResponse(body(), media_type="application/zip", headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/letters/{letter_id}.pdf", include_in_schema=False)
def letter_pdf(letter_id: str, session: DbSession, user: StaffUser) -> Response:
    letter, data = letters_service.pdf_bytes(session, user, letter_id)
    return Response(
        data,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{letter.kind.value}-v{letter.version}.pdf"',
            "ETag": f'"{letter.sha256}"',
            # Framed by this site's own letters page only (the page layer's default forbids any framing).
            "x-frame-options": "SAMEORIGIN",
            "content-security-policy": "default-src 'self'; object-src 'none'; frame-ancestors 'self'",
        },
    )
