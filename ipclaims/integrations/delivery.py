"""Webhook delivery from the worker: leases, retries with exponential backoff, order per item, no redirects.

As with mail (`jobs.delivery`), a delivery is leased in a short transaction, posted with no transaction open, then
settled. A delivery is due only when no earlier event for the same item is still pending to the same endpoint, so
the platform sees an item's measures in the order they were decided (a restoration never overtakes its removal).
Any answer but 2xx, and any network failure, is retried — 30 s, 1 min, 2 min, … capped at 1 h — until the delivery
is IPCLAIMS_WEBHOOK_MAX_AGE_HOURS old: a receiver down for hours loses nothing. Requests go only to the endpoint's
configured URL: redirects are not followed (a 3xx is a failed attempt) and no environment proxy is used.
"""

from __future__ import annotations

import logging
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.orm import aliased

from ipclaims.config import Settings
from ipclaims.db import session_scope
from ipclaims.integrations import webhooks
from ipclaims.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

log = logging.getLogger("ipclaims.webhooks")

LEASE = timedelta(minutes=5)
BATCH = 50


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, … capped at 1 h."""
    return timedelta(seconds=min(3600, 30 * 2 ** max(0, attempts - 1)))


@dataclass(frozen=True)
class Leased:
    id: str
    url: str
    message_id: str
    payload: str
    secrets: tuple[str, ...]
    lease_until: datetime
    attempts: int
    created_at: datetime


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a 3xx then surfaces as an HTTPError: the delivery failed, and is retried


_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())


class DeliveryFailed(Exception):
    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


def post(leased: Leased, at: datetime, timeout: float) -> int:
    """POST one signed message; the status code on 2xx, DeliveryFailed otherwise."""
    body = leased.payload.encode()
    request = urllib.request.Request(
        leased.url, data=body, method="POST", headers=webhooks.headers(leased.secrets, leased.message_id, at, leased.payload)
    )
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            status = int(response.status)
    except urllib.error.HTTPError as exc:
        raise DeliveryFailed(f"HTTP {exc.code}", exc.code) from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise DeliveryFailed(f"{type(exc).__name__}: {exc}") from exc
    if not 200 <= status < 300:
        raise DeliveryFailed(f"HTTP {status}", status)
    return status


def secrets_in_use(endpoint: WebhookEndpoint, now: datetime) -> tuple[str, ...]:
    grace = endpoint.previous_secret and endpoint.previous_valid_until and endpoint.previous_valid_until > now
    return (endpoint.secret, endpoint.previous_secret) if grace and endpoint.previous_secret else (endpoint.secret,)


def _due(now: datetime) -> Any:
    earlier = aliased(WebhookDelivery)
    blocked = exists().where(
        and_(
            earlier.endpoint_id == WebhookDelivery.endpoint_id,
            earlier.item_id == WebhookDelivery.item_id,
            earlier.event_id < WebhookDelivery.event_id,
            earlier.status == DeliveryStatus.PENDING,
        )
    )
    return and_(
        WebhookDelivery.status == DeliveryStatus.PENDING,
        WebhookDelivery.next_attempt_at <= now,
        or_(WebhookDelivery.lease_until.is_(None), WebhookDelivery.lease_until <= now),
        ~blocked,
    )


def lease_one(now: datetime) -> Leased | None:
    with session_scope() as session:
        while True:
            row = session.scalars(
                select(WebhookDelivery)
                .where(_due(now))
                .order_by(WebhookDelivery.event_id, WebhookDelivery.id)
                .limit(1)
                .with_for_update(skip_locked=True)
            ).first()
            if row is None:
                return None
            endpoint = session.get(WebhookEndpoint, row.endpoint_id)
            if endpoint is not None and endpoint.active:
                break
            # Deleted since the event was queued: given up, visible as such, and no longer blocking its item.
            row.status = DeliveryStatus.FAILED
            row.last_error = "the endpoint was deleted"
            session.flush()
        row.lease_until = now + LEASE
        return Leased(
            row.id, endpoint.url, row.message_id, row.payload, secrets_in_use(endpoint, now), row.lease_until, row.attempts, row.created_at
        )


def settle(leased: Leased, now: datetime, settings: Settings, *, status: int | None, error: DeliveryFailed | None) -> None:
    with session_scope() as session:
        mine = (WebhookDelivery.id == leased.id) & (WebhookDelivery.lease_until == leased.lease_until)
        attempts = leased.attempts + 1
        values: dict[str, object]
        if error is None:
            values = {
                "status": DeliveryStatus.DELIVERED,
                "delivered_at": now,
                "attempts": attempts,
                "lease_until": None,
                "last_status_code": status,
                "last_error": None,
            }
        else:
            given_up = now - leased.created_at >= timedelta(hours=settings.webhook_max_age_hours)
            values = {
                "status": DeliveryStatus.FAILED if given_up else DeliveryStatus.PENDING,
                "attempts": attempts,
                "lease_until": None,
                "last_status_code": error.status,
                "last_error": str(error)[:2000],
                "next_attempt_at": now + backoff(attempts),
            }
        session.execute(update(WebhookDelivery).where(mine).values(**values).execution_options(synchronize_session=False))


Poster = Callable[[Leased, datetime, float], int]


def deliver_due(now: datetime, settings: Settings, *, limit: int = BATCH, send: Poster = post) -> dict[str, int]:
    """Post what is due, up to `limit` deliveries; `now` plus the sweep's elapsed time stamps each step."""
    started = time.monotonic()

    def clock() -> datetime:
        return now + timedelta(seconds=time.monotonic() - started)

    delivered = failed = 0
    for _ in range(limit):
        leased = lease_one(clock())
        if leased is None:
            break
        try:
            status = send(leased, clock(), settings.webhook_timeout_seconds)
        except DeliveryFailed as exc:
            log.warning("webhook %s to %s failed: %s", leased.message_id, leased.url, exc)
            settle(leased, clock(), settings, status=None, error=exc)
            failed += 1
        else:
            settle(leased, clock(), settings, status=status, error=None)
            delivered += 1
    return {"webhooks_delivered": delivered, "webhooks_failed": failed}
