"""Grey areas a machine can see at intake (DOMAIN.md §6), flagged before a specialist stakes a decision on them.

An event subscriber on `submitted`: it returns `claim_flag` rows, written with the claim (in intake's batch).

* Repeat claims: an item whose URL was claimed before is linked to the earlier claim (`repeat_claim`, for staff);
  one whose earlier item was restored (a counter-notice or an upheld complaint) is `repeat_after_restoration`
  and goes to legal with the history ("same URL claimed again after restoration: link to the earlier claim; route
  to legal").
* Impersonated notifiers: a sender domain (the complainant's email, else the owner account's) that imitates a
  domain verified on an account or a well-known one (`lookalike`) is `impersonation`: it raises the claim's
  priority and goes to legal ("verify the sender's email domain against the account; treat as misuse").

Flags routed to legal are escalated by the worker (`routing`): intake itself never changes a claim's status.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from ipclaims.config import get_settings
from ipclaims.db import Prepared, insert_or_ignore
from ipclaims.events import Action, EventRow, Rows
from ipclaims.integrations import lookalike
from ipclaims.models import (
    Account,
    AccountDomain,
    Claim,
    ClaimFlag,
    ClaimItem,
    Complainant,
    FlagKind,
    ItemStatus,
    new_id,
)

ACTIONS = frozenset({Action.SUBMITTED})
RESTORED = (ItemStatus.RESTORED.value,)

_COLUMNS = (
    "id",
    "dedupe_key",
    "claim_id",
    "kind",
    "item_id",
    "related_claim_id",
    "related_item_id",
    "detail",
    "legal",
    "routed_at",
    "created_at",
)
INSERT = Prepared(insert_or_ignore(cast(Table, ClaimFlag.__table__), _COLUMNS, ("dedupe_key",)))


def _new_claim(session: Session, event: EventRow, subject: Any) -> tuple[list[tuple[str, str | None]], str | None, str]:
    """(item id, url) pairs, the complainant's email and the owner id: from intake's subject, else the database."""
    if subject is not None and hasattr(subject, "items") and hasattr(subject, "owner_id"):
        items = [(str(i["id"]), i.get("url")) for i in subject.items]
        email = subject.complainant.email if subject.complainant is not None else None
        return items, email, str(subject.owner_id)
    claim_id = event.subject_id
    items = [(i, u) for i, u in session.execute(select(ClaimItem.id, ClaimItem.url).where(ClaimItem.claim_id == claim_id))]
    email = session.scalar(select(Complainant.email).where(Complainant.claim_id == claim_id))
    owner = session.scalar(select(Claim.owner_id).where(Claim.id == claim_id))
    return items, email, str(owner)


def _flag(
    claim_id: str,
    kind: FlagKind,
    key: str,
    detail: dict[str, Any],
    at: Any,
    *,
    legal: bool,
    item_id: str | None = None,
    related_claim_id: str | None = None,
    related_item_id: str | None = None,
) -> dict[str, Any]:
    return {
        "id": new_id(),
        "dedupe_key": f"{kind.value}:{claim_id}:{key}"[:200],
        "claim_id": claim_id,
        "kind": kind.value,
        "item_id": item_id,
        "related_claim_id": related_claim_id,
        "related_item_id": related_item_id,
        "detail": detail,
        "legal": legal,
        "routed_at": None,
        "created_at": at,
    }


def repeat_flags(session: Session, claim_id: str, items: list[tuple[str, str | None]], at: Any) -> list[dict[str, Any]]:
    by_url: dict[str, list[str]] = {}
    for item_id, url in items:
        if url:
            by_url.setdefault(url, []).append(item_id)
    if not by_url:
        return []
    # Per URL, the latest earlier item and the latest restored one (ULIDs sort by time): a URL claimed a thousand times
    # before links to the one that matters, not to all of them (one flag per earlier item grew without bound).
    restored_now = ClaimItem.status.in_(RESTORED)
    ranked = (
        select(
            ClaimItem.id.label("item_id"),
            ClaimItem.url.label("url"),
            ClaimItem.status.label("item_status"),
            ClaimItem.outcome.label("outcome"),
            ClaimItem.decided_at.label("decided_at"),
            Claim.id.label("claim_id"),
            Claim.reference.label("reference"),
            Claim.status.label("claim_status"),
            Claim.received_at.label("received_at"),
            func.row_number().over(partition_by=(ClaimItem.url, restored_now), order_by=ClaimItem.id.desc()).label("rn"),
        )
        .join(Claim, Claim.id == ClaimItem.claim_id)
        .where(ClaimItem.url.in_(list(by_url)), ClaimItem.claim_id != claim_id)
        .subquery()
    )
    earlier = session.execute(
        select(
            ranked.c.item_id,
            ranked.c.url,
            ranked.c.item_status,
            ranked.c.outcome,
            ranked.c.decided_at,
            ranked.c.claim_id,
            ranked.c.reference,
            ranked.c.claim_status,
            ranked.c.received_at,
        )
        .where(ranked.c.rn == 1)
        .order_by(ranked.c.received_at, ranked.c.item_id)
    )
    rows: list[dict[str, Any]] = []
    for e_item, url, e_status, e_outcome, e_decided, e_claim, e_ref, e_claim_status, e_received in earlier:
        restored = str(e_status) in RESTORED
        history = {
            "url": url,
            "earlier_claim_id": e_claim,
            "earlier_reference": e_ref,
            "earlier_claim_status": str(e_claim_status),
            "earlier_item_status": str(e_status),
            "earlier_outcome": None if e_outcome is None else str(e_outcome),
            "earlier_received_at": e_received.isoformat() if e_received else None,
            "earlier_decided_at": e_decided.isoformat() if e_decided else None,
        }
        kind = FlagKind.REPEAT_AFTER_RESTORATION if restored else FlagKind.REPEAT_CLAIM
        for item_id in by_url[url]:
            rows.append(
                _flag(
                    claim_id,
                    kind,
                    f"{item_id}:{e_item}",
                    history,
                    at,
                    legal=restored,
                    item_id=item_id,
                    related_claim_id=e_claim,
                    related_item_id=e_item,
                )
            )
    return rows


def known_domains(session: Session) -> list[tuple[str, str | None]]:
    """(domain, the account it is verified for, or None for the well-known list)."""
    verified = [(d, a) for d, a in session.execute(select(AccountDomain.domain, AccountDomain.account_id))]
    return verified + [(d, None) for d in get_settings().well_known_domain_list]


def impersonation_flag(session: Session, claim_id: str, email: str | None, owner_id: str, at: Any) -> dict[str, Any] | None:
    if email is None:
        owner = session.get(Account, owner_id)
        email = owner.email if owner is not None else None
    sender = lookalike.sender_domain(email)
    if sender is None:
        return None
    known = known_domains(session)
    if any(domain == sender and account in (owner_id, None) for domain, account in known):
        return None  # the owner's own verified domain, or the well-known domain itself
    for domain, account in known:
        if lookalike.resembles(sender, domain):
            detail = {
                "sender_domain": sender,
                "resembles": domain,
                "source": "verified on an account" if account else "well-known notifier list",
                "verified_account_id": account,
            }
            return _flag(claim_id, FlagKind.IMPERSONATION, sender, detail, at, legal=True)
    return None


def subscriber(session: Session, event: EventRow, subject: Any = None) -> Iterable[Rows]:
    if event.subject_type != "claim":
        return []
    claim_id = event.subject_id
    items, email, owner_id = _new_claim(session, event, subject)
    rows = repeat_flags(session, claim_id, items, event.at)
    flag = impersonation_flag(session, claim_id, email, owner_id, event.at)
    if flag is not None:
        rows.append(flag)
    return [Rows(INSERT, rows)] if rows else []


def flags_for_claim(session: Session, claim_id: str) -> list[ClaimFlag]:
    return list(session.scalars(select(ClaimFlag).where(ClaimFlag.claim_id == claim_id).order_by(ClaimFlag.created_at, ClaimFlag.id)))
