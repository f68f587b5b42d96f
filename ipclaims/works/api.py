"""Reference-works JSON API (CONTRACT.md "Reference works and matching"). Thin: parse, authorise, call the service."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from ipclaims.auth.deps import CurrentAccount, StaffUser
from ipclaims.config import get_settings
from ipclaims.db import DbSession, WriteTransaction, run_read
from ipclaims.http import MULTIPART_FILE_SCHEMA, body_schema, json_body, multipart_file
from ipclaims.idempotency import Idempotent
from ipclaims.works import conflicts, presenter, service
from ipclaims.works.schemas import ConflictOut, ConflictPage, ConflictResolveIn, ImageOut, WorkCreate, WorkOut, WorkPage

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
    return WorkPage(items=presenter.works_out(session, rows), next_cursor=next_cursor)


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
    owner_id = await run_read(lambda session: service.get(session, actor, work_id).owner_id)
    settings = get_settings()
    draft = await run_in_threadpool(service.prepare_image, upload.file, settings)
    try:
        # Another holder's work this image matches opens an ownership conflict (issue 21): searched before the turn.
        found = await run_read(lambda session: conflicts.find(session, owner_id, draft.upload.decoded, settings))
        return await tx.run(lambda session: presenter.image_out(service.store_image(session, actor, work_id, draft, found)))
    finally:
        await run_in_threadpool(draft.discard)


conflicts_router = APIRouter(prefix="/api/v1/conflicts", tags=["works"])


@conflicts_router.get("", response_model=ConflictPage)
def conflict_queue(
    session: DbSession, _staff: StaffUser, status: Annotated[Literal["open", "resolved"] | None, Query()] = "open"
) -> ConflictPage:
    """Ownership conflicts between holders' reference works, oldest first (`status=open` by default)."""
    rows = conflicts.queue(session, status)
    works = conflicts.works_of(session, rows)
    return ConflictPage(items=[presenter.conflict_out(c, works) for c in rows])


@conflicts_router.post("/{conflict_id}/resolve", response_model=ConflictOut, openapi_extra=body_schema(ConflictResolveIn))
def resolve_conflict(
    conflict_id: str,
    session: DbSession,
    staff: StaffUser,
    once: Idempotent,
    body: Annotated[ConflictResolveIn, Depends(json_body(ConflictResolveIn))],
) -> JSONResponse:
    def run() -> ConflictOut:
        c = conflicts.resolve(session, staff, conflict_id, body.outcome, body.winner_work_id, body.reason)
        return presenter.conflict_out(c, conflicts.works_of(session, [c]))

    return once(run)
