"""Webhook endpoints: created, listed, rotated and deleted by admins (API and CLI call the same functions)."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ipclaims.errors import NotFound, Unprocessable
from ipclaims.integrations.webhooks import new_secret
from ipclaims.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint, utcnow


def _checked_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Unprocessable("url: an http:// or https:// URL with a host", errors=[{"loc": ["body", "url"], "msg": "not an http(s) URL"}])
    if parts.username or parts.password:
        raise Unprocessable(
            "url: no credentials in the URL; the receiver verifies the signature",
            errors=[{"loc": ["body", "url"], "msg": "credentials in the URL"}],
        )
    return url.strip()


def create(session: Session, url: str, description: str | None) -> WebhookEndpoint:
    endpoint = WebhookEndpoint(url=_checked_url(url), description=description, secret=new_secret(), active=True)
    session.add(endpoint)
    session.flush()
    return endpoint


def list_all(session: Session, *, include_deleted: bool = False) -> list[WebhookEndpoint]:
    query = select(WebhookEndpoint).order_by(WebhookEndpoint.id)
    if not include_deleted:
        query = query.where(WebhookEndpoint.deleted_at.is_(None))
    return list(session.scalars(query))


def get(session: Session, endpoint_id: str) -> WebhookEndpoint:
    endpoint = session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None or endpoint.deleted_at is not None:
        raise NotFound("no such webhook endpoint")
    return endpoint


def rotate(session: Session, endpoint_id: str, grace_hours: int, now: datetime | None = None) -> WebhookEndpoint:
    """A new secret; the one it replaces keeps signing for `grace_hours` (a second signature on each message)."""
    endpoint = get(session, endpoint_id)
    now = now or utcnow()
    endpoint.previous_secret = endpoint.secret if grace_hours else None
    endpoint.previous_valid_until = now + timedelta(hours=grace_hours) if grace_hours else None
    endpoint.secret = new_secret()
    session.flush()
    return endpoint


def delete(session: Session, endpoint_id: str) -> None:
    """Stop sending to the endpoint. Its delivery history stays (per claim and per endpoint); what was still
    pending is given up, visibly."""
    endpoint = get(session, endpoint_id)
    endpoint.active = False
    endpoint.deleted_at = utcnow()
    session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.endpoint_id == endpoint.id, WebhookDelivery.status == DeliveryStatus.PENDING)
        .values(status=DeliveryStatus.FAILED, last_error="the endpoint was deleted", lease_until=None)
        .execution_options(synchronize_session=False)
    )
    session.flush()


def deliveries_for_endpoint(session: Session, endpoint_id: str, *, limit: int = 200) -> list[WebhookDelivery]:
    get(session, endpoint_id)
    return list(
        session.scalars(
            select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint_id).order_by(WebhookDelivery.event_id.desc()).limit(limit)
        )
    )
