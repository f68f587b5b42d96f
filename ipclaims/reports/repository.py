"""The summary's aggregates, each one grouped query run by the database over the claims received in the range.

Cohort rule: every figure but `weekly.decided` follows the claims *received* in the range (CONTRACT.md: the range is
on `received_at`); a week's `decided` counts the items decided in that week, so the trend shows throughput.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ColumnElement, Select, and_, case, distinct, func, literal, literal_column, select
from sqlalchemy.orm import Session

from ipclaims.events import Action
from ipclaims.models import Account, Claim, ClaimElement, ClaimItem, CounterNotice, ItemOutcome
from ipclaims.models.account import Role
from ipclaims.models.review import CounterNoticeStatus
from ipclaims.reports import sql

STAFF_ROLES = tuple(r.value for r in Role if r.is_staff)
# "First action": the first item decision or status transition by staff (CONTRACT.md).
FIRST_ACTIONS = (Action.DECIDED.value, Action.TRANSITION.value)


@dataclass(frozen=True)
class Range:
    start: datetime  # inclusive
    end: datetime  # exclusive: the day after `to`, 00:00 UTC


def in_range(r: Range) -> ColumnElement[bool]:
    return and_(Claim.received_at >= r.start, Claim.received_at < r.end)


def claim_groups(session: Session, r: Range) -> list[tuple[str, str, str, str, int]]:
    """(regime, kind, status, source, count): one scan, folded into the four `by_*` maps by the service."""
    query = (
        select(Claim.regime, Claim.kind, Claim.status, Claim.source, func.count())
        .where(in_range(r))
        .group_by(Claim.regime, Claim.kind, Claim.status, Claim.source)
    )
    return [(str(a), str(b), str(c), str(d), int(n)) for a, b, c, d, n in session.execute(query)]


def item_outcomes(session: Session, r: Range) -> dict[str | None, int]:
    query = select(ClaimItem.outcome, func.count()).where(item_in_range(r)).group_by(ClaimItem.outcome)
    return {None if o is None else str(o): int(n) for o, n in session.execute(query)}


def item_in_range(r: Range) -> ColumnElement[bool]:
    """Items of the claims received in the range, by the claim's receipt time the item carries (0011_reports)."""
    return and_(ClaimItem.received_at >= r.start, ClaimItem.received_at < r.end)


def first_action_hours(name: str, r: Range, group: Any = None) -> Select[Any]:
    """Per claim: hours from receipt to the first staff decision or transition (claims without one are left out).

    `claim.first_action_at` is that event's time, kept by the database (migration 0011_reports)."""
    return select(
        (group if group is not None else literal(1)).label("g"),
        sql.hours_between(name, Claim.first_action_at, Claim.received_at).label("v"),
    ).where(in_range(r), Claim.first_action_at.is_not(None))


def decision_hours(name: str, r: Range) -> Select[Any]:
    return select(literal(1).label("g"), sql.hours_between(name, ClaimItem.decided_at, ClaimItem.received_at).label("v")).where(
        item_in_range(r), ClaimItem.decided_at.is_not(None)
    )


GAPS = ("missing", "deficient")


def _short_at_intake() -> ColumnElement[bool]:
    # Served by the partial index `ix_claim_element_intake_gap` (only the ~10 % of elements that stood short). Spelt
    # as the index's own predicate: SQLite uses a partial index only for a WHERE it can prove implies the index's, and
    # `IN (?, ?)` with bound parameters is not one (it scanned every element instead).
    return literal_column("claim_element.intake_status IN ('missing', 'deficient')", Boolean)


def _element_in_range(r: Range) -> ColumnElement[bool]:
    return and_(ClaimElement.received_at >= r.start, ClaimElement.received_at < r.end)


def incomplete_claims(session: Session, r: Range) -> int:
    query = select(func.count(distinct(ClaimElement.claim_id))).where(_element_in_range(r), _short_at_intake())
    return int(session.scalar(query) or 0)


def element_gaps(session: Session, r: Range) -> list[tuple[str, str, str, int]]:
    """(regime, code, missing|deficient, claims) of the elements that stood short at intake."""
    status = ClaimElement.intake_status
    query = (
        select(ClaimElement.regime, ClaimElement.code, status, func.count())
        .where(_element_in_range(r), _short_at_intake())
        .group_by(ClaimElement.regime, ClaimElement.code, status)
    )
    return [(str(a), str(b), str(c), int(n)) for a, b, c, n in session.execute(query)]


def _claim_received(claim_id: Any, r: Range) -> ColumnElement[bool]:
    """The claim of `claim_id` was received in the range, as a lookup by its key: the few counter-notices drive the
    query (a join let SQLite walk every claim of the range and probe for counter-notices)."""
    received = select(Claim.received_at).where(Claim.id == claim_id).scalar_subquery()
    return and_(received >= r.start, received < r.end)


def counter_notices(session: Session, r: Range) -> dict[str, int]:
    query = select(
        func.count(),
        func.count(CounterNotice.forwarded_at),
        func.sum(case((CounterNotice.status == CounterNoticeStatus.RESTORED.value, 1), else_=0)),
        func.sum(case((CounterNotice.status == CounterNoticeStatus.LITIGATION_HOLD.value, 1), else_=0)),
    ).where(_claim_received(CounterNotice.claim_id, r))
    received, forwarded, restored, hold = session.execute(query).one()
    return {
        "received": int(received or 0),
        "forwarded": int(forwarded or 0),
        "restored": int(restored or 0),
        "litigation_hold": int(hold or 0),
    }


def notifiers(session: Session, r: Range) -> list[tuple[str, str, int, int, int]]:
    """(account_id, name, claims, items decided, items decided no_action) per owner, most claims first."""
    claims = select(Claim.owner_id.label("owner_id"), func.count().label("claims")).where(in_range(r)).group_by(Claim.owner_id).subquery()
    decided = ClaimItem.outcome.is_not(None)
    items = (
        select(
            ClaimItem.owner_id.label("owner_id"),
            func.sum(case((decided, 1), else_=0)).label("decided"),
            func.sum(case((ClaimItem.outcome == ItemOutcome.NO_ACTION.value, 1), else_=0)).label("unfounded"),
        )
        .where(item_in_range(r))
        .group_by(ClaimItem.owner_id)
        .subquery()
    )
    query = (
        select(claims.c.owner_id, Account.name, claims.c.claims, func.coalesce(items.c.decided, 0), func.coalesce(items.c.unfounded, 0))
        .join(Account, Account.id == claims.c.owner_id)
        .outerjoin(items, items.c.owner_id == claims.c.owner_id)
        .order_by(claims.c.claims.desc(), claims.c.owner_id)
    )
    return [(str(a), str(b), int(c), int(d), int(e)) for a, b, c, d, e in session.execute(query)]


def weekly_received(session: Session, r: Range) -> dict[str, int]:
    week = sql.week_start(sql.dialect(session), Claim.received_at)
    query = select(week, func.count()).where(in_range(r)).group_by(week)
    return {str(w): int(n) for w, n in session.execute(query)}


def weekly_decisions(name: str, r: Range) -> Select[Any]:
    """(week, hours to decision) of each item decided in the range, by the week of its decision."""
    return select(
        sql.week_start(name, ClaimItem.decided_at).label("g"),
        sql.hours_between(name, ClaimItem.decided_at, ClaimItem.received_at).label("v"),
    ).where(ClaimItem.decided_at >= r.start, ClaimItem.decided_at < r.end)


CLAIM_CSV = ("id", "reference", "regime", "kind", "status", "source", "received_at", "complete")
ITEM_CSV = ("claim_reference", "item_id", "position", "status", "outcome", "decided_at")


def claim_rows(session: Session, r: Range) -> Iterator[tuple[Any, ...]]:
    query = (
        select(Claim.id, Claim.reference, Claim.regime, Claim.kind, Claim.status, Claim.source, Claim.received_at, Claim.complete)
        .where(in_range(r))
        .order_by(Claim.received_at, Claim.id)
    )
    for row in session.execute(query.execution_options(yield_per=2000)):
        yield tuple(row)


def item_rows(session: Session, r: Range) -> Iterator[tuple[Any, ...]]:
    query = (
        select(Claim.reference, ClaimItem.id, ClaimItem.position, ClaimItem.status, ClaimItem.outcome, ClaimItem.decided_at)
        .join(Claim, Claim.id == ClaimItem.claim_id)
        .where(in_range(r))
        .order_by(Claim.received_at, Claim.id, ClaimItem.position)
    )
    for row in session.execute(query.execution_options(yield_per=2000)):
        yield tuple(row)
