"""What a letter shows, chosen from the records (DOMAIN.md §4): never an internal reason, memo or note.

Items are copied into plain views holding only the fields a party may read, so a template cannot reach
`decision_reason` even by mistake.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import object_session

from ipclaims import tokens
from ipclaims.config import Settings
from ipclaims.legal.clock import reply_deadline, reply_zone
from ipclaims.legal.territory import EEA
from ipclaims.models import Claim, ClaimItem, CounterNotice, Event, Letter, LetterKind
from ipclaims.notifications.wording import LEGAL_GROUNDS, REGIME_NAMES, rejected_after_request

NOTIFIER_KINDS = frozenset(LetterKind) - {LetterKind.STATEMENT_OF_REASONS}
STATEMENT_LABELS = {
    "mistake_or_misidentification": "removed by mistake or misidentification",
    "not_infringing": "not an infringing copy",
    "under_penalty_of_perjury": "under penalty of perjury",
    "jurisdiction_consent": "consents to the court's jurisdiction",
    "service_acceptance": "accepts service of process",
    "accuracy": "the information is accurate",
}


@dataclass(frozen=True)
class ItemView:
    id: str
    position: int
    url: str | None
    outcome: str | None
    territorial_scope: list[str] | None
    public_reason: str | None


@dataclass(frozen=True)
class ClaimView:
    id: str
    reference: str
    regime: str
    kind: str
    status: str


def item_view(item: ClaimItem) -> ItemView:
    return ItemView(
        id=item.id,
        position=item.position,
        url=item.url,
        outcome=item.outcome.value if item.outcome else None,
        territorial_scope=list(item.territorial_scope or []) or None,
        public_reason=item.public_reason,
    )


def _zone(claim: Claim, settings: Settings) -> ZoneInfo:
    return ZoneInfo(reply_zone(claim.regime, settings.timezone))


def _requested(claim: Claim) -> bool:
    """Whether the claim's rejection followed a request for the missing elements: the mail's rule, read from the
    rejecting event (a claim rejected straight from review was never asked)."""
    session = object_session(claim)
    if session is None or claim.status.value != "rejected":
        return False
    from_status = session.scalar(
        select(Event.from_status)
        .where(Event.claim_id == claim.id, Event.subject_id == claim.id, Event.to_status == "rejected")
        .order_by(Event.at.desc(), Event.id.desc())
        .limit(1)
    )
    return rejected_after_request(from_status)


def _address_lines(name: str | None, organization: str | None, address: dict[str, Any] | None, email: str | None) -> list[str]:
    lines = [x for x in (name, organization) if x]
    if address:
        locality = " ".join(x for x in (address.get("city"), address.get("region"), address.get("postal_code")) if x)
        lines += [x for x in (address.get("street"), locality, address.get("country")) if x]
    if email:
        lines.append(email)
    return lines or ["(no address on record)"]


def _notifier(claim: Claim) -> dict[str, Any]:
    c = claim.complainant
    if c is None:
        return {"role": "To the notifier", "lines": ["(no address on record)"]}
    address = {"street": c.street, "city": c.city, "region": c.region, "postal_code": c.postal_code, "country": c.country}
    return {"role": "To the notifier", "lines": _address_lines(c.name, c.organization, address, c.email)}


def _counter(counter: CounterNotice, zone: ZoneInfo) -> dict[str, Any]:
    subscriber = counter.subscriber or {}
    statements = [STATEMENT_LABELS.get(k, k.replace("_", " ")) for k, v in (counter.statements or {}).items() if v]
    sg = counter.regime == "SG_CA2021"
    return {
        "regime": counter.regime,
        "notice_name": "restoration notice" if sg else "counter-notice",
        "received_date": counter.received_at.astimezone(ZoneInfo(counter.clock_timezone or zone.key)).date(),
        "material": counter.material or "",
        "statements": statements,
        "signature": (counter.signature or {}).get("name"),
        "subscriber_lines": _address_lines(subscriber.get("name"), None, subscriber.get("address"), subscriber.get("email")),
        "earliest": counter.restore_earliest,
        "latest": counter.restore_latest,
        "restore_on": counter.restore_on,
        "day_kind": "working days" if sg else "business days",
    }


def build(
    letter: Letter,
    claim: Claim,
    counter: CounterNotice | None,
    settings: Settings,
    restored_at: datetime | None = None,
    notice_parts: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """What a letter's template reads. `notice_parts`: the claims the notifier's one notice was made into, when it
    listed more URLs than a claim takes (`letters.service._notice_parts`), so its letters say which part each is."""
    zone = _zone(claim, settings)
    letter_day: date = letter.created_at.astimezone(zone).date()
    items = [item_view(i) for i in sorted(claim.items, key=lambda i: i.position)]
    item = next((i for i in items if i.id == letter.item_id), None)
    missing = [
        {"code": e.code, "status": e.status, "citation": e.citation, "detail": e.detail}
        for e in sorted(claim.elements, key=lambda e: e.position)
        if e.status != "present"
    ]
    source = next((i for i in claim.items if i.id == letter.item_id), None)
    recipient = _notifier(claim)
    if letter.kind is LetterKind.STATEMENT_OF_REASONS and source is not None:
        recipient = {
            "role": "To the uploader",
            "lines": [x for x in (source.uploader, source.uploader_email) if x] or ["The account holder who posted the content"],
        }
    scope = set(item.territorial_scope or []) if item else set()
    trademark = claim.trademark or {}
    return {
        "claim": ClaimView(id=claim.id, reference=claim.reference, regime=claim.regime, kind=claim.kind.value, status=claim.status.value),
        "items": items,
        "item": item,
        "missing": missing,
        "regime_name": REGIME_NAMES[claim.regime],
        "recipient": recipient,
        "letter_date": letter_day,
        "letter_date_iso": letter.created_at.isoformat(),
        "received_date": claim.received_at.astimezone(zone).date(),
        "deadline": reply_deadline(claim.regime, claim.status_changed_at, settings.needs_info_expiry_days, us_timezone=settings.timezone),
        "requested": _requested(claim) if letter.kind is LetterKind.REJECTION else False,
        "template_version": letter.template_version,
        "legal_ground": LEGAL_GROUNDS[claim.regime],
        "automated": bool(source and any(m.get("verdict") == "match" for m in source.matches or [])),
        # DSA recital 54: in IP cases naming the right holder is usually necessary for the uploader to respond.
        "notifier_disclosed": (claim.complainant.organization or claim.complainant.name or "the rights holder")
        if claim.complainant
        else "the rights holder",
        "eea_in_scope": claim.regime == "TM_POLICY" and (not scope or bool(scope & EEA)),
        "trademark": {
            k: trademark.get(k) for k in ("mark", "registration_number", "registry", "nice_classes", "jurisdictions", "goods_services")
        },
        "counter": _counter(counter, zone) if counter is not None else None,
        "notice_parts": notice_parts or [],
        "restored_on": (restored_at or letter.created_at).astimezone(zone).date(),
        # The uploader's own way to answer (issue 18): only in the letter addressed to the uploader.
        "uploader_link": tokens.link(claim.id, source.id, settings, at=letter.created_at)
        if letter.kind is LetterKind.STATEMENT_OF_REASONS and source is not None
        else None,
        "link_until": tokens.expires_on(settings, letter.created_at).astimezone(zone).date(),
        "platform": {
            "name": settings.platform_name,
            "department": "Legal — Intellectual Property",
            "agent_name": settings.agent_name,
            "agent_address": [p.strip() for p in settings.agent_address.split(",") if p.strip()],
            "agent_email": settings.agent_email,
        },
    }
