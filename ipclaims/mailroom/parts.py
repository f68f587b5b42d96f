"""A notice listing more URLs than a claim takes, made into several claims ("parts"), and the message each claim was
made from (issue 20).

Bulk notices from anti-piracy agents list thousands of URLs; a claim takes at most `IPCLAIMS_MAX_ITEMS` (1,000,
CONTRACT.md). `service.create` makes such a notice into claims of at most that many items each, in the order its URLs
appear, in one transaction, each through intake as any claim; this module cuts the items (`split`), links each claim
to the message (`link`: the message is kept once, its `claim_id` is the first part), tells staff which part a claim
is (`announce`: an internal event, which the notifier never reads) and finds, for a claim, its message and the other
parts (`origin`), and for messages, the claims made of them (`parts_of`).

One notice makes at most `MAX_PARTS` claims: the reader's text bound (2,000,000 characters) would otherwise let one
message make over a hundred claims of short URLs, each with its own letters and clocks, in one write unit (on SQLite
the server's own loop: a review measured 50 parts at 11.6 s, with the health check waiting 5.4 s; 10 parts 2 s). The
largest notices in fourteen years of github/dmca list about 3,700 URLs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session, defer

from ipclaims.claims import repository
from ipclaims.errors import NotFound, Unprocessable
from ipclaims.events import Action, record_event
from ipclaims.models import Account, Claim, ClaimItem, SourceMessage, SourceMessagePart, SourceStatus

MAX_PARTS = 10  # claims made from one notice: 10,000 URLs at 1,000 items a claim
T = TypeVar("T")


Part = repository.NoticePart  # a claim made from a message, and which part of it
parts_of = repository.message_parts  # the claims made of each message, in order, scoped to a reader when given


def claims_for(items: int, per_claim: int) -> int:
    """How many claims a notice of `items` reported URLs is made into (the import page says it beforehand)."""
    return -(-items // max(per_claim, 1))


def split(items: Sequence[T], per_claim: int) -> list[list[T]]:
    """The notice's items in claims of at most `per_claim`, in order; more than `MAX_PARTS` claims is a 422 (raised
    before anything is written, so nothing is stored for it; an inbox message is kept `failed` with the reason)."""
    per_claim = max(per_claim, 1)
    if claims_for(len(items), per_claim) > MAX_PARTS:
        most = MAX_PARTS * per_claim
        raise Unprocessable(
            f"items: the notice lists {len(items):,} reported URLs; one notice is made into at most {MAX_PARTS} claims of "
            f"{per_claim:,} items ({most:,} URLs): split the notice",
            errors=[{"loc": ["body", "items"], "msg": f"at most {most} items in one notice ({MAX_PARTS} claims of {per_claim})"}],
        )
    return [list(items[start : start + per_claim]) for start in range(0, len(items), per_claim)] or [list(items)]


def link(session: Session, message_id: str, parts: Sequence[Part]) -> None:
    rows = [{"claim_id": p.id, "message_id": message_id, "part": p.part, "items": p.items} for p in parts]
    session.execute(insert(SourceMessagePart), rows)


def announce(session: Session, actor: Account, message_id: str, parts: Sequence[Part], at: datetime) -> None:
    """Each of several parts tells staff it is part k of n of one notice, naming the others: an internal event on its
    timeline (`GET .../events` for staff; the notifier's list leaves internal events out). One claim says nothing."""
    if len(parts) < 2:
        return
    named = ", ".join(f"{p.reference} ({p.items:,} URLs)" for p in parts)
    for p in parts:
        record_event(
            session,
            claim_id=p.id,
            actor=actor,
            subject_type="claim",
            subject_id=p.id,
            action=Action.NOTICE_PART,
            reason=f"part {p.part} of {len(parts)} of one notice, made into {len(parts)} claims in the order of its URLs: {named}",
            data={"part": p.part, "of": len(parts), "source_message_id": message_id, "claims": [q.id for q in parts]},
            internal=True,
            at=at,
        )


@dataclass(frozen=True)
class Origin:
    message: SourceMessage
    part: int  # which part the claim is
    of: int  # how many claims the message made
    parts: list[Part]  # those the reader may read, in order


def origin(session: Session, actor: Account, claim: str | Claim, *, raw: bool = True) -> Origin | None:
    """The message a claim was made from (a reply or a copy linked to it is not), scoped as the claim is (another
    holder's claim: 404), and where the claim stands among the claims made of it; None for a claim made another way.
    `raw`: with the bytes (the download), else without them (a page shows the headers and the kept reading)."""
    readable = repository.readable(session, actor, claim)
    claim_id = readable.id
    made = session.get(SourceMessagePart, claim_id)
    deferred = () if raw else (defer(SourceMessage.raw, raiseload=True), defer(SourceMessage.envelope, raiseload=True))
    if made is None:
        # a claim made from a message with no link row (made by a process still running the code before 0025, or
        # after a downgrade and upgrade): the message names it as its claim; one part, itself
        query = select(SourceMessage).where(SourceMessage.claim_id == claim_id, SourceMessage.status == SourceStatus.PARSED)
        only = session.scalars(query.options(*deferred).order_by(SourceMessage.created_at).limit(1)).first()
        if only is None:
            return None
        items = session.scalar(select(func.count()).select_from(ClaimItem).where(ClaimItem.claim_id == claim_id))
        return Origin(message=only, part=1, of=1, parts=[Part(claim_id, readable.reference, 1, int(items or 0))])
    message = session.scalars(select(SourceMessage).where(SourceMessage.id == made.message_id).options(*deferred)).one()
    of = session.scalar(select(func.count()).select_from(SourceMessagePart).where(SourceMessagePart.message_id == made.message_id))
    return Origin(message=message, part=made.part, of=int(of or 0), parts=parts_of(session, [made.message_id], actor)[made.message_id])


def source_message(session: Session, actor: Account, claim_id: str) -> Origin:
    """`GET /api/v1/claims/{id}/source-message`: the origin with the bytes; 404 for a claim made another way."""
    found = origin(session, actor, claim_id)
    if found is None:
        raise NotFound("this claim was not made from a message")
    return found
