"""The summary's aggregates, each one grouped query run by the database over the claims received in the range.

Cohort rule: every figure but `weekly.decided` follows the claims *received* in the range (CONTRACT.md: the range is
on `received_at`); a week's `decided` counts the items decided in that week, so the trend shows throughput.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, TextClause, and_, case, func, literal_column, null, select, text
from sqlalchemy.orm import Session

from ipclaims.events import Action
from ipclaims.models import Account, Claim, ClaimElement, ClaimItem, CounterNotice, SourceMessagePart
from ipclaims.models.account import Role
from ipclaims.models.base import UTCDateTime
from ipclaims.models.review import CounterNoticeStatus
from ipclaims.reports import rollups, sql

STAFF_ROLES = tuple(r.value for r in Role if r.is_staff)
# "First action": the first item decision or status transition by staff (CONTRACT.md).
FIRST_ACTIONS = (Action.DECIDED.value, Action.TRANSITION.value)


@dataclass(frozen=True)
class Range:
    start: datetime  # inclusive
    end: datetime  # exclusive: the day after `to`, 00:00 UTC


def in_range(r: Range) -> ColumnElement[bool]:
    return and_(Claim.received_at >= r.start, Claim.received_at < r.end)


def _days(t: Any, r: Range) -> ColumnElement[bool]:
    """A rollup table's days of the range (ranges are whole UTC days: `service.date_range`)."""
    return and_(t.c.day >= r.start.date(), t.c.day < r.end.date())


def claim_groups(session: Session, r: Range) -> list[tuple[str, str, str, str, int]]:
    """(regime, kind, status, source, count), from the day rollup; folded into the four `by_*` maps by the service."""
    t = rollups.report_claim_day
    keys = (t.c.regime, t.c.kind, t.c.status, t.c.source)
    query = select(*keys, func.sum(t.c.n)).where(_days(t, r)).group_by(*keys).having(func.sum(t.c.n) > 0)
    return [(str(a), str(b), str(c), str(d), int(n)) for a, b, c, d, n in session.execute(query)]


def later_parts(session: Session, r: Range) -> list[tuple[str, str, str, int]]:
    """(regime, kind, source, count) of the claims received in the range that are a second or later part of one notice
    (`mailroom.parts`): a notice of more URLs than a claim takes is made into several claims, and counts once where
    notices are counted (DSA Art. 15(1)(b)). The parts of a notice share its `received_at`, so they fall in one range."""
    keys = (Claim.regime, Claim.kind, Claim.source)
    query = (
        select(*keys, func.count())
        .join(SourceMessagePart, SourceMessagePart.claim_id == Claim.id)
        .where(in_range(r), SourceMessagePart.part > 1)
        .group_by(*keys)
    )
    return [(str(a), str(b), str(c), int(n)) for a, b, c, n in session.execute(query)]


def item_outcomes(session: Session, r: Range) -> dict[str | None, int]:
    t = rollups.report_item_day
    query = select(t.c.outcome, func.sum(t.c.n)).where(_days(t, r)).group_by(t.c.outcome).having(func.sum(t.c.n) > 0)
    return {str(o) or None: int(n) for o, n in session.execute(query)}


def first_action_sla(session: Session, r: Range) -> dict[str, tuple[int, int, int]]:
    """Per source: (claims, first acted on within the SLA, after it), from the day rollup."""
    t = rollups.report_claim_day

    def acted(state: str) -> Any:
        return func.sum(case((t.c.acted == state, t.c.n), else_=0))

    query = select(t.c.source, func.sum(t.c.n), acted("within"), acted("late")).where(_days(t, r)).group_by(t.c.source)
    return {str(s): (int(n or 0), int(w or 0), int(late or 0)) for s, n, w, late in session.execute(query)}


def unacted(session: Session, r: Range, now: datetime) -> dict[str, tuple[int, int]]:
    """Per source: claims not acted on yet, (past their SLA at `now`, within it or without one). These depend on the
    time of the report and cannot be rolled up; the partial index `ix_claim_unacted` holds only them."""
    due = Claim.due_at
    query = (
        select(
            Claim.source,
            func.sum(case((due < now, 1), else_=0)),
            func.sum(case(((due >= now) | due.is_(None), 1), else_=0)),
        )
        .where(in_range(r), Claim.first_action_at.is_(None))
        .group_by(Claim.source)
    )
    return {str(s): (int(o or 0), int(p or 0)) for s, o, p in session.execute(query)}


GAPS = ("missing", "deficient")


def _short_at_intake() -> TextClause:
    # Served by the partial index `ix_claim_element_intake_gap` (only the ~10 % of elements that stood short). Spelt
    # as the index's own predicate: SQLite uses a partial index only for a WHERE it can prove implies the index's, and
    # `IN (?, ?)` with bound parameters is not one (it scanned every element instead).
    # Plain text: a Boolean-typed literal column is rendered `(…) = 1` on SQLite, which no longer implies the index's
    # predicate (every element was scanned).
    return text("claim_element.intake_status IN ('missing', 'deficient')")


def _element_in_range(r: Range) -> ColumnElement[bool]:
    return and_(ClaimElement.received_at >= r.start, ClaimElement.received_at < r.end)


def incomplete_claims(session: Session, r: Range) -> int:
    # Grouped, then counted: PostgreSQL hashes the claims; count(DISTINCT …) sorted them, spilling to disk.
    claims = select(ClaimElement.claim_id).where(_element_in_range(r), _short_at_intake()).group_by(ClaimElement.claim_id).subquery()
    return int(session.scalar(select(func.count()).select_from(claims)) or 0)


def element_gaps(session: Session, r: Range) -> list[tuple[str, str, str, int]]:
    """(regime, code, missing|deficient, claims) of the elements that stood short at intake."""
    status = ClaimElement.intake_status
    query = (
        select(ClaimElement.regime, ClaimElement.code, status, func.count())
        .where(_element_in_range(r), _short_at_intake())
        .group_by(ClaimElement.regime, ClaimElement.code, status)
    )
    return [(str(a), str(b), str(c), int(n)) for a, b, c, n in session.execute(query)]


def counter_notices(session: Session, r: Range) -> dict[str, int]:
    """Counter-notices of the claims received in the range, by their claim's receipt time the counter-notice carries
    (`claim_received_at`, kept by the database: migration 0013_rollups; not mapped, the ORM never writes it)."""
    received = literal_column("counter_notice.claim_received_at", UTCDateTime())
    query = select(
        func.count(),
        func.count(CounterNotice.forwarded_at),
        func.sum(case((CounterNotice.status == CounterNoticeStatus.RESTORED.value, 1), else_=0)),
        func.sum(case((CounterNotice.status == CounterNoticeStatus.LITIGATION_HOLD.value, 1), else_=0)),
    ).where(received >= r.start, received < r.end)
    count, forwarded, restored, hold = session.execute(query).one()
    return {
        "received": int(count or 0),
        "forwarded": int(forwarded or 0),
        "restored": int(restored or 0),
        "litigation_hold": int(hold or 0),
    }


def notifiers(session: Session, r: Range) -> list[tuple[str, str, int, int, int]]:
    """(account_id, name, claims, items decided, items decided no_action) per owner, most claims first."""
    t = rollups.report_owner_day
    per_owner = (
        select(
            t.c.owner_id.label("owner_id"),
            func.sum(t.c.claims).label("claims"),
            func.sum(t.c.items_decided).label("decided"),
            func.sum(t.c.items_unfounded).label("unfounded"),
        )
        .where(_days(t, r))
        .group_by(t.c.owner_id)
        .having(func.sum(t.c.claims) > 0)
        .subquery()
    )
    query = (
        select(per_owner.c.owner_id, Account.name, per_owner.c.claims, per_owner.c.decided, per_owner.c.unfounded)
        .join(Account, Account.id == per_owner.c.owner_id)
        .order_by(per_owner.c.claims.desc(), per_owner.c.owner_id)
    )
    return [(str(a), str(b), int(c), int(d or 0), int(e or 0)) for a, b, c, d, e in session.execute(query)]


def weekly_received(session: Session, r: Range) -> dict[str, int]:
    t = rollups.report_claim_day
    week = rollups.week_of_day(sql.dialect(session), t.c.day)
    query = select(week, func.sum(t.c.n)).where(_days(t, r)).group_by(week)
    return {str(w): int(n) for w, n in session.execute(query)}


def weekly_owners(session: Session, r: Range, ids: list[str]) -> dict[tuple[str, str | None], int]:
    """Claims per (week, owner) of the owners `ids`, and of all others together (owner None)."""
    t = rollups.report_owner_day
    week = rollups.week_of_day(sql.dialect(session), t.c.day)
    who = case((t.c.owner_id.in_(ids), t.c.owner_id), else_=null()) if ids else null()
    keys = (week, who) if ids else (week,)
    query = select(*keys, func.sum(t.c.claims)).where(_days(t, r)).group_by(*keys)
    return {(str(row[0]), row[1] if ids else None): int(row[-1]) for row in session.execute(query)}


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
