"""The only writer of claim, item, counter-notice and complaint status (STYLE.md habit 3), and its four tables.

Each row of a table names a move (from, to), the parties that may take it (a staff role, the claim's owner, or the
System actor: the worker, or a follow-up taken on a caller's behalf) and its guards (claims/guards.py). Every change
goes through `transition()`: it finds the row, checks the party and the guards, updates with
``WHERE id = :id AND status = :expected`` so two reviewers racing on one claim cannot both win (the loser's UPDATE
matches no row and becomes a 409), writes an event row with actor and reason, and returns; follow-up work
(letters, timers, mail) is only requested through data the worker sweeps.

Terminal states are final except through an explicit reopen by legal (DOMAIN.md §3).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from ipclaims.claims import guards
from ipclaims.claims.guards import NOTIFIERS, Guard, Party, Proposal, System
from ipclaims.errors import InvalidTransition, NotFound, NotPermitted
from ipclaims.events import Action, record_event
from ipclaims.models import Account, Claim, ClaimItem, ClaimStatus, ItemStatus, Role, utcnow
from ipclaims.models.account import REVIEWER_ROLES
from ipclaims.models.review import Complaint, ComplaintStatus, CounterNotice, CounterNoticeStatus

__all__ = [
    "CLAIM",
    "COMPLAINT",
    "COUNTER_NOTICE",
    "ITEM",
    "MACHINES",
    "OPEN_CLAIM",
    "SYSTEM",
    "Machine",
    "Move",
    "Party",
    "System",
    "party_of",
    "permitted_roles",
    "record_event",
    "require_permitted",
    "transition",
]


SYSTEM = Party.SYSTEM  # the System's name in the tables and on the events it writes


@dataclass(frozen=True)
class Move:
    source: str
    to: str
    by: frozenset[Party]
    guards: tuple[Guard, ...] = ()
    note: str = ""  # why the row exists, or who takes it; quoted when a party is refused


@dataclass(frozen=True)
class Machine:
    model: type[Any]
    subject: str
    moves: tuple[Move, ...]
    index: dict[tuple[str, str], Move] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "index", {(m.source, m.to): m for m in self.moves})
        assert len(self.index) == len(self.moves), f"a {self.subject} move is listed twice"

    def move(self, source: str, to: str) -> Move | None:
        return self.index.get((source, to))

    def parties(self, into: Collection[str] | None = None) -> frozenset[Party]:
        """Every party some row (into `into`) names."""
        return frozenset(p for m in self.moves if into is None or m.to in into for p in m.by)


def parties(*named: Party | frozenset[Party]) -> frozenset[Party]:
    return frozenset(p for group in named for p in ((group,) if isinstance(group, Party) else group))


SYS, OWNER, SPECIALIST, LEGAL = Party.SYSTEM, Party.OWNER, Party.SPECIALIST, Party.LEGAL
REVIEWERS = frozenset(Party(role.value) for role in REVIEWER_ROLES)
REASON = (guards.reason_given,)

C = ClaimStatus
CLAIM = Machine(
    Claim,
    "claim",
    (
        Move(C.NEEDS_INFO, C.IN_REVIEW, parties(SYS, REVIEWERS), note="cured, or accepted as substantially compliant"),
        Move(C.NEEDS_INFO, C.REJECTED, parties(SYS, REVIEWERS), REASON, note="expired uncured, or refused"),
        Move(C.NEEDS_INFO, C.WITHDRAWN, parties(OWNER, REVIEWERS)),
        Move(C.IN_REVIEW, C.NEEDS_INFO, REVIEWERS, REASON, note="§ 512(c)(3)(B)(ii): ask the notifier"),
        Move(
            C.IN_REVIEW,
            C.ESCALATED,
            parties(SPECIALIST, SYS),
            REASON,
            note="escalated goes to legal; the System routes a §6 grey area there (integrations.routing)",
        ),
        Move(C.IN_REVIEW, C.DECIDED, parties(SYS), note="a claim becomes decided when every item has an outcome"),
        Move(C.IN_REVIEW, C.REJECTED, REVIEWERS, REASON),
        Move(C.IN_REVIEW, C.WITHDRAWN, parties(OWNER, REVIEWERS)),
        Move(C.ESCALATED, C.IN_REVIEW, parties(LEGAL), note="legal sends it back"),
        Move(C.ESCALATED, C.DECIDED, parties(SYS), note="a claim becomes decided when legal has decided every item"),
        Move(C.ESCALATED, C.REJECTED, parties(LEGAL), REASON, note="only legal decides an escalated claim"),
        Move(C.ESCALATED, C.WITHDRAWN, parties(OWNER, LEGAL), note="an escalated claim is legal's"),
        Move(C.DECIDED, C.CLOSED, parties(SYS, REVIEWERS)),
        Move(C.DECIDED, C.IN_REVIEW, parties(LEGAL, SYS), note="legal reopens; or a notifier's complaint upheld (Art. 20)"),
        Move(C.CLOSED, C.IN_REVIEW, parties(LEGAL), note="legal reopens"),
        Move(C.REJECTED, C.IN_REVIEW, parties(LEGAL), note="legal reopens"),
        Move(C.WITHDRAWN, C.IN_REVIEW, parties(LEGAL), note="legal reopens"),
    ),
)
CLAIM_TERMINAL = frozenset({C.CLOSED, C.REJECTED, C.WITHDRAWN})
OPEN_CLAIM = frozenset({C.NEEDS_INFO, C.IN_REVIEW, C.ESCALATED})

# Every move into a decided state carries the decision guards; a move that proposes no outcome passes them.
IS, DECISION = ItemStatus, guards.DECISION
ITEM = Machine(
    ClaimItem,
    "item",
    (
        Move(IS.PENDING, IS.ACTIONED, REVIEWERS, DECISION),
        Move(IS.PENDING, IS.NO_ACTION, REVIEWERS, DECISION),
        Move(IS.ACTIONED, IS.NO_ACTION, parties(LEGAL), DECISION, note="legal overrides a decision (reversal: no strike)"),
        Move(IS.NO_ACTION, IS.ACTIONED, parties(LEGAL), DECISION, note="legal overrides a decision"),
        Move(IS.ACTIONED, IS.ACTIONED, parties(LEGAL), DECISION, note="legal changes the measure (removed → geo_blocked)"),
        Move(IS.ACTIONED, IS.PENDING, parties(LEGAL), note="legal reopens it for a fresh decision"),
        Move(IS.NO_ACTION, IS.PENDING, parties(LEGAL, SYS), note="legal reopens; or the notifier's complaint upheld"),
        Move(IS.ACTIONED, IS.RESTORED, parties(SYS), note="the uploader's complaint upheld (DSA Art. 20(4))"),
        Move(IS.ACTIONED, IS.COUNTERED, parties(SYS), note="a complete counter-notice was forwarded"),
        Move(IS.COUNTERED, IS.RESTORED, parties(SYS, LEGAL), note="the restore window elapsed"),
        Move(IS.COUNTERED, IS.LITIGATION_HOLD, parties(SYS), note="proof of a filed action"),
        Move(IS.COUNTERED, IS.ACTIONED, parties(SYS), DECISION, note="the counter-notice was withdrawn"),
        Move(IS.LITIGATION_HOLD, IS.RESTORED, parties(LEGAL), note="the court refused the order"),
        Move(
            IS.LITIGATION_HOLD,
            IS.ACTIONED,
            parties(LEGAL),
            DECISION,
            note="the court ordered it kept down; or its counter-notice was withdrawn during the hold",
        ),
    ),
)

N = CounterNoticeStatus
COUNTER_NOTICE = Machine(
    CounterNotice,
    "counter_notice",
    (
        Move(N.DEFICIENT, N.FORWARDED, parties(SYS), note="cured: the clock starts from the cure's receipt"),
        Move(N.DEFICIENT, N.WITHDRAWN, parties(SYS, REVIEWERS)),
        Move(N.FORWARDED, N.RESTORED, parties(SYS, LEGAL), note="the window opened; or legal restores early"),
        Move(N.FORWARDED, N.LITIGATION_HOLD, parties(OWNER, REVIEWERS), note="the notifier proves a filing"),
        Move(N.FORWARDED, N.WITHDRAWN, parties(SYS, REVIEWERS)),
        Move(N.LITIGATION_HOLD, N.RESTORED, parties(LEGAL), note="only legal ends a hold"),
        Move(N.LITIGATION_HOLD, N.WITHDRAWN, parties(LEGAL), note="only legal ends a hold"),
    ),
)

K = ComplaintStatus
COMPLAINT = Machine(
    Complaint,
    "complaint",
    (
        # DSA Art. 20(6): decided by qualified staff, never solely by automated means, so never by the System.
        Move(K.OPEN, K.UPHELD, REVIEWERS),
        Move(K.OPEN, K.DISMISSED, REVIEWERS),
    ),
)

MACHINES: dict[type[Any], Machine] = {m.model: m for m in (CLAIM, ITEM, COUNTER_NOTICE, COMPLAINT)}


def party_of(actor: Account | System, owner_id: str | None) -> Party:
    if isinstance(actor, System):
        return Party.SYSTEM
    if actor.role is Role.RIGHTS_HOLDER:
        return Party.OWNER if actor.id == owner_id else Party.OTHER_HOLDER
    return Party(actor.role.value)


def permitted_roles(machine: Machine, into: Collection[str] | None = None) -> frozenset[Role]:
    """The account roles some row of `machine` (into `into`) names; a rights holder when the owner is named."""
    parties = machine.parties(into)
    roles = {Role(p.value) for p in parties if p not in NOTIFIERS and p is not Party.SYSTEM}
    return frozenset(roles | ({Role.RIGHTS_HOLDER} if Party.OWNER in parties else set()))


def require_permitted(actor: Account, machine: Machine, refusal: str, *, into: Collection[str] | None = None) -> None:
    """403 before anything is judged for a role no row names: one that may never take the action (CONTRACT.md
    "Conventions"). A role some row names is then judged by `transition()`, state by state."""
    if actor.role not in permitted_roles(machine, into):
        raise NotPermitted(refusal)


def _claim_of(session: Session, target: Any) -> Claim:
    if isinstance(target, Claim):
        return target
    claim = session.get(Claim, target.claim_id)
    if claim is None:
        raise NotFound(f"no claim {target.claim_id}")
    return claim


def transition(
    session: Session,
    target: Claim | ClaimItem | CounterNotice | Complaint,
    to: str,
    by: Account | System,
    *,
    reason: str | None = None,
    action: Action = Action.TRANSITION,
    values: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
    internal: bool = False,
    at: datetime | None = None,
) -> None:
    """Move `target` to `to` as `by` (an account, or the System actor).

    Refusals, in order: no row for the move (409); a notifier the row does not name (403); the row's guards (409 or
    422: a request wrong in itself is told so whoever sends it); a staff role or the System the row does not name
    (409: CONTRACT.md, "one the caller's staff role may not take in that state")."""
    machine = MACHINES[type(target)]
    claim = _claim_of(session, target)
    claim_id = claim.id
    party = party_of(by, claim.owner_id)
    actor = by.on_behalf_of if isinstance(by, System) else by
    current = target.status
    move = machine.move(current, to)
    if move is None:
        raise InvalidTransition(f"a {machine.subject} cannot go from {current} to {to}")
    if party in NOTIFIERS and party not in move.by:
        raise NotPermitted(f"a rights holder cannot move a {machine.subject} from {current} to {to}")
    proposal = Proposal(target=target, claim=claim, to=to, party=party, reason=reason, values=values or {})
    for guard in move.guards:
        guard(proposal)
    if party not in move.by:
        why = f" ({move.note})" if move.note else ""
        raise InvalidTransition(f"{party} may not move a {machine.subject} from {current} to {to}{why}")
    now = at or utcnow()
    changes: dict[str, Any] = {"status": to, **(values or {})}
    if isinstance(target, Claim):
        changes.setdefault("status_changed_at", now)
        changes.setdefault("updated_at", now)
    model = machine.model
    result = session.execute(
        update(model).where(model.id == target.id, model.status == current).values(**changes).execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        session.expire(target)
        raise InvalidTransition(f"the {machine.subject} changed while you were deciding; reload it and try again")
    for key, value in changes.items():
        set_committed(target, key, value)
    # An escalation memo is legal's, never the notifier's (docs/contract-additions.md), whoever escalates: a
    # specialist, or the System routing a grey area with another claim's history in its data.
    internal = internal or (isinstance(target, Claim) and to == ClaimStatus.ESCALATED)
    record_event(
        session,
        claim_id=claim_id,
        actor=actor,
        subject_type=machine.subject,
        subject_id=target.id,
        action=action,
        from_status=str(current),
        to_status=str(to),
        reason=reason,
        data=data,
        internal=internal,
        at=now,
    )


def set_committed(target: Any, key: str, value: Any) -> None:
    """Reflect a value already written by an UPDATE on the loaded object without marking it dirty."""
    set_committed_value(target, key, value)
