"""A counter-notice read on the import page, carried to the form that records it on its claim's item.

The import page reads a counter-notice and links the claims it answers, but stores nothing (a counter-notice makes
no claim: `mailroom.service.create` refuses one). Without this, the specialist who followed the link met an empty
"Record a counter-notice" form and typed again what the reading had found. Here the original bytes come back from
the import page's hidden fields (as its own correction form sends them), are read again under the claim's regime
(its counter-notice's statements differ: § 512(g)(3) or reg 80(4)), and the review page opens with the item's form
filled from the reading (`notices.fields.counter_fields`) and the message's `Date` as the time received, each field
editable. Nothing is stored until the specialist records it through the form's usual route (`review_actions`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from ipclaims import legal
from ipclaims.claims import service as claims_service
from ipclaims.config import get_settings
from ipclaims.db import run_read
from ipclaims.errors import AppError
from ipclaims.mailroom import reading
from ipclaims.mailroom import service as mailroom_service
from ipclaims.models import Account, utcnow
from ipclaims.web import notice_import, staff, staff_elements
from ipclaims.web.auth import StaffUser
from ipclaims.web.review_page import render_staff

router = APIRouter()

QUOTE_CHARS = 160  # of each element's evidence shown beside the filled form
MAX_ITEMS = 1000  # a claim's items (CONTRACT.md: at most 1,000)


def form_values(read: reading.Read, now: datetime) -> dict[str, str]:
    """The reading's counter-notice fields as the review page's form inputs (`review_actions.counter_notice_body`
    reads them back); what the reading did not find stays blank."""
    fields = read.reading.fields
    values: dict[str, str] = {}

    def put(name: str, value: Any) -> None:
        if isinstance(value, str) and value.strip():
            values[name] = value.strip()

    subscriber = fields.get("subscriber") or {}
    for key in ("name", "email", "phone"):
        put(f"subscriber.{key}", subscriber.get(key))
    address = subscriber.get("address") or {}
    for key in staff.ADDRESS:
        put(f"subscriber.address.{key}", address.get(key))
    put("material", fields.get("material"))
    put("sg_address_for_service", fields.get("sg_address_for_service"))
    signature = fields.get("signature") or {}
    put("signature.name", signature.get("name"))
    put("signature.date", signature.get("date"))
    statements = fields.get("statements") or {}
    for key in staff.COUNTER_STATEMENTS:
        if statements.get(key) is True:
            values[f"statements.{key}"] = "true"
    received = reading.received_at(read.message, now)
    if received != now:  # the message's own Date; without one, recording it stamps the time it is recorded
        values["received_at"] = received.isoformat()
    return values


def _summary(user: Account, read: reading.Read) -> dict[str, Any]:
    """What the box beside the filled form says: where the text came from and each element as the text was read."""
    parsed = mailroom_service.parse(user, read, read.reading.regime, "counter_notice", get_settings())
    evidence = parsed["evidence"]
    as_filled = {e["code"]: e for e in parsed["intake_completeness"]["elements"]}  # the form's check of the fields
    elements = []
    for e in parsed["completeness"]["elements"]:
        quote = next((q["quote"][:QUOTE_CHARS] for q in evidence.get(e["code"]) or []), None)
        filled = as_filled.get(e["code"]) or {}
        filled = filled | {"finding": staff_elements.finding(str(filled.get("detail") or ""))}  # without the cure to the sender
        name, _ = staff_elements.named(read.reading.regime, e["code"], counter=True)
        elements.append(e | {"name": name, "quote": quote, "filled": filled})
    return {
        "sender": read.sender,
        "subject": read.message.subject,
        "complete": parsed["completeness"]["complete"],
        "complete_as_filled": parsed["intake_completeness"]["complete"],
        "elements": elements,
    }


async def _draft(request: Request, user: Account, claim_id: str, item_id: str, form: FormData) -> Response:
    name = f"counter-{item_id}"[:60]
    claim = await run_read(lambda session: claims_service.get(session, user, claim_id))  # 404 as the page's
    if legal.counter_notice_regime(claim.regime) is None:
        message = f"{claim.regime.replace('_', ' ')} claims have no statutory counter-notice: the uploader files a complaint instead."
        return await render_staff(request, user, claim_id, {"errors": {name: message}}, status_code=409)
    try:
        source = notice_import.source_kept(form, get_settings().max_notice_bytes)
        read = await run_in_threadpool(reading.read, source, regime=claim.regime, kind="counter_notice")
        summary = await run_in_threadpool(_summary, user, read)
    except notice_import.Refused as exc:
        return await render_staff(request, user, claim_id, {"errors": {name: exc.message}}, status_code=exc.status)
    except AppError as exc:
        return await render_staff(request, user, claim_id, {"errors": {name: staff.explain(exc)}}, status_code=exc.status)
    extra = {"typed": {name: form_values(read, utcnow())}, "drafted": {name: summary}}
    return await render_staff(request, user, claim_id, extra)


@router.post("/claims/{claim_id}/items/{item_id}/counter-notice/draft", include_in_schema=False)
async def draft_on_item(request: Request, claim_id: str, item_id: str, user: StaffUser) -> Response:
    """From the import page's list of the claims a counter-notice answers: that item's form, filled."""
    return await _draft(request, user, claim_id, item_id, await request.form())


@router.post("/notices/import/counter-notice", include_in_schema=False)
async def draft_by_reference(request: Request, user: StaffUser) -> Response:
    """A counter-notice that names no address a claim reports (or not the one reported): the claim and item staff
    name by the claim's reference and the item's number. Not found: the reading page again, saying so."""
    form = await request.form()
    reference = staff.blank(form.get("reference")) or ""
    number = staff.blank(form.get("item")) or "1"
    found = None
    if number.isdecimal() and 0 < int(number) <= MAX_ITEMS:
        found = await run_read(lambda session: claims_service.item_by_reference(session, user, reference, int(number)))
    if found is None:
        named = reference or "(no reference given)"
        message = f"No item {number} on a claim {named}: check the reference and the item's number on the claim's page."
        typed = {"counter_reference": reference, "counter_item": number}
        return await notice_import.show_again(request, user, form, message, 404, typed)
    return await _draft(request, user, *found, form)
