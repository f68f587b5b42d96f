"""Review JSON API: transitions, decisions, queue, notes, counter-notices, complaints, signals, calendars."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse

from ipclaims.auth.deps import AdminUser, CurrentAccount, ReviewerUser, StaffUser, require
from ipclaims.auth.service import get_account
from ipclaims.claims import workflow
from ipclaims.claims.presenter import claim_out
from ipclaims.claims.schemas import ClaimOut, Regime
from ipclaims.config import get_settings
from ipclaims.db import DbSession
from ipclaims.http import Blank, Page, body_schema, enum_list, json_body, unset_blank
from ipclaims.idempotency import Idempotent
from ipclaims.integrations import execution
from ipclaims.integrations.schemas import QueueClaimOut, QueuePage
from ipclaims.models import Account, ClaimSource, ClaimStatus
from ipclaims.review import calendar, complaints, counter_notices, decisions, notes, queue, signals
from ipclaims.review.presenter import closure_out, complaint_out, counter_notice_out
from ipclaims.review.schemas import (
    AssignIn,
    ClosureIn,
    ClosureOut,
    ComplaintDecisionIn,
    ComplaintIn,
    ComplaintOut,
    CounterNoticeIn,
    CounterNoticeList,
    CounterNoticeOut,
    CounterNoticePatch,
    CourtActionIn,
    DecisionIn,
    NoteIn,
    NoteOut,
    NotifierStats,
    SlaIn,
    SlaOut,
    SourceIn,
    StrikesOut,
    TransitionIn,
    WithdrawIn,
)

router = APIRouter(prefix="/api/v1", tags=["review"])

# Who may decide a complaint is the complaint table's to say; asked before the body is read, as for any role.
ComplaintDecider = Annotated[Account, Depends(require(*workflow.permitted_roles(workflow.COMPLAINT)))]


@router.post("/claims/{claim_id}/transitions", response_model=ClaimOut, openapi_extra=body_schema(TransitionIn))
def transition_claim(
    claim_id: str,
    session: DbSession,
    actor: CurrentAccount,
    body: Annotated[TransitionIn, Depends(json_body(TransitionIn))],
    once: Idempotent,
) -> JSONResponse:
    return once(lambda: claim_out(decisions.transition_claim(session, actor, claim_id, body), actor))


@router.post("/claims/{claim_id}/items/{item_id}/decision", response_model=ClaimOut, openapi_extra=body_schema(DecisionIn))
def decide_item(
    claim_id: str,
    item_id: str,
    session: DbSession,
    actor: CurrentAccount,
    body: Annotated[DecisionIn, Depends(json_body(DecisionIn))],
    once: Idempotent,
) -> JSONResponse:
    return once(lambda: claim_out(decisions.decide_item(session, actor, claim_id, item_id, body), actor))


@router.post("/claims/{claim_id}/withdraw", response_model=ClaimOut, openapi_extra=body_schema(WithdrawIn))
def withdraw_claim(
    claim_id: str, session: DbSession, actor: CurrentAccount, body: Annotated[WithdrawIn, Depends(json_body(WithdrawIn))], once: Idempotent
) -> JSONResponse:
    return once(lambda: claim_out(decisions.withdraw(session, actor, claim_id, body.reason), actor))


@router.put("/claims/{claim_id}/source", response_model=ClaimOut, openapi_extra=body_schema(SourceIn))
def set_source(claim_id: str, session: DbSession, actor: StaffUser, body: Annotated[SourceIn, Depends(json_body(SourceIn))]) -> ClaimOut:
    return claim_out(decisions.set_source(session, actor, claim_id, body), actor)


@router.put("/claims/{claim_id}/assignee", response_model=ClaimOut, openapi_extra=body_schema(AssignIn))
def assign(claim_id: str, session: DbSession, actor: StaffUser, body: Annotated[AssignIn, Depends(json_body(AssignIn))]) -> ClaimOut:
    assignee = actor.id if body.assignee == "me" else body.assignee  # as in `GET /queue?assignee=me`
    return claim_out(queue.assign(session, actor, claim_id, assignee), actor)


@router.get("/queue", response_model=QueuePage, tags=["queue"])
def list_queue(
    session: DbSession,
    actor: StaffUser,
    status: Annotated[list[str] | None, Query(description="default in_review,escalated")] = None,
    regime: Regime | Blank | None = None,
    source: ClaimSource | Blank | None = None,
    assignee: Annotated[str | None, Query(description='an account id, "me" or "none"')] = None,
    overdue: bool | Blank | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=queue.MAX_PAGE)] = 50,
) -> QueuePage:
    filters = queue.QueueFilters(
        status=enum_list(status, ClaimStatus, "status"),
        regime=unset_blank(regime),
        source=unset_blank(source),
        assignee=unset_blank(assignee),
        overdue=unset_blank(overdue),
    )
    rows, next_cursor = queue.list_queue(session, actor, filters, cursor=unset_blank(cursor), limit=limit)
    late = execution.overdue_items(session, [c.id for c in rows], get_settings().execution_overdue_hours)
    out = [QueueClaimOut(**dict(claim_out(c, actor)), execution_overdue=late.get(c.id, [])) for c in rows]
    return QueuePage(items=out, next_cursor=next_cursor)


@router.post("/queue/claim-next", response_model=ClaimOut, tags=["queue"])
def claim_next(session: DbSession, actor: ReviewerUser, once: Idempotent, regime: Regime | Blank | None = None) -> JSONResponse:
    return once(lambda: claim_out(queue.claim_next(session, actor, regime=unset_blank(regime)), actor))


@router.post("/claims/{claim_id}/release", response_model=ClaimOut, tags=["queue"])
def release(claim_id: str, session: DbSession, actor: StaffUser, once: Idempotent) -> JSONResponse:
    return once(lambda: claim_out(queue.release(session, actor, claim_id), actor))


@router.post("/claims/{claim_id}/notes", status_code=201, response_model=NoteOut, openapi_extra=body_schema(NoteIn))
def add_note(
    claim_id: str, session: DbSession, actor: CurrentAccount, once: Idempotent, body: Annotated[NoteIn, Depends(json_body(NoteIn))]
) -> JSONResponse:
    def add() -> NoteOut:
        n = notes.add_note(session, actor, claim_id, body.body, body.internal)
        return NoteOut(id=n.id, claim_id=n.claim_id, author=n.author_id, body=n.body, internal=n.internal, created_at=n.created_at)

    return once(add)


@router.get("/claims/{claim_id}/notes", response_model=Page[NoteOut])
def list_notes(claim_id: str, session: DbSession, actor: CurrentAccount) -> Page[NoteOut]:
    return Page(
        items=[
            NoteOut(id=n.id, claim_id=n.claim_id, author=n.author_id, body=n.body, internal=n.internal, created_at=n.created_at)
            for n in notes.list_notes(session, actor, claim_id)
        ]
    )


@router.post(
    "/claims/{claim_id}/items/{item_id}/counter-notices",
    status_code=201,
    response_model=CounterNoticeOut,
    tags=["counter-notices"],
    openapi_extra=body_schema(CounterNoticeIn),
)
def record_counter_notice(
    claim_id: str,
    item_id: str,
    session: DbSession,
    actor: StaffUser,
    body: Annotated[CounterNoticeIn, Depends(json_body(CounterNoticeIn))],
    once: Idempotent,
) -> JSONResponse:
    return once(lambda: counter_notice_out(counter_notices.create(session, actor, claim_id, item_id, body, get_settings())))


@router.get("/claims/{claim_id}/counter-notices", response_model=CounterNoticeList, tags=["counter-notices"])
def list_counter_notices(claim_id: str, session: DbSession, actor: CurrentAccount) -> CounterNoticeList:
    return CounterNoticeList(items=[counter_notice_out(c, actor) for c in counter_notices.list_for_claim(session, actor, claim_id)])


@router.get("/counter-notices/{counter_id}", response_model=CounterNoticeOut, tags=["counter-notices"])
def get_counter_notice(counter_id: str, session: DbSession, actor: CurrentAccount) -> CounterNoticeOut:
    return counter_notice_out(counter_notices.get(session, actor, counter_id), actor)


@router.patch(
    "/counter-notices/{counter_id}",
    response_model=CounterNoticeOut,
    tags=["counter-notices"],
    openapi_extra=body_schema(CounterNoticePatch),
)
def cure_counter_notice(
    counter_id: str, session: DbSession, actor: StaffUser, body: Annotated[CounterNoticePatch, Depends(json_body(CounterNoticePatch))]
) -> CounterNoticeOut:
    return counter_notice_out(counter_notices.cure(session, actor, counter_id, body, get_settings()))


@router.post(
    "/counter-notices/{counter_id}/court-action",
    response_model=CounterNoticeOut,
    tags=["counter-notices"],
    openapi_extra=body_schema(CourtActionIn),
)
def court_action(
    counter_id: str,
    session: DbSession,
    actor: CurrentAccount,
    body: Annotated[CourtActionIn, Depends(json_body(CourtActionIn))],
    once: Idempotent,
) -> JSONResponse:
    return once(lambda: counter_notice_out(counter_notices.court_action(session, actor, counter_id, body), actor))


@router.post(
    "/counter-notices/{counter_id}/withdraw",
    response_model=CounterNoticeOut,
    tags=["counter-notices"],
    openapi_extra=body_schema(WithdrawIn),
)
def withdraw_counter_notice(
    counter_id: str, session: DbSession, actor: StaffUser, body: Annotated[WithdrawIn, Depends(json_body(WithdrawIn))], once: Idempotent
) -> JSONResponse:
    return once(lambda: counter_notice_out(counter_notices.withdraw(session, actor, counter_id, body.reason)))


@router.post(
    "/counter-notices/{counter_id}/restore",
    response_model=CounterNoticeOut,
    tags=["counter-notices"],
    openapi_extra=body_schema(WithdrawIn),
)
def restore_now(
    counter_id: str,
    session: DbSession,
    actor: CurrentAccount,
    body: Annotated[WithdrawIn, Depends(json_body(WithdrawIn))],
    once: Idempotent,
) -> JSONResponse:
    return once(lambda: counter_notice_out(counter_notices.restore_by_legal(session, actor, counter_id, body.reason)))


@router.post(
    "/claims/{claim_id}/items/{item_id}/complaints",
    status_code=201,
    response_model=ComplaintOut,
    tags=["complaints"],
    openapi_extra=body_schema(ComplaintIn),
)
def file_complaint(
    claim_id: str,
    item_id: str,
    session: DbSession,
    actor: CurrentAccount,
    body: Annotated[ComplaintIn, Depends(json_body(ComplaintIn))],
    once: Idempotent,
) -> JSONResponse:
    return once(lambda: complaint_out(complaints.file(session, actor, claim_id, item_id, body), actor))


@router.get("/claims/{claim_id}/complaints", response_model=Page[ComplaintOut], tags=["complaints"])
def list_complaints(claim_id: str, session: DbSession, actor: CurrentAccount) -> Page[ComplaintOut]:
    return Page(items=[complaint_out(c, actor) for c in complaints.list_for_claim(session, actor, claim_id)])


@router.post(
    "/complaints/{complaint_id}/decision", response_model=ComplaintOut, tags=["complaints"], openapi_extra=body_schema(ComplaintDecisionIn)
)
def decide_complaint(
    complaint_id: str,
    session: DbSession,
    actor: ComplaintDecider,
    body: Annotated[ComplaintDecisionIn, Depends(json_body(ComplaintDecisionIn))],
    once: Idempotent,
) -> JSONResponse:
    return once(lambda: complaint_out(complaints.decide(session, actor, complaint_id, body), actor))


@router.get("/uploaders/{uploader}/strikes", response_model=StrikesOut, tags=["signals"])
def uploader_strikes(uploader: str, session: DbSession, _actor: StaffUser) -> StrikesOut:
    return signals.strikes(session, uploader, get_settings())


@router.get("/notifiers/{account_id}/stats", response_model=NotifierStats, tags=["signals"])
def notifier_stats(account_id: str, session: DbSession, _actor: StaffUser) -> NotifierStats:
    return signals.notifier_stats(session, get_account(session, account_id))


@router.get("/admin/closures", response_model=Page[ClosureOut], tags=["admin"])
def list_closures(session: DbSession, _actor: StaffUser) -> Page[ClosureOut]:
    return Page(items=[closure_out(c) for c in calendar.list_closures(session)])


@router.post("/admin/closures", status_code=201, response_model=ClosureOut, tags=["admin"], openapi_extra=body_schema(ClosureIn))
def add_closure(
    session: DbSession, admin: AdminUser, once: Idempotent, body: Annotated[ClosureIn, Depends(json_body(ClosureIn))]
) -> JSONResponse:
    def add() -> ClosureOut:
        closure, recomputed = calendar.add_closure(session, admin, body, get_settings())
        return closure_out(closure, recomputed)

    return once(add)


@router.delete("/admin/closures/{calendar_code}/{day}", tags=["admin"])
def remove_closure(calendar_code: Literal["US", "SG"], day: dt.date, session: DbSession, admin: AdminUser) -> dict[str, int]:
    return {"recomputed_counter_notices": calendar.remove_closure(session, admin, calendar_code, day.isoformat(), get_settings())}


@router.get("/admin/sla", response_model=Page[SlaOut], tags=["admin"])
def list_sla(session: DbSession, _actor: StaffUser) -> Page[SlaOut]:
    return Page(items=[SlaOut(regime=r.regime, source=r.source, hours=r.hours) for r in calendar.list_sla(session)])


@router.put("/admin/sla", response_model=SlaOut, tags=["admin"], openapi_extra=body_schema(SlaIn))
def set_sla(session: DbSession, admin: AdminUser, body: Annotated[SlaIn, Depends(json_body(SlaIn))]) -> SlaOut:
    row = calendar.set_sla(session, admin, body)
    return SlaOut(regime=row.regime, source=row.source, hours=row.hours)
