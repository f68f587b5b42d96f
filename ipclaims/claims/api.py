"""Claims JSON API (CONTRACT.md "Claims"). Thin: parse, authorise by dependency, call the service, shape."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.responses import Response

from ipclaims import idempotency
from ipclaims.auth.deps import CurrentAccount, current_account
from ipclaims.claims import intake, presenter, references, service
from ipclaims.claims.schemas import ClaimIn, ClaimOut, ClaimPage, ClaimPatch, EventPage, Regime
from ipclaims.config import get_settings
from ipclaims.db import DbSession, WriteTransaction, get_transaction
from ipclaims.errors import AppError
from ipclaims.http import Blank, body_schema, enum_list, json_body, unset_blank
from ipclaims.models import ClaimKind, ClaimSource, ClaimStatus

router = APIRouter(prefix="/api/v1/claims", tags=["claims"])

_claim_body = json_body(ClaimIn)


class _Resolved(APIRoute):
    """A route whose dependencies are called by hand, in the order FastAPI resolves them (its parameters' order).

    For intake, the hot route: FastAPI's generic resolution (nested `solve_dependencies`, the handler's telemetry
    and endpoint context) cost a tenth of an intake's CPU. The declared signature still makes the OpenAPI
    operation; what runs is `_submit`, which must stay in step with it (a test compares the two).
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        return _submit


async def _submit(request: Request) -> Response:
    actor = await current_account(request)
    body = await _claim_body(request)
    return await submit_claim(request, actor, body, await get_transaction(request))


async def submit_claim(
    request: Request, actor: CurrentAccount, body: Annotated[ClaimIn, Depends(json_body(ClaimIn))], tx: WriteTransaction
) -> JSONResponse:
    # The checks, the rows and the request's fingerprint are pure and done here, before the request queues
    # for its (short) write transaction.
    prepared = intake.prepare(actor, body, get_settings())
    # On PostgreSQL the reference number is drawn with BEGIN, in the round trip that checks the connection.
    opening = None if isinstance(prepared, AppError) else references.DRAWN_WITH_BEGIN
    raw = request.state.raw_body
    key = idempotency.key_of(request)
    request_hash = idempotency.fingerprint(request, raw) if key is not None else None
    return await tx.run(
        lambda session: idempotency.run_with_record(
            session, request, actor, raw, 201, lambda record: intake.store(session, prepared, record), request_hash=request_hash, key=key
        ),
        opening=opening,
        # Re-runnable (`db.pggroup`): its rows are built above, a rolled-back reference number is a gap. A refusal
        # runs alone: in a group it would send every other unit to run again.
        group=opening is not None,
    )


router.add_api_route(
    "",
    submit_claim,
    methods=["POST"],
    status_code=201,
    response_model=ClaimOut,
    openapi_extra=body_schema(ClaimIn),
    route_class_override=_Resolved,
)


@router.get("", response_model=ClaimPage)
def list_claims(
    session: DbSession,
    actor: CurrentAccount,
    status: Annotated[list[str] | None, Query(description="repeat or comma-separate")] = None,
    regime: Regime | Blank | None = None,
    kind: ClaimKind | Blank | None = None,
    source: ClaimSource | Blank | None = None,
    assignee: str | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=service.MAX_PAGE)] = 50,
) -> ClaimPage:
    filters = service.ClaimFilters(
        status=enum_list(status, ClaimStatus, "status"),
        regime=unset_blank(regime),
        kind=unset_blank(kind),
        source=unset_blank(source),
        assignee=unset_blank(assignee),
    )
    rows, next_cursor = service.list_claims(session, actor, filters, cursor=unset_blank(cursor), limit=limit)
    return ClaimPage(items=[presenter.claim_out(c, actor) for c in rows], next_cursor=next_cursor)


@router.get("/{claim_id}", response_model=ClaimOut)
def get_claim(claim_id: str, session: DbSession, actor: CurrentAccount) -> ClaimOut:
    return presenter.claim_out(service.get(session, actor, claim_id), actor)


@router.patch("/{claim_id}", response_model=ClaimOut, openapi_extra=body_schema(ClaimPatch))
def update_claim(
    claim_id: str, session: DbSession, actor: CurrentAccount, body: Annotated[ClaimPatch, Depends(json_body(ClaimPatch))]
) -> ClaimOut:
    return presenter.claim_out(service.update(session, actor, claim_id, body, get_settings()), actor)


@router.get("/{claim_id}/events", response_model=EventPage)
def list_events(
    claim_id: str,
    session: DbSession,
    actor: CurrentAccount,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=service.MAX_PAGE)] = 100,
) -> EventPage:
    rows, next_cursor = service.list_events(session, actor, claim_id, cursor=unset_blank(cursor), limit=limit)
    return EventPage(items=[presenter.event_out(e, actor) for e in rows], next_cursor=next_cursor)
