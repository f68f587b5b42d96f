"""Letters JSON API (CONTRACT.md "Letters"). Thin: parse, authorise by dependency, call the service, shape."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from ipclaims import idempotency
from ipclaims.auth.deps import CurrentAccount, require
from ipclaims.db import DbSession, WriteTransaction, run_read, session_scope
from ipclaims.http import Blank, body_schema, json_body, unset_blank
from ipclaims.letters import export, messages, service
from ipclaims.letters.schemas import LetterIn, LetterOut, LetterPage, MessagePage, letter_out
from ipclaims.models import Account, LetterKind, Role

router = APIRouter(prefix="/api/v1", tags=["letters"])
Exporter = Annotated[Account, Depends(require(Role.LEGAL, Role.ADMIN))]


def _staff(actor: Account) -> bool:
    return actor.role is not Role.RIGHTS_HOLDER


@router.post("/claims/{claim_id}/letters", status_code=201, response_model=LetterOut, openapi_extra=body_schema(LetterIn))
async def create_letter(
    claim_id: str,
    request: Request,
    actor: CurrentAccount,
    body: Annotated[LetterIn, Depends(json_body(LetterIn))],
    tx: WriteTransaction,
) -> JSONResponse:
    # Checked and built from a read, rendered holding nothing, then one short write: a render (hundreds of ms)
    # never holds the claim's lock or, on SQLite, the write turn every writer waits for.
    draft = await run_read(lambda session: service.prepare(session, actor, claim_id, body.kind, body.item_id))
    pdf = await run_in_threadpool(service.render_draft, draft)
    raw = request.state.raw_body
    return await tx.run(
        lambda session: idempotency.run(
            session, request, actor, raw, 201, lambda: letter_out(service.record(session, actor, draft, pdf), _staff(actor))
        )
    )


@router.get("/claims/{claim_id}/letters", response_model=LetterPage)
def list_letters(
    claim_id: str,
    session: DbSession,
    actor: CurrentAccount,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=service.PAGE)] = service.PAGE,
) -> LetterPage:
    rows, next_cursor = service.list_for_claim(session, actor, claim_id, unset_blank(cursor), limit)
    return LetterPage(items=[letter_out(r, _staff(actor)) for r in rows], next_cursor=next_cursor)


@router.get("/claims/{claim_id}/messages", response_model=MessagePage)
def list_messages(claim_id: str, session: DbSession, actor: CurrentAccount) -> MessagePage:
    return MessagePage(items=messages.for_claim(session, actor, claim_id), next_cursor=None)


# Declared before /letters/{letter_id}.pdf so "export" is never read as a letter id.
@router.get("/letters/export", response_class=StreamingResponse, responses={200: {"content": {"application/zip": {}}}})
def export_letters(
    _actor: Exporter,
    from_: Annotated[dt.date | None, Query(alias="from")] = None,
    to: dt.date | None = None,
    kind: LetterKind | Blank | None = None,
) -> StreamingResponse:
    chosen = unset_blank(kind)

    def body() -> Iterator[bytes]:
        # A session of its own: the request's session ends before a streamed body is sent.
        with session_scope(write=False) as session:
            yield from export.stream(session, from_, to, chosen)

    name = f"letters-{from_ or 'last-30-days'}-{to or 'today'}.zip"
    return StreamingResponse(body(), media_type="application/zip", headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/letters/{letter_id}.pdf", response_class=Response, responses={200: {"content": {"application/pdf": {}}}})
def letter_pdf(letter_id: str, session: DbSession, actor: CurrentAccount) -> Response:
    letter, data = service.pdf_bytes(session, actor, letter_id)
    return Response(
        data,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{letter.kind.value}-v{letter.version}.pdf"', "ETag": f'"{letter.sha256}"'},
    )
