"""Item outcomes as signed platform events (Standard Webhooks): the subscriber and the signature.

A measure and its reversal — removed, disabled, geo_blocked (with its territorial scope), restored, a litigation
hold, a takedown reinstated when its counter-notice is withdrawn — and an uploader reaching the repeat-infringer
threshold (`strikes`) each queue one `webhook_delivery` row per active endpoint, in the transaction that records the
event: a rolled-back decision sends nothing, a committed one is never forgotten. The message id is the event's
(`webhook-id`), the same on every retry and for every endpoint, so a receiver acts on it once.
"""

from __future__ import annotations

import json
import secrets
from base64 import b64encode
from collections.abc import Iterable
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session
from standardwebhooks.webhooks import Webhook

from ipclaims.db import Prepared, insert_or_ignore
from ipclaims.events import Action, EventRow, NeedsEventId, Rows
from ipclaims.models import Claim, ClaimItem, DeliveryStatus, WebhookDelivery, WebhookEndpoint, new_id

ACTIONS = frozenset({Action.DECIDED, Action.RESTORED, Action.LITIGATION_HOLD, Action.COUNTER_WITHDRAWN, Action.REPEAT_INFRINGER_THRESHOLD})
MEASURES = frozenset({"removed", "disabled", "geo_blocked"})  # a decision's outcomes the platform must carry out
THRESHOLD = "uploader.repeat_infringer_threshold"
EVENT_TYPES = (
    "item.removed",
    "item.disabled",
    "item.geo_blocked",
    "item.restored",
    "item.litigation_hold",
    "item.reinstated",
    THRESHOLD,
)


def new_secret() -> str:
    """A Standard Webhooks secret: `whsec_` and 32 random bytes in base64 (what the spec's libraries accept)."""
    return "whsec_" + b64encode(secrets.token_bytes(32)).decode()


def message_id(event_id: int) -> str:
    return f"msg_ev{event_id}"


def event_type(event: EventRow, item: ClaimItem) -> str | None:
    """The platform event an item event is, or None when it asks nothing of the platform."""
    if event.subject_type != "item":
        return None
    if event.action is Action.DECIDED:
        outcome = (event.data or {}).get("outcome")
        return f"item.{outcome}" if outcome in MEASURES else None
    if event.action is Action.RESTORED:
        return "item.restored"
    if event.action is Action.LITIGATION_HOLD:
        return "item.litigation_hold"  # the measure stays while the court decides: the platform must not restore
    if event.action is Action.COUNTER_WITHDRAWN:
        return "item.reinstated" if item.outcome is not None and str(item.outcome) in MEASURES else None
    if event.action is Action.REPEAT_INFRINGER_THRESHOLD:
        return THRESHOLD  # carried by the item whose measure tipped it: it reaches the platform after that measure
    return None


def payload(event: EventRow, kind: str, item: ClaimItem, claim: Claim | None) -> str:
    if kind == THRESHOLD:
        return threshold_payload(event, item, claim)
    outcome = None if item.outcome is None else str(item.outcome)
    data: dict[str, Any] = {
        "event_id": message_id(cast(int, event.id)),
        "claim_id": event.claim_id,
        "claim_reference": claim.reference if claim is not None else None,
        "item_id": item.id,
        "url": item.url,
        "outcome": outcome,
        "item_status": str(event.to_status) if event.to_status else str(item.status),
        "territorial_scope": item.territorial_scope if kind in ("item.geo_blocked", "item.reinstated") else None,
    }
    body = {"type": kind, "timestamp": event.at.isoformat(), "data": data}
    return json.dumps(body, separators=(",", ":"), sort_keys=True)


def threshold_payload(event: EventRow, item: ClaimItem, claim: Claim | None) -> str:
    """An uploader's counted strikes reached the threshold: the platform should put the account before a human for a
    termination review (`recommendation.needs_human` is always true; ipclaims terminates nothing)."""
    known = event.data or {}
    data: dict[str, Any] = {
        "event_id": message_id(cast(int, event.id)),
        "uploader": known.get("uploader"),
        "strikes": known.get("strikes"),
        "counted": known.get("counted"),
        "threshold": known.get("threshold"),
        "crossing": known.get("crossing"),
        "claims": known.get("claims"),
        "claim_id": event.claim_id,
        "claim_reference": claim.reference if claim is not None else None,
        "item_id": item.id,
        "url": item.url,
        "recommendation": known.get("recommendation"),
    }
    body = {"type": THRESHOLD, "timestamp": event.at.isoformat(), "data": data}
    return json.dumps(body, separators=(",", ":"), sort_keys=True)


_COLUMNS = (
    "id",
    "endpoint_id",
    "event_id",
    "message_id",
    "event_type",
    "claim_id",
    "item_id",
    "payload",
    "status",
    "attempts",
    "next_attempt_at",
    "lease_until",
    "delivered_at",
    "last_status_code",
    "last_error",
    "created_at",
)
INSERT = Prepared(insert_or_ignore(cast(Table, WebhookDelivery.__table__), _COLUMNS, ("endpoint_id", "event_id")))


def subscriber(session: Session, event: EventRow, subject: Any = None) -> Iterable[Rows]:
    if event.subject_type != "item":
        return []
    endpoints = list(session.scalars(select(WebhookEndpoint.id).where(WebhookEndpoint.active.is_(True))))
    if not endpoints:
        return []
    item = subject if isinstance(subject, ClaimItem) else session.get(ClaimItem, event.subject_id)
    if item is None:
        return []
    kind = event_type(event, item)
    if kind is None:
        return []
    if event.id is None:
        raise NeedsEventId  # the message id and the per-item order are the event's id
    body = payload(event, kind, item, session.get(Claim, event.claim_id) if event.claim_id else None)
    rows = [
        {
            "id": new_id(),
            "endpoint_id": endpoint_id,
            "event_id": event.id,
            "message_id": message_id(event.id),
            "event_type": kind,
            "claim_id": event.claim_id,
            "item_id": item.id,
            "payload": body,
            "status": DeliveryStatus.PENDING.value,
            "attempts": 0,
            "next_attempt_at": event.at,
            "lease_until": None,
            "delivered_at": None,
            "last_status_code": None,
            "last_error": None,
            "created_at": event.at,
        }
        for endpoint_id in endpoints
    ]
    return [Rows(INSERT, rows)]


def signature(secrets_in_use: Iterable[str], msg_id: str, at: datetime, body: str) -> str:
    """The `webhook-signature` header: one `v1,` signature per secret in use (the current one and, during a
    rotation's grace period, the previous one), space-separated as the specification allows."""
    return " ".join(Webhook(secret).sign(msg_id, at, body) for secret in secrets_in_use)


def headers(secrets_in_use: Iterable[str], msg_id: str, at: datetime, body: str) -> dict[str, str]:
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signature(secrets_in_use, msg_id, at, body),
        "content-type": "application/json",
        "user-agent": "ipclaims-webhooks",
    }
