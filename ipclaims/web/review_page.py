"""The staff's `/claims/{id}`: the review page. The rights holder's view lives at the same path (holder_claims);
this router is registered first and hands a rights holder to it, so each role gets its own page from one URL.

It reads through the services the API uses (claims.service, review.notes, review.counter_notices,
integrations.grey_areas, letters.service): completeness elements, each item with its reported image beside the
matched reference and the matched region, the timeline, notes, counter-notices with both restore-window dates, and
grey-area flags. Reported images are blurred and greyscale until revealed (`data-reveal`), unless the reviewer
turned that off (web.preferences). The images are served here, to staff only, from the item's own content and the
references its matches name.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from ipclaims import storage
from ipclaims.claims import repository
from ipclaims.claims import service as claims_service
from ipclaims.db import DbSession, run_read
from ipclaims.errors import NotFound
from ipclaims.integrations import grey_areas
from ipclaims.letters import service as letters_service
from ipclaims.mailroom import api as mailroom_api
from ipclaims.mailroom import documents, parts, reading
from ipclaims.models import Account, Claim, ClaimItem, ClaimStatus, ItemContent, Role, SourceMessage, WorkImage
from ipclaims.review import counter_notices, notes
from ipclaims.web import claim_form, holder_claims, preferences, staff, staff_elements
from ipclaims.web.auth import STAFF, CurrentUser, StaffUser
from ipclaims.web.templating import render

router = APIRouter()

TIMELINE = 200  # events shown; a claim with more links to the API for the rest
OPEN = frozenset({ClaimStatus.IN_REVIEW, ClaimStatus.ESCALATED, ClaimStatus.NEEDS_INFO})


def _latest_content(session: Session, item_ids: list[str]) -> dict[str, ItemContent]:
    if not item_ids:
        return {}
    rows = session.scalars(select(ItemContent).where(ItemContent.item_id.in_(item_ids)).order_by(ItemContent.id))
    return {row.item_id: row for row in rows}  # ordered by id: the last upload of each item wins


def _match_view(match: dict[str, Any]) -> dict[str, Any]:
    """A match with its score as a percentage; its `region` (pixels of the reported image) is drawn as an SVG box."""
    return match | {"percent": round(100 * float(match.get("score", 0)), 1)}


def _items(session: Session, claim: Claim, user: Account) -> list[dict[str, Any]]:
    items = sorted(claim.items, key=lambda i: i.position)
    contents = _latest_content(session, [i.id for i in items])
    counters: dict[str, list[Any]] = {}
    for c in counter_notices.list_for_claim(session, user, claim):
        counters.setdefault(c.item_id, []).append(c)
    rows = []
    for item in items:
        content = contents.get(item.id)
        matches = [_match_view(m) for m in (item.matches or [])]
        rows.append(
            {
                "item": item,
                "content": content,
                "matches": matches,
                "best": matches[0] if matches else None,
                "counters": counters.get(item.id, []),
            }
        )
    return rows


def _flags(session: Session, claim: Claim) -> list[dict[str, Any]]:
    flags = grey_areas.flags_for_claim(session, claim.id)
    related = {f.related_claim_id for f in flags if f.related_claim_id}
    refs = dict(session.execute(select(Claim.id, Claim.reference).where(Claim.id.in_(related))).tuples().all()) if related else {}
    return [{"flag": f, "kind": str(f.kind), "related_reference": refs.get(f.related_claim_id or "")} for f in flags]


CHANNELS = {
    "web": "the import page",
    "api": "the API (POST /api/v1/notices)",
    "file": "a file import (ipclaims notices import)",
    "smtp": "the mail inbox",
}
QUOTE_CHARS = 300  # of each evidence quote shown; the whole text is the original message


def _source(session: Session, user: Account, claim: Claim) -> dict[str, Any] | None:
    """The message the claim was made from and the text's reading kept with it (`mailroom.service.create`): its
    elements as read, each with the words it was judged on, and the fields staff corrected on the import page."""
    origin = parts.origin(session, user, claim, raw=False)
    if origin is None:
        return None
    row: SourceMessage = origin.message
    kept = row.reading or {}
    evidence = kept.get("evidence") or {}
    read_regime = str(kept.get("regime") or row.regime or claim.regime)
    rows = []
    for e in (kept.get("completeness") or {}).get("elements") or []:
        code = str(e.get("code", ""))
        quotes = [str(q.get("quote", ""))[:QUOTE_CHARS] for q in evidence.get(code) or [] if isinstance(q, dict)]
        name, _ = staff_elements.named(read_regime, code, counter=kept.get("kind") == "counter_notice")
        rows.append(e | {"code": code, "name": name, "quotes": quotes})
    return {
        "row": row,
        "channel": CHANNELS.get(row.channel, row.channel),
        "is_message": row.media_type == reading.RFC822,
        "document": document.suffix if (document := documents.BY_MEDIA_TYPE.get(row.media_type)) else None,
        "read_regime": kept.get("regime") or row.regime,
        "read_regime_name": dict(staff.REGIMES).get(read_regime, read_regime),
        "read_kind": kept.get("kind"),
        "complete": (kept.get("completeness") or {}).get("complete"),
        "elements": rows,
        "corrected": [claim_form.field_name(claim.regime, str(top)) for top in kept.get("corrected_fields") or []],
        "text_sender": None if row.sender else _text_sender(kept, claim),
        "part": origin.part,
        "parts": origin.parts if origin.of > 1 else [],  # one of several claims made of the notice: each linked
    }


def _text_sender(kept: dict[str, Any], claim: Claim) -> str | None:
    """The address the owner was chosen by when the notice has no `From` (pasted text): read from the text, as the
    kept reading says; for a claim kept before it said so, the complainant's email as read (staff corrected none)."""
    chosen = kept.get("owner_chosen_by")
    if isinstance(chosen, dict):
        return str(chosen["address"]) if chosen.get("read_from") == "text" and chosen.get("address") else None
    if "complainant" in (kept.get("corrected_fields") or []) or claim.complainant is None:
        return None
    return claim.complainant.email or None


RELATIONSHIPS = {"owner": "the owner of the right", "agent": "acting for the owner (an agent)", "other": "someone else"}


def _details(claim: Claim) -> list[tuple[str, str]]:
    """The claim's fields a reviewer reads beside its elements and that no element's evidence shows whole: who the
    notifier is to the right and whom they act for, why they say it infringes, each work's registration. Only the
    fields given, in the regime's words for the party; staff only (the holder's page is its own)."""
    words = claim_form.notice_words(claim.regime)
    party = words["you"].removeprefix("The ")
    who = claim.complainant
    pairs = [
        (f"{party.capitalize()}'s organisation", who.organization if who else None),
        (words["relationship"], RELATIONSHIPS.get(who.relation or "", who.relation) if who else None),
        (f"Owner the {party} acts for", claim.rights_owner),
        ("Explanation", claim.explanation),
    ]
    for work in sorted(claim.works, key=lambda w: w.position):
        pairs.append((f"Work {work.position + 1}: registration number", work.registration_number))
    return [(label, value.strip()) for label, value in pairs if value and value.strip()]


def staff_context(session: Session, user: Account, claim_id: str) -> dict[str, Any]:
    claim = claims_service.get(session, user, claim_id)
    # The claim read once above, passed down: each service's scope check is that read (`repository.readable`).
    events, more_events = claims_service.list_events(session, user, claim, cursor=None, limit=TIMELINE)
    claim_notes = notes.list_notes(session, user, claim)
    letters, _ = letters_service.list_for_claim(session, user, claim, None, limit=letters_service.PAGE)
    who = staff.names(
        session,
        [
            claim.owner_id,
            claim.assignee_id,
            *(e.actor_id for e in events),
            *(n.author_id for n in claim_notes),
            *(i.decided_by_id for i in claim.items),
        ],
    )
    return {
        "claim": claim,
        "details": _details(claim),
        "elements": staff_elements.rows(claim),  # staff wording and evidence; the holder page keeps its own
        "items": _items(session, claim, user),
        "events": events,
        "more_events": bool(more_events),
        "notes": claim_notes,
        "letters": letters,
        "flags": _flags(session, claim),
        "source": _source(session, user, claim),
        "who": who,
        "blur": preferences.blur_images(session, user),
        "can_decide": user.role in (Role.SPECIALIST, Role.LEGAL) and claim.status in OPEN,
        "can_escalate": user.role in (Role.SPECIALIST, Role.LEGAL) and claim.status is ClaimStatus.IN_REVIEW,
        "is_legal": user.role is Role.LEGAL,
        "errors": {},
        "typed": {},
        "done": None,
        "drafted": {},  # counter-notice forms filled from an imported text (web.counter_draft)
        "imported": False,
    }


async def render_staff(
    request: Request, user: Account, claim_id: str, extra: dict[str, Any] | None = None, *, status_code: int = 200
) -> HTMLResponse:
    context = await run_read(lambda session: staff_context(session, user, claim_id))
    return render(request, "staff/review.html", context | (extra or {}), status_code=status_code)


@router.get("/claims/{claim_id}", include_in_schema=False)
def claim_page(
    request: Request,
    claim_id: str,
    session: DbSession,
    user: CurrentUser,
    filed: int = 0,
    added: int = 0,
    done: str = "",
    imported: int = 0,
) -> Response:
    if user.role not in STAFF:
        return holder_claims.claim_page(request, claim_id, session, user, filed, added)
    extra = {"done": done[:40] or None, "imported": bool(imported)}
    return render(request, "staff/review.html", staff_context(session, user, claim_id) | extra)


@router.get("/claims/{claim_id}/source-message", include_in_schema=False)
def source_message(claim_id: str, session: DbSession, user: StaffUser) -> Response:
    """The original message, for a signed-in staff browser (`GET /api/v1/claims/{id}/source-message` wants an API
    key): the same service and the same bytes. Staff only: the review page is where it is linked."""
    origin = parts.source_message(session, user, claim_id)
    return mailroom_api.source_response(origin.message, claim_id, origin)


def _image(data: bytes, media_type: str) -> Response:
    # Private: a reported image is never cached by a shared cache, nor sniffed as anything else.
    return Response(data, media_type=media_type, headers={"cache-control": "private, max-age=300", "x-content-type-options": "nosniff"})


@router.get("/claims/{claim_id}/items/{item_id}/image", include_in_schema=False)
def item_image(claim_id: str, item_id: str, session: DbSession, user: StaffUser) -> Response:
    claim = repository.get_claim(session, user, claim_id)
    item: ClaimItem = repository.get_item(claim, item_id)
    content = _latest_content(session, [item.id]).get(item.id)
    if content is None:
        raise NotFound(f"item {item_id} has no reported image")
    return _image(storage.read(content.path), content.media_type)


@router.get("/claims/{claim_id}/references/{image_id}", include_in_schema=False)
def reference_image(claim_id: str, image_id: str, session: DbSession, user: StaffUser) -> Response:
    """A reference image, only as one of this claim's matches: the page shows no other work's images."""
    claim = repository.get_claim(session, user, claim_id)
    if not any(m.get("image_id") == image_id for i in claim.items for m in (i.matches or [])):
        raise NotFound(f"no matched reference image {image_id} on this claim")
    image = session.get(WorkImage, image_id)
    if image is None:
        raise NotFound(f"no reference image {image_id}")
    return _image(storage.read(image.path), image.media_type)
