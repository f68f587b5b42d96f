"""The specialist's `/queue` and legal's `/escalated`: open claims by priority (with its reasons) then due time,
overdue ones marked, filtered by a GET form (regime, kind, status, source, assignee), paged with the API's cursor;
`POST /queue/claim-next` hands the caller the most urgent unassigned claim through the API's own service."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from ipclaims.db import WriteTransaction, run_read
from ipclaims.errors import NotFound, Unprocessable
from ipclaims.models import Account, Claim, ClaimStatus, utcnow
from ipclaims.review import queue
from ipclaims.web import staff
from ipclaims.web.auth import LegalUser, ReviewerUser, StaffUser
from ipclaims.web.templating import render

router = APIRouter()

PAGE_SIZE = 25
Filter = Annotated[str | None, Query(max_length=40)]
CHOICES = {"regime": staff.REGIMES, "kind": staff.KINDS, "source": staff.SOURCES, "status": staff.STATUSES}


def _chosen(name: str, value: str | None) -> str | None:
    # An unknown choice is ignored (the form only offers known ones); the page never 500s on a hand-edited URL.
    return value if value and value in {v for v, _ in CHOICES[name]} else None


def _rows(session: Session, claims: list[Claim]) -> list[dict[str, Any]]:
    who = staff.names(session, [c.assignee_id for c in claims] + [c.owner_id for c in claims])
    now = utcnow()
    return [
        {
            "claim": c,
            "owner": who.get(c.owner_id, "unknown account"),
            "assignee": who.get(c.assignee_id, "") if c.assignee_id else "",
            "overdue": c.due_at is not None and c.due_at < now,
            "reasons": c.priority_reasons or [],
        }
        for c in claims
    ]


def _page(user: Account, values: dict[str, str | None], cursor: str | None, *, legal_desk: bool) -> Any:
    assignee = values.get("assignee")

    def load(session: Session) -> dict[str, Any]:
        chosen = values.get("status")
        status: list[str] | None = [ClaimStatus.ESCALATED.value] if legal_desk else ([chosen] if chosen else None)
        filters = queue.QueueFilters(
            status=status, regime=values.get("regime"), kind=values.get("kind"), source=values.get("source"), assignee=assignee
        )
        try:
            claims, next_cursor = queue.list_queue(session, user, filters, cursor=cursor, limit=PAGE_SIZE, parts=False)
        except Unprocessable:  # a cursor that is not one: start again from the first page
            claims, next_cursor = queue.list_queue(session, user, filters, cursor=None, limit=PAGE_SIZE, parts=False)
        return {"rows": _rows(session, claims), "next_cursor": next_cursor, "reviewers": staff.reviewers(session)}

    return load


def _query(values: dict[str, str | None]) -> str:
    return urlencode({k: v for k, v in values.items() if v})


@router.get("/queue", include_in_schema=False)
async def queue_page(
    request: Request,
    user: StaffUser,
    regime: Filter = None,
    kind: Filter = None,
    status: Filter = None,
    source: Filter = None,
    assignee: Annotated[str | None, Query(max_length=40)] = None,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    empty: int = 0,
) -> HTMLResponse:
    values = {
        "regime": _chosen("regime", regime),
        "kind": _chosen("kind", kind),
        "status": _chosen("status", status),
        "source": _chosen("source", source),
        "assignee": assignee or None,
    }
    can_claim = user.role.value in ("specialist", "legal")
    return await _render(request, user, values, cursor, legal_desk=False, empty=bool(empty), can_claim=can_claim)


async def _render(
    request: Request, user: Account, values: dict[str, str | None], cursor: str | None, *, legal_desk: bool, empty: bool, can_claim: bool
) -> HTMLResponse:
    """The queue or legal's desk (only escalated claims), with the filters chosen and the page of the cursor."""
    data = await run_read(_page(user, values, cursor or None, legal_desk=legal_desk))
    context = data | {
        "values": values,
        "query": _query(values),
        "on_first": not cursor,
        "choices": CHOICES,
        "empty": empty,
        "legal_desk": legal_desk,
        "can_claim": can_claim,
        "path": "/escalated" if legal_desk else "/queue",
    }
    return render(request, "staff/queue.html", context)


@router.get("/escalated", include_in_schema=False)
async def escalated_page(
    request: Request, user: LegalUser, regime: Filter = None, cursor: Annotated[str | None, Query(max_length=200)] = None
) -> HTMLResponse:
    values: dict[str, str | None] = {"regime": _chosen("regime", regime)}
    return await _render(request, user, values, cursor, legal_desk=True, empty=False, can_claim=True)


@router.post("/queue/claim-next", include_in_schema=False)
async def claim_next(user: ReviewerUser, tx: WriteTransaction) -> Response:
    try:
        claim = await tx.run(lambda session: queue.claim_next(session, user))
    except NotFound:
        return RedirectResponse("/queue?empty=1", status_code=303)
    return RedirectResponse(f"/claims/{claim.id}", status_code=303)
