"""Abuse signals: repeat-infringer strikes (17 U.S.C. § 512(i)) and notifiers' unfounded-notice rates (DSA Art. 23)."""

from __future__ import annotations

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from ipclaims.claims import repository as claims_repository
from ipclaims.config import Settings
from ipclaims.integrations.strikes import EFFECTIVE_ITEM, farming_notifiers, strike_rows
from ipclaims.models import Account, Claim, ClaimItem, ClaimStatus
from ipclaims.review.schemas import MarkedStrike, NotifierStats, StrikesOut, TerminationReview

STRIKE_POLICY = (
    "one strike per effective notice (a claim with at least one item whose measure stands); withdrawn "
    "notices, items restored after a counter-notice or complaint, and reversed decisions do not count "
    "(17 U.S.C. § 512(i)); strikes from notifiers whose unfounded rate is above IPCLAIMS_STRIKE_FARMING_UNFOUNDED_RATE "
    "are marked and not counted (strike farming, DOMAIN.md §6); reaching the threshold is announced to the platform "
    "once per crossing; termination needs human review"
)


def strikes(session: Session, uploader: str, settings: Settings) -> StrikesOut:
    """Strikes, and which of them were marked as possible strike farming (DOMAIN.md §6): those from a notifier whose
    unfounded rate is above IPCLAIMS_STRIKE_FARMING_UNFOUNDED_RATE (once it has enough decided items to say). A marked
    strike stays listed for staff but does not count toward the termination review, and the review is only ever a
    recommendation to a human. The counting is `integrations.strikes`', which also announces the threshold's crossing."""
    rows = strike_rows(session, uploader)
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
