"""The uploader's pages (issue 18; no account): `/u/{token}`, opened by the link in the statement of reasons.

What was decided about the one item the token names and why (its public reason, or the standard explanation the
letter gives: never the internal reason), and the uploader's answer: a counter-notice (US § 512(g)(3), Singapore
reg 80(4)) or a DSA Art. 20 complaint, filed through the same services as the API's routes
(`counter_notices.create_by_uploader`, `complaints.file_by_uploader`: the same checks, clock, events, letters and
mail). Once a counter-notice is forwarded the page shows its restore window.

The claim and the item come from the token only (`ipclaims.tokens`), never from the URL or a form: a token opens its
own item and nothing else. An altered or unknown token is a 404 page and an expired one a 410 page, neither naming
anything. Forms carry the CSRF token of the (anonymous) page session, like every page form.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from ipclaims import legal, tokens
from ipclaims.claims import repository
from ipclaims.config import get_settings
from ipclaims.db import DbSession, WriteTransaction, run_read
from ipclaims.errors import AppError, NotFound
from ipclaims.legal.clock import reply_zone
from ipclaims.letters import context as letter_context
from ipclaims.letters import render as letters_render
from ipclaims.models import Claim, Complaint, CounterNotice
from ipclaims.notifications.wording import LEGAL_GROUNDS, REGIME_NAMES
from ipclaims.review import complaints, counter_notices
from ipclaims.review.schemas import ComplaintIn, CounterNoticeIn
from ipclaims.web import staff
from ipclaims.web.templating import render

router = APIRouter()

CONTACT = ("name", "email", "phone", "fax")


COMPLAINT_ERRORS = {
    "body": "Tell us why the decision is wrong (at most 20,000 characters).",
    "email": "Give an email address we can answer at, such as name@example.org, or leave it empty.",
}


class LinkExpired(AppError):
    status, code, title = 410, "link-expired", "This link has expired"


def grant_of(token: str) -> tokens.UploaderGrant:
    try:
        return tokens.read(token, get_settings())
    except tokens.TokenExpired:
        raise LinkExpired(
            "This link has expired. Reply to the email that brought you the decision, quoting its reference, or write "
            "to our designated agent."
        ) from None
    except tokens.TokenInvalid:
        raise NotFound("no such link") from None


def _claim(session: Session, grant: tokens.UploaderGrant) -> Claim:
    claim = session.scalars(select(Claim).where(Claim.id == grant.claim_id).options(*repository.FULL)).first()
    if claim is None:
        raise NotFound("no such link")
    return claim


def _page(
    session: Session, token: str, grant: tokens.UploaderGrant, form: dict[str, Any] | None = None, errors: dict[str, str] | None = None
) -> dict[str, Any]:
    claim = _claim(session, grant)
    source = repository.get_item(claim, grant.item_id)
    item = letter_context.item_view(source)
    counters = list(session.scalars(select(CounterNotice).where(CounterNotice.item_id == source.id).order_by(CounterNotice.created_at)))
    own_complaints = list(
        session.scalars(
            select(Complaint)
            .where(Complaint.item_id == source.id, Complaint.complainant_role == "uploader")
            .order_by(Complaint.received_at)
        )
    )
    counter_regime = legal.counter_notice_regime(claim.regime)
    open_counter = next((c for c in counters if c.status in counter_notices.OPEN), None)
    standard = letters_render.environment().get_template("_standard.html").module
    zone = ZoneInfo(reply_zone(claim.regime, get_settings().timezone))  # the letters' calendar (Singapore's for SG)

    def local(when: datetime, clock: str | None = None) -> str:
        """A moment as the day people read, on the clock the law counts in (a counter-notice's own clock)."""
        return letters_render.long_date(when.astimezone(ZoneInfo(clock) if clock else zone))

    return {
        "local": local,
        "longdate": letters_render.long_date,
        "token": token,
        "grant": grant,
        "claim": claim,
        "item": item,
        "regime_name": REGIME_NAMES[claim.regime],
        "legal_ground": LEGAL_GROUNDS[claim.regime],
        "public_reason": standard.public_reason(item, claim.regime) if item.outcome else None,  # type: ignore[attr-defined]
        "notifier": (claim.complainant.organization or claim.complainant.name) if claim.complainant else None,
        "counters": counters,
        "complaints": own_complaints,
        "counter_regime": counter_regime,
        "can_counter": counter_regime is not None and source.status.value == "actioned" and open_counter is None,
        "can_complain": claim.regime in complaints.COMPLAINT_REGIMES and source.status.value in ("actioned", "no_action"),
        "form": form or {"material": f"The material at {item.url}" if item.url else ""},
        "errors": errors or {},
    }


@router.get("/u/{token}", include_in_schema=False)
def uploader_page(request: Request, token: str, session: DbSession, filed: str | None = None) -> HTMLResponse:
    grant = grant_of(token)
    context = _page(session, token, grant)
    context["filed"] = filed if filed in ("counter-notice", "complaint") else None
    return render(request, "uploader/item.html", context)


def _counter_body(form: dict[str, str]) -> dict[str, Any]:
    address = {k: form.get(k) or None for k in staff.ADDRESS}
    return {
        "subscriber": {**{k: form.get(k) or None for k in CONTACT}, "address": address if any(address.values()) else None},
        "material": form.get("material") or None,
        "statements": {k: form.get(f"statements.{k}") == "true" for k in staff.COUNTER_STATEMENTS},
        "sg_address_for_service": form.get("sg_address_for_service") or None,
        "signature": {"name": form.get("signature") or None, "date": form.get("signature_date") or None},
    }


def _errors(exc: ValidationError) -> dict[str, str]:
    out: dict[str, str] = {}
    for error in exc.errors():
        loc = [str(x) for x in error["loc"] if x not in ("subscriber", "address")]
        key = {"signature.name": "signature", "signature.date": "signature_date"}.get(".".join(loc), loc[-1] if loc else "form")
        out.setdefault(key, str(error["msg"]))
    return out


# Where on the form each element of DOMAIN.md §2's counter-notice tables is answered.
FIELD_OF = {
    "signature": "signature",
    "material_identification": "material",
    "mistake_statement": "mistake_or_misidentification",
    "subscriber_identity": "name",
    "sg_address_for_service": "sg_address_for_service",
    "jurisdiction_consent": "jurisdiction_consent",
    "service_acceptance": "service_acceptance",
    "accuracy_statement": "accuracy",
}
CONTACT_FIELD = {"US_DMCA": "name", "SG_CA2021": "phone"}  # § 512(g)(3)(D) name, address, phone; reg 80(4)(c) phone, email


def _missing(regime: str, report: legal.Completeness) -> dict[str, str]:
    out: dict[str, str] = {}
    for e in report.elements:
        if e.status.value != "present":
            field = CONTACT_FIELD[regime] if e.code == "subscriber_contact" else FIELD_OF.get(e.code, "form")
            out.setdefault(field, f"{e.detail} ({e.citation})")
    return out


async def _form(request: Request) -> dict[str, str]:
    return {k: v for k, v in (await request.form()).items() if isinstance(v, str) and k != "csrf_token"}


async def _invalid(request: Request, token: str, grant: tokens.UploaderGrant, form: dict[str, str], errors: dict[str, str]) -> HTMLResponse:
    """The form again, everything typed kept, each error beside its field (422)."""
    context = await run_read(lambda session: _page(session, token, grant, form, errors))
    return render(request, "uploader/item.html", context | {"filed": None}, status_code=422)


@router.post("/u/{token}/counter-notice", include_in_schema=False)
async def file_counter_notice(request: Request, token: str, tx: WriteTransaction) -> Response:
    grant = grant_of(token)
    form = await _form(request)
    try:
        body = CounterNoticeIn.model_validate_json(json.dumps(_counter_body(form)))  # as the API reads it: JSON
    except ValidationError as exc:
        return await _invalid(request, token, grant, form, _errors(exc))
    settings = get_settings()
    regime = legal.counter_notice_regime(await run_read(lambda session: _claim(session, grant).regime))
    if regime is not None:
        report = counter_notices.check(regime, body, settings)
        if not report.complete:  # said before anything is stored: a deficient one would block the corrected one
            return await _invalid(request, token, grant, form, _missing(regime, report))
    await tx.run(lambda session: counter_notices.create_by_uploader(session, grant.claim_id, grant.item_id, body, settings))
    return RedirectResponse(f"/u/{token}?filed=counter-notice#answer", status_code=303)


@router.post("/u/{token}/complaint", include_in_schema=False)
async def file_complaint(request: Request, token: str, tx: WriteTransaction) -> Response:
    grant = grant_of(token)
    form = await _form(request)
    try:
        body = ComplaintIn.model_validate_json(
            json.dumps({"complainant_role": "uploader", "complainant_email": form.get("email") or None, "body": form.get("body", "")})
        )
    except ValidationError as exc:
        wrong = {"email" if "email" in str(e["loc"]) else "body" for e in exc.errors()}
        return await _invalid(request, token, grant, form, {k: COMPLAINT_ERRORS[k] for k in sorted(wrong)})
    await tx.run(lambda session: complaints.file_by_uploader(session, grant.claim_id, grant.item_id, body))
    return RedirectResponse(f"/u/{token}?filed=complaint#answer", status_code=303)
