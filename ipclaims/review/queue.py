"""The review queue: open claims by priority then due time; assign, claim-next, release."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.orm import Session

from ipclaims import paging
from ipclaims.claims import repository
from ipclaims.errors import Conflict, NotFound, Unprocessable
from ipclaims.events import Action, record_event
from ipclaims.models import Account, Claim, ClaimStatus, Role, utcnow
from ipclaims.models.account import REVIEWER_ROLES
from ipclaims.paging import Keyset, paginate

DEFAULT_STATUSES = (ClaimStatus.IN_REVIEW, ClaimStatus.ESCALATED)
MAX_PAGE = paging.MAX_PAGE


@dataclass(frozen=True)
class QueueFilters:
    status: list[str] | None = None
    regime: str | None = None
    kind: str | None = None
    source: str | None = None
    assignee: str | None = None  # an account id, "me" or "none"
    overdue: bool | None = None


def _order() -> tuple[ColumnElement[Any], ...]:
    # Highest priority first, then the earliest due; claims without a due time last; id breaks ties stably.
    return (Claim.priority.desc(), Claim.due_at.is_(None), Claim.due_at.asc(), Claim.id.asc())


def list_queue(
    session: Session, actor: Account, filters: QueueFilters, *, cursor: str | None, limit: int, parts: bool = True
) -> tuple[list[Claim], str | None]:
    """The open claims, most urgent first. `parts=False`: the claims' own columns only (the queue page shows no
    more), their complainant, works, items and elements not loaded (reading one raises)."""
    query = select(Claim).options(*(repository.FULL if parts else ())).where(Claim.status.in_(filters.status or DEFAULT_STATUSES))
    if filters.regime:
        query = query.where(Claim.regime == filters.regime)
    if filters.kind:
        query = query.where(Claim.kind == filters.kind)
    if filters.source:
        query = query.where(Claim.source == filters.source)
    if filters.assignee == "me":
        query = query.where(Claim.assignee_id == actor.id)
    elif filters.assignee == "none":
        query = query.where(Claim.assignee_id.is_(None))
    elif filters.assignee:
        query = query.where(Claim.assignee_id == filters.assignee)
    now = utcnow()
    if filters.overdue is True:
        query = query.where(Claim.due_at < now)
    elif filters.overdue is False:
        query = query.where(or_(Claim.due_at.is_(None), Claim.due_at >= now))
    return paginate(session, query, URGENT_FIRST, cursor=cursor, limit=limit)


def _after(prio: int, due_at: datetime | None, last_id: str) -> ColumnElement[bool]:
    """Keyset condition for (priority DESC, due_at ASC NULLS LAST, id ASC)."""
    if due_at is None:
        return or_(Claim.priority < prio, and_(Claim.priority == prio, Claim.due_at.is_(None), Claim.id > last_id))
    return or_(
        Claim.priority < prio,
        and_(Claim.priority == prio, or_(Claim.due_at > due_at, Claim.due_at.is_(None), and_(Claim.due_at == due_at, Claim.id > last_id))),
    )


URGENT_FIRST: Keyset[Claim] = Keyset((paging.INT32, (datetime, type(None)), str), _order(), _after, lambda c: (c.priority, c.due_at, c.id))


def _not_assignable(problem: str) -> Unprocessable:
    return Unprocessable(f"assignee: {problem}", errors=[{"loc": ["body", "assignee"], "msg": "not a reviewer"}])


def assign(session: Session, actor: Account, claim_id: str, assignee_id: str | None) -> Claim:
    claim = repository.get_claim(session, actor, claim_id, for_update=True)
    if assignee_id is not None:
        assignee = session.get(Account, assignee_id)
        who = "you are" if assignee_id == actor.id else f"account {assignee_id} is"
        if assignee is None:
            raise _not_assignable(f"there is no account {assignee_id}")
        if assignee.role not in REVIEWER_ROLES:
            raise _not_assignable(f"{who} {assignee.role.value}; claims are assigned to specialist or legal accounts")
        if not assignee.active:
            raise _not_assignable(f"{who} disabled")
        if claim.status == ClaimStatus.ESCALATED and assignee.role is not Role.LEGAL:
            raise Conflict(f"claim {claim.reference} is escalated: it can only be assigned to legal")
    before = claim.assignee_id
    claim.assignee_id = assignee_id
    record_event(
        session,
        claim_id=claim.id,
        actor=actor,
        subject_type="claim",
        subject_id=claim.id,
        action=Action.ASSIGNED if assignee_id else Action.RELEASED,
        data={"from": before, "to": assignee_id},
        internal=True,
    )
    return claim


def release(session: Session, actor: Account, claim_id: str) -> Claim:
    return assign(session, actor, claim_id, None)


def claim_next(session: Session, actor: Account, *, regime: str | None = None) -> Claim:
    """Give the caller the most urgent unassigned claim it may decide.

    Two reviewers asking at once must not get the same claim: candidates are locked with SKIP LOCKED on
    PostgreSQL, and the assignment is a conditional UPDATE (``assignee_id IS NULL``) that only one can win.
    """
    statuses = [ClaimStatus.ESCALATED] if actor.role is Role.LEGAL else [ClaimStatus.IN_REVIEW]
    query = select(Claim.id).where(Claim.status.in_(statuses), Claim.assignee_id.is_(None))
    if regime:
        query = query.where(Claim.regime == regime)
    # One candidate at a time: locking a batch (LIMIT 10 FOR UPDATE) would make every concurrent caller skip the
    # whole batch the first one holds and find nothing, although the first only takes one of them.
    query = query.order_by(*_order()).limit(1).with_for_update(skip_locked=True)
    for _attempt in range(10):
        claim_id = session.scalars(query).first()
        if claim_id is None:
            break
        won = session.execute(
            update(Claim)
            .where(Claim.id == claim_id, Claim.assignee_id.is_(None))
            .values(assignee_id=actor.id)
            .execution_options(synchronize_session=False)
        ).rowcount  # type: ignore[attr-defined]
        if won:
            record_event(
                session,
                claim_id=claim_id,
                actor=actor,
                subject_type="claim",
                subject_id=claim_id,
                action=Action.ASSIGNED,
                data={"from": None, "to": actor.id, "via": "claim-next"},
                internal=True,
            )
            session.expire_all()
            return repository.get_claim(session, actor, claim_id)
    raise NotFound("nothing in the queue for you right now")
