"""Between the stored claim and the CONTRACT-shaped notice the legal checkers and clients read."""

from __future__ import annotations

from typing import Any

from ipclaims.models import Claim, ClaimItem, ClaimWork, Complainant

ADDRESS_FIELDS = ("street", "city", "region", "postal_code", "country")
PARTY_FIELDS = ("name", "organization", "email", "phone", "fax")


def _prune(value: dict[str, Any] | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {k: v for k, v in value.items() if v is not None}


def complainant_dict(c: Complainant | None) -> dict[str, Any] | None:
    if c is None:
        return None
    out: dict[str, Any] = {f: getattr(c, f) for f in PARTY_FIELDS}
    address = {f: getattr(c, f) for f in ADDRESS_FIELDS}
    out["address"] = address if any(v is not None for v in address.values()) else None
    out["relationship"] = c.relation
    return out


def work_dict(w: ClaimWork) -> dict[str, Any]:
    return {"title": w.title, "description": w.description, "urls": w.urls,
            "reference_work_id": w.reference_work_id, "registration_number": w.registration_number}


def item_dict(i: ClaimItem) -> dict[str, Any]:
    return {"url": i.url, "description": i.description, "work": i.work_index}


def to_notice(claim: Claim) -> dict[str, Any]:
    """The notice as the legal checkers see it (DOMAIN.md §2 field names)."""
    return {
        "kind": claim.kind,
        "regime": claim.regime,
        "complainant": complainant_dict(claim.complainant),
        "rights_owner": claim.rights_owner,
        "sg_address_for_service": claim.sg_address_for_service,
        "works": [work_dict(w) for w in claim.works] if claim.works else None,
        "items": [item_dict(i) for i in claim.items],
        "explanation": claim.explanation,
        "trademark": claim.trademark,
        "statements": claim.statements,
        "signature": claim.signature,
    }


def apply_complainant(claim: Claim, data: dict[str, Any] | None) -> None:
    if data is None:
        claim.complainant = None
        return
    if claim.complainant is None:
        claim.complainant = Complainant()
    c = claim.complainant
    for f in PARTY_FIELDS:
        setattr(c, f, data.get(f))
    address = data.get("address") or {}
    for f in ADDRESS_FIELDS:
        setattr(c, f, address.get(f))
    c.relation = data.get("relationship")


def set_scalars(claim: Claim, data: dict[str, Any]) -> None:
    for f in ("rights_owner", "sg_address_for_service", "explanation"):
        if f in data:
            setattr(claim, f, data[f])
    for f in ("trademark", "statements", "signature"):
        if f in data:
            setattr(claim, f, _prune(data[f]))
