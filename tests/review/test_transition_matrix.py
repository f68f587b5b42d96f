"""The whole transition matrix (STYLE.md habit 4), generated from the tables in claims/workflow.py.

Every from × to × party of the four machines through `workflow.transition` (the System actor included), and the
claim moves through their endpoints for every role. What each answer must be comes from CONTRACT.md "Conventions":
a move the table has no row for is a 409; a row that does not name the caller is a 403 for a rights holder (a role
that may never do it) and a 409 for a staff role or the System (not in that state); an endpoint a role's name
appears in no row of is a 403 before anything else is judged.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from sqlalchemy import update

from ipclaims.claims import guards, workflow
from ipclaims.claims.workflow import Machine, Party, System
from ipclaims.errors import InvalidTransition, NotPermitted, Unprocessable
from ipclaims.models import (
    Account,
    Claim,
    ClaimItem,
    ClaimStatus,
    Complaint,
    ComplaintStatus,
    CounterNotice,
    CounterNoticeStatus,
    ItemStatus,
    Role,
    utcnow,
)
from tests.conftest import Actor
from tests.review.flows import submit

ROLES = ("rights_holder", "specialist", "legal", "admin")
NOTIFIERS = (Party.OWNER, Party.OTHER_HOLDER)
STATUSES: dict[type, Any] = {Claim: ClaimStatus, ClaimItem: ItemStatus, CounterNotice: CounterNoticeStatus, Complaint: ComplaintStatus}


def _set(session: Any, model: Any, row_id: str, status: str) -> None:
    session.execute(update(model).where(model.id == row_id).values(status=status))
    session.commit()


def _party(role: str) -> Party:
    return Party.OWNER if role == "rights_holder" else Party(role)


def _direct(machine: Machine, start: str, to: str, party: Party) -> str:
    """What `transition()` must answer, read off the table."""
    move = machine.move(start, to)
    if move is None:
        return "409"
    if party in move.by:
        return "moved"
    return "403" if party in NOTIFIERS else "409"


def test_every_party_of_every_machine_is_named_by_some_row_or_none_on_purpose() -> None:
    # The System moves claims, items and counter-notices, never complaints (DSA Art. 20(6): decided by qualified
    # staff); no row names an admin or another rights holder; the owner withdraws claims and proves court actions.
    assert Party.SYSTEM in workflow.CLAIM.parties() and Party.SYSTEM not in workflow.COMPLAINT.parties()
    for machine in workflow.MACHINES.values():
        assert not {Party.ADMIN, Party.OTHER_HOLDER} & machine.parties(), machine.subject
    assert workflow.permitted_roles(workflow.COMPLAINT) == {Role.SPECIALIST, Role.LEGAL}
    assert workflow.permitted_roles(workflow.COUNTER_NOTICE, {CounterNoticeStatus.RESTORED}) == {Role.LEGAL}


def test_claim_matrix_over_http(client: Any, holder: Actor, make_account: Any, session: Any) -> None:
    actors = {role: make_account(role) for role in ROLES if role != "rights_holder"}
    actors["rights_holder"] = holder
    # /transitions is the staff's endpoint: the owner's one move, withdrawal, has its own (below).
    callers = workflow.CLAIM.parties() - {Party.SYSTEM, Party.OWNER}
    claim = submit(client, holder, "EU_DSA")
    checked = 0
    for start, to, role in itertools.product(ClaimStatus, ClaimStatus, actors):
        _set(session, Claim, claim["id"], start)
        r = client.post(f"/api/v1/claims/{claim['id']}/transitions", json={"to": to, "reason": "matrix"}, headers=actors[role].headers)
        party = _party(role)
        expected = 403 if party not in callers else {"moved": 200, "409": 409}[_direct(workflow.CLAIM, start, to, party)]
        assert r.status_code == expected, (start, to, role, r.text)
        if expected == 200:
            assert r.json()["status"] == to
        else:
            assert r.headers["content-type"].startswith("application/problem+json")
        checked += 1
    assert checked == len(ClaimStatus) ** 2 * len(ROLES)


def test_withdrawal_matrix_over_http(client: Any, holder: Actor, make_account: Any, session: Any) -> None:
    actors = {role: make_account(role) for role in ROLES if role != "rights_holder"}
    actors["rights_holder"], actors["other_holder"] = holder, make_account("rights_holder")
    claim = submit(client, holder, "EU_DSA")
    withdrawers = workflow.permitted_roles(workflow.CLAIM, {ClaimStatus.WITHDRAWN})
    answers = set()
    for start, role in itertools.product(ClaimStatus, actors):
        _set(session, Claim, claim["id"], start)
        r = client.post(f"/api/v1/claims/{claim['id']}/withdraw", json={"reason": "matrix"}, headers=actors[role].headers)
        if role == "other_holder":
            expected = 404  # another holder's claim is not there for it (CONTRACT.md "Conventions")
        elif Role(role) not in withdrawers:
            expected = 403  # a role no withdrawal row names may never withdraw: 403 in every state
        else:
            answer = _direct(workflow.CLAIM, start, ClaimStatus.WITHDRAWN, _party(role))
            expected = {"moved": 200, "403": 403, "409": 409}[answer]
        assert r.status_code == expected, (start, role, r.text)
        answers.add(expected)
    assert answers == {200, 403, 404, 409}


def test_roles_no_row_names_are_refused_before_the_lookup(client: Any, holder: Actor, make_account: Any) -> None:
    actors = {role: make_account(role) for role in ROLES if role != "rights_holder"} | {"rights_holder": holder}
    for role, actor in actors.items():
        r = client.post("/api/v1/complaints/no-such-complaint/decision", json={"upheld": True, "reason": "x"}, headers=actor.headers)
        assert r.status_code == (404 if Role(role) in workflow.permitted_roles(workflow.COMPLAINT) else 403), role


@pytest.mark.parametrize("machine", list(workflow.MACHINES.values()), ids=lambda m: m.subject)
def test_direct_matrix(client: Any, holder: Actor, make_account: Any, session: Any, machine: Machine) -> None:
    claim = submit(client, holder, "US_DMCA")
    item_id = claim["items"][0]["id"]
    # Every writer first, then this test's own session (SQLite lets one writer in at a time).
    ids = {Party(role): make_account(role).id for role in ("specialist", "legal", "admin")}
    ids |= {Party.OWNER: holder.id, Party.OTHER_HOLDER: make_account("rights_holder").id}
    actors: dict[Party, Any] = {party: session.get(Account, account_id) for party, account_id in ids.items()}
    actors[Party.SYSTEM] = System()
    assert set(actors) == set(Party)
    rows: dict[type, Any] = {
        Claim: lambda: claim["id"],
        ClaimItem: lambda: item_id,
        CounterNotice: lambda: CounterNotice(
            claim_id=claim["id"],
            item_id=item_id,
            regime="US_DMCA",
            status=CounterNoticeStatus.DEFICIENT,
            first_received_at=utcnow(),
            received_at=utcnow(),
            elements=[],
        ),
        Complaint: lambda: Complaint(
            claim_id=claim["id"], item_id=item_id, complainant_role="uploader", body="matrix", received_at=utcnow()
        ),
    }
    made = rows[machine.model]()
    if not isinstance(made, str):
        session.add(made)
        session.commit()
        made = made.id
    statuses = list(STATUSES[machine.model])
    outcomes = {"moved": 0, "403": 0, "409": 0}
    for start, to, party in itertools.product(statuses, statuses, actors):
        _set(session, machine.model, made, start)
        target = session.get(machine.model, made)
        session.refresh(target)
        expected = _direct(machine, start, to, party)
        try:
            workflow.transition(session, target, to, actors[party], reason="matrix")
            got = "moved"
        except NotPermitted:
            got = "403"
        except InvalidTransition:
            got = "409"
        assert got == expected, (machine.subject, start, to, party)
        outcomes[got] += 1
        if got == "moved":
            session.commit()
            session.refresh(target)
            assert target.status == to
        else:
            session.rollback()
    assert sum(outcomes.values()) == len(statuses) ** 2 * len(Party)
    assert outcomes["moved"] and outcomes["409"], outcomes
    # A rights holder is refused with a 403 wherever some row of the machine exists that does not name it.
    assert outcomes["403"] == sum(len(NOTIFIERS) - len(set(NOTIFIERS) & m.by) for m in machine.moves), outcomes


def test_claim_rows_guarded_by_a_reason_refuse_a_move_without_one(client: Any, holder: Actor, make_account: Any, session: Any) -> None:
    claim = submit(client, holder, "EU_DSA")
    ids = {Party(role): make_account(role).id for role in ("specialist", "legal")} | {Party.OWNER: holder.id}
    actors: dict[Party, Any] = {party: session.get(Account, account_id) for party, account_id in ids.items()}
    actors[Party.SYSTEM] = System()
    guarded = 0
    for move in workflow.CLAIM.moves:
        _set(session, Claim, claim["id"], move.source)
        target = session.get(Claim, claim["id"])
        session.refresh(target)
        party = sorted(move.by)[0]
        if guards.reason_given in move.guards:
            with pytest.raises(Unprocessable):
                workflow.transition(session, target, move.to, actors[party], reason="  ")
            session.rollback()
            guarded += 1
        else:
            workflow.transition(session, target, move.to, actors[party])
            session.commit()
    assert guarded == len([m for m in workflow.CLAIM.moves if m.to in guards.REASON_REQUIRED])


def test_losing_an_optimistic_race_is_409_not_a_double_move(client: Any, holder: Actor, session: Any, make_account: Any) -> None:
    claim = submit(client, holder, "EU_DSA")
    spec_id, legal = make_account("specialist").id, make_account("legal")
    spec = session.get(Account, spec_id)
    stale = session.get(Claim, claim["id"])
    session.commit()  # keep the loaded objects, end the transaction so the racing request can write
    # Someone else rejects first; our loaded object still says in_review.
    r = client.post(f"/api/v1/claims/{claim['id']}/transitions", json={"to": "rejected", "reason": "x"}, headers=legal.headers)
    assert r.status_code == 200
    with pytest.raises(InvalidTransition):
        workflow.transition(session, stale, ClaimStatus.ESCALATED, spec, reason="too late")
    session.rollback()
    events = client.get(f"/api/v1/claims/{claim['id']}/events", headers=holder.headers).json()["items"]
    assert [e["to"] for e in events if e["action"] == "transition"] == ["rejected"]
