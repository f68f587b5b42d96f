"""`/notices/import`: staff paste a notice or upload its `.eml` (or the document it came as, `mailroom.documents`),
see the message text with each element's evidence highlighted beside the draft claim, correct the fields, and make
the claim.

Every step goes through the mailroom's own service, as `POST /api/v1/notices/parse` and `POST /api/v1/notices` do:
`mailroom.reading.read` reads the text (`ipclaims.notices`), `service.parse` judges it and runs intake's dry run on
the fields (with the staff's corrections), `service.create` makes the claim through intake and keeps the original
message. The page only shows what they say. The original bytes travel between the steps in hidden fields (base64,
in parts under the form parser's 1 MB per field), so the claim keeps the message exactly as received.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from ipclaims import idempotency, legal
from ipclaims.config import get_settings
from ipclaims.db import WriteTransaction, run_read
from ipclaims.errors import AppError, size_words
from ipclaims.mailroom import api as mailroom_api
from ipclaims.mailroom import documents, parts, reading, service
from ipclaims.models import Account, utcnow
from ipclaims.web import claim_form, notice_checks, notice_copies, notice_owner, notice_text, staff
from ipclaims.web.auth import StaffUser
from ipclaims.web.once import submit_once
from ipclaims.web.templating import render

router = APIRouter()

PASTE_LIMIT = 900_000  # bytes of pasted text: the form parser keeps each field under 1 MB (upload a bigger file)
CHUNK = 900_000  # base64 characters per hidden field
FINGERPRINT = "web-notice-import"
# What the file input offers (its `accept`): messages, text and every document the mailroom reads (`documents`).
FILE_TYPES = ",".join([".eml", ".txt", reading.RFC822, reading.PLAIN, *(t for d in documents.DOCUMENTS for t in (d.suffix, d.media_type))])


def _raw_parts(raw: bytes) -> list[str]:
    encoded = base64.b64encode(raw).decode("ascii")
    return [encoded[i : i + CHUNK] for i in range(0, len(encoded), CHUNK)] or [""]


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


async def _source_from(form: FormData, limit: int) -> reading.Source:
    """The notice of the first step: the uploaded file if one was chosen, else the pasted text (as the API's)."""
    upload = form.get("file")
    if isinstance(upload, UploadFile) and upload.filename:
        return await mailroom_api.read_upload(upload, limit, documents=True)
    pasted = form.get("text")
    raw = pasted.replace("\r\n", "\n").encode("utf-8") if isinstance(pasted, str) else b""
    if not raw.strip():
        raise Refused(422, "Paste the notice's text or choose its .eml file.")
    if len(raw) > min(limit, PASTE_LIMIT):
        raise Refused(413, f"Pasted text is limited to {size_words(min(limit, PASTE_LIMIT))}: upload the message as a file instead.")
    return reading.Source(raw, reading.PLAIN)


def source_kept(form: FormData, limit: int) -> reading.Source:
    """The notice as the first step read it, from the hidden fields of the correction form."""
    try:
        raw = base64.b64decode("".join(v for v in form.getlist("raw") if isinstance(v, str)), validate=True)
    except (binascii.Error, ValueError):
        raise Refused(422, "The notice did not come back intact: read it again.") from None
    if not raw.strip():
        raise Refused(422, "The notice did not come back with the form: read it again.")
    if len(raw) > limit:
        raise Refused(413, f"The notice is larger than {size_words(limit)}, the most a notice may be.")
    media = _text(form.get("media_type")) or reading.PLAIN
    if media not in reading.MEDIA_TYPES:
        raise Refused(422, "The notice did not come back as it was read (its type is not one the page gives): read it again.")
    return reading.Source(raw, media, _text(form.get("filename")))


class Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def _start(request: Request, message: str | None = None, status: int = 200, typed: str = "", regime: str = "") -> HTMLResponse:
    context: dict[str, Any] = {"error": message, "typed": typed, "regime": regime, "regimes": staff.REGIMES}
    kinds = [suffix for _, suffix in documents.kinds(documents=True)]
    context |= {"limit": size_words(PASTE_LIMIT), "file_kinds": kinds, "file_types": FILE_TYPES}
    return render(request, "staff/notice_import.html", context, status_code=status)


def _regime(form: FormData) -> str | None:
    """The regime chosen: none (what the text shows) or one the page offers; any other value is refused (422), as
    the API refuses a regime it does not know."""
    value = _text(form.get("regime"))
    if value is not None and value not in dict(staff.REGIMES):
        raise Refused(422, f"“{value[:40]}” is no regime the page offers: choose one of the list, or none to read the text as it shows.")
    return value


def _regime_shown(form: FormData) -> str:
    value = _text(form.get("regime"))
    return value if value in dict(staff.REGIMES) else ""


ACTIONS = frozenset({"check", "find_owner", "create"})  # the claim form's buttons


def _unoffered(form: FormData, read: reading.Read) -> list[str]:
    """The claim form's inputs holding a value the page never offers (a select's option, a box's value): their
    names. Intake refuses the others it does not know (the relationship, how a mark is misused)."""
    wrong = [k for k in dict.fromkeys(form.keys()) if k.startswith("statements.") and any(v != "true" for v in form.getlist(k))]
    if _text(form.get("works.0.reference_work_id")):  # the page offers no registered work
        wrong.append("works.0.reference_work_id")
    registry = _text(form.get("trademark.registry"))
    if registry and registry not in {v for v, _ in claim_form.REGISTRIES} | {_as_read(read)["trademark.registry"]}:
        wrong.append("trademark.registry")  # the list, and the registry as read
    if form.get("action") not in ACTIONS:
        wrong.append("action")
    return wrong


@router.get("/notices/import", include_in_schema=False)
async def import_page(request: Request, user: StaffUser) -> HTMLResponse:
    return _start(request)


def _reading_context(user: Account, read: reading.Read, regime: str | None, values: dict[str, str] | None) -> dict[str, Any]:
    """The reading page: the text's judgements with their evidence, intake's check of the (corrected) fields, and
    the form of the fields. `values`: what staff typed; None on the first reading (the fields as read)."""
    settings = get_settings()
    body = service.claim_body(read)
    chosen = claim_form.form_for(read.reading.regime, body.get("kind"))
    extra = _extra_works(body)
    as_read = claim_form.values_from_notice(body) | _work_values(extra)
    if values is not None:  # only the works the notice gave: other `works.N.*` inputs are not the form's
        values = {k: v for k, v in values.items() if not _extra_work_key(k) or k in as_read}
        values |= {k: "" for k in as_read if _extra_work_key(k) and k not in values}
    corrections = _corrections(as_read, values, chosen, _beyond(body)) if values is not None else {}
    parsed = service.parse(user, read, regime, None, settings, corrections=corrections)
    read_regime = read.reading.regime
    elements = notice_checks.elements(read, parsed, corrections)
    return {
        "read": read,
        "regime": regime or "",
        "read_regime": read_regime,
        "regime_name": dict(staff.REGIMES).get(read_regime, read_regime),
        "read_kind": read.reading.kind,
        "segments": notice_text.segments(read.reading.text, read.reading.judgements, {e["code"]: e["name"] for e in elements}),
        "elements": elements,
        "text_complete": parsed["completeness"]["complete"],
        "intake_complete": parsed["intake_completeness"]["complete"],
        "corrected": [claim_form.field_name(read_regime, top) for top in sorted(corrections)],
        "form": chosen,
        "values": values if values is not None else as_read,
        "errors": notice_checks.field_errors(as_read, values) if values is not None else {},
        "sections": claim_form.sections_for(*chosen) if chosen else set(),
        "extra_works": list(range(1, len(extra) + 1)),
        "statements": claim_form.statements_for(chosen[0], from_notice=True) if chosen else [],
        "words": claim_form.notice_words(read_regime),
        "reference_works": [],
        "raw_parts": _raw_parts(read.source.raw),
        "media_type": read.source.media_type,
        "filename": read.source.filename or "",
        "sender": read.sender,
        "subject": read.message.subject,
        # A notice of more URLs than a claim takes is made into several claims (`mailroom.parts`): say how many.
        # the items as read, unless staff corrected them (the body read again with the corrections only then)
        "reported_urls": len(urls := (service.claim_body(read, corrections) if corrections else body)["items"]),
        "per_claim": settings.max_items,
        "claims_made": parts.claims_for(len(urls), settings.max_items),
        "parts_bound": parts.MAX_PARTS,
    }


def _corrections(
    as_read: dict[str, str], typed: dict[str, str] | None, chosen: tuple[str, str] | None, beyond: list[Any]
) -> dict[str, Any]:
    """The top-level fields whose values staff changed, as the claim form makes them (`claim_form.notice_fields`);
    None for a field staff emptied. A field counts as changed only when its value does, both sides made by the same
    form and compared as `_normal` says: the browser sends a textarea's lines back as CRLF and a single-line input
    without line breaks, so the inputs' strings differ from what was read though nobody touched them, and the list
    this returns is the audit record of what staff corrected (`corrected_fields`).

    A change to any work replaces the works with every work as shown (the first from the shared form, the others
    from their own inputs), so the works not changed are kept as read."""
    if typed is None or chosen is None:
        return {}
    before, after = _as_shown(as_read), {k: typed.get(k, "") for k in as_read}
    read, made = claim_form.notice_fields(before, *chosen), claim_form.notice_fields(after, *chosen)
    patch: dict[str, Any] = {}
    for top in sorted((set(read) | set(made)) - {"regime", "kind", "works"}):
        if _normal(top, made.get(top)) != _normal(top, read.get(top)):
            patch[top] = made.get(top)
    count = len({k.split(".")[1] for k in as_read if _extra_work_key(k)})
    works_read, works_made = _shown_works(before, chosen, count), _shown_works(after, chosen, count)
    if [_normal("works", w) for w in works_made] != [_normal("works", w) for w in works_read]:
        patch["works"] = [w for w in [*works_made, *beyond] if w] or None  # beyond: not shown, as read
    return patch


# The inputs of one line (every text input but these textareas): a browser drops a line break from their value.
MULTILINE = frozenset({"sg_address_for_service", "works.0.description", "explanation", "trademark.goods_services"})


def _as_shown(as_read: dict[str, str]) -> dict[str, str]:
    """The fields as read, as the browser holds them in the form's inputs (HTML's value sanitisation of a text input
    strips its line breaks), so an input nobody touched compares equal to what was read."""
    one_line = set(claim_form.TEXT_FIELDS) - MULTILINE
    return {k: v.replace("\r", "").replace("\n", "") if k in one_line else v for k, v in as_read.items()}


def _shown_works(values: dict[str, str], chosen: tuple[str, str], count: int) -> list[dict[str, Any]]:
    first = claim_form.notice_fields(values, *chosen).get("works") or [{}]
    return [first[0], *(_work_from(values, n) for n in range(1, count + 1))]


def _normal(top: str, value: Any) -> Any:
    """A value as compared for a correction: runs of whitespace as one space, blanks as absent, and the lists the form
    re-serialises (the reported URLs, a work's URLs, jurisdictions, Nice classes) as sets; items by their URL only
    (which work an item points at follows from the works, compared on their own)."""
    if top == "items" and isinstance(value, list):
        value = [item.get("url") if isinstance(item, dict) else item for item in value]
    return _canonical(value)


def _canonical(value: Any) -> Any:
    if isinstance(value, str):
        return " ".join(value.split()) or None
    if isinstance(value, dict):
        pairs = ((k, _canonical(v)) for k, v in value.items())
        return {k: v for k, v in pairs if v not in (None, {}, [])} or None
    if isinstance(value, list):
        kept = [c for c in (_canonical(v) for v in value) if c not in (None, {}, [])]
        return sorted(kept, key=lambda c: json.dumps(c, sort_keys=True, default=str)) or None
    return value if value not in (False, "") else None


MAX_WORKS = 50  # works read from one notice that the page lets staff correct one by one
WORK_INPUTS = ("title", "description", "urls", "registration_number")


def _extra_work_key(name: str) -> bool:
    parts = name.split(".")
    return len(parts) == 3 and parts[0] == "works" and parts[1].isdecimal() and parts[1] != "0" and parts[2] in WORK_INPUTS


def _beyond(body: dict[str, Any]) -> list[Any]:
    """The works after those the page shows (MAX_WORKS): kept as read when staff correct a work."""
    return list((body.get("works") or [])[MAX_WORKS:])


def _extra_works(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The works after the first that the reading gave (the first is the shared form's `works.0.*`)."""
    works = body.get("works") or []
    return [w if isinstance(w, dict) else {} for w in works[1:MAX_WORKS]]


def _work_values(works: list[dict[str, Any]]) -> dict[str, str]:
    out = {}
    for n, work in enumerate(works, 1):
        for key in WORK_INPUTS:
            value = work.get(key)
            out[f"works.{n}.{key}"] = "\n".join(str(u) for u in value) if isinstance(value, list) else "" if value is None else str(value)
    return out


def _work_from(values: dict[str, str], n: int) -> dict[str, Any]:
    work: dict[str, Any] = {k: v for k in ("title", "description", "registration_number") if (v := values.get(f"works.{n}.{k}", ""))}
    if urls := values.get(f"works.{n}.urls", "").split():
        work["urls"] = urls
    return work


def _typed_works(form: FormData) -> dict[str, str]:
    """What was typed in the inputs of the works after the first (`works.N.*`, N below MAX_WORKS)."""
    out = {}
    for n in range(1, MAX_WORKS):
        for key in WORK_INPUTS:
            raw = form.get(f"works.{n}.{key}")
            if isinstance(raw, str):
                out[f"works.{n}.{key}"] = raw.strip()
    return out


def _as_read(read: reading.Read) -> dict[str, str]:
    body = service.claim_body(read)
    return claim_form.values_from_notice(body) | _work_values(_extra_works(body))


async def _answered(user: Account, read: reading.Read) -> dict[str, Any]:
    """A counter-notice makes no claim: it answers one. The claims reporting an address it names, to link them, each
    item marked when a counter-notice can be recorded on it (`counter_draft` fills that form from this reading)."""
    if read.reading.kind != "counter_notice":
        return {}
    urls = service.named_urls(read.reading.text)
    answered = await run_read(lambda session: service.claims_naming(session, user, urls))
    for claim in answered:
        for item in claim["items"]:
            item["can_record"] = item["status"] == "actioned" and legal.counter_notice_regime(claim["regime"]) is not None
    return {"answered": answered, "named_urls": urls}


async def _owner(read: reading.Read, choice: notice_owner.Choice | None = None, *, search: bool = False) -> dict[str, Any]:
    """The owner and receipt inputs of a claim's form (`notice_owner`): as the mailroom would take them, or as typed."""
    if read.reading.kind != "claim":
        return {}
    now, zone = utcnow(), get_settings().timezone
    shown = choice or notice_owner.as_read(read, zone, now)
    return await run_read(lambda session: notice_owner.context(session, read, shown, search=search, now=now)) | {"platform_zone": zone}


async def show_again(
    request: Request, user: Account, form: FormData, message: str, status: int, extra: dict[str, Any] | None = None
) -> Response:
    """The reading page again, from the hidden fields of one of its forms, with `message` at the top (`extra`: what
    the form's other inputs held, shown again)."""
    try:
        regime = _regime(form)
        read = await run_in_threadpool(reading.read, source_kept(form, get_settings().max_notice_bytes), regime=regime)
        context = await run_in_threadpool(_reading_context, user, read, regime, None)
    except Refused as exc:
        return _start(request, exc.message, exc.status, "", _regime_shown(form))
    except AppError as exc:
        return _start(request, staff.explain(exc), exc.status, "", _regime_shown(form))
    context |= await _answered(user, read) | await _owner(read) | await notice_copies.context(read)
    return _page(request, context | (extra or {}), message, status)


def _page(request: Request, context: dict[str, Any], message: str | None = None, status: int = 200) -> HTMLResponse:
    token = context.get("form_token") or secrets.token_urlsafe(24)
    if context.get("read_kind") == "claim" and "owner" in context:
        context["acknowledgment"] = notice_checks.acknowledgment(context["values"], context["owner"])
    return render(request, "staff/notice_reading.html", context | {"error": message, "form_token": token}, status_code=status)


@router.post("/notices/import", include_in_schema=False)
async def read_notice(request: Request, user: StaffUser) -> Response:
    """The first step: read the pasted text or the uploaded file, nothing stored."""
    form = await request.form()
    typed = form.get("text") if isinstance(form.get("text"), str) else ""
    try:
        regime = _regime(form)
        source = await _source_from(form, get_settings().max_notice_bytes)
        read = await run_in_threadpool(reading.read, source, regime=regime)
        context = await run_in_threadpool(_reading_context, user, read, regime, None)
    except Refused as exc:
        return _start(request, exc.message, exc.status, str(typed), _regime_shown(form))
    except AppError as exc:
        return _start(request, staff.explain(exc), exc.status, str(typed), _regime_shown(form))
    return _page(request, context | await _answered(user, read) | await _owner(read) | await notice_copies.context(read))


@router.post("/notices/import/create", include_in_schema=False)
async def create_claim(request: Request, user: StaffUser, tx: WriteTransaction) -> Response:
    """Check the corrections (`action=check`) or make the claim (through `service.create`, as the API's)."""
    form = await request.form()
    settings = get_settings()
    try:
        regime = _regime(form)
        source = source_kept(form, settings.max_notice_bytes)
        read = await run_in_threadpool(reading.read, source, regime=regime)
    except Refused as exc:
        return _start(request, exc.message, exc.status, "", _regime_shown(form))
    except AppError as exc:
        return _start(request, staff.explain(exc), exc.status, "", _regime_shown(form))
    typed = claim_form.values_from_form(form) | _typed_works(form)
    token = _text(form.get("form_token")) or secrets.token_urlsafe(24)
    action = form.get("action")
    choice = notice_owner.typed(form)
    owner = await _owner(read, choice, search=action == "find_owner")
    now = utcnow()
    chosen = await run_read(lambda session: notice_owner.check(session, choice, settings.timezone, now))
    try:
        context = await run_in_threadpool(_reading_context, user, read, regime, typed)
    except AppError as exc:  # a corrected field intake cannot take: show it again, everything kept, the field marked
        context = await run_in_threadpool(_reading_context, user, read, regime, None)
        context |= owner | await notice_copies.context(read, form) | {"values": typed, "form_token": token}
        if marked := notice_checks.refused_fields(exc.errors):
            return _page(request, context | {"errors": marked}, "Correct the fields marked below.", exc.status)
        return _page(request, context, staff.explain(exc), exc.status)
    context |= owner | await notice_copies.context(read, form) | {"form_token": token, "errors": context["errors"] | chosen.errors}
    context["corrected"] += _staff_set(read, chosen, owner, now)
    if wrong := _unoffered(form, read):
        named = dict.fromkeys("the button" if k == "action" else claim_form.field_name(read.reading.regime, k.split(".")[0]) for k in wrong)
        return _page(request, context, f"The form sent a value the page does not offer ({', '.join(named)}): nothing was made.", 422)
    if action in ("check", "find_owner") or read.reading.kind != "claim":
        return _page(request, context | await _answered(user, read))
    if chosen.errors:
        return _page(request, context, "Correct the owner or the date received: " + " ".join(chosen.errors.values()), 422)
    if context["errors"]:  # a correction intake would take but the claim must not (`notice_checks.field_errors`)
        return _page(request, context, "Correct the fields marked below: " + " ".join(context["errors"].values()), 422)
    corrections = _corrections(_as_read(read), context["values"], context["form"], _beyond(service.claim_body(read)))

    def make(session: Session, record: idempotency.KeyRecord | None) -> bytes:
        if record is not None:
            record.claim(session)  # first: the same form sent again is the claim it made, no duplicate of it
        notice_copies.refuse_unless_chosen(session, read, form)  # in the write: a copy stored meanwhile too
        return service.create(
            session,
            user,
            read,
            regime=regime,
            kind=None,
            settings=settings,
            channel="web",
            record=record,
            corrections=corrections,
            owner_id=chosen.owner_id,
            received_at=chosen.received_at,
        )

    try:
        claim_id = await submit_once(tx, request, user, make, fingerprint=FINGERPRINT, key=f"web-notice:{token[:200]}")
    except AppError as exc:  # a copy stored meanwhile is named on the page too
        return _page(request, context | await notice_copies.context(read, form), staff.explain(exc), exc.status)
    return RedirectResponse(f"/claims/{claim_id}?imported=1", status_code=303)


def _staff_set(read: reading.Read, chosen: notice_owner.Checked, owner: dict[str, Any], now: datetime) -> list[str]:
    """The owner and receipt time, named among the corrections when they differ from what the mailroom would take."""
    out = []
    if chosen.owner_id and chosen.owner_id != owner.get("owner", {}).get("default_id"):
        out.append(claim_form.field_name(read.reading.regime, "on_behalf_of"))
    if chosen.received_at is not None and chosen.received_at != reading.received_at(read.message, now):
        out.append(claim_form.field_name(read.reading.regime, "received_at"))
    return out
