"""Queue priority and SLA due times, with the reasons shown on the claim.

Signals (DOMAIN.md §3): trusted-flagger status (DSA Art. 22), the escalation channel the notice came through,
a legal deadline close by, the number of items, and match strength. Weights are policy; they live here as one
table so the reasons a specialist sees are exactly the terms that were added.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sized
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ipclaims.db import on_dispose
from ipclaims.events import Rows
from ipclaims.models import Account, Claim, ClaimFlag, ClaimSource, FlagKind, SlaPolicy
from ipclaims.ttlcache import TTLCache

SOURCE_WEIGHT: dict[str, tuple[int, str]] = {
    ClaimSource.AUTHORITY: (50, "sent by a public authority"),
    ClaimSource.TRUSTED_FLAGGER: (40, "trusted flagger (DSA Art. 22)"),
    ClaimSource.PRESS: (30, "press escalation"),
    ClaimSource.PARTNER: (20, "partner escalation"),
}
TRUSTED_ACCOUNT = (40, "notifier is an awarded trusted flagger (DSA Art. 22)")
MATCH_WEIGHT = {
    "match": (15, "reported content matches a registered reference work"),
    "possible": (5, "reported content possibly matches a registered reference work"),
}
DEADLINE_WEIGHT = (30, "its SLA due time is less than 12 hours away")
DEADLINE_SOON = timedelta(hours=12)
OVERDUE_WEIGHT = (20, "past its SLA due time")
IMPERSONATION_WEIGHT = (25, "possible impersonation of a verified or well-known notifier (DOMAIN.md §6)")
# Terms only staff may read: a notifier suspected of impersonation must never be told so (it would learn which
# sender domains get through). The notifier's view drops them and their weight (`shown_to_notifier`).
STAFF_ONLY_TERMS = (IMPERSONATION_WEIGHT,)

# Hours from receipt to a first decision when the sla_policy table has no row (the migration seeds the same).
DEFAULT_SLA_HOURS: dict[tuple[str, str], int] = {
    **{
        (regime, ClaimSource.NOTICE.value): hours
        for regime, hours in {"US_DMCA": 48, "EU_DSA": 72, "SG_CA2021": 48, "TM_POLICY": 120}.items()
    },
    **{
        (regime, source): hours
        for regime in ("US_DMCA", "EU_DSA", "SG_CA2021", "TM_POLICY")
        for source, hours in {"trusted_flagger": 24, "partner": 24, "press": 12, "authority": 12}.items()
    },
}


@dataclass(frozen=True)
class Priority:
    score: int
    reasons: list[str]


# The sla_policy table, read whole and kept per process for SLA_TTL_SECONDS: every intake needs one row of it. An
# admin's change (`review.calendar.set_sla`) drops it in this process at once and after its commit; other processes
# pick it up within the TTL. A read that began before a drop is not stored (generation check).
SLA_TTL_SECONDS = 2.0
sla_tables: TTLCache[object, dict[tuple[str, str], int]] = TTLCache(SLA_TTL_SECONDS)


def forget_sla() -> None:
    sla_tables.clear()


on_dispose(forget_sla)


def _sla_table(session: Session) -> dict[tuple[str, str], int]:
    # The engine stands for its database: hashed by identity, where a URL is rendered as text for every hash.
    where = session.get_bind().engine
    table = sla_tables.get(where)
    if table is not None:
        return table
    seen = sla_tables.generation()
    rows = session.execute(select(SlaPolicy.regime, SlaPolicy.source, SlaPolicy.hours)).all()
    table = {(regime, source): hours for regime, source, hours in rows}
    sla_tables.put(where, table, seen)
    return table


def sla_hours(session: Session, regime: str, source: str) -> int:
    hours = _sla_table(session).get((regime, source))
    if hours is not None:
        return hours
    return DEFAULT_SLA_HOURS.get((regime, source), DEFAULT_SLA_HOURS[(regime, ClaimSource.NOTICE.value)])


def due_at(session: Session, claim: Claim) -> datetime:
    return claim.received_at + timedelta(hours=sla_hours(session, claim.regime, claim.source))


def compute(
    claim: Claim, owner: Account, *, best_verdict: str | None = None, deadline_soon: bool = False, now: datetime | None = None
) -> Priority:
    return score(
        source=claim.source,
        due_at=claim.due_at,
        items=claim.items,
        trusted_flagger=owner.trusted_flagger,
        best_verdict=best_verdict,
        deadline_soon=deadline_soon,
        now=now,
    )


def score(
    *,
    source: str,
    due_at: datetime | None,
    items: Sized,
    trusted_flagger: bool,
    best_verdict: str | None = None,
    deadline_soon: bool = False,
    now: datetime | None = None,
) -> Priority:
    """`compute` on plain values, for a claim that is not an ORM object yet (intake builds its rows directly)."""
    terms: list[tuple[int, str]] = []
    if source in SOURCE_WEIGHT:
        terms.append(SOURCE_WEIGHT[source])
    if trusted_flagger and source != ClaimSource.TRUSTED_FLAGGER:
        terms.append(TRUSTED_ACCOUNT)
    if deadline_soon or (now is not None and due_at is not None and now <= due_at < now + DEADLINE_SOON):
        terms.append(DEADLINE_WEIGHT)
    if best_verdict in MATCH_WEIGHT:
        terms.append(MATCH_WEIGHT[best_verdict])
    n = len(items)
    if n > 1:
        terms.append((min(20, round(5 * math.log2(n))), f"{n} reported items"))
    if now is not None and due_at is not None and due_at < now:
        terms.append(OVERDUE_WEIGHT)
    return Priority(score=sum(w for w, _ in terms), reasons=[f"+{w} {why}" for w, why in terms])


def best_match_verdict(claim: Claim) -> str | None:
    verdicts = {m.get("verdict") for item in claim.items for m in (item.matches or [])}
    for verdict in ("match", "possible"):
        if verdict in verdicts:
            return verdict
    return None


def with_impersonation(p: Priority) -> Priority:
    weight, why = IMPERSONATION_WEIGHT
    return Priority(score=p.score + weight, reasons=[*p.reasons, f"+{weight} {why}"])


def flags_impersonation(follow: Iterable[Rows], claim_id: str) -> bool:
    """Whether the rows an intake's subscribers ask for include an impersonation flag on this claim: intake applies
    the priority term at once, from rows it writes anyway, without a query of its own (intake is benchmarked)."""
    return any(
        row.get("claim_id") == claim_id and row.get("kind") == FlagKind.IMPERSONATION.value and "dedupe_key" in row
        for rows in follow
        for row in rows.rows
    )


def reason_words(reason: str) -> str:
    """A reason as a person reads it: "+5 2 reported items" → "2 reported items (+5)" (the pages; the API keeps
    the terms as stored)."""
    weight, _, why = reason.partition(" ")
    if not why or weight[:1] not in "+-" or not weight[1:].isdecimal():
        return reason.replace("_", " ")
    return f"{why.replace('_', ' ')} ({weight})"


_HIDDEN = {f"+{w} {why}": w for w, why in STAFF_ONLY_TERMS}


def shown_to_notifier(score: int, reasons: Iterable[str]) -> tuple[int, list[str]]:
    """The priority and its reasons without the staff-only terms."""
    reasons = list(reasons)
    kept = [r for r in reasons if r not in _HIDDEN]
    if len(kept) == len(reasons):  # the usual case: nothing to hide
        return score, kept
    return score - sum(_HIDDEN[r] for r in reasons if r in _HIDDEN), kept


def refresh(session: Session, claim: Claim, owner: Account, *, deadline_soon: bool = False, now: datetime | None = None) -> None:
    p = compute(claim, owner, best_verdict=best_match_verdict(claim), deadline_soon=deadline_soon, now=now)
    if (
        session.scalar(select(ClaimFlag.id).where(ClaimFlag.claim_id == claim.id, ClaimFlag.kind == FlagKind.IMPERSONATION).limit(1))
        is not None
    ):
        p = with_impersonation(p)
    claim.priority = p.score
    claim.priority_reasons = p.reasons
