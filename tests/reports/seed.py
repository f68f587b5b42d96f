"""A small, hand-countable data set for the reports: four claims in the range 2026-11-02..2026-11-15, two outside.

Expected figures are worked out by hand in `test_summary.py` from the comments here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from ipclaims import legal
from ipclaims.models import Claim, ClaimElement, ClaimItem, ClaimWork, Complainant, CounterNotice, Event


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# Personal data of every party: none of it may appear in a statement or a Lumen notice.
PEOPLE: list[dict[str, str]] = [
    {"name": "Petra Privatperson", "email": "petra@home.example", "phone": "+49 30 5550 1234", "street": "Lindenweg 7"},
    {"name": "Oscar Agentman", "email": "oscar@acme-legal.example", "phone": "+1 212 555 0100", "street": "1 Law Plaza"},
    {"name": "Tina Trademark", "email": "tina@brand.example", "phone": "+44 20 7946 0000", "street": "9 Mark Lane"},
    {"name": "Hugo Hidden", "email": "hugo@press.example", "phone": "+33 1 55 55 55 55", "street": "3 Rue Cachee"},
]
UPLOADERS = [("upl-jane", "jane.uploader@mail.example"), ("upl-karl", "karl.uploader@mail.example")]


@dataclass
class Seeded:
    claims: dict[str, str] = field(default_factory=dict)  # label → claim id
    items: dict[str, str] = field(default_factory=dict)  # label → item id


def add_claim(
    s: Session,
    seeded: Seeded,
    label: str,
    *,
    owner: str,
    regime: str,
    kind: str,
    status: str,
    source: str,
    received: str,
    person: int,
    organization: str | None,
    gaps: dict[str, str],
    due: str | None = None,
) -> Claim:
    claim = Claim(
        reference=f"IPC-2026-{len(seeded.claims) + 1:06d}",
        owner_id=owner,
        submitted_by_id=owner,
        kind=kind,
        regime=regime,
        status=status,
        source=source,
        received_at=at(received),
        due_at=None if due is None else at(due),
        rights_owner=organization or PEOPLE[person]["name"],
        complete=not gaps,
    )
    s.add(claim)
    s.flush()
    p = PEOPLE[person]
    s.add(
        Complainant(
            claim_id=claim.id,
            name=p["name"],
            organization=organization,
            email=p["email"],
            phone=p["phone"],
            street=p["street"],
            city="Berlin",
            postal_code="10115",
            country="DE",
        )
    )
    s.add(
        ClaimWork(
            claim_id=claim.id,
            position=0,
            title="Sunset photo",
            description="Photograph 'Sunset over the bay'",
            urls=["https://rights.example/works/sunset"],
        )
    )
    for position, code in enumerate(legal.element_codes(regime)):
        # intake_status is what was sent; `status` is after a cure (everything present now), which must not count.
        s.add(
            ClaimElement(
                claim_id=claim.id,
                position=position,
                code=code,
                status="present",
                intake_status=gaps.get(code, "present"),
                citation="c",
                detail="d",
            )
        )
    seeded.claims[label] = claim.id
    return claim


def add_item(
    s: Session,
    seeded: Seeded,
    label: str,
    claim: Claim,
    position: int,
    *,
    outcome: str | None = None,
    decided: str | None = None,
    by: str | None = None,
    scope: list[str] | None = None,
    url: str = "https://video.example.com/watch?v=x",
) -> ClaimItem:
    uploader, uploader_email = UPLOADERS[position % 2]
    item = ClaimItem(
        claim_id=claim.id,
        position=position,
        url=f"{url}{position}",
        locatable=True,
        status="pending" if outcome is None else "no_action" if outcome == "no_action" else "actioned",
        outcome=outcome,
        decided_at=None if decided is None else at(decided),
        decided_by_id=by,
        territorial_scope=scope,
        uploader=uploader,
        uploader_email=uploader_email,
        work_index=0,
        decision_reason=f"reviewed; uploader {uploader} contacted at {uploader_email}",
    )
    s.add(item)
    s.flush()
    seeded.items[label] = item.id
    return item


def _event(s: Session, claim: Claim, when: str, action: str, role: str, actor: str | None) -> None:
    s.add(Event(claim_id=claim.id, at=at(when), action=action, actor_role=role, actor_id=actor, subject_type="claim", subject_id=claim.id))


def seed(s: Session, *, owner_a: str, owner_b: str, staff: str) -> Seeded:
    seeded = Seeded()
    us = legal.element_codes("US_DMCA")
    tm = legal.element_codes("TM_POLICY")
    # C1 (week 45): US_DMCA, signature missing at intake; i1 removed after 2 h, i2 no_action after 24 h.
    c1 = add_claim(
        s,
        seeded,
        "C1",
        owner=owner_a,
        regime="US_DMCA",
        kind="copyright",
        status="decided",
        source="notice",
        received="2026-11-02T10:00:00",
        due="2026-11-04T10:00:00",
        person=0,
        organization=None,
        gaps={us[-1]: "missing"},
    )
    i1 = add_item(s, seeded, "i1", c1, 0, outcome="removed", decided="2026-11-02T12:00:00", by=staff)
    add_item(s, seeded, "i2", c1, 1, outcome="no_action", decided="2026-11-03T10:00:00", by=staff)
    _event(s, c1, "2026-11-02T10:00:00", "submitted", "rights_holder", owner_a)
    _event(s, c1, "2026-11-02T12:00:00", "decided", "specialist", staff)
    _event(s, c1, "2026-11-03T10:00:00", "decided", "specialist", staff)
    s.add(
        CounterNotice(
            claim_id=c1.id,
            item_id=i1.id,
            regime="US_DMCA",
            status="restored",
            first_received_at=at("2026-11-05T00:00:00"),
            received_at=at("2026-11-05T00:00:00"),
            forwarded_at=at("2026-11-05T01:00:00"),
            complete=True,
            subscriber={"name": "Jane Uploader", "email": "jane.uploader@mail.example"},
        )
    )
    # C2 (week 45): EU_DSA from a trusted flagger; staff transition after 6 h; i3 removed after 24 h, i4 undecided.
    c2 = add_claim(
        s,
        seeded,
        "C2",
        owner=owner_a,
        regime="EU_DSA",
        kind="copyright",
        status="in_review",
        source="trusted_flagger",
        received="2026-11-03T00:00:00",
        due="2026-11-04T00:00:00",
        person=1,
        organization="Acme Rights GmbH",
        gaps={},
    )
    add_item(s, seeded, "i3", c2, 0, outcome="removed", decided="2026-11-04T00:00:00", by=staff, url="https://img.example.com/p.jpg?")
    add_item(s, seeded, "i4", c2, 1)
    _event(s, c2, "2026-11-03T06:00:00", "transition", "legal", staff)
    _event(s, c2, "2026-11-04T00:00:00", "decided", "legal", staff)
    # C3 (week 46): TM_POLICY via a partner, SLA due after 6 h (first acted on after 10 h: late),
    # first element deficient at intake; i5 geo-blocked in DE+US after 10 h,
    # i6 disabled in the US only after 24 h (no EEA country: no statement).
    c3 = add_claim(
        s,
        seeded,
        "C3",
        owner=owner_b,
        regime="TM_POLICY",
        kind="trademark",
        status="decided",
        source="partner",
        received="2026-11-09T00:00:00",
        due="2026-11-09T06:00:00",
        person=2,
        organization="Brand Co Ltd",
        gaps={tm[0]: "deficient"},
    )
    add_item(s, seeded, "i5", c3, 0, outcome="geo_blocked", decided="2026-11-09T10:00:00", by=staff, scope=["DE", "US"])
    add_item(s, seeded, "i6", c3, 1, outcome="disabled", decided="2026-11-10T00:00:00", by=staff, scope=["US"])
    _event(s, c3, "2026-11-09T10:00:00", "decided", "specialist", staff)
    # C4 (week 46, the last second of the range): US_DMCA press escalation, signature missing and first element
    # deficient at intake, one undecided item, nothing done yet.
    c4 = add_claim(
        s,
        seeded,
        "C4",
        owner=owner_b,
        regime="US_DMCA",
        kind="copyright",
        status="needs_info",
        source="press",
        received="2026-11-15T23:59:59",
        due="2026-11-16T11:59:59",
        person=3,
        organization=None,
        gaps={us[-1]: "missing", us[0]: "deficient"},
    )
    add_item(s, seeded, "i7", c4, 0)
    # Outside the range on either side.
    for label, when in (("before", "2026-11-01T23:59:59"), ("after", "2026-11-16T00:00:00")):
        c = add_claim(
            s,
            seeded,
            label,
            owner=owner_a,
            regime="SG_CA2021",
            kind="copyright",
            status="in_review",
            source="authority",
            received=when,
            person=0,
            organization=None,
            gaps={},
        )
        add_item(s, seeded, f"i-{label}", c, 0, outcome="removed", decided=when, by=staff)
    s.flush()
    return seeded


def flatten(value: Any) -> str:
    """Every string in a JSON value, joined: what a personal-data search looks through."""
    if isinstance(value, dict):
        return " ".join(flatten(k) + " " + flatten(v) for k, v in value.items())
    if isinstance(value, list):
        return " ".join(flatten(v) for v in value)
    return str(value)
