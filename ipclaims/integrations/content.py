"""Reported content fetched, not uploaded (issue 21): the worker fetches each locatable item's media from the
content store (IPCLAIMS_CONTENT_URL_TEMPLATE, through `fetcher`) and matches it as an uploaded item image is matched.

Each item gets one `item_fetch` row: leased in a short transaction, fetched with no transaction open, matched in a
read session, then stored with its matches (`content_matched`, actor the System) under the claim's lock. A refusal
(not allowed, too large, not an image) is final; a network failure, a 5xx or a 429 is retried after 1, 2, 4 … min
(capped at an hour) until IPCLAIMS_CONTENT_FETCH_MAX_ATTEMPTS. Either way the item's row says why, for staff
(`GET /api/v1/claims/{id}/fetches`), and a final failure records an internal `content_fetch_failed` event. One
item's failure, whatever it is, never stops the sweep.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import BinaryIO, cast

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ipclaims.claims.repository import FULL
from ipclaims.claims.workflow import OPEN_CLAIM
from ipclaims.config import Settings
from ipclaims.db import session_scope
from ipclaims.errors import AppError
from ipclaims.events import Action, record_event
from ipclaims.integrations.fetcher import Fetcher, FetchFailed, FetchRefused, source_url
from ipclaims.matching import service as matching
from ipclaims.models import Claim, ClaimItem, FetchStatus, ItemContent, ItemFetch, ItemStatus

log = logging.getLogger("ipclaims.content")

BATCH = 10
LEASE = timedelta(minutes=5)


def backoff(attempts: int) -> timedelta:
    """1 min, 2 min, 4 min, … capped at an hour."""
    return timedelta(seconds=min(3600, 60 * 2 ** max(0, attempts - 1)))


@dataclass(frozen=True)
class Leased:
    fetch_id: str
    item_id: str
    claim_id: str
    url: str
    attempts: int


def due_items(session: Session, now: datetime, limit: int = BATCH) -> list[str]:
    settled = exists().where(
        and_(
            ItemFetch.item_id == ClaimItem.id,
            or_(ItemFetch.status != FetchStatus.PENDING, ItemFetch.next_attempt_at > now, ItemFetch.lease_until > now),
        )
    )
    return list(
        session.scalars(
            select(ClaimItem.id)
            .join(Claim, Claim.id == ClaimItem.claim_id)
            .where(
                Claim.status.in_(OPEN_CLAIM),
                ClaimItem.locatable.is_(True),
                ClaimItem.status == ItemStatus.PENDING,
                ~exists().where(ItemContent.item_id == ClaimItem.id),
                ~settled,
            )
            .order_by(ClaimItem.id)
            .limit(limit)
        )
    )


def lease(session: Session, item_id: str, now: datetime, settings: Settings) -> Leased | None:
    item = session.get(ClaimItem, item_id)
    if item is None or item.url is None:
        return None
    row = session.scalars(select(ItemFetch).where(ItemFetch.item_id == item_id).with_for_update(skip_locked=True)).first()
    if row is None:
        try:
            with session.begin_nested():
                row = ItemFetch(item_id=item_id, claim_id=item.claim_id, status=FetchStatus.PENDING, attempts=0, next_attempt_at=now)
                session.add(row)
                session.flush()
        except IntegrityError:
            return None  # another worker leased it first
    if row.status != FetchStatus.PENDING or row.next_attempt_at > now or (row.lease_until is not None and row.lease_until > now):
        return None
    row.source_url = source_url(settings.content_url_template, item.url, item.id)
    row.attempts += 1
    row.lease_until = now + LEASE
    session.flush()
    return Leased(row.id, item_id, item.claim_id, row.source_url, row.attempts)


def _settle_failure(leased: Leased, now: datetime, settings: Settings, why: str, *, final: bool) -> str:
    with session_scope() as session:
        row = session.get(ItemFetch, leased.fetch_id)
        if row is None:
            return "gone"
        given_up = final or row.attempts >= settings.content_fetch_max_attempts
        row.status = (FetchStatus.REFUSED if final else FetchStatus.FAILED) if given_up else FetchStatus.PENDING
        row.next_attempt_at = now + backoff(row.attempts)
        row.lease_until = None
        row.last_error = why[:2000]
        if given_up:
            record_event(
                session,
                claim_id=leased.claim_id,
                actor=None,
                subject_type="item",
                subject_id=leased.item_id,
                action=Action.CONTENT_FETCH_FAILED,
                reason=f"the item's media could not be fetched: {why}"[:2000],
                data={"source_url": leased.url, "attempts": row.attempts, "status": str(row.status)},
                internal=True,
            )
        return str(row.status)


def _store(leased: Leased, draft: matching.ItemContentDraft, now: datetime) -> bool:
    with session_scope() as session:
        claim = session.scalars(select(Claim).where(Claim.id == leased.claim_id).options(*FULL).with_for_update()).first()
        item = session.get(ClaimItem, leased.item_id)
        row = session.get(ItemFetch, leased.fetch_id)
        if claim is None or item is None or row is None:
            return False
        done = session.scalar(select(ItemContent.id).where(ItemContent.item_id == item.id).limit(1)) is not None
        if not done and item.status == ItemStatus.PENDING:
            matching.store_content(session, None, claim, item, draft)
        row.status, row.fetched_at, row.lease_until, row.last_error = FetchStatus.FETCHED, now, None, None
        return not done


def fetch_item(leased: Leased, now: datetime, settings: Settings, fetcher: Fetcher) -> str:
    """Fetch, match and store one leased item; returns its fetch status."""
    try:
        upload = fetcher.open(leased.url, lambda body: matching.receive_image(cast(BinaryIO, body), settings))
    except (FetchRefused, AppError) as exc:  # not allowed, too large, not an image: asking again changes nothing
        return _settle_failure(leased, now, settings, str(getattr(exc, "detail", None) or exc), final=True)
    except FetchFailed as exc:
        return _settle_failure(leased, now, settings, str(exc), final=False)
    try:
        with session_scope(write=False) as session:
            claim = session.scalars(select(Claim).where(Claim.id == leased.claim_id).options(*FULL)).first()
            item = session.get(ClaimItem, leased.item_id)
            if claim is None or item is None:
                upload.received.discard()
                return "gone"
            draft = matching.match_received(session, claim, item, upload, settings)
        try:
            _store(leased, draft, now)
        finally:
            draft.discard()
    except BaseException:
        upload.received.discard()
        raise
    return str(FetchStatus.FETCHED)


def fetch_content(now: datetime, settings: Settings, fetcher: Fetcher | None = None) -> dict[str, int]:
    """The worker's sweep: nothing without IPCLAIMS_CONTENT_URL_TEMPLATE."""
    counts = {"content_fetched": 0, "content_fetch_failed": 0}
    if not settings.content_url_template:
        return counts
    fetcher = fetcher or Fetcher.from_settings(settings)
    with session_scope(write=False) as session:
        ids = due_items(session, now)
    for item_id in ids:
        leased = None
        try:
            with session_scope() as session:
                leased = lease(session, item_id, now, settings)
            if leased is None:
                continue
            status = fetch_item(leased, now, settings, fetcher)
        except Exception as exc:
            log.exception("fetching item %s failed; retried with backoff", item_id)
            status = "error"
            if leased is not None:
                try:
                    status = _settle_failure(leased, now, settings, f"{type(exc).__name__}: {exc}", final=False)
                except Exception:
                    log.exception("recording the failed fetch of item %s failed; its lease runs out", item_id)
        counts["content_fetched" if status == FetchStatus.FETCHED else "content_fetch_failed"] += 1
    return counts


def fetches_for_claim(session: Session, claim_id: str) -> list[ItemFetch]:
    return list(session.scalars(select(ItemFetch).where(ItemFetch.claim_id == claim_id).order_by(ItemFetch.item_id)))
