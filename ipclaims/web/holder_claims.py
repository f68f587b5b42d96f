"""The rights holder's claims: `/claims` (own claims, newest first, paginated), `/claims/{id}` (status, elements,
items with outcomes, letters, messages) and, while a claim is `needs_info`, `/claims/{id}/supplement`, which
takes what is missing through the same service as `PATCH /api/v1/claims/{id}`.

Reads go through each service's own visibility rule, so another holder's claim, letter or message is the 404 page,
exactly as in the API. Staff reach the same view (webstaff's review page takes over `/claims/{id}` for them).
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from ipclaims.claims import notice, service
from ipclaims.claims.schemas import ClaimPatch
from ipclaims.config import get_settings
from ipclaims.db import DbSession, WriteTransaction, run_read
from ipclaims.letters import messages
from ipclaims.letters import service as letters_service
from ipclaims.models import Account, Claim, ClaimStatus
from ipclaims.web import claim_form
from ipclaims.web.auth import CurrentUser, HolderUser
from ipclaims.web.holder_new import form_context, reference_works
from ipclaims.web.templating import render

router = APIRouter()

PAGE_SIZE = 25


@router.get("/claims", include_in_schema=False)
def claims_list(
    request: Request, session: DbSession, user: CurrentUser, cursor: Annotated[str | None, Query(max_length=200)] = None
) -> HTMLResponse:
    rows, next_cursor = service.list_claims(session, user, service.ClaimFilters(), cursor=cursor or None, limit=PAGE_SIZE)
    return render(request, "claims/list.html", {"claims": rows, "next_cursor": next_cursor, "on_first": not cursor})


def _elements(claim: Claim) -> list[dict[str, str]]:
    rows = []
    for e in sorted(claim.elements, key=lambda e: e.position):
        plain, _sections = claim_form.ELEMENTS.get(e.code, (e.detail, ()))
        rows.append({"code": e.code, "status": e.status, "citation": e.citation, "detail": e.detail, "plain": plain})
    return rows


def _detail(session: Session, user: Account, claim_id: str) -> dict[str, Any]:
    claim = service.get(session, user, claim_id)  # 404 for another holder's claim
    letters, _ = letters_service.list_for_claim(session, user, claim, None, limit=letters_service.PAGE)
    return {
        "claim": claim,
        "elements": _elements(claim),
        "items": sorted(claim.items, key=lambda i: i.position),
        "letters": letters,
        "messages": messages.for_claim(session, user, claim.id),
        "needs_info": claim.status is ClaimStatus.NEEDS_INFO,
    }


@router.get("/claims/{claim_id}", include_in_schema=False)
def claim_page(request: Request, claim_id: str, session: DbSession, user: CurrentUser, filed: int = 0, added: int = 0) -> HTMLResponse:
    return render(request, "claims/detail.html", _detail(session, user, claim_id) | {"filed": bool(filed), "added": bool(added)})


@router.get("/claims/{claim_id}/letters/{letter_id}.pdf", include_in_schema=False)
def letter_pdf(claim_id: str, letter_id: str, session: DbSession, user: CurrentUser) -> Response:
    """A letter's PDF for the browser (the API's `GET /api/v1/letters/{id}.pdf` wants a key): same service, same
    visibility (the holder reads only the letters addressed to the notifier)."""
    letter, data = letters_service.pdf_bytes(session, user, letter_id)
    if letter.claim_id != claim_id:
        service.get(session, user, claim_id)  # the claim's own 404 first
        return Response(status_code=404)
    return Response(
        data,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{letter.kind.value}-v{letter.version}.pdf"', "ETag": f'"{letter.sha256}"'},
    )


async def _supplement_context(user: Account, claim_id: str) -> tuple[Claim, dict[str, str]]:
    def load(session: Session) -> tuple[Claim, dict[str, str]]:
        claim = service.get(session, user, claim_id)
        return claim, claim_form.values_from_notice(notice.to_notice(claim))

    return await run_read(load)


@router.get("/claims/{claim_id}/supplement", include_in_schema=False)
async def supplement_form(request: Request, claim_id: str, user: HolderUser) -> Response:
    claim, values = await _supplement_context(user, claim_id)
    if claim.status is not ClaimStatus.NEEDS_INFO:
        return RedirectResponse(f"/claims/{claim.id}", status_code=303)
    checked = claim_form.check(user, values, claim.regime, claim.kind.value, get_settings(), for_submit=False)
    context = form_context(claim.regime, claim.kind.value, values, checked, await reference_works(user))
    context |= {"claim": claim, "action": f"/claims/{claim.id}/supplement", "mode": "supplement", "form_token": None}
    return render(request, "claims/form.html", context)


@router.post("/claims/{claim_id}/supplement", include_in_schema=False)
async def supplement(request: Request, claim_id: str, user: HolderUser, tx: WriteTransaction) -> Response:
    claim, before = await _supplement_context(user, claim_id)
    form = await request.form()
    after = claim_form.values_from_form(form)
    regime, kind = claim.regime, claim.kind.value
    fields = claim_form.patch_fields(before, after, regime, kind, [(i.id, i.url or "") for i in claim.items])
    errors: dict[str, str] = {}
    patch: ClaimPatch | None = None
    if not fields:
        errors["form"] = "Nothing was changed. Fill in the parts marked as missing, then send."
    else:
        try:
            patch = ClaimPatch.model_validate_json(json.dumps(fields))
        except ValidationError as exc:
            for err in exc.errors():
                errors.setdefault(claim_form.input_name(err.get("loc", ())), claim_form.plain(err.get("msg", "not valid")))
    if patch is None:
        checked = claim_form.Checked(report=None, errors=errors)
        context = form_context(regime, kind, after, checked, await reference_works(user))
        context |= {"claim": claim, "action": f"/claims/{claim.id}/supplement", "mode": "supplement", "form_token": None, "refused": True}
        return render(request, "claims/form.html", context, status_code=422)
    chosen = patch
    await tx.run(lambda session: service.update(session, user, claim_id, chosen, get_settings()))
    return RedirectResponse(f"/claims/{claim.id}?added=1", status_code=303)
