"""Reference-works JSON API (CONTRACT.md "Reference works and matching"). Thin: parse, authorise, call the service."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from ipclaims.auth.deps import CurrentAccount
from ipclaims.config import get_settings
from ipclaims.db import DbSession, WriteTransaction, run_read
from ipclaims.http import MULTIPART_FILE_SCHEMA, body_schema, json_body, multipart_file
from ipclaims.idempotency import Idempotent
from ipclaims.works import presenter, service
from ipclaims.works.schemas import ImageOut, WorkCreate, WorkOut, WorkPage

router = APIRouter(prefix="/api/v1/works", tags=["works"])


@router.post("", status_code=201, response_model=WorkOut, openapi_extra=body_schema(WorkCreate))
def create_work(
    session: DbSession, actor: CurrentAccount, once: Idempotent, body: Annotated[WorkCreate, Depends(json_body(WorkCreate))]
) -> JSONResponse:
    return once(lambda: presenter.work_out(service.create(session, actor, body, on_behalf_of=body.on_behalf_of)))


@router.get("", response_model=WorkPage)
def list_works(
    session: DbSession,
    actor: CurrentAccount,
    kind: Literal["copyright", "trademark"] | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=service.MAX_PAGE)] = 50,
) -> WorkPage:
    rows, next_cursor = service.list_works(session, actor, kind=kind, cursor=cursor, limit=limit)
    return WorkPage(items=[presenter.work_out(w) for w in rows], next_cursor=next_cursor)


@router.get("/{work_id}", response_model=WorkOut)
def get_work(work_id: str, session: DbSession, actor: CurrentAccount) -> WorkOut:
    return presenter.work_out(service.get(session, actor, work_id))


@router.post("/{work_id}/images", status_code=201, response_model=ImageOut, openapi_extra=MULTIPART_FILE_SCHEMA)
async def add_image(
    work_id: str, actor: CurrentAccount, upload: Annotated[UploadFile, Depends(multipart_file)], tx: WriteTransaction
) -> ImageOut:
    # Another holder's work (or none) is a 404 before any decoding. Then the whole upload is decoded and indexed;
    # only then does the request queue for its (short) write, so a slow client or a heavy image never holds the
    # write turn other requests wait for. `store_image` checks the work again under that turn.
    await run_read(lambda session: service.get(session, actor, work_id))
    draft = await run_in_threadpool(service.prepare_image, upload.file, get_settings())
    try:
        return await tx.run(lambda session: presenter.image_out(service.store_image(session, actor, work_id, draft)))
    finally:
        await run_in_threadpool(draft.discard)
