"""Claim queries, and the fast write of a new claim. Every read a rights holder makes goes through `readable_by`
(STYLE.md habit 7)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, Table, case, exists, func, insert, or_, select, update
from sqlalchemy.orm import Session, aliased, selectinload

from ipclaims import events
from ipclaims.claims import notice
from ipclaims.db import Prepared, send_together
from ipclaims.errors import NotFound
from ipclaims.events import Rows
from ipclaims.models import (
    Account,
    Claim,
    ClaimElement,
    ClaimItem,
    ClaimStatus,
    ClaimWork,
    Complainant,
    CounterNoticeStatus,
    Event,
    ItemStatus,
    Role,
    SourceMessagePart,
)

COUNTER_NOTICE_SUBJECT = "counter_notice"  # the subject_type of a counter-notice's events

FULL = (
    selectinload(Claim.complainant),
    selectinload(Claim.works),
    selectinload(Claim.items),
    selectinload(Claim.elements),
)


def readable_by(account: Account) -> Select[tuple[Claim]]:
    """The one visibility rule: staff see every claim, a rights holder only those it owns."""
    query = select(Claim)
    if account.role is Role.RIGHTS_HOLDER:
        query = query.where(Claim.owner_id == account.id)
    return query


@dataclass(frozen=True)
class NoticePart:
    """A claim made from a message, and which part of it (`mailroom.parts`: a notice listing more URLs than a claim
    takes is made into several claims, its URLs in order)."""

    id: str  # the claim's
    reference: str
    part: int  # 1, 2, …
    items: int  # how many of the notice's URLs it took

    def json(self) -> dict[str, Any]:
        return {"id": self.id, "reference": self.reference, "part": self.part, "items": self.items}


def message_parts(session: Session, message_ids: Iterable[str], reader: Account | None = None) -> dict[str, list[NoticePart]]:
    """The claims made of each message, in order (none for a message that made no claim); with `reader`, only those
    it may read (`readable_by`)."""
    ids = list(dict.fromkeys(message_ids))
    if not ids:
        return {}
    columns = (SourceMessagePart.message_id, Claim.id, Claim.reference, SourceMessagePart.part, SourceMessagePart.items)
    query = (
        (readable_by(reader) if reader is not None else select(Claim))
        .with_only_columns(*columns)
        .join(SourceMessagePart, SourceMessagePart.claim_id == Claim.id)
        .where(SourceMessagePart.message_id.in_(ids))
        .order_by(SourceMessagePart.message_id, SourceMessagePart.part)
    )
    out: dict[str, list[NoticePart]] = {i: [] for i in ids}
    for message_id, claim_id, reference, part, items in session.execute(query).tuples():
        out[message_id].append(NoticePart(claim_id, reference, part, items))
    return out


def notice_parts(session: Session, claim_id: str) -> tuple[int, list[NoticePart]]:
    """Which part of its notice a claim is, and every claim made of that notice, in order (one owner, so a party of
    one may read all); (1, []) for a claim made another way. What the letters and the mailroom's replies say of it."""
    made = session.get(SourceMessagePart, claim_id)
    if made is None:
        return 1, []
    return made.part, message_parts(session, [made.message_id])[made.message_id]


def shown_to_notifier() -> ColumnElement[bool]:
    """Which of a claim's events the notifier may read, as far as counter-notices go: a counter-notice's events from
    its forwarding on (the first event that moved it to `forwarded`), never the deficient receipt, the missing
    elements or the cures before it, and nothing of one never forwarded."""
    forwarding = aliased(Event)
    return or_(
        Event.subject_type != COUNTER_NOTICE_SUBJECT,
        exists().where(
            forwarding.claim_id == Event.claim_id,
            forwarding.subject_type == COUNTER_NOTICE_SUBJECT,
            forwarding.subject_id == Event.subject_id,
            forwarding.to_status == CounterNoticeStatus.FORWARDED.value,
            forwarding.id <= Event.id,
        ),
    )


def get_claim(session: Session, account: Account, claim_id: str, *, for_update: bool = False) -> Claim:
    query = readable_by(account).where(Claim.id == claim_id).options(*FULL)
    if for_update:
        # Serialises item decisions on one claim (PostgreSQL row lock; SQLite writers are serial already), so the
        # last decision always sees every other outcome and the claim cannot stay `in_review` with all items decided.
        query = query.with_for_update(of=Claim)
    claim = session.scalars(query).first()
    if claim is None:
        raise NotFound(f"no claim {claim_id}")
    return claim


def readable(session: Session, account: Account, claim: str | Claim) -> Claim:
    """`get_claim` by id; a `Claim` already read for `account` by `get_claim` is taken as it is, so a page that shows
    several of a claim's lists (notes, letters, counter-notices, events) reads the claim once."""
    return claim if isinstance(claim, Claim) else get_claim(session, account, claim)


def get_claim_for_link(session: Session, claim_id: str) -> Claim:
    """The claim an uploader's signed link names (`ipclaims.tokens`), locked as `get_claim(for_update=True)` locks
    it: the link is the caller's only credential, and it names this one claim."""
    claim = session.scalars(select(Claim).where(Claim.id == claim_id).options(*FULL).with_for_update(of=Claim)).first()
    if claim is None:
        raise NotFound(f"no claim {claim_id}")
    return claim


def item_by_reference(session: Session, account: Account, reference: str, number: int) -> tuple[str, str] | None:
    """(claim id, item id) of item `number` (1-based, as pages show it) of the claim `account` may read with this
    reference (`IPC-2026-000123`; spaces and case forgiven), or None: staff naming a claim by what its page shows."""
    wanted = "".join(reference.split()).upper()
    query = (
        readable_by(account)
        .with_only_columns(Claim.id, ClaimItem.id)
        .join(ClaimItem, ClaimItem.claim_id == Claim.id)
        .where(Claim.reference == wanted, ClaimItem.position == number - 1)
    )
    row = session.execute(query).tuples().first()
    return (row[0], row[1]) if row else None


def get_item(claim: Claim, item_id: str) -> ClaimItem:
    for item in claim.items:
        if item.id == item_id:
            return item
    raise NotFound(f"claim {claim.reference} has no item {item_id}")


def notifier_signals(session: Session, account: Account) -> dict[str, Any]:
    """A notifier's notices and how many were unfounded (DSA Art. 23(3)): counts, not a verdict — Art. 23(3) asks
    for absolute numbers and proportions before any suspension. The fields of `review.schemas.NotifierStats`, in its
    order (staff read them on every claim: `presenter.claim_out`)."""
    notices, rejected = session.execute(
        select(func.count(Claim.id), func.coalesce(func.sum(case((Claim.status == ClaimStatus.REJECTED, 1), else_=0)), 0)).where(
            Claim.owner_id == account.id
        )
    ).one()
    decided, unfounded = session.execute(
        select(func.count(ClaimItem.id), func.coalesce(func.sum(case((ClaimItem.status == ItemStatus.NO_ACTION, 1), else_=0)), 0))
        .join(Claim, Claim.id == ClaimItem.claim_id)
        .where(Claim.owner_id == account.id, ClaimItem.outcome.is_not(None))
    ).one()
    return {
        "account_id": account.id,
        "notices": int(notices),
        "decided_items": int(decided),
        "unfounded_items": int(unfounded),
        "rejected_notices": int(rejected),
        "unfounded_rate": round(int(unfounded) / int(decided), 4) if decided else None,
        "basis": "items decided no_action over items decided (DSA Art. 23(3)(a)–(b))",
    }


# A new claim is written with Core INSERTs, one multi-row statement per table (on PostgreSQL all of them one
# statement, `db.send_together`): the ORM unit of work cost more than everything else on the intake path together,
# and a new claim needs none of what it offers (no loaded objects to reconcile, no cascades to discover). Column
# defaults still apply, and values go through the column types exactly as the ORM would send them. The columns
# each row carries; the statements are compiled once per dialect (`db.Prepared`).
def _table(model: type[Any]) -> Table:
    return cast(Table, model.__table__)


_CLAIM = Prepared(
    insert(_table(Claim)),
    (
        "id",
        "created_at",
        "reference",
        "owner_id",
        "submitted_by_id",
        "kind",
        "regime",
        "status",
        "source",
        "received_at",
        "status_changed_at",
        "updated_at",
        *notice.TEXT_FIELDS,
        *notice.OBJECT_FIELDS,
        "complete",
        "curable",
        "priority",
        "priority_reasons",
        "due_at",
    ),
)
_COMPLAINANT = Prepared(insert(_table(Complainant)), ("claim_id", *notice.PARTY_FIELDS, *notice.ADDRESS_FIELDS, "relationship"))
_WORK = Prepared(
    insert(_table(ClaimWork)), ("id", "claim_id", "position", "title", "description", "urls", "reference_work_id", "registration_number")
)
_ITEM = Prepared(
    insert(_table(ClaimItem)),
    (
        "id",
        "claim_id",
        "position",
        "url",
        "description",
        "work_index",
        "uploader",
        "locatable",
        "location_detail",
        "status",
        "matches",
        "created_at",
        "received_at",
        "owner_id",
    ),
)
_ELEMENT = Prepared(
    insert(_table(ClaimElement)),
    ("id", "claim_id", "position", "code", "status", "intake_status", "citation", "detail", "received_at", "regime"),
)
_EVENT = Prepared(insert(_table(Event)).returning(_table(Event).c.id), events.COLUMNS)


@dataclass
class NewClaimRows:
    """A new claim as rows: the claim, its complainant, works, items and completeness elements."""

    claim: dict[str, Any]
    complainant: dict[str, Any] | None
    works: list[dict[str, Any]]
    items: list[dict[str, Any]]
    elements: list[dict[str, Any]]


def insert_new_claim(
    session: Session,
    rows: NewClaimRows,
    event: dict[str, Any],
    follow_ups: Sequence[Rows],
    *,
    guard: tuple[Prepared, dict[str, Any]] | None = None,
) -> int | None:
    """Write a new claim, its `submitted` event and the event's follow-up rows; returns the event's id.

    `guard`: an INSERT ... ON CONFLICT DO NOTHING RETURNING sent first (the Idempotency-Key's record with its
    answer, `idempotency.KeyRecord.with_answer`); if it inserts nothing, nothing is written and None is returned.
    """
    parts: list[tuple[Prepared, Any]] = [(guard[0], guard[1])] if guard is not None else []
    parts.append((_CLAIM, rows.claim))
    if rows.complainant is not None:
        parts.append((_COMPLAINANT, rows.complainant))
    if rows.works:
        parts.append((_WORK, rows.works))
    # The claim's receipt time, owner and regime copied onto its items and elements (the report columns, migration
    # 0011_reports): given here, the database's triggers leave these rows alone instead of updating each one again.
    claim = rows.claim
    items = [{**item, "received_at": claim["received_at"], "owner_id": claim["owner_id"]} for item in rows.items]
    elements = [{**element, "received_at": claim["received_at"], "regime": claim["regime"]} for element in rows.elements]
    parts += [(_ITEM, items), (_ELEMENT, elements), (_EVENT, event)]
    returning = len(parts) - 1
    parts += [(f.into, f.rows) for f in follow_ups if f.rows]
    cursor = send_together(session.connection(), parts, returning=returning, guarded=guard is not None)
    try:
        row = cursor.fetchone()
    finally:
        cursor.close()
    return None if row is None else int(row[0])


def set_priority(session: Session, claim_id: str, score: int, reasons: list[str]) -> None:
    """Rewrite a just-written claim's priority (intake, when a follow-up that needed the event's id flags it)."""
    session.execute(update(Claim).where(Claim.id == claim_id).values(priority=score, priority_reasons=reasons))
