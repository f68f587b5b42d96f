"""Abuse signals: repeat-infringer strikes (17 U.S.C. § 512(i)) and notifiers' unfounded-notice rates (DSA Art. 23)."""

from __future__ import annotations

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from ipclaims.claims import repository as claims_repository
from ipclaims.models import Account, Claim, ClaimItem, ClaimStatus, ItemStatus
from ipclaims.review.schemas import NotifierStats, StrikesOut

# An effective notice is one whose measure still stands: not withdrawn, not countered-and-restored, not reversed.
EFFECTIVE_ITEM = (ItemStatus.ACTIONED, ItemStatus.COUNTERED, ItemStatus.LITIGATION_HOLD)
STRIKE_POLICY = (
    "one strike per effective notice (a claim with at least one item whose measure stands); withdrawn "
    "notices, items restored after a counter-notice or complaint, and reversed decisions do not count "
    "(17 U.S.C. § 512(i)); termination needs human review"
)


def strikes(session: Session, uploader: str) -> StrikesOut:
    refs = list(
        session.scalars(
            select(distinct(Claim.reference))
            .join(ClaimItem, ClaimItem.claim_id == Claim.id)
            .where(ClaimItem.uploader == uploader, ClaimItem.status.in_(EFFECTIVE_ITEM), Claim.status != ClaimStatus.WITHDRAWN)
            .order_by(Claim.reference)
        )
    )
    return StrikesOut(uploader=uploader, strikes=len(refs), claims=refs, policy=STRIKE_POLICY)


def strike_counts(session: Session, uploaders: set[str]) -> dict[str, int]:
    if not uploaders:
        return {}
    rows = session.execute(
        select(ClaimItem.uploader, func.count(distinct(Claim.id)))
        .join(Claim, Claim.id == ClaimItem.claim_id)
        .where(ClaimItem.uploader.in_(uploaders), ClaimItem.status.in_(EFFECTIVE_ITEM), Claim.status != ClaimStatus.WITHDRAWN)
        .group_by(ClaimItem.uploader)
    ).all()
    return {u: int(n) for u, n in rows if u is not None}


def notifier_stats(session: Session, account: Account) -> NotifierStats:
    return NotifierStats(**claims_repository.notifier_signals(session, account))
