"""Notices read from text or email, made into claims through intake's own service (`claims.intake`).

One function makes a claim from a message for every channel — the API, `ipclaims notices import`, the SMTP inbox —
so they cannot drift: `create` reads the text, finds the owner (the account whose verified email domain sent it,
else a placeholder notifier for the sender), has intake prepare and store the claim with `source` `email` and
`received_at` from the message's `Date`, and keeps the original bytes and the reading beside it. A notice listing
more URLs than a claim takes becomes several claims of the one message (`parts`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import ColumnElement, and_, func, select, text, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ipclaims import idempotency
from ipclaims.claims import intake, repository
from ipclaims.claims.schemas import ClaimIn
from ipclaims.config import Settings
from ipclaims.errors import AppError, Conflict, NotFound, Unprocessable, summary, validation_errors
from ipclaims.events import Rows, write
from ipclaims.integrations import grey_areas
from ipclaims.mailroom import arrival, authenticity, forwarded, owners, parts, reading, replies
from ipclaims.mailroom.ahead import Ahead, stored_source
from ipclaims.mailroom.arrival import RESEND_WINDOW
from ipclaims.mailroom.reading import Read, Source
from ipclaims.mailroom.repository import save as save_message
from ipclaims.mailroom.screen import headers_of
from ipclaims.models import (
    Account,
    Claim,
    ClaimItem,
    ClaimSource,
    Role,
    SourceMessage,
    SourceStatus,
    utcnow,
)
from ipclaims.triage import priority

log = logging.getLogger(__name__)
MAILBOX_ADDRESS = "<mailbox>"  # the `mail_sender` row naming the account imports and the inbox act as
MAILBOX_NAME = "Designated agent's mailbox (imports and the SMTP inbox)"


def parse(
    actor: Account,
    source: Source | Read,
    regime: str | None,
    kind: str | None,
    settings: Settings,
    *,
    corrections: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """`POST /api/v1/notices/parse`: the reading, nothing stored. `corrections`: top-level claim fields a staff
    member corrected (the import page), which intake's check (`intake_completeness`) then takes instead."""
    read = source if isinstance(source, Read) else reading.read(source, regime=regime, kind=kind)
    r = read.reading
    intake_report = _intake_report(actor, read, settings, corrections)
    return {
        "regime": r.regime,
        "kind": r.kind,
        "fields": r.fields,
        "completeness": reading.completeness_json(reading.text_report(r, intake_report)),
        "evidence": reading.evidence(r),
        "intake_completeness": reading.completeness_json(intake_report),
        "text": r.text,  # what the evidence spans index: the notice as read, not the bytes sent
    }


def _intake_report(actor: Account, read: Read, settings: Settings, corrections: Mapping[str, Any] | None) -> Any:
    if read.reading.kind == "counter_notice":
        return reading.intake_report(read.reading, settings.platform_host_set)
    prepared = intake.prepare(actor, _claim_in(claim_body(read, corrections)), settings)
    if isinstance(prepared, AppError):  # more items than a claim takes: the fields as read, checked directly
        return reading.intake_report(read.reading, settings.platform_host_set)
    return prepared.report


def claim_body(read: Read, corrections: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The claim body made of the fields read, each top-level field a staff member corrected replacing the one read
    (intake checks the result as any claim); no location left at all reads as the one item without a URL."""
    body = reading.intake_body(read.reading)
    for key, value in (corrections or {}).items():
        if key not in ("regime", "kind"):
            body[key] = value
    if not body.get("items"):
        body["items"] = [{"url": None, "description": reading.NO_LOCATION}]
    return body


def _claim_in(body: dict[str, Any]) -> ClaimIn:
    """`reading.intake_body` has pruned what intake would refuse; should anything remain, it is a 422, not a 500."""
    try:
        return ClaimIn.model_validate_json(json.dumps(body))
    except ValidationError as exc:
        errors = validation_errors(exc, prefix=("fields",))
        raise Unprocessable(summary(errors, otherwise="the fields read from the notice do not make a claim"), errors=errors) from None


def mailbox_account(session: Session) -> Account:
    """The staff account that imports and the inbox act as (they have no caller): made once, no API key."""
    return owners.account_for(session, MAILBOX_ADDRESS, lambda: Account(name=MAILBOX_NAME, role=Role.SPECIALIST, email=None))


def create(
    session: Session,
    actor: Account,
    notice: Source | Read,
    *,
    regime: str | None,
    kind: str | None,
    settings: Settings,
    channel: str,
    record: idempotency.KeyRecord | None = None,
    row: SourceMessage | None = None,
    corrections: Mapping[str, Any] | None = None,
    owner_id: str | None = None,
    received_at: datetime | None = None,
) -> bytes:
    """Make the claim from a notice, in the caller's transaction; returns the 201 body (intake's claim JSON plus
    `source_message_id`, the text's `reading` and the `parts` made). A notice listing more URLs than a claim takes is
    made into several claims, all or none (`parts`): the answer is the first's, the message's `claim_id` too.
    `notice`: read here, or already (`reading.read`, pure: the API reads before it queues for its write turn). `row`:
    a message the inbox stored already. `corrections`: the top-level fields a staff member corrected on the import
    page (`claim_body`); the text's reading is kept as read, with the names of the corrected fields. `owner_id`,
    `received_at`: the owner and receipt time staff set there instead of the mailroom's own (`owners`), checked here;
    a change is an `intake_corrected` event."""
    if record is not None:
        record.claim(session)  # before any write: a replay answers first, as intake's
    read = notice if isinstance(notice, Read) else reading.read(notice, regime=regime, kind=kind)
    if read.reading.kind != "claim":
        raise Unprocessable(
            "the text reads as a counter-notice: record it on its claim (POST /api/v1/claims/{id}/items/{item_id}/counter-notices)",
            errors=[{"loc": ["body", "kind"], "msg": "a counter-notice is not a claim"}],
        )
    fields = claim_body(read, corrections)
    # More URLs than a claim takes: a claim of each `max_items` of them, in order (`parts`); refused before any write
    # when they would make more claims than one notice may.
    chunks = parts.split(fields["items"], settings.max_items)
    now = utcnow()
    sender = sender_of(read)
    # A sender nothing vouches for (a forged `From`: `authenticity`) chooses no verified rights holder; staff who set
    # the owner decide. `refused`: the verified rights holder it would have chosen, for the flag staff see.
    doubt = sender_doubt(read, row.envelope if row is not None and row.channel == "smtp" else None, settings)
    as_read = owners.default_owner(session, sender, doubt=doubt) if owner_id is not None else None
    owner = owners.rights_holder(session, owner_id) if owner_id is not None else owners.owner_for(session, sender, doubt=doubt)
    refused = owners.verified_account(session, sender) if doubt is not None and owner_id is None else None
    read_when = reading.received_at(read.message, now)
    when = owners.check_received(received_at, now) if received_at is not None else read_when
    staff_set: dict[str, tuple[Any, Any]] = {}
    read_owner = as_read.account.id if as_read is not None and as_read.account is not None else None
    if as_read is not None and read_owner != owner.id:
        staff_set["on_behalf_of"] = (read_owner, owner.id)
    if when != read_when:
        staff_set["received_at"] = (read_when, when)
    body = {
        **fields,
        "on_behalf_of": owner.id,
        "source": ClaimSource.EMAIL.value,
        "received_at": when.isoformat(),
    }
    made: list[tuple[dict[str, Any], intake.Draft]] = []
    for n, items in enumerate(chunks):
        prepared = intake.prepare(actor, _claim_in({**body, "items": items}), settings, now=now)
        claim = json.loads(intake.store(session, prepared, record if n == 0 else None))
        assert not isinstance(prepared, AppError)  # intake.store raises a prepared error
        made.append((claim, prepared))
    claim, first = made[0]
    text = reading.text_report(read.reading, first.report)
    kept = {
        "regime": read.reading.regime,
        "kind": read.reading.kind,
        "completeness": reading.completeness_json(text),
        "evidence": reading.evidence(read.reading),
        "notes": {j.code: j.note for j in read.reading.judgements if j.note},
    }
    if corrections or staff_set:
        kept["corrected_fields"] = sorted({*(corrections or {}), *staff_set})
    if sender is not None:  # what the claim page shows as the sender, for pasted text too (no `From` to show)
        kept["owner_chosen_by"] = {"address": sender, "read_from": "headers" if read.sender else "text"}
    row = _keep(session, row, read, claim["id"], channel=channel, kept=kept, received_at=when, now=now)
    made_parts = [parts.Part(c["id"], c["reference"], n, len(c["items"])) for n, (c, _) in enumerate(made, 1)]
    parts.link(session, row.id, made_parts)
    parts.announce(session, actor, row.id, made_parts, now)
    for each, _ in made:  # every part is a claim as intake makes one: what staff set, the sender's look-alike domain
        if staff_set:
            owners.record_corrected(session, actor, each["id"], staff_set, as_read, owner, now)
        if sender is not None:  # the sender's own domain, whatever address the text gives (DOMAIN.md §6)
            flag: dict[str, Any] | None
            if refused is not None and doubt is not None and (domain := authenticity.domain_of(sender)) is not None:
                flag = grey_areas.unvouched_flag(each["id"], domain, refused.id, doubt.reason, doubt.evidence, now)
            else:
                flag = grey_areas.impersonation_flag(session, each["id"], sender, owner.id, now)
            if flag is not None:
                write(session, [Rows(grey_areas.INSERT, [flag])])
                _impersonation_priority(session, each)
    # The answer's reading also has the text its spans index; the kept one does not (the claim page reads it on every
    # view, and the text is the original's, which is kept). `parts`: every claim made, the first being the answer's.
    answer = {**claim, "source_message_id": row.id, "parts": [p.json() for p in made_parts]}
    return idempotency.render({**answer, "reading": {**kept, "text": read.reading.text}})


def _impersonation_priority(session: Session, claim: dict[str, Any]) -> None:
    """The priority term of a possible impersonation, at once, as intake raises it for a look-alike complainant
    email before it writes the claim: a look-alike `From` is found here, after intake, so the claim just written and
    the 201 take the term in the same transaction (not at the worker's next sweep); once, if intake raised it for the
    text's address already."""
    current = priority.Priority(claim["priority"], list(claim["priority_reasons"]))
    raised = priority.with_impersonation(current)
    if raised.reasons[-1] in current.reasons:
        return
    repository.set_priority(session, claim["id"], raised.score, raised.reasons)
    claim["priority"], claim["priority_reasons"] = raised.score, raised.reasons


def sender_of(read: Read) -> str | None:
    """The address a claim's owner is found by: the message's sender, else the complainant's email read from it."""
    return read.sender or reading.text_email(read.reading)


def sender_doubt(read: Read, envelope: Mapping[str, Any] | None, settings: Settings) -> authenticity.Doubt | None:
    """Why the address that chooses the owner (`sender_of`) is not vouched for (`authenticity`), or None.
    `envelope`: the SMTP envelope of mail the inbox received, None for a saved message or text."""
    sender = sender_of(read)
    if sender is None:
        return None
    own = {authenticity.domain_of(a) for a in (*reading.agent_addresses(settings), settings.mail_from)}
    return authenticity.doubt(read.source.raw, envelope, sender, settings.inbox_authserv_ids, frozenset(d for d in own if d))


def _keep(
    session: Session,
    row: SourceMessage | None,
    read: Read,
    claim_id: str,
    *,
    channel: str,
    kept: dict[str, Any],
    received_at: datetime,
    now: datetime,
) -> SourceMessage:
    message = read.message
    values: dict[str, Any] = {
        "claim_id": claim_id,
        "status": SourceStatus.PARSED,
        "media_type": read.source.media_type,
        "sender": (read.sender or message.sender or None),
        "subject": message.subject,
        "message_id": message.message_id,
        "notice_key": forwarded.key_of(message),
        "regime": read.reading.regime,
        "reading": kept,
        "error": None,
        "processed_at": now,
    }
    if values["sender"] is not None:
        values["sender"] = values["sender"][:320]
    return save_message(session, row, read.source, values, channel=channel, received_at=received_at)


# A counter-notice answers a claim: the claims whose reported items are the addresses it names (the import page
# links them, so staff record it on the right item). Bounded: a counter-notice names a few addresses.
NAMED_URLS = 50
ANSWERED_ITEMS = 100
_URL = re.compile(r"https?://[^\s<>\"'()\[\]{}|\\^`]+", re.IGNORECASE)


def named_urls(text: str) -> list[str]:
    """The http(s) addresses a text names, without the punctuation that ends a sentence, each also with and without
    a trailing slash (a claim may report either form of one address); at most `NAMED_URLS` addresses."""
    out: dict[str, None] = {}
    for found in _URL.finditer(text):
        url = found.group(0).rstrip(".,;:!?*")
        bare = url.rstrip("/")
        if "://" not in bare or bare.endswith("://"):
            continue
        out |= dict.fromkeys((url, bare, bare + "/"))
        if len(out) >= 3 * NAMED_URLS:
            break
    return list(out)


def claims_naming(session: Session, actor: Account, urls: list[str]) -> list[dict[str, Any]]:
    """The claims `actor` may read with an item reported at one of `urls`, newest first, each with those items.

    The lookup probes the index on the item's URL (migration 0011: `(url, id)` on SQLite, `(md5(url), id)` on
    PostgreSQL, where a URL may be longer than a btree entry)."""
    if not urls:
        return []
    match: ColumnElement[bool] = ClaimItem.url.in_(urls)
    if session.get_bind().dialect.name == "postgresql":
        match = and_(func.md5(ClaimItem.url).in_([hashlib.md5(u.encode(), usedforsecurity=False).hexdigest() for u in urls]), match)
    query = (
        repository.readable_by(actor)
        .with_only_columns(
            Claim.id, Claim.reference, Claim.status, Claim.regime, ClaimItem.id, ClaimItem.position, ClaimItem.url, ClaimItem.status
        )
        .join(ClaimItem, ClaimItem.claim_id == Claim.id)
        .where(match)
        .order_by(Claim.received_at.desc(), Claim.id, ClaimItem.position)
        .limit(ANSWERED_ITEMS)
    )
    claims: dict[str, dict[str, Any]] = {}
    for claim_id, reference, status, regime, item_id, position, url, item_status in session.execute(query).tuples():
        claim = claims.setdefault(claim_id, {"id": claim_id, "reference": reference, "status": status.value, "regime": regime, "items": []})
        claim["items"].append({"id": item_id, "position": position, "url": url, "status": item_status.value})
    return list(claims.values())


def store_received(session: Session, raw: bytes, envelope: dict[str, Any], *, channel: str = "smtp") -> SourceMessage:
    """The inbox's first step, committed before the 250 reply: the bytes as received, status `received`.

    The same bytes again within `RESEND_WINDOW` (a relay that lost our 250 and sends again) are the stored row; so is
    a copy with the same Message-ID, sender and text (relayed twice, with other `Received:` lines) of a message that
    became a claim or still waits on this channel to become one (`arrival.copy_of`)."""
    digest = Source(raw, reading.RFC822).sha256
    again = session.scalar(
        select(SourceMessage)
        .where(SourceMessage.sha256 == digest, SourceMessage.channel == channel, SourceMessage.created_at > utcnow() - RESEND_WINDOW)
        .limit(1)
    )
    if again is not None and again.raw == raw:
        return again
    copy = arrival.copy_of(session, raw, envelope, channel=channel)
    if copy is not None:
        return copy
    sender, subject, message_id = headers_of(raw, envelope)
    row = SourceMessage(
        channel=channel,
        status=SourceStatus.RECEIVED,
        media_type=reading.RFC822,
        raw=raw,
        sha256=digest,
        size_bytes=len(raw),
        envelope=envelope,
        sender=sender,
        subject=subject,
        message_id=message_id,
        received_at=utcnow(),
        attempts=0,
    )
    session.add(row)
    session.flush()
    return row


def pending_ids(session: Session, limit: int = 100) -> list[str]:
    query = select(SourceMessage.id).where(SourceMessage.status == SourceStatus.RECEIVED).order_by(SourceMessage.created_at).limit(limit)
    return list(session.scalars(query))


def take(session: Session, message_id: str, expected: SourceStatus = SourceStatus.RECEIVED) -> SourceMessage | None:
    """Claim a message in status `expected` for this transaction (a conditional update: of two sweeps, or a sweep
    and a retry, or two retries, only one reads it; the other waits for its commit and then finds it taken)."""
    taken = session.execute(
        update(SourceMessage)
        .where(SourceMessage.id == message_id, SourceMessage.status == expected)
        .values(status=SourceStatus.PARSED)
        .execution_options(synchronize_session=False)
    )
    if getattr(taken, "rowcount", 0) != 1:
        return None
    row = session.get(SourceMessage, message_id, populate_existing=True)
    assert row is not None
    return row


def read_stored(
    session: Session, row: SourceMessage, settings: Settings, *, person: bool = False, ahead: Ahead | None = None
) -> SourceMessage:
    """Read a stored message `take` has taken, in the caller's transaction: the sweeper's one path, and a staff
    member's retry's (`person`: a person's decision, `arrival.sort`). What it is decides what is done: a notice
    becomes a claim (`parsed`), a copy of a message that made a claim is that claim (`duplicate`), and so is a
    forward of its notice or the notice after its forward (`forwarded`, once read), a reply from a claim's notifier
    is linked to it and cures it (`reply`). A message that cannot become a claim, or must not (mail no one may
    answer, a stranger's reply), is marked `failed` with the reason, in the same transaction (partial
    writes rolled back to a savepoint); a database error is raised, leaving the row as it was before `take` once the
    caller rolls back. `ahead`: the message read before the caller's transaction (`ahead`), used when it is read the
    same way here; without it, it is read here."""
    reader: reading.Reader = ahead.read if ahead is not None else reading.read
    reply_reader: reading.ReplyReader = ahead.read_reply if ahead is not None else reading.read_reply
    try:
        with session.begin_nested():
            verdict = arrival.sort(session, row.raw, row.envelope, person=person, exclude=row.id)
            source = stored_source(row)
            notice = None
            if verdict.notice:  # read; a forward of a notice that made a claim (or such a notice) is that claim
                notice = reader(source, regime=row.regime, kind=None)
                found = None if person else forwarded.claimed(session, notice, exclude=row.id, lock=True)
                verdict = replace(verdict, copy=found.row if found is not None else None)
            if verdict.copy is not None:
                row.status, row.claim_id, row.reading = SourceStatus.DUPLICATE, verdict.copy.claim_id, {"copy_of": verdict.copy.id}
                row.error, row.attempts, row.processed_at = None, row.attempts + 1, utcnow()
            elif verdict.answer is not None:
                actor = mailbox_account(session)
                replies.link(
                    session,
                    actor,
                    verdict.answer,
                    source,
                    settings,
                    sender=verdict.sender,
                    channel=row.channel,
                    row=row,
                    reader=reply_reader,
                )
            elif verdict.error is None:
                assert notice is not None
                if (why := arrival.no_notice(notice, settings, person=person)) is not None:
                    verdict = replace(verdict, error=why)
                else:
                    actor = mailbox_account(session)
                    create(session, actor, notice, regime=row.regime, kind=None, settings=settings, channel=row.channel, row=row)
        if verdict.error is None:
            return row
        error = verdict.error
    except AppError as exc:
        error = exc.detail
    except SQLAlchemyError:
        raise
    except Exception as exc:  # a bug in reading one message must not stop the inbox: keep it, with the reason
        log.exception("mailroom: message %s could not be read", row.id)
        error = f"{type(exc).__name__}: {exc}"
    sender, subject, message_id = headers_of(row.raw, row.envelope)
    row.status, row.error, row.attempts, row.processed_at = SourceStatus.FAILED, error[:2000], row.attempts + 1, utcnow()
    row.claim_id = None
    row.sender, row.subject, row.message_id = sender or row.sender, subject or row.subject, message_id or row.message_id
    session.flush()
    return row


def retry(session: Session, message_id: str, settings: Settings, *, ahead: Ahead | None = None) -> SourceMessage:
    """A `failed` message tried again through the sweeper's path (`take`, `read_stored`) as a person's decision:
    mail the inbox would not answer (automatic, a stranger's reply) is read as a notice. 404 for no such message,
    409 unless it is `failed` (a received one is the sweeper's; any other has its claim). `ahead`: the message read
    before the caller's transaction (`ahead`)."""
    row = take(session, message_id, SourceStatus.FAILED)
    if row is not None:
        return read_stored(session, row, settings, person=True, ahead=ahead)
    status = session.scalar(select(SourceMessage.status).where(SourceMessage.id == message_id))
    if status is None:
        raise NotFound("no such message")
    raise Conflict(f"only a failed message is tried again; this one is {status.value}")


def get_message(session: Session, message_id: str) -> SourceMessage:
    row = session.get(SourceMessage, message_id)
    if row is None:
        raise NotFound("no such message")
    return row


def claimed_copy(session: Session, raw: bytes, *, lock: bool = True) -> SourceMessage | None:
    """The first stored message with exactly these bytes that became a claim, whatever channel brought it.

    For a caller that makes the claim in the same transaction when there is none (`ipclaims notices import`, the
    import page): on PostgreSQL a transaction-scoped advisory lock on the bytes' digest makes a concurrent import of
    the same bytes wait for this one to commit, and then find its claim. SQLite's writers take turns already.
    `lock=False`: only to show it (the import page's reading)."""
    digest = Source(raw, reading.PLAIN).sha256
    if lock and session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": f"notice-bytes:{digest}"})
    query = (
        select(SourceMessage)
        .where(SourceMessage.sha256 == digest, SourceMessage.claim_id.is_not(None))
        .order_by(SourceMessage.created_at, SourceMessage.id)
    )
    return next((row for row in session.scalars(query) if row.raw == raw), None)


def claimed_before(session: Session, raw: bytes, *, lock: bool = True) -> SourceMessage | None:
    """The stored message these bytes already made a claim of, as `ipclaims notices import` judges a file: the same
    bytes, by any channel at any time (`claimed_copy`), else a copy with the same Message-ID, sender and text within
    `RESEND_WINDOW` (`arrival.copy_of`). The import page asks it before a second claim of one message is made."""
    return claimed_copy(session, raw, lock=lock) or arrival.copy_of(session, raw, None)
