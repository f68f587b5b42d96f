"""The letters the workflow owes (CONTRACT.md "Letters"), requested by an event subscriber registered at start-up
(`ipclaims.notifications.register`), like the mail beside it.

For each event it returns pending `letter` rows (`events.Rows`); the recorder writes them in the event's own
transaction — intake in its one batched statement — and the worker renders them off the request path
(`letters.worker`). Owed: an `acknowledgment` on intake; a `deficiency` when a claim enters `needs_info` (at intake
or by a transition); a `decision` when it becomes `decided`; a `rejection` when rejected; a `statement_of_reasons`
per item removed, disabled or geo-blocked; a `counter_notice_forwarded` when a counter-notice is forwarded; a
`restoration` when an item is restored.

A row's `dedupe_key` names the fact (kind, claim, item, counter-notice, and the event — or ``once`` for the one
acknowledgment), so a follow-up asked twice requests it once, and a claim decided again after a reopen is owed a new
version. Versions are numbered per (claim, kind, item) under `next_version`'s lock; a unique index backs it.

Reads models only (a lower layer's import rules, tests/events/test_layers.py): no domain, no renderer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, cast

from sqlalchemy import Table, func, select, text
from sqlalchemy.orm import Session

from ipclaims.db import Prepared, insert_or_ignore
from ipclaims.events import Action, EventRow, NeedsEventId, Rows
from ipclaims.letters.templates import template_version
from ipclaims.models import ClaimItem, CounterNotice, CounterNoticeStatus, ItemOutcome, Letter, LetterKind, LetterStatus, new_id, utcnow

# The actions whose events may owe a letter; `subscriber` decides from the event which, if any.
ACTIONS = frozenset(
    {
        Action.SUBMITTED,
        Action.TRANSITION,
        Action.EXPIRED,  # claims: needs_info, rejected
        Action.DECIDED,
        Action.COUNTER_WITHDRAWN,  # an item actioned; a claim decided
        Action.RECEIVED,
        Action.CURED,
        Action.RESTORED,
        Action.COURT_ACTION,  # counter-notices forwarded or restored
    }
)
ACTIONED = frozenset({ItemOutcome.REMOVED, ItemOutcome.DISABLED, ItemOutcome.GEO_BLOCKED})

_COLUMNS = (
    "id",
    "claim_id",
    "item_id",
    "counter_notice_id",
    "kind",
    "version",
    "template_version",
    "status",
    "attempts",
    "error",
    "sha256",
    "size",
    "requested_by_id",
    "dedupe_key",
    "rendered_at",
    "created_at",
)
INSERT = Prepared(insert_or_ignore(cast(Table, Letter.__table__), _COLUMNS, ("dedupe_key",)))


def dedupe_key(kind: LetterKind, claim_id: str, item_id: str | None, counter_id: str | None, event_id: int | None) -> str:
    # `letters.service.letter_for_message` reads the last part (the event, or "once") to find a mail's letter.
    return ":".join((kind.value, claim_id, item_id or "", counter_id or "", str(event_id) if event_id is not None else "once"))


def next_version(session: Session, claim_id: str, kind: LetterKind, item_id: str | None) -> int:
    """The next version of (claim, kind, item), safe against a concurrent request for the same letter.

    On PostgreSQL a transaction-scoped advisory lock on (claim, kind, item) makes a second requester wait for the
    first to commit and then read its row: no retry, no 409. SQLite's writers take turns already. The unique index
    `uq_letter_item_version` and `uq_letter_claim_version` refuse a duplicate should anything bypass this.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": f"letter:{claim_id}:{kind.value}:{item_id or ''}"}
        )
    query = select(func.max(Letter.version)).where(Letter.claim_id == claim_id, Letter.kind == kind)
    query = query.where(Letter.item_id == item_id) if item_id else query.where(Letter.item_id.is_(None))
    return int(session.scalar(query) or 0) + 1


def row(
    kind: LetterKind, claim_id: str, *, version: int, item_id: str | None = None, counter_id: str | None = None, event_id: int | None = None
) -> dict[str, Any]:
    """A pending letter row, as the worker finds it (`service.due_ids`)."""
    return {
        "id": new_id(),
        "claim_id": claim_id,
        "item_id": item_id,
        "counter_notice_id": counter_id,
        "kind": kind.value,
        "version": version,
        "template_version": template_version(),
        "status": LetterStatus.PENDING.value,
        "attempts": 0,
        "error": None,
        "sha256": None,
        "size": None,
        "requested_by_id": None,
        "dedupe_key": dedupe_key(kind, claim_id, item_id, counter_id, event_id),
        "rendered_at": None,
        "created_at": utcnow(),
    }


def _owed(
    session: Session, kind: LetterKind, claim_id: str, *, item_id: str | None = None, counter_id: str | None = None, event_id: int | None
) -> dict[str, Any]:
    return row(
        kind, claim_id, version=next_version(session, claim_id, kind, item_id), item_id=item_id, counter_id=counter_id, event_id=event_id
    )


def _on_claim(session: Session, event: EventRow, subject: Any) -> list[dict[str, Any]]:
    claim_id = event.subject_id
    if event.action == Action.SUBMITTED:
        # A new claim has no letters yet: version 1, and no query on intake's path.
        rows = [row(LetterKind.ACKNOWLEDGMENT, claim_id, version=1)]
        if event.to_status == "needs_info":
            if event.id is None:
                raise NeedsEventId  # the deficiency names the event
            rows.append(row(LetterKind.DEFICIENCY, claim_id, version=1, event_id=event.id))
        return rows
    kind = {"needs_info": LetterKind.DEFICIENCY, "rejected": LetterKind.REJECTION, "decided": LetterKind.DECISION}.get(
        event.to_status or ""
    )
    if kind is None or event.from_status == event.to_status:
        return []
    return [_owed(session, kind, claim_id, event_id=event.id)]


def _on_item(session: Session, event: EventRow, subject: Any) -> list[dict[str, Any]]:
    if event.to_status == "restored":
        return _restoration(session, event)
    if event.to_status != "actioned":
        return []
    item = session.get(ClaimItem, event.subject_id)
    if item is None or item.outcome not in ACTIONED:
        return []
    return [_owed(session, LetterKind.STATEMENT_OF_REASONS, item.claim_id, item_id=item.id, event_id=event.id)]


def _restoration(session: Session, event: EventRow) -> list[dict[str, Any]]:
    """Owed whenever an item is restored (CONTRACT.md): after a counter-notice (whose restoration event restores
    the item too) or a complaint upheld (DSA Art. 20(4)), so it is owed on the item's event, naming the
    counter-notice when one was restored."""
    item = session.get(ClaimItem, event.subject_id)
    if item is None:
        return []
    counter = session.scalars(
        select(CounterNotice).where(CounterNotice.item_id == item.id).order_by(CounterNotice.created_at.desc(), CounterNotice.id.desc())
    ).first()
    counter_id = counter.id if counter is not None and counter.status == CounterNoticeStatus.RESTORED else None
    return [_owed(session, LetterKind.RESTORATION, item.claim_id, item_id=item.id, counter_id=counter_id, event_id=event.id)]


def _on_counter_notice(session: Session, event: EventRow, subject: Any) -> list[dict[str, Any]]:
    # A restoration is owed on the item's own event (`_restoration`), which every restoration emits.
    if event.to_status != "forwarded":
        return []
    counter = session.get(CounterNotice, event.subject_id)
    assert counter is not None
    kind = LetterKind.COUNTER_NOTICE_FORWARDED
    return [_owed(session, kind, counter.claim_id, item_id=counter.item_id, counter_id=counter.id, event_id=event.id)]


_HANDLERS = {"claim": _on_claim, "item": _on_item, "counter_notice": _on_counter_notice}


def subscriber(session: Session, event: EventRow, subject: Any) -> Iterable[Rows]:
    """The letters `event` makes owed, as pending rows (`events.Subscriber`)."""
    handler = _HANDLERS.get(event.subject_type)
    if handler is None or event.claim_id is None:
        return []
    rows: list[Mapping[str, Any]] = list(handler(session, event, subject))
    return [Rows(INSERT, rows)] if rows else []
