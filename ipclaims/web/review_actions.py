"""The review page's forms, each through the API's own service: decisions (one item, or the selected items in one
transaction, with an internal reason and an optional public one), notes, escalation, and a counter-notice recorded
by staff. A refusal (409 state conflict, 422 invalid, 403 role) re-renders the page with the reason beside the form
and everything typed kept; success redirects back to the page (POST, redirect, GET)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from ipclaims.config import get_settings
from ipclaims.db import WriteTransaction
from ipclaims.errors import AppError
from ipclaims.models import Account, ClaimStatus
from ipclaims.review import counter_notices, decisions, notes
from ipclaims.review.schemas import CounterNoticeIn, DecisionIn, TransitionIn
from ipclaims.web import staff
from ipclaims.web.auth import ReviewerUser, StaffUser
from ipclaims.web.review_page import render_staff

router = APIRouter()


def _typed(form: FormData) -> dict[str, Any]:
    return {k: (form.getlist(k) if k == "item" else v) for k, v in form.items() if k != "csrf_token"}


def _invalid(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ()))
        parts.append(f"{where}: {err.get('msg', 'not valid')}" if where else str(err.get("msg")))
    return "Something in the form is not valid: " + "; ".join(parts)


async def _refused(request: Request, user: Account, claim_id: str, form_name: str, message: str, form: FormData, status: int) -> Response:
    extra = {"errors": {form_name: message}, "typed": {form_name: _typed(form)}}
    return await render_staff(request, user, claim_id, extra, status_code=status)


def _back(claim_id: str, done: str) -> Response:
    return RedirectResponse(f"/claims/{claim_id}?done={done}#{done}", status_code=303)


@router.post("/claims/{claim_id}/decisions", include_in_schema=False)
async def decide(request: Request, claim_id: str, user: ReviewerUser, tx: WriteTransaction) -> Response:
    """One item (`item` once) or a bulk decision (`item` for each selected): all or none, in one transaction."""
    form = await request.form()
    item_ids = [i for i in form.getlist("item") if isinstance(i, str) and i]
    name = str(form.get("form") or "bulk")[:40]
    if not item_ids:
        return await _refused(request, user, claim_id, name, "Select at least one item to decide.", form, 422)
    try:
        fields = {
            "outcome": form.get("outcome"),
            "reason": staff.blank(form.get("reason")),
            "public_reason": staff.blank(form.get("public_reason")),
        }
        body = DecisionIn.model_validate_json(json.dumps(fields))
    except ValidationError as exc:
        return await _refused(request, user, claim_id, name, _invalid(exc), form, 422)

    def run(session: Session) -> None:
        for item_id in item_ids:
            decisions.decide_item(session, user, claim_id, item_id, body)

    try:
        await tx.run(run)
    except AppError as exc:
        return await _refused(request, user, claim_id, name, staff.explain(exc), form, exc.status)
    return _back(claim_id, "decided")


@router.post("/claims/{claim_id}/notes", include_in_schema=False)
async def add_note(request: Request, claim_id: str, user: StaffUser, tx: WriteTransaction) -> Response:
    form = await request.form()
    body = staff.blank(form.get("body"))
    if body is None or len(body) > 20000:
        return await _refused(request, user, claim_id, "note", "Write the note (up to 20,000 characters).", form, 422)
    internal = form.get("shared") != "true"
    try:
        await tx.run(lambda session: notes.add_note(session, user, claim_id, body, internal))
    except AppError as exc:
        return await _refused(request, user, claim_id, "note", staff.explain(exc), form, exc.status)
    return _back(claim_id, "noted")


@router.post("/claims/{claim_id}/escalate", include_in_schema=False)
async def escalate(request: Request, claim_id: str, user: ReviewerUser, tx: WriteTransaction) -> Response:
    form = await request.form()
    reason = staff.blank(form.get("reason"))
    if reason is None:
        return await _refused(request, user, claim_id, "escalate", "Say why legal should look at this claim.", form, 422)
    body = TransitionIn(to=ClaimStatus.ESCALATED, reason=reason[:5000])
    try:
        await tx.run(lambda session: decisions.transition_claim(session, user, claim_id, body))
    except AppError as exc:
        return await _refused(request, user, claim_id, "escalate", staff.explain(exc), form, exc.status)
    return _back(claim_id, "escalated")


def counter_notice_body(form: FormData) -> dict[str, Any]:
    """The form's flat fields as the API's JSON body (blank fields left out, so the checker reports them missing)."""

    def text(name: str) -> str | None:
        return staff.blank(form.get(name))

    address = {k: text(f"subscriber.address.{k}") for k in staff.ADDRESS}
    body: dict[str, Any] = {
        "subscriber": {
            "name": text("subscriber.name"),
            "email": text("subscriber.email"),
            "phone": text("subscriber.phone"),
            "address": address if any(address.values()) else None,
        },
        "material": text("material"),
        "statements": {k: form.get(f"statements.{k}") == "true" for k in staff.COUNTER_STATEMENTS},
        "sg_address_for_service": text("sg_address_for_service"),
        "signature": {"name": text("signature.name"), "date": text("signature.date")},
        "received_at": text("received_at"),
    }
    return body


@router.post("/claims/{claim_id}/items/{item_id}/counter-notice", include_in_schema=False)
async def record_counter_notice(request: Request, claim_id: str, item_id: str, user: StaffUser, tx: WriteTransaction) -> Response:
    form = await request.form()
    name = f"counter-{item_id}"[:60]
    try:
        body = CounterNoticeIn.model_validate_json(json.dumps(counter_notice_body(form)))
    except ValidationError as exc:
        return await _refused(request, user, claim_id, name, _invalid(exc), form, 422)
    try:
        await tx.run(lambda session: counter_notices.create(session, user, claim_id, item_id, body, get_settings()))
    except AppError as exc:
        return await _refused(request, user, claim_id, name, staff.explain(exc), form, exc.status)
    return _back(claim_id, "counter-notice")
