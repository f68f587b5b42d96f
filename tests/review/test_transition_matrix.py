"""The whole transition matrix (STYLE.md habit 4): every from × to × role, allowed or refused with 409/403.

Claims are moved through `POST /api/v1/claims/{id}/transitions` by every role; items and counter-notices, whose
moves are made by services rather than an endpoint of their own, through `workflow.transition` directly.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from sqlalchemy import update

from ipclaims.claims import workflow
from ipclaims.errors import InvalidTransition, NotPermitted
from ipclaims.models import Claim, ClaimItem, ClaimStatus, CounterNotice, CounterNoticeStatus, ItemStatus
from tests.conftest import Actor
from tests.review.flows import submit

STAFF_ROLES = ("specialist", "legal", "admin")


def _set(session: Any, model: Any, row_id: str, status: str) -> None:
    session.execute(update(model).where(model.id == row_id).values(status=status))
    session.commit()


def test_claim_matrix_over_http(client: Any, holder: Actor, make_account: Any, session: Any) -> None:
    actors = {role: make_account(role) for role in STAFF_ROLES}
    actors["rights_holder"] = holder
    claim = submit(client, holder, "EU_DSA")
    checked = 0
    for start, to, role in itertools.product(ClaimStatus, ClaimStatus, actors):
        _set(session, Claim, claim["id"], start)
        r = client.post(f"/api/v1/claims/{claim['id']}/transitions", json={"to": to, "reason": "matrix"},
                        headers=actors[role].headers)
        allowed = workflow.CLAIM_TRANSITIONS.get((start, to), frozenset())
        if role in ("rights_holder", "admin"):
            expected = 403  # roles that may never move a claim (a rights holder withdraws through /withdraw)
        elif to == ClaimStatus.DECIDED:
            expected = 409  # only the last item decision decides a claim
        elif role in allowed:
            expected = 200
        else:
            expected = 409
        assert r.status_code == expected, (start, to, role, r.text)
        if expected == 200:
            assert r.json()["status"] == to
        else:
            assert r.headers["content-type"].startswith("application/problem+json")
        checked += 1
    assert checked == len(ClaimStatus) ** 2 * 4


@pytest.mark.parametrize("machine", ["item", "counter_notice"])
def test_item_and_counter_notice_matrix(client: Any, holder: Actor, make_account: Any, session: Any, machine: str) -> None:
    from ipclaims.models import Account, utcnow

    claim = submit(client, holder, "US_DMCA")
    # Every writer first, then this test's own session (SQLite lets one writer in at a time).
    ids = {role: make_account(role).id for role in STAFF_ROLES} | {"owner": holder.id,
                                                                    "other_holder": make_account("rights_holder").id}
    accounts: dict[str, Any] = {role: session.get(Account, account_id) for role, account_id in ids.items()}
    accounts["system"] = None
    if machine == "item":
        model, statuses, table, row_id = ClaimItem, list(ItemStatus), workflow.ITEM_TRANSITIONS, claim["items"][0]["id"]
    else:
        cn = CounterNotice(claim_id=claim["id"], item_id=claim["items"][0]["id"], regime="US_DMCA",
                           status=CounterNoticeStatus.DEFICIENT, first_received_at=utcnow(), received_at=utcnow(),
                           elements=[])
        session.add(cn)
        session.commit()
        model, statuses, table, row_id = CounterNotice, list(CounterNoticeStatus), workflow.COUNTER_TRANSITIONS, cn.id
    outcomes = {"moved": 0, "403": 0, "409": 0}
    for start, to, role in itertools.product(statuses, statuses, accounts):
        _set(session, model, row_id, start)
        target = session.get(model, row_id)
        session.refresh(target)
        if (start, to) not in table:
            expected = "409"
        elif role in table[(start, to)]:
            expected = "moved"
        else:
            expected = "403" if role in ("owner", "other_holder") else "409"
        try:
            workflow.transition(session, target, to, accounts[role], reason="matrix")
            got = "moved"
        except NotPermitted:
            got = "403"
        except InvalidTransition:
            got = "409"
        assert got == expected, (start, to, role)
        outcomes[got] += 1
        if got == "moved":
            session.commit()
            session.refresh(target)
            assert target.status == to
        else:
            session.rollback()
    assert all(outcomes.values()), outcomes


def test_losing_an_optimistic_race_is_409_not_a_double_move(client: Any, holder: Actor, session: Any,
                                                            make_account: Any) -> None:
    from ipclaims.models import Account

    claim = submit(client, holder, "EU_DSA")
    spec_id, legal = make_account("specialist").id, make_account("legal")
    spec = session.get(Account, spec_id)
    stale = session.get(Claim, claim["id"])
    session.commit()  # keep the loaded objects, end the transaction so the racing request can write
    # Someone else rejects first; our loaded object still says in_review.
    r = client.post(f"/api/v1/claims/{claim['id']}/transitions", json={"to": "rejected", "reason": "x"},
                    headers=legal.headers)
    assert r.status_code == 200
    with pytest.raises(InvalidTransition):
        workflow.transition(session, stale, ClaimStatus.ESCALATED, spec, reason="too late")
    session.rollback()
    events = client.get(f"/api/v1/claims/{claim['id']}/events", headers=holder.headers).json()["items"]
    assert [e["to"] for e in events if e["action"] == "transition"] == ["rejected"]
