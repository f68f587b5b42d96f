"""The mail the workflow owes (DOMAIN.md §4): an event subscriber (`subscriber`, registered for `ACTIONS`).

Every event goes through `events.record_event` (intake's `submitted` through the same registry, in its batch), so
no service can change state and forget to tell the notifier or the uploader. The subscriber returns outbox rows;
the recorder writes them in the event's transaction. Dedupe keys carry the event id: an event happens once, so its
mail is queued once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence, Sized
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session, selectinload

from ipclaims import tokens
from ipclaims.config import get_settings
from ipclaims.events import Action, EventRow, NeedsEventId, Rows
from ipclaims.legal.clock import reply_deadline, reply_zone
from ipclaims.models import Account, Claim, ClaimItem, Complaint, CounterNotice, utcnow
from ipclaims.notifications.outbox import Message, message, queue
from ipclaims.notifications.wording import LEGAL_GROUNDS, REGIME_NAMES, rejected_after_request

# The actions whose events may owe mail; `subscriber` decides from the event which mail, if any.
ACTIONS = frozenset(
    {
        Action.SUBMITTED,
        Action.TRANSITION,
        Action.EXPIRED,
        Action.NEEDS_INFO_REMINDER,
        Action.SLA_BREACHED,
        Action.DECIDED,
        Action.COUNTER_WITHDRAWN,  # an item actioned; a claim decided
        Action.RECEIVED,
        Action.CURED,
        Action.COURT_ACTION,
        Action.RESTORED,  # counter-notices; an item restored on an upheld complaint
        Action.COMPLAINT_DECIDED,
    }
)

NEEDED = frozenset({"complainant", "works", "items", "elements"})

# Mail that goes to both parties of a counter-notice names its recipient last in its dedupe key: the owed letter
# goes only with its addressee's copy (`letters.service.owed_letter`).
TO_NOTIFIER, TO_UPLOADER = "notifier", "subscriber"


def _claim(session: Session, claim_id: str) -> Claim:
    # On the intake path the claim was just built in this session: use it as is rather than query it again.
    claim = session.get(Claim, claim_id)
    if claim is not None and not (NEEDED & inspect(claim).unloaded):
        return claim
    return session.scalars(select(Claim).where(Claim.id == claim_id).options(*_FULL)).one()


_FULL = (selectinload(Claim.complainant), selectinload(Claim.works), selectinload(Claim.items), selectinload(Claim.elements))


def _item(claim: Claim, item_id: str) -> ClaimItem:
    return next(item for item in claim.items if item.id == item_id)


def notifier_address(session: Session, claim: MailClaim) -> str | None:
    if claim.complainant is not None and claim.complainant.email:
        email: str = claim.complainant.email  # `complainant` is an ORM row or intake's value: typed loosely
        return email
    owner = session.get(Account, claim.owner_id)
    return owner.email if owner else None


class MailClaim(Protocol):
    """What the claim mail templates and helpers read of a claim: an ORM `Claim`, or intake's rows before one exists."""

    @property
    def id(self) -> str: ...
    @property
    def reference(self) -> str: ...
    @property
    def regime(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def received_at(self) -> datetime: ...
    @property
    def status_changed_at(self) -> datetime: ...
    @property
    def items(self) -> Sized: ...
    @property
    def elements(self) -> Sequence[Any]: ...
    @property
    def owner_id(self) -> str: ...
    @property
    def complainant(self) -> Any: ...  # with an `email`, or None


@lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _local_date(claim: MailClaim) -> date:
    """The day a notice was received, in the zone its letters state dates in (Singapore's for SG_CA2021)."""
    return claim.received_at.astimezone(_zone(reply_zone(claim.regime, get_settings().timezone))).date()


def _missing(claim: MailClaim) -> list[Any]:
    return [e for e in claim.elements if e.status != "present"]


def _deadline(claim: MailClaim) -> date:
    settings = get_settings()
    return reply_deadline(claim.regime, claim.status_changed_at, settings.needs_info_expiry_days, us_timezone=settings.timezone)


def _base(claim: MailClaim) -> dict[str, Any]:
    return {"claim": claim, "regime_name": REGIME_NAMES.get(claim.regime, claim.regime), "received_date": _local_date(claim).isoformat()}


def submitted_messages(claim: MailClaim, event_id: int | None, to: str | None) -> list[dict[str, Any]]:
    """The mail a new claim's `submitted` event owes: the acknowledgment (DSA Art. 16(4)) and, for an incomplete
    notice, the request for what is missing (§ 512(c)(3)(B)(ii)), as outbox rows.

    Only the request names the event (its dedupe key), so a complete claim's mail can be built before the event
    row exists (`event_id` None); an incomplete one's then raises `NeedsEventId`.
    """
    rows = [message(dedupe_key=f"acknowledgment:{claim.id}", to_addr=to, kind="acknowledgment", claim_id=claim.id, **_base(claim))]
    if claim.status == "needs_info":
        if event_id is None:
            raise NeedsEventId
        # Queued after the acknowledgment: outbox order is (created_at, id), and ids are random within a millisecond.
        after = max(utcnow(), rows[0]["created_at"] + timedelta(microseconds=1)) if rows[0] else None
        rows.append(
            message(
                dedupe_key=f"deficiency:{event_id}:{claim.id}",
                to_addr=to,
                kind="deficiency",
                claim_id=claim.id,
                at=after,
                missing=_missing(claim),
                deadline=_deadline(claim).isoformat(),
                **_base(claim),
            )
        )
    return [row for row in rows if row is not None]


def _on_claim(session: Session, event: EventRow, subject: Any) -> Iterator[Message | None]:
    if event.action == Action.SUBMITTED:
        new: MailClaim = subject if subject is not None else _claim(session, event.subject_id)
        yield from submitted_messages(new, event.id, notifier_address(session, new))
        return
    claim = _claim(session, event.subject_id)
    to = notifier_address(session, claim)
    key = f"{event.id}:{claim.id}"
    if event.to_status == "needs_info" and event.action == Action.TRANSITION:
        yield message(
            dedupe_key=f"deficiency:{key}",
            to_addr=to,
            kind="deficiency",
            claim_id=claim.id,
            missing=_missing(claim),
            deadline=_deadline(claim).isoformat(),
            **_base(claim),
        )
    elif event.action == Action.NEEDS_INFO_REMINDER:
        yield message(
            dedupe_key=f"reminder:{key}",
            to_addr=to,
            kind="needs_info_reminder",
            claim_id=claim.id,
            missing=_missing(claim),
            deadline=_deadline(claim).isoformat(),
            **_base(claim),
        )
    elif event.to_status == "rejected":
        # No `reason`: a rejection's reason is the reviewer's, internal; the letter states the grounds.
        yield message(
            dedupe_key=f"rejection:{key}",
            to_addr=to,
            kind="rejection",
            claim_id=claim.id,
            missing=_missing(claim) if rejected_after_request(event.from_status) else [],
            **_base(claim),
        )
    elif event.to_status == "decided":
        yield message(dedupe_key=f"decision:{key}", to_addr=to, kind="decision", claim_id=claim.id, **_base(claim))
    elif event.action == Action.SLA_BREACHED and claim.assignee_id:
        assignee = session.get(Account, claim.assignee_id)
        yield message(
            dedupe_key=f"sla:{key}", to_addr=assignee.email if assignee else None, kind="sla_breach", claim_id=claim.id, **_base(claim)
        )


def _on_item(session: Session, event: EventRow, subject: Any) -> Iterator[Message | None]:
    if event.to_status == "restored":
        yield from _restored_on_complaint(session, event)
    if event.to_status != "actioned":
        return
    item = session.get(ClaimItem, event.subject_id)
    assert item is not None
    claim = _claim(session, item.claim_id)
    automated = any(m.get("verdict") == "match" for m in item.matches or [])
    settings = get_settings()
    yield message(
        dedupe_key=f"statement_of_reasons:{event.id}:{item.id}",
        to_addr=item.uploader_email,
        kind="statement_of_reasons",
        claim_id=claim.id,
        item=item,
        automated_detection=automated,
        legal_ground=LEGAL_GROUNDS.get(claim.regime, claim.regime),
        uploader_link=tokens.link(claim.id, item.id, settings, at=event.at),
        link_until=tokens.expires_on(settings, event.at).date().isoformat(),
        **_base(claim),
    )


def _restored_on_complaint(session: Session, event: EventRow) -> Iterator[Message | None]:
    """An item restored because the uploader's complaint was upheld (DSA Art. 20(4)): the notifier is told, with the
    restoration letter it is owed (the dedupe key names the item's event, as the letter's does). A counter-notice's
    restoration is told from the counter-notice's own event (`_on_counter_notice`)."""
    item = session.get(ClaimItem, event.subject_id)
    assert item is not None
    upheld = session.scalar(select(Complaint.id).where(Complaint.item_id == item.id, Complaint.status == "upheld").limit(1))
    if upheld is None:
        return
    claim = _claim(session, item.claim_id)
    yield message(
        dedupe_key=f"restoration:{event.id}:{TO_NOTIFIER}",
        to_addr=notifier_address(session, claim),
        kind="restoration",
        claim_id=claim.id,
        item=item,
        restored_on=event.at.astimezone(_zone(get_settings().timezone)).date().isoformat(),
        reason="on review of the uploader's complaint",
        **_base(claim),
    )


def _notice_name(regime: str) -> str:
    return "restoration notice" if regime == "SG_CA2021" else "counter-notice"


def _restored_on(event: EventRow, counter: CounterNotice) -> date:
    """The restoration's date on the counter-notice's own clock (US: IPCLAIMS_TIMEZONE; SG: Asia/Singapore), the
    calendar its window was counted on: a UTC date can read a day before the window opened."""
    return event.at.astimezone(_zone(counter.clock_timezone or get_settings().timezone)).date()


def _on_counter_notice(session: Session, event: EventRow, subject: Any) -> Iterator[Message | None]:
    counter = session.get(CounterNotice, event.subject_id)
    assert counter is not None
    claim = _claim(session, counter.claim_id)
    item = _item(claim, counter.item_id)
    subscriber = (counter.subscriber or {}).get("email")
    notifier = notifier_address(session, claim)
    base = {
        **_base(claim),
        "item": item,
        "counter": counter,
        "notice_name": _notice_name(counter.regime),
        "received_date": counter.received_at.astimezone(ZoneInfo(counter.clock_timezone or get_settings().timezone)).date().isoformat(),
    }
    if event.to_status == "deficient":
        yield message(
            dedupe_key=f"cn-deficient:{event.id}",
            to_addr=subscriber,
            kind="counter_notice_deficient",
            claim_id=claim.id,
            missing=[e for e in counter.elements if e["status"] != "present"],
            **base,
        )
    elif event.to_status == "forwarded":
        window = {"earliest": counter.restore_earliest, "latest": counter.restore_latest}
        day_kind = "working days" if counter.regime == "SG_CA2021" else "business days"
        for role, addr in ((TO_NOTIFIER, notifier), (TO_UPLOADER, subscriber)):
            yield message(
                dedupe_key=f"cn-forwarded:{counter.id}:{event.id}:{role}",
                to_addr=addr,
                kind="counter_notice_forwarded",
                claim_id=claim.id,
                to_role=role,
                uploader_link=tokens.link(claim.id, item.id, get_settings()) if role == TO_UPLOADER else None,
                window=window,
                restore_on=counter.restore_on,
                day_kind=day_kind,
                **base,
            )
    elif event.to_status == "restored":
        for role, addr in ((TO_NOTIFIER, notifier), (TO_UPLOADER, subscriber)):
            yield message(
                dedupe_key=f"restoration:{counter.id}:{role}",
                to_addr=addr,
                kind="restoration",
                claim_id=claim.id,
                restored_on=_restored_on(event, counter).isoformat(),
                # the event's reason is staff text: the parties are told only how it came about
                reason="after the restoration window" if event.actor_id is None else "on review",
                **base,
            )
    elif event.to_status == "litigation_hold":
        yield message(
            dedupe_key=f"litigation:{counter.id}:{event.id}",
            to_addr=subscriber,
            kind="litigation_hold",
            claim_id=claim.id,
            court=counter.court or {},
            **base,
        )


def _on_complaint(session: Session, event: EventRow, subject: Any) -> Iterator[Message | None]:
    if event.action != Action.COMPLAINT_DECIDED:
        return
    complaint = session.get(Complaint, event.subject_id)
    assert complaint is not None
    claim = _claim(session, complaint.claim_id)
    item = _item(claim, complaint.item_id)
    yield message(
        dedupe_key=f"complaint:{event.id}",
        to_addr=complaint.complainant_email,
        kind="complaint_decided",
        claim_id=claim.id,
        item=item,
        upheld=complaint.status == "upheld",
        reason=complaint.decision_reason,
        **_base(claim),
    )


HANDLERS: dict[str, Callable[[Session, EventRow, Any], Iterator[Message | None]]] = {
    "claim": _on_claim,
    "item": _on_item,
    "counter_notice": _on_counter_notice,
    "complaint": _on_complaint,
}


def subscriber(session: Session, event: EventRow, subject: Any) -> Iterable[Rows]:
    """The event's mail as outbox rows (`events.Subscriber`); `subject`: intake's new claim, before it is written."""
    handler = HANDLERS.get(event.subject_type)
    if handler is None or event.claim_id is None:
        return []
    return [queue(list(handler(session, event, subject)))]
