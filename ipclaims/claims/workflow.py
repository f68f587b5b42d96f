"""The only writer of claim, item and counter-notice status (STYLE.md habit 3).

Every change goes through `transition()`: it checks the TRANSITIONS table and the actor's role, updates with
``WHERE id = :id AND status = :expected`` so two reviewers racing on one claim cannot both win (the loser's UPDATE
matches no row and becomes a 409), writes an event row with actor and reason, and returns; follow-up work
(letters, timers, mail) is only requested by the callers through data the worker sweeps.

Terminal states are final except through an explicit reopen by legal (DOMAIN.md §3).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from ipclaims.errors import InvalidTransition, NotPermitted
from ipclaims.events import SYSTEM, Action, record_event
from ipclaims.models import Account, Claim, ClaimItem, ClaimStatus, ItemStatus, Role, utcnow
from ipclaims.models.review import CounterNotice, CounterNoticeStatus

# SYSTEM (events): the worker and automatic follow-ups (a cure completing a claim, a window elapsing)
OWNER = "owner"  # the rights holder that owns the claim
SPECIALIST, LEGAL, ADMIN = Role.SPECIALIST.value, Role.LEGAL.value, Role.ADMIN.value
REVIEW = frozenset({SPECIALIST, LEGAL})

C = ClaimStatus
CLAIM_TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (C.NEEDS_INFO, C.IN_REVIEW): frozenset({SYSTEM, SPECIALIST, LEGAL}),  # cured, or accepted as substantially compliant
    (C.NEEDS_INFO, C.REJECTED): frozenset({SYSTEM, SPECIALIST, LEGAL}),  # expired uncured, or refused
    (C.NEEDS_INFO, C.WITHDRAWN): frozenset({OWNER, SPECIALIST, LEGAL}),
    (C.IN_REVIEW, C.NEEDS_INFO): frozenset({SPECIALIST, LEGAL}),  # § 512(c)(3)(B)(ii): ask the notifier
    (C.IN_REVIEW, C.ESCALATED): frozenset({SPECIALIST}),
    (C.IN_REVIEW, C.DECIDED): frozenset({SYSTEM}),  # only by the last item decision
    (C.IN_REVIEW, C.REJECTED): frozenset({SPECIALIST, LEGAL}),
    (C.IN_REVIEW, C.WITHDRAWN): frozenset({OWNER, SPECIALIST, LEGAL}),
    (C.ESCALATED, C.IN_REVIEW): frozenset({LEGAL}),  # legal sends it back
    (C.ESCALATED, C.DECIDED): frozenset({SYSTEM}),  # by legal's last item decision
    (C.ESCALATED, C.REJECTED): frozenset({LEGAL}),
    (C.ESCALATED, C.WITHDRAWN): frozenset({OWNER, LEGAL}),
    (C.DECIDED, C.CLOSED): frozenset({SYSTEM, SPECIALIST, LEGAL}),
    (C.DECIDED, C.IN_REVIEW): frozenset({LEGAL, SYSTEM}),  # reopen; or a notifier's complaint upheld (Art. 20)
    (C.CLOSED, C.IN_REVIEW): frozenset({LEGAL}),  # reopen
    (C.REJECTED, C.IN_REVIEW): frozenset({LEGAL}),  # reopen
    (C.WITHDRAWN, C.IN_REVIEW): frozenset({LEGAL}),  # reopen
}
CLAIM_TERMINAL = frozenset({C.CLOSED, C.REJECTED, C.WITHDRAWN})
OPEN_CLAIM = frozenset({C.NEEDS_INFO, C.IN_REVIEW, C.ESCALATED})

IS = ItemStatus
ITEM_TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (IS.PENDING, IS.ACTIONED): REVIEW,
    (IS.PENDING, IS.NO_ACTION): REVIEW,
    (IS.ACTIONED, IS.NO_ACTION): frozenset({LEGAL}),  # legal overrides a decision (reversal: no strike)
    (IS.NO_ACTION, IS.ACTIONED): frozenset({LEGAL}),
    (IS.ACTIONED, IS.ACTIONED): frozenset({LEGAL}),  # change of measure (removed → geo_blocked)
    (IS.ACTIONED, IS.PENDING): frozenset({LEGAL}),  # reopen for a fresh decision
    (IS.NO_ACTION, IS.PENDING): frozenset({LEGAL, SYSTEM}),  # or the notifier's complaint upheld
    (IS.ACTIONED, IS.RESTORED): frozenset({SYSTEM}),  # the uploader's complaint upheld (DSA Art. 20(4))
    (IS.ACTIONED, IS.COUNTERED): frozenset({SYSTEM}),  # a complete counter-notice was forwarded
    (IS.COUNTERED, IS.RESTORED): frozenset({SYSTEM, LEGAL}),  # the restore window elapsed
    (IS.COUNTERED, IS.LITIGATION_HOLD): frozenset({SYSTEM}),  # proof of a filed action
    (IS.COUNTERED, IS.ACTIONED): frozenset({SYSTEM}),  # counter-notice withdrawn
    (IS.LITIGATION_HOLD, IS.RESTORED): frozenset({LEGAL}),  # court refused the order
    (IS.LITIGATION_HOLD, IS.ACTIONED): frozenset({LEGAL}),  # court ordered it kept down
}

N = CounterNoticeStatus
COUNTER_TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (N.DEFICIENT, N.FORWARDED): frozenset({SYSTEM}),  # cured: the clock starts from the cure's receipt
    (N.DEFICIENT, N.WITHDRAWN): frozenset({SYSTEM, SPECIALIST, LEGAL}),
    (N.FORWARDED, N.RESTORED): frozenset({SYSTEM, LEGAL}),
    (N.FORWARDED, N.LITIGATION_HOLD): frozenset({OWNER, SPECIALIST, LEGAL}),  # the notifier proves a filing
    (N.FORWARDED, N.WITHDRAWN): frozenset({SYSTEM, SPECIALIST, LEGAL}),
    (N.LITIGATION_HOLD, N.RESTORED): frozenset({LEGAL}),
    (N.LITIGATION_HOLD, N.WITHDRAWN): frozenset({LEGAL}),
}


@dataclass(frozen=True)
class Machine:
    model: type[Any]
    subject: str
    table: dict[tuple[str, str], frozenset[str]]


MACHINES: dict[type[Any], Machine] = {
    Claim: Machine(Claim, "claim", CLAIM_TRANSITIONS),
    ClaimItem: Machine(ClaimItem, "item", ITEM_TRANSITIONS),
    CounterNotice: Machine(CounterNotice, "counter_notice", COUNTER_TRANSITIONS),
}


def actor_role(actor: Account | None, *, owner_id: str | None = None) -> str:
    if actor is None:
        return SYSTEM
    if actor.role is Role.RIGHTS_HOLDER:
        return OWNER if actor.id == owner_id else "other"
    return actor.role.value


def allowed_roles(target: Any, to: str) -> frozenset[str]:
    return MACHINES[type(target)].table.get((target.status, to), frozenset())


def transition(session: Session, target: Claim | ClaimItem | CounterNotice, to: str, actor: Account | None, *,
               reason: str | None = None, as_system: bool = False, action: Action = Action.TRANSITION,
               values: dict[str, Any] | None = None, data: dict[str, Any] | None = None,
               internal: bool = False, at: datetime | None = None) -> None:
    """Move `target` to `to`. `as_system` marks a follow-up the system takes on the actor's behalf (the claim
    becoming `decided` after a reviewer's last item decision), checked against the SYSTEM role."""
    machine = MACHINES[type(target)]
    claim_id = target.id if isinstance(target, Claim) else target.claim_id
    if isinstance(target, Claim):
        owner_id: str | None = target.owner_id
    else:
        parent = session.get(Claim, claim_id)
        owner_id = parent.owner_id if parent is not None else None
    role = SYSTEM if as_system else actor_role(actor, owner_id=owner_id)
    current = target.status
    roles = machine.table.get((current, to))
    if roles is None:
        raise InvalidTransition(f"a {machine.subject} cannot go from {current} to {to}")
    if role not in roles:
        if actor is not None and actor.role is Role.RIGHTS_HOLDER and not as_system:
            raise NotPermitted(f"a rights holder cannot move a {machine.subject} from {current} to {to}")
        raise InvalidTransition(f"{role} may not move a {machine.subject} from {current} to {to}")
    now = at or utcnow()
    changes: dict[str, Any] = {"status": to, **(values or {})}
    if isinstance(target, Claim):
        changes.setdefault("status_changed_at", now)
        changes.setdefault("updated_at", now)
    model = machine.model
    result = session.execute(
        update(model).where(model.id == target.id, model.status == current).values(**changes)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        session.expire(target)
        raise InvalidTransition(f"the {machine.subject} changed while you were deciding; reload it and try again")
    for key, value in changes.items():
        set_committed(target, key, value)
    record_event(session, claim_id=claim_id, actor=actor, subject_type=machine.subject, subject_id=target.id,
                 action=action, from_status=str(current), to_status=str(to), reason=reason, data=data,
                 internal=internal, at=now)


def set_committed(target: Any, key: str, value: Any) -> None:
    """Reflect a value already written by an UPDATE on the loaded object without marking it dirty."""
    from sqlalchemy.orm.attributes import set_committed_value

    set_committed_value(target, key, value)
