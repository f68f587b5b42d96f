"""`/claims/new`: choose a regime and kind, then one guided form per (regime, kind). As fields are filled, htmx
posts the form to `/claims/new/check`, which runs intake's own checks on it (`intake.prepare`, nothing stored) and
answers the completeness panel. Submitting goes through intake (`intake.store`, as `POST /api/v1/claims`) under an
idempotency key made from the form's hidden token, so a double submit makes one claim."""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ipclaims.claims import intake, references
from ipclaims.config import get_settings
from ipclaims.db import WriteTransaction, run_read
from ipclaims.models import Account
from ipclaims.web import claim_form
from ipclaims.web.auth import HolderUser
from ipclaims.web.once import submit_once
from ipclaims.web.templating import render
from ipclaims.works import service as works_service

router = APIRouter()

# The same token always answers with the claim it first made: a form sent twice, or re-sent after going back.
FORM_FINGERPRINT = "web-claim-form"


async def reference_works(user: Account) -> list[tuple[str, str]]:
    """The holder's registered works, for "this claim is about my registered work …"."""
    rows, _ = await run_read(lambda s: works_service.list_works(s, user, limit=200))
    return [(w.id, w.title) for w in rows]


def form_context(
    regime: str, kind: str, values: dict[str, str], checked: claim_form.Checked | None, works: list[tuple[str, str]]
) -> dict[str, Any]:
    title, about = claim_form.FORMS[(regime, kind)]
    report = checked.report if checked is not None else None
    return {
        "regime": regime,
        "kind": kind,
        "form_title": title,
        "form_about": about,
        "values": values,
        "errors": checked.errors if checked is not None else {},
        "elements": claim_form.element_rows(report) if report is not None else claim_form.element_guide(regime),
        "checked": report is not None,
        "complete": bool(report and report.complete),
        "sections": claim_form.sections_for(regime, kind),
        "statements": claim_form.statements_for(regime),
        "reference_works": works,
        "refused": False,
    }


@router.get("/claims/new", include_in_schema=False)
async def new_claim(request: Request, user: HolderUser, regime: str | None = None, kind: str | None = None) -> HTMLResponse:
    chosen = claim_form.form_for(regime, kind)
    if chosen is None:
        choices = [{"regime": r, "kind": k, "title": t, "about": a} for (r, k), (t, a) in claim_form.FORMS.items()]
        return render(request, "claims/choose.html", {"choices": choices})
    context = form_context(*chosen, claim_form.blank_values(), None, await reference_works(user))
    context |= {"form_token": secrets.token_urlsafe(24), "action": "/claims/new", "mode": "new"}
    return render(request, "claims/form.html", context)


@router.post("/claims/new/check", include_in_schema=False)
async def check_claim(request: Request, user: HolderUser) -> HTMLResponse:
    """The completeness panel for what is typed so far (htmx). A dry run: nothing is stored."""
    form = await request.form()
    chosen = claim_form.form_for(_text(form.get("regime")), _text(form.get("kind")))
    if chosen is None:
        return render(
            request, "error.html", {"status": 422, "heading": "Unknown form", "detail": "choose a regime and kind"}, status_code=422
        )
    values = claim_form.values_from_form(form)
    checked = claim_form.check(user, values, *chosen, get_settings(), for_submit=False)
    return render(request, "claims/_completeness.html", form_context(*chosen, values, checked, []))


@router.post("/claims/new", include_in_schema=False)
async def submit_claim(request: Request, user: HolderUser, tx: WriteTransaction) -> Response:
    form = await request.form()
    chosen = claim_form.form_for(_text(form.get("regime")), _text(form.get("kind")))
    if chosen is None:
        return RedirectResponse("/claims/new", status_code=303)
    values = claim_form.values_from_form(form)
    token = _text(form.get("form_token")) or secrets.token_urlsafe(24)
    checked = claim_form.check(user, values, *chosen, get_settings(), for_submit=True)
    prepared = checked.prepared
    if prepared is None:  # malformed (a class that is not a number, no URL at all): show it again, all kept
        context = form_context(*chosen, values, checked, await reference_works(user))
        context |= {"form_token": token, "action": "/claims/new", "mode": "new", "refused": True}
        return render(request, "claims/form.html", context, status_code=422)
    claim_id = await submit_once(
        tx,
        request,
        user,
        lambda session, record: intake.store(session, prepared, record),
        fingerprint=FORM_FINGERPRINT,
        key=f"web-form:{token[:200]}",
        opening=references.DRAWN_WITH_BEGIN,
    )
    return RedirectResponse(f"/claims/{claim_id}?filed=1", status_code=303)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
