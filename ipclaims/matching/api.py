"""Matching JSON API: the reported material of a claim item, and staff look-ups across the whole library."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from ipclaims.auth.deps import CurrentAccount, StaffUser
from ipclaims.claims.presenter import item_out
from ipclaims.claims.schemas import ItemOut
from ipclaims.config import get_settings
from ipclaims.db import WriteTransaction, run_read
from ipclaims.http import MULTIPART_FILE_SCHEMA, multipart_file
from ipclaims.matching import service
from ipclaims.matching.schemas import MatchList

router = APIRouter(prefix="/api/v1", tags=["matching"])

# Both routes take the whole upload first (`multipart_file`), then decode, hash and verify in a read session, and
# only then (item content) queue for a short write: a slow client or a heavy image never holds the write turn.


@router.post("/claims/{claim_id}/items/{item_id}/content", response_model=ItemOut, openapi_extra=MULTIPART_FILE_SCHEMA)
async def upload_item_content(
    claim_id: str, item_id: str, actor: CurrentAccount, upload: Annotated[UploadFile, Depends(multipart_file)], tx: WriteTransaction
) -> ItemOut:
    settings = get_settings()
    draft = await run_read(lambda session: service.match_item_content(session, actor, claim_id, item_id, upload.file, settings))
    try:
        return await tx.run(lambda session: item_out(service.store_item_content(session, actor, claim_id, item_id, draft), actor))
    finally:
        await run_in_threadpool(draft.discard)


@router.post("/match", response_model=MatchList, openapi_extra=MULTIPART_FILE_SCHEMA)
async def match(
    actor: StaffUser, upload: Annotated[UploadFile, Depends(multipart_file)], limit: Annotated[int, Query(ge=1, le=50)] = 10
) -> MatchList:
    settings = get_settings()
    found = await run_read(lambda session: service.match_upload(session, upload.file, settings, limit=limit))
    return MatchList(matches=found)
