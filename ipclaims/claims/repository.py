"""Claim queries. Every read a rights holder makes goes through `readable_by` (STYLE.md habit 7)."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from ipclaims.errors import NotFound
from ipclaims.models import Account, Claim, ClaimItem, Role

FULL = (
    selectinload(Claim.complainant),
    selectinload(Claim.works),
    selectinload(Claim.items),
    selectinload(Claim.elements),
)


def readable_by(account: Account) -> Select[tuple[Claim]]:
    """The one visibility rule: staff see every claim, a rights holder only those it owns."""
    query = select(Claim)
    if account.role is Role.RIGHTS_HOLDER:
        query = query.where(Claim.owner_id == account.id)
    return query


def get_claim(session: Session, account: Account, claim_id: str, *, for_update: bool = False) -> Claim:
    query = readable_by(account).where(Claim.id == claim_id).options(*FULL)
    if for_update:
        # Serialises item decisions on one claim (PostgreSQL row lock; SQLite writers are serial already), so the
        # last decision always sees every other outcome and the claim cannot stay `in_review` with all items decided.
        query = query.with_for_update(of=Claim)
    claim = session.scalars(query).first()
    if claim is None:
        raise NotFound(f"no claim {claim_id}")
    return claim


def get_item(claim: Claim, item_id: str) -> ClaimItem:
    for item in claim.items:
        if item.id == item_id:
            return item
    raise NotFound(f"claim {claim.reference} has no item {item_id}")
