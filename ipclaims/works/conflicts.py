"""Ownership conflicts (issue 21, Content ID's anchor): a reference image one holder registers that `match`es
another holder's registered work flags both works — a `work_conflict` row and an `ownership_conflict` event on each —
and puts them in staff's conflict queue. Until staff resolve it (`resolve`: a winner, both valid, or neither, with a
reason and a `conflict_resolved` event) neither work backs a `match` verdict on any claim (`matching.conflicts`).

The search runs with the matching pipeline's own verdict, before the image is stored and outside the write turn
(`find`); `record` writes what it found in the image's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ipclaims.claims.repository import FULL
from ipclaims.config import Settings
from ipclaims.errors import Conflict, NotFound, Unprocessable
from ipclaims.events import Action, record_event
from ipclaims.matching import conflicts as matching_conflicts
from ipclaims.matching import service as matching
from ipclaims.matching.imageio import DecodedImage
from ipclaims.models import Account, Claim, ConflictStatus, Work, WorkConflict, WorkImage, utcnow
from ipclaims.triage import priority

OUTCOMES = ("winner", "both_valid", "neither")


@dataclass(frozen=True)
class Found:
    """Another holder's work the new image `match`es, with the pipeline's evidence."""

    work_id: str
    image_id: str
    score: float
    method: str
    reason: str


def find(session: Session, owner_id: str, decoded: DecodedImage, settings: Settings) -> list[Found]:
    """Other holders' works the image matches (read only: run before the write turn)."""
    found = matching.find_matches(session, decoded, settings, owner_id=None, limit=50, with_conflicts=False)
    confirmed = [m for m in found if m.verdict == "match"]
    if not confirmed:
        return []
    owners = dict(session.execute(select(Work.id, Work.owner_id).where(Work.id.in_([m.work_id for m in confirmed]))).tuples().all())
    return [Found(m.work_id, m.image_id, m.score, m.method, m.reason) for m in confirmed if owners.get(m.work_id) not in (None, owner_id)]


def record(session: Session, actor: Account, work: Work, image: WorkImage, found: list[Found]) -> list[WorkConflict]:
    """Open a conflict per other work (once per image and work), with an event on both works; re-stamp the matches
    already stored on undecided items of either."""
    opened = []
    for f in found:
        exists = session.scalar(select(WorkConflict.id).where(WorkConflict.image_id == image.id, WorkConflict.other_work_id == f.work_id))
        if exists is not None or f.work_id == work.id:
            continue
        conflict = WorkConflict(
            work_id=work.id,
            image_id=image.id,
            other_work_id=f.work_id,
            other_image_id=f.image_id,
            status=ConflictStatus.OPEN,
            detail={"score": f.score, "method": f.method, "reason": f.reason},
        )
        session.add(conflict)
        session.flush()
        for subject, other in ((work.id, f.work_id), (f.work_id, work.id)):
            record_event(
                session,
                claim_id=None,
                actor=actor,
                subject_type="work",
                subject_id=subject,
                action=Action.OWNERSHIP_CONFLICT,
                reason=(
                    "a reference image registered by another holder matches this work; no match can rest on either until staff resolve it"
                ),
                data={"conflict_id": conflict.id, "other_work_id": other, "image_id": image.id, "score": f.score},
                internal=True,
            )
        opened.append(conflict)
    if opened:
        _restamp(session, [work.id, *(c.other_work_id for c in opened)])
    return opened


def _restamp(session: Session, work_ids: list[str]) -> None:
    for claim_id in matching_conflicts.restamp_items(session, work_ids):
        claim = session.scalars(select(Claim).where(Claim.id == claim_id).options(*FULL)).one()
        owner = session.get(Account, claim.owner_id)
        if owner is not None:
            priority.refresh(session, claim, owner, now=utcnow())


def queue(session: Session, status: str | None) -> list[WorkConflict]:
    query = select(WorkConflict).order_by(WorkConflict.created_at, WorkConflict.id)
    if status is not None:
        query = query.where(WorkConflict.status == ConflictStatus(status))
    return list(session.scalars(query.limit(500)))


def works_of(session: Session, conflicts: list[WorkConflict]) -> dict[str, Work]:
    ids = {c.work_id for c in conflicts} | {c.other_work_id for c in conflicts}
    return {w.id: w for w in session.scalars(select(Work).where(Work.id.in_(sorted(ids))))} if ids else {}


def resolve(session: Session, actor: Account, conflict_id: str, outcome: str, winner_work_id: str | None, reason: str) -> WorkConflict:
    conflict = session.scalars(select(WorkConflict).where(WorkConflict.id == conflict_id).with_for_update()).first()
    if conflict is None:
        raise NotFound(f"no conflict {conflict_id}")
    if conflict.status != ConflictStatus.OPEN:
        raise Conflict("the conflict is already resolved")
    pair = (conflict.work_id, conflict.other_work_id)
    if (outcome == "winner") != (winner_work_id is not None) or (winner_work_id is not None and winner_work_id not in pair):
        raise Unprocessable(
            "winner_work_id: one of the two works, given exactly when the outcome is `winner`",
            errors=[{"loc": ["body", "winner_work_id"], "msg": "must be one of the conflict's works, with outcome winner"}],
        )
    conflict.status = ConflictStatus.RESOLVED
    conflict.outcome, conflict.winner_work_id, conflict.reason = outcome, winner_work_id, reason
    conflict.resolved_by_id, conflict.resolved_at = actor.id, utcnow()
    session.flush()
    data: dict[str, Any] = {"conflict_id": conflict.id, "outcome": outcome, "winner_work_id": winner_work_id}
    for subject in pair:
        record_event(
            session,
            claim_id=None,
            actor=actor,
            subject_type="work",
            subject_id=subject,
            action=Action.CONFLICT_RESOLVED,
            reason=reason,
            data=data,
            internal=True,
        )
    _restamp(session, list(pair))
    return conflict


def open_for(session: Session, work_ids: list[str]) -> dict[str, list[WorkConflict]]:
    """Each work's conflicts (either side), for the work's own view."""
    if not work_ids:
        return {}
    rows = session.scalars(
        select(WorkConflict)
        .where((WorkConflict.work_id.in_(work_ids)) | (WorkConflict.other_work_id.in_(work_ids)))
        .order_by(WorkConflict.created_at, WorkConflict.id)
    )
    out: dict[str, list[WorkConflict]] = {}
    for c in rows:
        for w in (c.work_id, c.other_work_id):
            if w in work_ids:
                out.setdefault(w, []).append(c)
    return out
