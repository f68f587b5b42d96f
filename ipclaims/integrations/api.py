"""Integrations JSON API: webhook endpoints (admins), deliveries (staff), execution confirmations."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response
from fastapi.responses import JSONResponse

from ipclaims.auth.deps import AdminUser, StaffUser
from ipclaims.claims import repository
from ipclaims.config import get_settings
from ipclaims.db import DbSession
from ipclaims.http import Page, body_schema, json_body
from ipclaims.idempotency import Idempotent
from ipclaims.integrations import content, domains, endpoints, execution, grey_areas
from ipclaims.integrations.schemas import (
    DeliveryOut,
    DomainIn,
    DomainOut,
    EndpointIn,
    EndpointOut,
    ExecutedIn,
    ExecutedOut,
    FetchOut,
    FlagOut,
)
from ipclaims.models import AccountDomain, WebhookDelivery, WebhookEndpoint

router = APIRouter(prefix="/api/v1", tags=["integrations"])


def endpoint_out(endpoint: WebhookEndpoint, *, secret: bool = False) -> EndpointOut:
    return EndpointOut(
        id=endpoint.id,
        url=endpoint.url,
        description=endpoint.description,
        active=endpoint.active,
        created_at=endpoint.created_at,
        previous_secret_valid_until=endpoint.previous_valid_until,
        secret=endpoint.secret if secret else None,
    )


def delivery_out(d: WebhookDelivery) -> DeliveryOut:
    return DeliveryOut(
        id=d.id,
        endpoint_id=d.endpoint_id,
        message_id=d.message_id,
        event_type=d.event_type,
        claim_id=d.claim_id,
        item_id=d.item_id,
        status=str(d.status),
        attempts=d.attempts,
        next_attempt_at=d.next_attempt_at if str(d.status) == "pending" else None,
        delivered_at=d.delivered_at,
        last_status_code=d.last_status_code,
        last_error=d.last_error,
        created_at=d.created_at,
    )


@router.post("/admin/webhooks", status_code=201, response_model=EndpointOut, openapi_extra=body_schema(EndpointIn))
def create_endpoint(session: DbSession, _admin: AdminUser, body: Annotated[EndpointIn, Depends(json_body(EndpointIn))]) -> EndpointOut:
    return endpoint_out(endpoints.create(session, body.url, body.description), secret=True)


@router.get("/admin/webhooks", response_model=Page[EndpointOut])
def list_endpoints(session: DbSession, _admin: AdminUser) -> Page[EndpointOut]:
    return Page(items=[endpoint_out(e) for e in endpoints.list_all(session)])


@router.delete("/admin/webhooks/{endpoint_id}", status_code=204)
def delete_endpoint(endpoint_id: str, session: DbSession, _admin: AdminUser) -> Response:
    endpoints.delete(session, endpoint_id)
    return Response(status_code=204)


@router.post("/admin/webhooks/{endpoint_id}/rotate", response_model=EndpointOut)
def rotate_secret(endpoint_id: str, session: DbSession, _admin: AdminUser) -> EndpointOut:
    endpoint = endpoints.rotate(session, endpoint_id, get_settings().webhook_secret_grace_hours)
    return endpoint_out(endpoint, secret=True)


@router.get("/admin/webhooks/{endpoint_id}/deliveries", response_model=Page[DeliveryOut])
def endpoint_deliveries(endpoint_id: str, session: DbSession, _actor: StaffUser) -> Page[DeliveryOut]:
    return Page(items=[delivery_out(d) for d in endpoints.deliveries_for_endpoint(session, endpoint_id)])


@router.get("/claims/{claim_id}/deliveries", response_model=Page[DeliveryOut])
def claim_deliveries(claim_id: str, session: DbSession, actor: StaffUser) -> Page[DeliveryOut]:
    claim = repository.get_claim(session, actor, claim_id)
    return Page(items=[delivery_out(d) for d in execution.deliveries_for_claim(session, claim.id)])


@router.post("/items/{item_id}/executed", status_code=201, response_model=ExecutedOut, openapi_extra=body_schema(ExecutedIn))
def item_executed(
    item_id: str, session: DbSession, actor: StaffUser, body: Annotated[ExecutedIn, Depends(json_body(ExecutedIn))], once: Idempotent
) -> JSONResponse:
    def confirm() -> ExecutedOut:
        done = execution.confirm(session, actor, item_id, body)
        return ExecutedOut(item_id=done.item_id, executed_at=done.executed_at, message_id=done.message_id)

    return once(confirm)


@router.get("/claims/{claim_id}/flags", response_model=Page[FlagOut])
def claim_flags(claim_id: str, session: DbSession, actor: StaffUser) -> Page[FlagOut]:
    claim = repository.get_claim(session, actor, claim_id)
    return Page(
        items=[
            FlagOut(
                id=f.id,
                kind=str(f.kind),
                item_id=f.item_id,
                related_claim_id=f.related_claim_id,
                related_item_id=f.related_item_id,
                detail=f.detail or {},
                legal=f.legal,
                routed_at=f.routed_at,
                created_at=f.created_at,
            )
            for f in grey_areas.flags_for_claim(session, claim.id)
        ]
    )


def _domain_out(d: AccountDomain) -> DomainOut:
    return DomainOut(account_id=d.account_id, domain=d.domain, verified_by=d.verified_by_id, created_at=d.created_at)


@router.get("/accounts/{account_id}/verified-domains", response_model=Page[DomainOut])
def list_domains(account_id: str, session: DbSession, _admin: AdminUser) -> Page[DomainOut]:
    return Page(items=[_domain_out(d) for d in domains.list_for(session, account_id)])


@router.post("/accounts/{account_id}/verified-domains", status_code=201, response_model=DomainOut, openapi_extra=body_schema(DomainIn))
def add_domain(
    account_id: str, session: DbSession, admin: AdminUser, body: Annotated[DomainIn, Depends(json_body(DomainIn))], once: Idempotent
) -> JSONResponse:
    return once(lambda: _domain_out(domains.add(session, admin, account_id, body.domain)))


@router.get("/claims/{claim_id}/fetches", response_model=Page[FetchOut])
def claim_fetches(claim_id: str, session: DbSession, actor: StaffUser) -> Page[FetchOut]:
    """The worker's fetches of the claim's reported media (IPCLAIMS_CONTENT_URL_TEMPLATE), failures included."""
    claim = repository.get_claim(session, actor, claim_id)
    return Page(
        items=[
            FetchOut(
                item_id=f.item_id,
                status=str(f.status),
                source_url=f.source_url,
                attempts=f.attempts,
                next_attempt_at=f.next_attempt_at if str(f.status) == "pending" else None,
                last_error=f.last_error,
                fetched_at=f.fetched_at,
                created_at=f.created_at,
            )
            for f in content.fetches_for_claim(session, claim.id)
        ]
    )
