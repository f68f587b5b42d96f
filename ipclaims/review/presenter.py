"""Review-side ORM → response shapes."""

from __future__ import annotations

from ipclaims.claims.schemas import CompletenessOut, ElementOut
from ipclaims.models import Account, Closure, Complaint, CounterNotice, Role
from ipclaims.review.schemas import ClosureOut, ComplaintOut, CounterNoticeOut, RestoreWindowOut


def counter_notice_out(c: CounterNotice, reader: Account | None = None) -> CounterNoticeOut:
    """`reader`: the caller. The notifier's copy starts at the receipt that started the clock (a first receipt before
    it was a deficient notice, which is not the notifier's to see)."""
    window = RestoreWindowOut(earliest=c.restore_earliest, latest=c.restore_latest) if c.restore_earliest and c.restore_latest else None
    notifier = reader is not None and reader.role is Role.RIGHTS_HOLDER
    return CounterNoticeOut(
        id=c.id,
        claim_id=c.claim_id,
        item_id=c.item_id,
        regime=c.regime,
        status=c.status,
        completeness=CompletenessOut(complete=c.complete, curable=c.curable, elements=[ElementOut(**e) for e in c.elements or []]),
        restore_window=window,
        restore_on=c.restore_on,
        clock_timezone=c.clock_timezone,
        received_at=c.received_at,
        first_received_at=c.received_at if notifier else c.first_received_at,
        forwarded_at=c.forwarded_at,
        court=c.court,
        subscriber=c.subscriber,
        material=c.material,
        statements=c.statements,
        sg_address_for_service=c.sg_address_for_service,
        signature=c.signature,
        created_at=c.created_at,
        updated_at=c.updated_at,
    )


def complaint_out(c: Complaint, reader: Account | None = None) -> ComplaintOut:
    """`reader`: the caller. The notifier is told that the uploader complained and the outcome, never the uploader's
    statement or the reasons given to the uploader (DOMAIN.md §4: what a party reads is chosen); its own complaint it
    reads in full."""
    withheld = reader is not None and reader.role is Role.RIGHTS_HOLDER and c.complainant_role != "notifier"
    return ComplaintOut(
        id=c.id,
        claim_id=c.claim_id,
        item_id=c.item_id,
        complainant_role=c.complainant_role,
        body=None if withheld else c.body,
        status=c.status,
        received_at=c.received_at,
        decided_at=c.decided_at,
        decision_reason=None if withheld else c.decision_reason,
    )


def closure_out(c: Closure, recomputed: int = 0) -> ClosureOut:
    return ClosureOut(
        calendar=c.calendar, day=c.day, description=c.description, created_at=c.created_at, recomputed_counter_notices=recomputed
    )
