"""What each recorded event asks of the world: the mail the workflow owes (DOMAIN.md §4), queued in the outbox.

Called by `claims.workflow.record_event` for every event, so no service can change state and forget to tell the
notifier or the uploader. Dedupe keys carry the event id: an event happens once, so its mail is queued once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence, Sized
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from ipclaims.claims import repository
from ipclaims.config import get_settings
from ipclaims.jobs.outbox import enqueue, insert_messages, message
from ipclaims.letters.service import request_owed
from ipclaims.models import Account, Claim, ClaimItem, Complaint, CounterNotice, Event, utcnow

REGIME_NAMES = {"US_DMCA": "DMCA (17 U.S.C. § 512)", "EU_DSA": "Digital Services Act (Art. 16)",
                "SG_CA2021": "Copyright Act 2021 (Singapore)", "TM_POLICY": "trademark"}
LEGAL_GROUNDS = {
    "US_DMCA": "copyright infringement notified under 17 U.S.C. § 512(c)",
    "EU_DSA": "illegal content (infringement of intellectual property rights) notified under Regulation (EU) 2022/2065, Art. 16",
    "SG_CA2021": "copyright infringement notified under the Copyright Act 2021 (Singapore), ss 313–324",
    "TM_POLICY": "trademark infringement under our trademark policy (15 U.S.C. §§ 1114, 1125; Reg. (EU) 2017/1001 Art. 9)",
}


NEEDED = frozenset({"complainant", "works", "items", "elements"})


def _claim(session: Session, claim_id: str) -> Claim:
    # On the intake path the claim was just built in this session: use it as is rather than query it again.
    claim = session.get(Claim, claim_id)
    if claim is not None and not (NEEDED & inspect(claim).unloaded):
        return claim
    return session.scalars(select(Claim).where(Claim.id == claim_id).options(*repository.FULL)).one()


def notifier_address(session: Session, claim: Claim) -> str | None:
    if claim.complainant is not None and claim.complainant.email:
        return claim.complainant.email
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


@lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _local_date(claim: MailClaim) -> date:
    return claim.received_at.astimezone(_zone(get_settings().timezone)).date()


def _missing(claim: MailClaim) -> list[Any]:
    return [e for e in claim.elements if e.status != "present"]


def _deadline(claim: MailClaim) -> date:
    return (claim.status_changed_at + timedelta(days=get_settings().needs_info_expiry_days)).date()


def _base(claim: MailClaim) -> dict[str, Any]:
    return {"claim": claim, "regime_name": REGIME_NAMES.get(claim.regime, claim.regime),
            "received_date": _local_date(claim).isoformat()}


def submitted_messages(claim: MailClaim, event_id: int | None, to: str | None) -> list[dict[str, Any]]:
    """The mail a new claim's `submitted` event owes: the acknowledgment (DSA Art. 16(4)) and, for an incomplete
    notice, the request for what is missing (§ 512(c)(3)(B)(ii)), as outbox rows (`outbox.insert_messages`).

    Only the request names the event (its dedupe key), so a complete claim's mail can be built before the event
    row exists (`event_id` None).
    """
    rows = [message(dedupe_key=f"acknowledgment:{claim.id}", to_addr=to, kind="acknowledgment", claim_id=claim.id,
                    **_base(claim))]
    if claim.status == "needs_info":
        if event_id is None:
            raise ValueError("the deficiency letter of an incomplete claim names its submitted event")
        # Queued after the acknowledgment: outbox order is (created_at, id), and ids are random within a millisecond.
        after = max(utcnow(), rows[0]["created_at"] + timedelta(microseconds=1)) if rows[0] else None
        rows.append(message(dedupe_key=f"deficiency:{event_id}:{claim.id}", to_addr=to, kind="deficiency",
                            claim_id=claim.id, at=after, missing=_missing(claim), deadline=_deadline(claim).isoformat(),
                            **_base(claim)))
    return [row for row in rows if row is not None]


def _on_claim(session: Session, event: Event) -> None:
    claim = _claim(session, event.subject_id)
    to = notifier_address(session, claim)
    key = f"{event.id}:{claim.id}"
    if event.action == "submitted":
        insert_messages(session, submitted_messages(claim, event.id, to))
        request_owed(session, claim, "acknowledgment")
    elif event.to_status == "needs_info" and event.action == "transition":
        request_owed(session, claim, "deficiency", event_id=event.id)
        enqueue(session, dedupe_key=f"deficiency:{key}", to_addr=to, kind="deficiency", claim_id=claim.id,
                missing=_missing(claim), deadline=_deadline(claim).isoformat(), **_base(claim))
    elif event.action == "needs_info_reminder":
        enqueue(session, dedupe_key=f"reminder:{key}", to_addr=to, kind="needs_info_reminder", claim_id=claim.id,
                missing=_missing(claim), deadline=_deadline(claim).isoformat(), **_base(claim))
    elif event.to_status == "rejected":
        request_owed(session, claim, "rejection", event_id=event.id)
        enqueue(session, dedupe_key=f"rejection:{key}", to_addr=to, kind="rejection", claim_id=claim.id,
                missing=_missing(claim) if event.from_status == "needs_info" else [], **_base(claim))
    elif event.to_status == "decided":
        request_owed(session, claim, "decision", event_id=event.id)
        enqueue(session, dedupe_key=f"decision:{key}", to_addr=to, kind="decision", claim_id=claim.id, **_base(claim))
    elif event.action == "sla_breached" and claim.assignee_id:
        assignee = session.get(Account, claim.assignee_id)
        enqueue(session, dedupe_key=f"sla:{key}", to_addr=assignee.email if assignee else None, kind="sla_breach",
                claim_id=claim.id, **_base(claim))


def _on_item(session: Session, event: Event) -> None:
    if event.to_status != "actioned":
        return
    item = session.get(ClaimItem, event.subject_id)
    assert item is not None
    claim = _claim(session, item.claim_id)
    automated = any(m.get("verdict") == "match" for m in item.matches or [])
    request_owed(session, claim, "statement_of_reasons", item, event_id=event.id)
    enqueue(session, dedupe_key=f"statement_of_reasons:{event.id}:{item.id}", to_addr=item.uploader_email,
            kind="statement_of_reasons", claim_id=claim.id, item=item, automated_detection=automated,
            legal_ground=LEGAL_GROUNDS.get(claim.regime, claim.regime), **_base(claim))


def _notice_name(regime: str) -> str:
    return "restoration notice" if regime == "SG_CA2021" else "counter-notice"


def _restored_on(event: Event, counter: CounterNotice) -> date:
    """The restoration's date on the counter-notice's own clock (US: IPCLAIMS_TIMEZONE; SG: Asia/Singapore), the
    calendar its window was counted on: a UTC date can read a day before the window opened."""
    return event.at.astimezone(_zone(counter.clock_timezone or get_settings().timezone)).date()


def _on_counter_notice(session: Session, event: Event) -> None:
    counter = session.get(CounterNotice, event.subject_id)
    assert counter is not None
    claim = _claim(session, counter.claim_id)
    item = repository.get_item(claim, counter.item_id)
    subscriber = (counter.subscriber or {}).get("email")
    notifier = notifier_address(session, claim)
    base = {**_base(claim), "item": item, "counter": counter, "notice_name": _notice_name(counter.regime),
            "received_date": counter.received_at.astimezone(ZoneInfo(counter.clock_timezone or get_settings().timezone))
            .date().isoformat()}
    if event.to_status == "deficient":
        enqueue(session, dedupe_key=f"cn-deficient:{event.id}", to_addr=subscriber, kind="counter_notice_deficient",
                claim_id=claim.id, missing=[e for e in counter.elements if e["status"] != "present"], **base)
    elif event.to_status == "forwarded":
        window = {"earliest": counter.restore_earliest, "latest": counter.restore_latest}
        day_kind = "working days" if counter.regime == "SG_CA2021" else "business days"
        request_owed(session, claim, "counter_notice_forwarded", item, counter, event_id=event.id)
        for role, addr in (("notifier", notifier), ("subscriber", subscriber)):
            enqueue(session, dedupe_key=f"cn-forwarded:{counter.id}:{event.id}:{role}", to_addr=addr,
                    kind="counter_notice_forwarded", claim_id=claim.id, to_role=role, window=window,
                    restore_on=counter.restore_on, day_kind=day_kind, **base)
    elif event.to_status == "restored":
        request_owed(session, claim, "restoration", item, counter, event_id=event.id)
        for role, addr in (("notifier", notifier), ("subscriber", subscriber)):
            enqueue(session, dedupe_key=f"restoration:{counter.id}:{role}", to_addr=addr, kind="restoration",
                    claim_id=claim.id, restored_on=_restored_on(event, counter).isoformat(),
                    reason="after the restoration window" if event.actor_id is None else "on review", **base)
    elif event.to_status == "litigation_hold":
        enqueue(session, dedupe_key=f"litigation:{counter.id}:{event.id}", to_addr=subscriber, kind="litigation_hold",
                claim_id=claim.id, court=counter.court or {}, **base)


def _on_complaint(session: Session, event: Event) -> None:
    if event.action != "complaint_decided":
        return
    complaint = session.get(Complaint, event.subject_id)
    assert complaint is not None
    claim = _claim(session, complaint.claim_id)
    item = repository.get_item(claim, complaint.item_id)
    enqueue(session, dedupe_key=f"complaint:{event.id}", to_addr=complaint.complainant_email, kind="complaint_decided",
            claim_id=claim.id, item=item, upheld=complaint.status == "upheld", reason=complaint.decision_reason,
            **_base(claim))


HANDLERS: dict[str, Callable[[Session, Event], None]] = {
    "claim": _on_claim,
    "item": _on_item,
    "counter_notice": _on_counter_notice,
    "complaint": _on_complaint,
}


def on_event(session: Session, event: Event) -> None:
    handler = HANDLERS.get(event.subject_type)
    if handler is None or event.claim_id is None:
        return
    session.flush()  # the event's id names its mail
    handler(session, event)
