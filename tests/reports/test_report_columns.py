"""The report columns the database keeps (migration 0011_reports) equal the direct computation from claims and events.

The claims here go through the API (intake's batched INSERTs, decisions, staff and holder transitions, a
counter-notice), so every writer the triggers must follow is exercised.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from ipclaims.models import Claim, ClaimElement, ClaimItem, Event
from ipclaims.reports.repository import FIRST_ACTIONS, STAFF_ROLES
from tests.conftest import Actor
from tests.review.flows import counter, decide, submit


def _first_actions(session: Session) -> dict[str, Any]:
    """Direct computation: each claim's earliest staff decision or transition event (None without one)."""
    direct = dict(
        session.execute(
            select(Event.claim_id, func.min(Event.at))
            .where(Event.action.in_(FIRST_ACTIONS), Event.actor_role.in_(STAFF_ROLES), Event.claim_id.is_not(None))
            .group_by(Event.claim_id)
        ).all()
    )
    return {claim_id: direct.get(claim_id) for claim_id in session.scalars(select(Claim.id))}


def _assert_consistent(session: Session) -> None:
    session.expire_all()
    kept = dict(session.execute(select(Claim.id, Claim.first_action_at)).all())
    assert kept == _first_actions(session)
    items = session.execute(
        select(ClaimItem.received_at, ClaimItem.owner_id, Claim.received_at, Claim.owner_id).join(Claim, Claim.id == ClaimItem.claim_id)
    ).all()
    assert items and all((a, b) == (c, d) for a, b, c, d in items)
    columns = (ClaimElement.received_at, ClaimElement.regime, Claim.received_at, Claim.regime)
    elements = session.execute(select(*columns).join(Claim, Claim.id == ClaimElement.claim_id)).all()
    assert elements and all((a, b) == (c, d) for a, b, c, d in elements)


def test_report_columns_follow_every_writer(client: Any, session: Session, holder: Actor, specialist: Actor, legal_user: Actor) -> None:
    untouched = submit(client, holder, "EU_DSA")
    decided = submit(client, holder, "US_DMCA")
    decide(client, specialist, decided, 0, "removed")
    counter(client, specialist, decided, 0)
    withdrawn = submit(client, holder, "TM_POLICY")
    r = client.post(f"/api/v1/claims/{withdrawn['id']}/withdraw", json={"reason": "sent in error"}, headers=holder.headers)
    assert r.status_code == 200, r.text
    relabelled = submit(client, holder, "SG_CA2021")
    r = client.put(f"/api/v1/claims/{relabelled['id']}/source", json={"source": "press", "reason": "press"}, headers=legal_user.headers)
    assert r.status_code == 200, r.text
    _assert_consistent(session)
    first = dict(session.execute(select(Claim.id, Claim.first_action_at)).all())
    # A holder's own withdrawal and a source change are not first actions; a staff decision is.
    assert first[untouched["id"]] is None and first[withdrawn["id"]] is None and first[relabelled["id"]] is None
    assert first[decided["id"]] is not None

    # An earlier staff event (a back-dated import) moves the first action back; a later one leaves it.
    at = first[decided["id"]]
    for when in (at + timedelta(hours=1), at - timedelta(hours=1)):
        session.add(
            Event(
                claim_id=decided["id"],
                at=when,
                action="transition",
                actor_role="legal",
                actor_id=legal_user.id,
                subject_type="claim",
                subject_id=decided["id"],
            )
        )
        session.flush()
    session.commit()
    _assert_consistent(session)
    assert session.scalar(select(Claim.first_action_at).where(Claim.id == decided["id"])) == at - timedelta(hours=1)

    # A claim's receipt time or owner changing (no route does it today) carries over to its items and elements.
    received = session.scalar(select(Claim.received_at).where(Claim.id == untouched["id"]))
    moved = {"received_at": received - timedelta(days=3), "owner_id": specialist.id}
    session.execute(update(Claim).where(Claim.id == untouched["id"]).values(**moved))
    session.commit()
    _assert_consistent(session)


def test_the_triggers_exist_at_head(session: Session) -> None:
    """A later migration that rebuilds these tables on SQLite (batch mode) would drop their triggers silently."""
    engine = session.get_bind()
    if engine.dialect.name == "postgresql":
        names = set(session.scalars(text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")))
    else:
        names = set(session.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")))
    assert {"trg_claim_item_report", "trg_claim_element_report", "trg_claim_report", "trg_event_first_action"} <= names
