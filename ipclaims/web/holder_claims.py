"""The rights holder's claims: `/claims` (own claims, newest first, paginated) and `/claims/{id}` (status,
elements, items with outcomes, letters, messages). Reads go through the claims service's own visibility query,
so another holder's claim is a 404 page exactly as in the API."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from ipclaims.claims import service
from ipclaims.db import DbSession
from ipclaims.web.auth import CurrentUser
from ipclaims.web.templating import render

router = APIRouter()

PAGE_SIZE = 25


@router.get("/claims", include_in_schema=False)
def claims_list(
    request: Request, session: DbSession, user: CurrentUser, cursor: Annotated[str | None, Query(max_length=200)] = None
) -> HTMLResponse:
    rows, next_cursor = service.list_claims(session, user, service.ClaimFilters(), cursor=cursor or None, limit=PAGE_SIZE)
    return render(request, "claims/list.html", {"claims": rows, "next_cursor": next_cursor, "on_first": not cursor})
