"""The platform confirms it carried out a measure; a measure not confirmed in time is overdue.

An item is overdue when a measure was queued for the platform (a webhook delivery) more than
IPCLAIMS_EXECUTION_OVERDUE_HOURS ago and no confirmation has been recorded since. Without webhook endpoints nothing
is sent, so nothing can be overdue.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ipclaims.errors import NotFound
from ipclaims.events import Action, record_event
from ipclaims.integrations.schemas import ExecutedIn
from ipclaims.models import Account, ClaimItem, ItemExecution, WebhookDelivery, utcnow


def confirm(session: Session, actor: Account, item_id: str, body: ExecutedIn) -> ItemExecution:
    item = session.get(ClaimItem, item_id)
    if item is None:
        raise NotFound("no such item")
    now = utcnow()
    execution = ItemExecution(item_id=item.id, message_id=body.message_id, executed_at=now, confirmed_by_id=actor.id, note=body.note)
    session.add(execution)
    record_event(
        session,
        claim_id=item.claim_id,
        actor=actor,
        subject_type="item",
        subject_id=item.id,
        action=Action.EXECUTED,
        reason=body.note,
        data={"message_id": body.message_id},
        internal=True,
        at=now,
    )
    session.flush()
    return execution


def deliveries_for_claim(session: Session, claim_id: str) -> list[WebhookDelivery]:
    return list(
        session.scalars(
            select(WebhookDelivery)
            .where(WebhookDelivery.claim_id == claim_id)
            .order_by(WebhookDelivery.event_id, WebhookDelivery.endpoint_id)
        )
    )


def overdue_items(session: Session, claim_ids: Iterable[str], hours: int, now: datetime | None = None) -> dict[str, list[str]]:
    """claim id → its items whose last queued measure is unconfirmed past the deadline."""
    ids = list(claim_ids)
    if not ids:
        return {}
    now = now or utcnow()
    last_sent = (
        select(WebhookDelivery.claim_id, WebhookDelivery.item_id, func.max(WebhookDelivery.created_at).label("sent_at"))
        .where(WebhookDelivery.claim_id.in_(ids))
        .group_by(WebhookDelivery.claim_id, WebhookDelivery.item_id)
        .subquery()
    )
    confirmed = (
        select(ItemExecution.item_id, func.max(ItemExecution.executed_at).label("confirmed_at")).group_by(ItemExecution.item_id).subquery()
    )
    rows = session.execute(
        select(last_sent.c.claim_id, last_sent.c.item_id)
        .outerjoin(confirmed, confirmed.c.item_id == last_sent.c.item_id)
        .where(
            last_sent.c.sent_at < now - timedelta(hours=hours),
            (confirmed.c.confirmed_at.is_(None)) | (confirmed.c.confirmed_at < last_sent.c.sent_at),
        )
        .order_by(last_sent.c.item_id)
    )
    out: dict[str, list[str]] = {}
    for claim_id, item_id in rows:
        out.setdefault(claim_id, []).append(item_id)
    return out
