"""Matching JSON API: the reported material of a claim item, and staff look-ups across the whole library."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from starlette.datastructures import UploadFile

from ipclaims.auth.deps import CurrentAccount, StaffUser
from ipclaims.claims.presenter import item_out
from ipclaims.claims.schemas import ItemOut
from ipclaims.config import get_settings
from ipclaims.db import DbSession
from ipclaims.http import MULTIPART_FILE_SCHEMA, multipart_file
from ipclaims.matching import service
from ipclaims.matching.schemas import MatchList

router = APIRouter(prefix="/api/v1", tags=["matching"])


@router.post("/claims/{claim_id}/items/{item_id}/content", response_model=ItemOut, openapi_extra=MULTIPART_FILE_SCHEMA)
def upload_item_content(claim_id: str, item_id: str, session: DbSession, actor: CurrentAccount,
                        upload: Annotated[UploadFile, Depends(multipart_file)]) -> ItemOut:
    return item_out(service.match_item_content(session, actor, claim_id, item_id, upload.file, get_settings()))


@router.post("/match", response_model=MatchList, openapi_extra=MULTIPART_FILE_SCHEMA)
def match(session: DbSession, actor: StaffUser, upload: Annotated[UploadFile, Depends(multipart_file)],
          limit: Annotated[int, Query(ge=1, le=50)] = 10) -> MatchList:
    return MatchList(matches=service.match_upload(session, upload.file, get_settings(), limit=limit))
