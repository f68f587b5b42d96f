"""The worker routes flagged claims to legal (DOMAIN.md §6): repeat after restoration, impersonated notifier.

Intake only writes the flags (in its own statement); this sweep escalates each flagged claim that is in review —
a System move, with the flags' history as the event's data — and raises its priority (`triage.priority` counts an
impersonation flag). A claim still `needs_info` waits here until it is complete; one already escalated, or past
review, is only marked routed. Each claim in a transaction of its own, under its row lock.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ipclaims.claims.repository import FULL
from ipclaims.claims.workflow import System, transition
from ipclaims.config import Settings
from ipclaims.db import session_scope
from ipclaims.models import Account, Claim, ClaimFlag, ClaimStatus, FlagKind
from ipclaims.triage import priority

log = logging.getLogger("ipclaims.routing")

WHY = {
    FlagKind.REPEAT_AFTER_RESTORATION: "the same URL claimed again after it was restored",
    FlagKind.IMPERSONATION: "possible impersonation: the sender's domain imitates a verified or well-known one",
}


def _reason(flags: list[ClaimFlag]) -> str:
    parts = []
    for f in flags:
        d = f.detail or {}
        if f.kind == FlagKind.REPEAT_AFTER_RESTORATION:
            parts.append(f"{WHY[f.kind]} ({d.get('url')}; earlier claim {d.get('earlier_reference')})")
        elif d.get("unauthenticated"):
            parts.append(f"possible impersonation: the From names {d.get('sender_domain')}, verified for a rights holder, unauthenticated")
        else:
            parts.append(f"{WHY[FlagKind.IMPERSONATION]} ({d.get('sender_domain')} resembles {d.get('resembles')})")
    return "routed to legal (DOMAIN.md §6): " + "; ".join(dict.fromkeys(parts))


def route(session: Session, claim_id: str, now: datetime) -> bool:
    claim = session.scalars(select(Claim).where(Claim.id == claim_id).options(*FULL).with_for_update(skip_locked=True)).first()
    if claim is None:
        return False
    flags = list(
        session.scalars(
            select(ClaimFlag)
            .where(ClaimFlag.claim_id == claim_id, ClaimFlag.legal.is_(True), ClaimFlag.routed_at.is_(None))
            .order_by(ClaimFlag.id)
        )
    )
    if not flags or claim.status == ClaimStatus.NEEDS_INFO:
        return False
    escalated = claim.status == ClaimStatus.IN_REVIEW
    if escalated:
        history = [{"kind": str(f.kind), **(f.detail or {})} for f in flags]
        transition(
            session,
            claim,
            ClaimStatus.ESCALATED,
            System(),
            reason=_reason(flags),
            at=now,
            data={"flags": history},
            values={"assignee_id": None},
        )
    owner = session.get(Account, claim.owner_id)
    if owner is not None:
        priority.refresh(session, claim, owner, now=now)
    session.execute(
        update(ClaimFlag).where(ClaimFlag.id.in_([f.id for f in flags])).values(routed_at=now).execution_options(synchronize_session=False)
    )
    return escalated


def route_flagged(now: datetime, _settings: Settings) -> dict[str, int]:
    with session_scope(write=False) as session:
        ids = list(
            dict.fromkeys(
                session.scalars(
                    select(ClaimFlag.claim_id)
                    .where(ClaimFlag.legal.is_(True), ClaimFlag.routed_at.is_(None))
                    .order_by(ClaimFlag.claim_id)
                    .limit(200)
                )
            )
        )
    routed = 0
    for claim_id in ids:
        try:
            with session_scope() as session:
                routed += route(session, claim_id, now)
        except Exception:
            log.exception("routing claim %s to legal failed; retried next sweep", claim_id)
    return {"routed_to_legal": routed}
