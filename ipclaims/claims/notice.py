"""Between the stored claim and the CONTRACT-shaped notice the legal checkers and clients read."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ipclaims import legal
from ipclaims.claims.schemas import ItemIn
from ipclaims.models import Claim, ClaimItem, ClaimWork, Complainant

ADDRESS_FIELDS = ("street", "city", "region", "postal_code", "country")
PARTY_FIELDS = ("name", "organization", "email", "phone", "fax")


def _prune(value: dict[str, Any] | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {k: v for k, v in value.items() if v is not None}


def complainant_row_of(c: Complainant | None) -> dict[str, Any] | None:
    """A stored complainant as its row (`complainant_row`'s shape)."""
    if c is None:
        return None
    return {**{f: getattr(c, f) for f in (*PARTY_FIELDS, *ADDRESS_FIELDS)}, "relationship": c.relation}


def complainant_dict(c: Complainant | None) -> dict[str, Any] | None:
    row = complainant_row_of(c)
    return None if row is None else complainant_echo(row)


def complainant_row(data: Mapping[str, Any]) -> dict[str, Any]:
    """The `complainant` columns for a submitted complainant object (what `apply_complainant` sets)."""
    address = data.get("address") or {}
    return {
        **{f: data.get(f) for f in PARTY_FIELDS},
        **{f: address.get(f) for f in ADDRESS_FIELDS},
        "relationship": data.get("relationship"),
    }


def complainant_echo(row: Mapping[str, Any]) -> dict[str, Any]:
    """The complainant as stored, in the request shape (an address only when some part of it is given)."""
    out: dict[str, Any] = {f: row[f] for f in PARTY_FIELDS}
    address = {f: row[f] for f in ADDRESS_FIELDS}
    out["address"] = address if any(v is not None for v in address.values()) else None
    out["relationship"] = row["relationship"]
    return out


def work_dict(w: ClaimWork) -> dict[str, Any]:
    return {
        "title": w.title,
        "description": w.description,
        "urls": w.urls,
        "reference_work_id": w.reference_work_id,
        "registration_number": w.registration_number,
    }


def work_echo(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "title": row["title"],
        "description": row["description"],
        "urls": row["urls"],
        "reference_work_id": row["reference_work_id"],
        "registration_number": row["registration_number"],
    }


def item_dict(i: ClaimItem) -> dict[str, Any]:
    return {"url": i.url, "description": i.description, "work": i.work_index}


def item_echo(row: Mapping[str, Any]) -> dict[str, Any]:
    return {"url": row["url"], "description": row["description"], "work": row["work_index"]}


def new_item_values(position: int, data: ItemIn) -> dict[str, Any]:
    """A reported item's own columns, as submitted (intake) or added by a cure (PATCH); not yet checked."""
    return {
        "position": position,
        "url": data.url,
        "description": data.description,
        "work_index": data.work,
        "uploader": data.uploader,
        "matches": [],
    }


def element_values(position: int, result: legal.ElementResult) -> dict[str, Any]:
    """A completeness element's columns, from the checker's result."""
    # str() of a StrEnum member is its value, without the enum's Python-level `.value` property (six per intake).
    return {"position": position, "code": result.code, "status": str(result.status), "citation": result.citation, "detail": result.detail}


def notice_of(
    kind: str,
    regime: str,
    complainant: Mapping[str, Any] | None,
    scalars: Mapping[str, Any],
    works: Sequence[Mapping[str, Any]],
    items: Sequence[dict[str, Any]],
) -> dict[str, Any]:
    """The notice as the legal checkers see it (DOMAIN.md §2 field names), from a claim's rows (`complainant_row`,
    `scalar_values`, `work_echo`'s and `item_echo`'s inputs): the same for a claim being submitted and one stored."""
    return {
        "kind": kind,
        "regime": regime,
        "complainant": complainant_echo(complainant) if complainant is not None else None,
        "rights_owner": scalars["rights_owner"],
        "sg_address_for_service": scalars["sg_address_for_service"],
        "works": [work_echo(w) for w in works] or None,
        "items": items,
        "explanation": scalars["explanation"],
        "trademark": scalars["trademark"],
        "statements": scalars["statements"],
        "signature": scalars["signature"],
    }


def to_notice(claim: Claim) -> dict[str, Any]:
    return notice_of(
        claim.kind,
        claim.regime,
        complainant_row_of(claim.complainant),
        {f: getattr(claim, f) for f in (*TEXT_FIELDS, *OBJECT_FIELDS)},
        [work_dict(w) for w in claim.works],
        [item_dict(i) for i in claim.items],
    )


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


TEXT_FIELDS = ("rights_owner", "sg_address_for_service", "explanation")
OBJECT_FIELDS = ("trademark", "statements", "signature")


def scalar_values(data: Mapping[str, Any]) -> dict[str, Any]:
    """The claim's own columns for the notice fields given in `data` (objects stored without their null keys)."""
    values = {f: data[f] for f in TEXT_FIELDS if f in data}
    values.update({f: _prune(data[f]) for f in OBJECT_FIELDS if f in data})
    return values


def set_scalars(claim: Claim, data: dict[str, Any]) -> None:
    for f, value in scalar_values(data).items():
        setattr(claim, f, value)
