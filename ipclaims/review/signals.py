"""Abuse signals: repeat-infringer strikes (17 U.S.C. § 512(i)) and notifiers' unfounded-notice rates (DSA Art. 23)."""

from __future__ import annotations

from sqlalchemy import case, distinct, func, select
from sqlalchemy.orm import Session

from ipclaims.claims import repository as claims_repository
from ipclaims.config import Settings
from ipclaims.models import Account, Claim, ClaimItem, ClaimStatus, ItemStatus
from ipclaims.review.schemas import MarkedStrike, NotifierStats, StrikesOut, TerminationReview

# An effective notice is one whose measure still stands: not withdrawn, not countered-and-restored, not reversed.
EFFECTIVE_ITEM = (ItemStatus.ACTIONED, ItemStatus.COUNTERED, ItemStatus.LITIGATION_HOLD)
STRIKE_POLICY = (
    "one strike per effective notice (a claim with at least one item whose measure stands); withdrawn "
    "notices, items restored after a counter-notice or complaint, and reversed decisions do not count "
    "(17 U.S.C. § 512(i)); strikes from notifiers whose unfounded rate is above IPCLAIMS_STRIKE_FARMING_UNFOUNDED_RATE "
    "are marked and not counted (strike farming, DOMAIN.md §6); termination needs human review"
)


def strikes(session: Session, uploader: str, settings: Settings) -> StrikesOut:
    """Strikes, and which of them were marked as possible strike farming (DOMAIN.md §6): those from a notifier whose
    unfounded rate is above IPCLAIMS_STRIKE_FARMING_UNFOUNDED_RATE (once it has enough decided items to say). A marked
    strike stays listed for staff but does not count toward the termination review, and the review is only ever a
    recommendation to a human."""
    rows = session.execute(
        select(Claim.reference, Claim.owner_id)
        .join(ClaimItem, ClaimItem.claim_id == Claim.id)
        .where(ClaimItem.uploader == uploader, ClaimItem.status.in_(EFFECTIVE_ITEM), Claim.status != ClaimStatus.WITHDRAWN)
        .group_by(Claim.reference, Claim.owner_id)
        .order_by(Claim.reference)
    ).all()
    refs = [ref for ref, _ in rows]
    farmed = farming_notifiers(session, {owner for _, owner in rows}, settings)
    marked = [
        MarkedStrike(
            reference=ref,
            notifier_id=owner,
            unfounded_rate=farmed[owner][0],
            decided_items=farmed[owner][1],
            reason=(
                f"the notifier's unfounded rate {farmed[owner][0]:.0%} is above "
                f"{settings.strike_farming_unfounded_rate:.0%}: possible strike farming, not counted toward termination"
            ),
        )
        for ref, owner in rows
        if owner in farmed
    ]
    counted = len(refs) - len(marked)
    review = None
    if counted >= settings.repeat_infringer_strikes:
        review = TerminationReview(
            reason=f"{counted} effective notices from notifiers not marked for strike farming (threshold "
            f"{settings.repeat_infringer_strikes}); a human decides whether to terminate (17 U.S.C. § 512(i))"
        )
    return StrikesOut(
        uploader=uploader,
        strikes=len(refs),
        claims=refs,
        policy=STRIKE_POLICY,
        counted=counted,
        threshold=settings.repeat_infringer_strikes,
        marked=marked,
        recommendation=review,
    )


def farming_notifiers(session: Session, owners: set[str], settings: Settings) -> dict[str, tuple[float, int]]:
    """Of these notifier accounts, those above the unfounded-rate threshold: account id → (rate, decided items)."""
    if not owners:
        return {}
    rows = session.execute(
        select(
            Claim.owner_id,
            func.count(ClaimItem.id),
            func.coalesce(func.sum(case((ClaimItem.status == ItemStatus.NO_ACTION, 1), else_=0)), 0),
        )
        .join(Claim, Claim.id == ClaimItem.claim_id)
        .where(Claim.owner_id.in_(sorted(owners)), ClaimItem.outcome.is_not(None))
        .group_by(Claim.owner_id)
    ).all()
    out: dict[str, tuple[float, int]] = {}
    for owner, decided, unfounded in rows:
        decided, unfounded = int(decided), int(unfounded)
        rate = unfounded / decided if decided else 0.0
        if decided >= settings.strike_farming_min_decided and rate > settings.strike_farming_unfounded_rate:
            out[owner] = (round(rate, 4), decided)
    return out


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
