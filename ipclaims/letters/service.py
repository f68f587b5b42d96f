"""Letters: requested (owed by the workflow, or asked for by staff), rendered, archived, read (CONTRACT.md "Letters").

A rendering is a new `letter` row with the next version; nothing is overwritten. Owed letters are requested by an
event subscriber in the transaction that changes state (`letters.subscriber`, pending rows) and rendered by the
worker off the request path (`letters.worker`); staff requests render before answering (`create`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ipclaims import http, paging
from ipclaims.claims import repository
from ipclaims.config import Settings, get_settings
from ipclaims.errors import InvalidTransition, NotFound, NotPermitted, Unprocessable
from ipclaims.letters import archive, context, render, subscriber
from ipclaims.letters.templates import template_version
from ipclaims.models import (
    Account,
    Claim,
    ClaimItem,
    ClaimStatus,
    CounterNotice,
    CounterNoticeStatus,
    ItemOutcome,
    Letter,
    LetterKind,
    LetterStatus,
    Role,
    utcnow,
)
from ipclaims.notifications.mail import TO_NOTIFIER, TO_UPLOADER

log = logging.getLogger("ipclaims.letters")

ACTIONED = frozenset({ItemOutcome.REMOVED, ItemOutcome.DISABLED, ItemOutcome.GEO_BLOCKED})
FORWARDED_ONCE = frozenset({CounterNoticeStatus.FORWARDED, CounterNoticeStatus.RESTORED, CounterNoticeStatus.LITIGATION_HOLD})
ITEM_KINDS = frozenset({LetterKind.STATEMENT_OF_REASONS, LetterKind.COUNTER_NOTICE_FORWARDED, LetterKind.RESTORATION})
MAX_ATTEMPTS = 5
PAGE = 100


def _latest_counter(session: Session, item_id: str) -> CounterNotice | None:
    return session.scalars(
        select(CounterNotice).where(CounterNotice.item_id == item_id).order_by(CounterNotice.created_at.desc(), CounterNotice.id.desc())
    ).first()


def _check_supported(session: Session, claim: Claim, kind: LetterKind, item: ClaimItem | None) -> CounterNotice | None:
    """409 for a kind the claim's state does not support (CONTRACT.md: a decision for an undecided claim)."""
    if kind in ITEM_KINDS and item is None:
        raise Unprocessable(f"item_id: required for a {kind} letter", errors=[{"loc": ["body", "item_id"], "msg": "required"}])
    if kind is LetterKind.DEFICIENCY and all(e.status == "present" for e in claim.elements):
        raise InvalidTransition(f"claim {claim.reference} lacks no element: there is nothing to ask for")
    if kind is LetterKind.DECISION and claim.status not in (ClaimStatus.DECIDED, ClaimStatus.CLOSED):
        raise InvalidTransition(f"claim {claim.reference} is {claim.status}, not decided")
    if kind is LetterKind.REJECTION and claim.status is not ClaimStatus.REJECTED:
        raise InvalidTransition(f"claim {claim.reference} is {claim.status}, not rejected")
    if kind is LetterKind.STATEMENT_OF_REASONS and (item is None or item.outcome not in ACTIONED):
        raise InvalidTransition("a statement of reasons concerns an item that was removed, disabled or geo-blocked")
    counter = _latest_counter(session, item.id) if item is not None and kind in ITEM_KINDS else None
    if kind is LetterKind.COUNTER_NOTICE_FORWARDED and (counter is None or counter.status not in FORWARDED_ONCE):
        raise InvalidTransition("the item has no forwarded counter-notice")
    if kind is LetterKind.RESTORATION:
        # Restored after a counter-notice, or with none: a complaint upheld (DSA Art. 20(4)) restores it too.
        if item is None or item.outcome is not ItemOutcome.RESTORED:
            raise InvalidTransition("the item has not been restored")
        return counter if counter is not None and counter.status is CounterNoticeStatus.RESTORED else None
    return counter


@dataclass(frozen=True)
class Draft:
    """A staff request checked and its HTML built from a read: rendered outside any write, then `record`ed."""

    claim_id: str
    item_id: str | None
    counter_notice_id: str | None
    kind: LetterKind
    template_version: str
    created_at: datetime
    html: str


def _letter(claim: Claim, kind: LetterKind, item: ClaimItem | None, counter: CounterNotice | None, now: datetime) -> Letter:
    return Letter(
        claim_id=claim.id,
        item_id=item.id if item else None,
        counter_notice_id=counter.id if counter else None,
        kind=kind,
        template_version=template_version(),
        status=LetterStatus.PENDING,
        attempts=0,
        created_at=now,
    )


def prepare(session: Session, actor: Account, claim_id: str, kind: str, item_id: str | None) -> Draft:
    """Checks and HTML of a letter staff ask for, from a read: no lock, no write turn held while it renders."""
    if actor.role is Role.RIGHTS_HOLDER:
        raise NotPermitted("only staff request letters")
    render.check_available()
    claim = repository.get_claim(session, actor, claim_id)
    letter_kind = LetterKind(kind)
    item = repository.get_item(claim, item_id) if item_id else None
    counter = _check_supported(session, claim, letter_kind, item)
    letter = _letter(claim, letter_kind, item, counter, utcnow())
    html = html_of(session, letter, get_settings())
    return Draft(claim.id, letter.item_id, letter.counter_notice_id, letter_kind, letter.template_version, letter.created_at, html)


def render_draft(draft: Draft) -> bytes:
    try:
        return render.pdf_from_html(draft.html)
    except Exception as exc:
        # Fonts or Pango broken at run time: say so (503) rather than fail with a 500; nothing is stored.
        log.exception("a %s letter for claim %s could not be rendered", draft.kind, draft.claim_id)
        raise render.RendererUnavailable(f"the letter could not be rendered: {type(exc).__name__}: {exc}") from exc


def record(session: Session, actor: Account, draft: Draft, pdf: bytes) -> Letter:
    """The short write after the render: re-checked under the claim's lock, numbered, stored. The HTML is built
    again (milliseconds): if the claim changed while the PDF was rendered, the PDF is not what the claim now says,
    and the request is a 409 to ask again rather than an archived letter that is already wrong."""
    claim = repository.get_claim(session, actor, draft.claim_id, for_update=True)
    item = repository.get_item(claim, draft.item_id) if draft.item_id else None
    counter = _check_supported(session, claim, draft.kind, item)
    letter = _letter(claim, draft.kind, item, counter, draft.created_at)
    letter.template_version = draft.template_version
    if html_of(session, letter, get_settings()) != draft.html:
        raise InvalidTransition(f"claim {claim.reference} changed while its {draft.kind} letter was rendered: ask again")
    letter.version = subscriber.next_version(session, claim.id, draft.kind, letter.item_id)
    letter.requested_by_id = actor.id
    session.add(letter)
    _finish(letter, pdf, utcnow())
    session.flush()
    return letter


def create(session: Session, actor: Account, claim_id: str, kind: str, item_id: str | None) -> Letter:
    """A letter staff ask for, rendered before answering, in one session (the CLI, tests); the API renders between
    a read and a short write (`prepare`, `render_draft`, `record`)."""
    draft = prepare(session, actor, claim_id, kind, item_id)
    return record(session, actor, draft, render_draft(draft))


# --- rendering --------------------------------------------------------------------------------------------------


def _restored_at(session: Session, counter: CounterNotice | None) -> datetime | None:
    return counter.updated_at if counter is not None and counter.status is CounterNoticeStatus.RESTORED else None


def html_of(session: Session, letter: Letter, settings: Settings) -> str:
    claim = session.scalars(select(Claim).where(Claim.id == letter.claim_id).options(*repository.FULL)).one()
    counter = session.get(CounterNotice, letter.counter_notice_id) if letter.counter_notice_id else None
    if counter is None and letter.item_id and letter.kind in ITEM_KINDS:
        counter = _latest_counter(session, letter.item_id)
        if letter.kind is LetterKind.RESTORATION and counter is not None and counter.status is not CounterNoticeStatus.RESTORED:
            counter = None  # restored without that counter-notice (a complaint upheld)
    ctx = context.build(
        letter, claim, counter, settings, restored_at=_restored_at(session, counter), notice_parts=_notice_parts(session, claim.id)
    )
    return render.html_for(letter.kind.value, ctx)


def _notice_parts(session: Session, claim_id: str) -> list[dict[str, Any]]:
    """The claims one notice was made into when it listed more URLs than a claim takes (`mailroom.parts`), in order,
    with the URLs each took (1-based, as the notice lists them); empty for a claim made alone. All are the notifier's
    own claims (one owner), so its letters may name them."""
    this, parts = repository.notice_parts(session, claim_id)
    if len(parts) < 2:
        return []
    out, first = [], 1
    for p in parts:
        out.append({"reference": p.reference, "part": p.part, "first": first, "last": first + p.items - 1, "this": p.part == this})
        first += p.items
    return out


def _finish(letter: Letter, pdf: bytes, now: datetime) -> None:
    letter.sha256 = archive.store(pdf)
    letter.size = len(pdf)
    letter.status = LetterStatus.RENDERED
    letter.rendered_at = now
    letter.attempts += 1
    letter.error = None


def mark_failed(letter: Letter, error: str) -> None:
    letter.attempts += 1
    letter.status = LetterStatus.FAILED
    letter.error = error[:2000]
    log.warning("letter %s (%s) failed to render (attempt %d): %s", letter.id, letter.kind, letter.attempts, error)


def due_ids(session: Session, limit: int) -> list[str]:
    """Pending letters, then failed ones still within their attempts, oldest first."""
    query = (
        select(Letter.id)
        .where((Letter.status == LetterStatus.PENDING) | ((Letter.status == LetterStatus.FAILED) & (Letter.attempts < MAX_ATTEMPTS)))
        .order_by(Letter.created_at, Letter.id)
        .limit(limit)
    )
    return list(session.scalars(query))


# --- reading ----------------------------------------------------------------------------------------------------


def visible_kinds(actor: Account) -> frozenset[LetterKind]:
    """Staff read every letter; a claim's owner those addressed to the notifier (not the uploader's statement)."""
    return frozenset(LetterKind) if actor.role is not Role.RIGHTS_HOLDER else context.NOTIFIER_KINDS


# Letter ids are ordered (time-sortable), so the id alone is the page key; the codec makes a junk cursor a 422.
BY_ID: paging.Keyset[Letter] = paging.Keyset(
    types=(str,), order=(Letter.id.asc(),), after=lambda last: Letter.id > last, key=lambda r: (r.id,)
)


def list_for_claim(
    session: Session, actor: Account, claim_id: str | Claim, cursor: str | None, limit: int = PAGE
) -> tuple[list[Letter], str | None]:
    claim = repository.readable(session, actor, claim_id)
    query = select(Letter).where(Letter.claim_id == claim.id, Letter.kind.in_(visible_kinds(actor)))
    return paging.paginate(session, query, BY_ID, cursor=cursor, limit=limit)


def get_letter(session: Session, actor: Account, letter_id: str) -> Letter:
    letter = session.get(Letter, letter_id)
    if letter is None or letter.kind not in visible_kinds(actor):
        raise NotFound(f"no letter {letter_id}")
    repository.get_claim(session, actor, letter.claim_id)  # another holder's letter: 404
    return letter


def pdf_bytes(session: Session, actor: Account, letter_id: str) -> tuple[Letter, bytes]:
    letter = get_letter(session, actor, letter_id)
    if letter.status is not LetterStatus.RENDERED or letter.sha256 is None:
        raise InvalidTransition(f"letter {letter_id} is {letter.status}: not rendered yet")
    return letter, archive.read_verified(letter.sha256, letter.id)


def day_bounds(start: date | None, end: date | None) -> tuple[datetime, datetime]:
    """The reports' rule (`http.date_range`): inclusive UTC dates, default the last 30 days, `from` after `to` a 422."""
    _start, _end, begin, stop = http.date_range(start, end)
    return begin, stop


def export_count(session: Session, start: date | None, end: date | None, kind: LetterKind | None) -> int:
    lo, hi = day_bounds(start, end)
    query = (
        select(func.count())
        .select_from(Letter)
        .where(Letter.status == LetterStatus.RENDERED, Letter.created_at >= lo, Letter.created_at < hi)
    )
    if kind is not None:
        query = query.where(Letter.kind == kind)
    return int(session.scalar(query) or 0)


def exportable(
    session: Session, start: date | None, end: date | None, kind: LetterKind | None, batch: int = 500
) -> Iterator[tuple[Letter, str]]:
    """Rendered letters created in the range, with their claim's reference, read in keyset batches so memory stays
    flat however many there are."""
    lo, hi = day_bounds(start, end)
    last = ""
    while True:
        query = (
            select(Letter, Claim.reference)
            .join(Claim, Claim.id == Letter.claim_id)
            .where(Letter.status == LetterStatus.RENDERED, Letter.created_at >= lo, Letter.created_at < hi, Letter.id > last)
            .order_by(Letter.id)
            .limit(batch)
        )
        if kind is not None:
            query = query.where(Letter.kind == kind)
        rows = session.execute(query).all()
        yield from ((letter, reference) for letter, reference in rows)
        if len(rows) < batch:
            return
        last = rows[-1][0].id
        session.expunge_all()


def list_letters(
    session: Session, actor: Account, start: date | None, end: date | None, kind: LetterKind | None, cursor: str | None, limit: int = PAGE
) -> tuple[list[tuple[Letter, str]], str | None]:
    """Every letter created in the range (the export's dates), newest id last, with its claim's reference: staff only."""
    if actor.role is Role.RIGHTS_HOLDER:
        raise NotPermitted("the list of all letters is for staff")
    lo, hi = day_bounds(start, end)
    query = select(Letter).where(Letter.created_at >= lo, Letter.created_at < hi)
    if kind is not None:
        query = query.where(Letter.kind == kind)
    rows, next_cursor = paging.paginate(session, query, BY_ID, cursor=cursor, limit=limit)
    refs = dict(session.execute(select(Claim.id, Claim.reference).where(Claim.id.in_({r.claim_id for r in rows}))).tuples().all())
    return [(r, refs.get(r.claim_id, "")) for r in rows], next_cursor


def _event_token(letter: Letter) -> str:
    return (letter.dedupe_key or "").rsplit(":", 1)[-1]


def _addressed(kind: LetterKind, dedupe_key: str) -> bool:
    """Whether a mail goes to the letter's addressee. A letter's address block is one party's (letters.context): the
    uploader's for a statement of reasons, else the notifier's. Mail that both parties get (counter-notice
    forwarded, restoration) names its recipient last in its dedupe key; the uploader's copy carries no letter, or
    it would read the notifier's name, organisation, street and email."""
    to = dedupe_key.rsplit(":", 1)[-1]
    if to not in (TO_NOTIFIER, TO_UPLOADER):
        return True  # mail to one party only: its letter is addressed to that party
    return to == (TO_UPLOADER if kind is LetterKind.STATEMENT_OF_REASONS else TO_NOTIFIER)


def owed_letter(session: Session, claim_id: str | None, kind: str, dedupe_key: str) -> Letter | None:
    """The owed letter a mail reports, in whatever state: same claim and kind, and the same fact — the event (or,
    for a restoration, the counter-notice) named in both dedupe keys; its latest request. None if the mail reports
    no letter."""
    if claim_id is None or kind not in LetterKind.__members__.values() or not _addressed(LetterKind(kind), dedupe_key):
        return None
    tokens = set(dedupe_key.split(":"))
    candidates = session.scalars(
        select(Letter)
        .where(Letter.claim_id == claim_id, Letter.kind == LetterKind(kind), Letter.dedupe_key.is_not(None))
        .order_by(Letter.created_at.desc(), Letter.id.desc())
    )
    for letter in candidates:
        token = _event_token(letter)
        if token == "once" or token in tokens or (letter.counter_notice_id and letter.counter_notice_id in tokens):
            return letter
    return None


def letter_for_message(session: Session, claim_id: str | None, kind: str, dedupe_key: str) -> Letter | None:
    """The owed letter a mail reports, once rendered (None while it is not)."""
    letter = owed_letter(session, claim_id, kind, dedupe_key)
    return letter if letter is not None and letter.status is LetterStatus.RENDERED else None


def holds_mail(letter: Letter | None) -> bool:
    """Mail that carries a letter waits for it: while it is pending, or failed with attempts left. A letter failed
    for good, or a machine that cannot render at all (no Pango), lets the mail go without it: the law's deadlines
    run on the mail, and the letter can be asked for again."""
    if letter is None or not render.available():
        return False
    return letter.status is LetterStatus.PENDING or (letter.status is LetterStatus.FAILED and letter.attempts < MAX_ATTEMPTS)


def attachment(letter: Letter | None) -> tuple[str, bytes] | None:
    """The PDF a mail carries: its rendered letter's verified bytes, or nothing (an altered file is never sent)."""
    if letter is None or letter.status is not LetterStatus.RENDERED or letter.sha256 is None:
        return None
    try:
        data = archive.read_verified(letter.sha256, letter.id)
    except archive.LetterIntegrityError:
        return None
    return f"{letter.kind.value}-{letter.id}.pdf", data
