"""Mail that answers one of our letters: linked to the claim it is about, never a second claim.

Every letter's subject carries the claim's reference (the request for information asks the notifier to "reply to
this message quoting" it) and every letter leaves with a Message-ID naming its outbox row
(`notifications.outbox.message_id`). A message whose In-Reply-To or References names one of those rows, or whose
subject carries a reference, answers that claim. From the claim's notifier it is stored with the claim (`reply`),
and a `reply_received` event says what its reading would supply (`propose`) — for staff to apply with the notifier's
cure (`PATCH /api/v1/claims/{id}`), never by itself: its sender is only its `From` header, and its text quotes our
own letter. A notice made into several claims (`parts`) has one letter a part, and a sender answers one of them: the
reply is kept with the part it answers and told on every part's timeline, with what it would supply to each. From
anyone else, or naming no claim of ours, it is no notice either: `answer_error` says why, and the message is kept
`failed` for staff (a person may still retry it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from ipclaims import legal
from ipclaims.claims import notice, repository
from ipclaims.claims.schemas import ClaimPatch
from ipclaims.config import Settings
from ipclaims.errors import AppError
from ipclaims.events import Action, record_event
from ipclaims.http import merge_patch
from ipclaims.integrations import lookalike
from ipclaims.mailroom import reading, screen
from ipclaims.mailroom.repository import save as save_message
from ipclaims.models import (
    Account,
    AccountDomain,
    Claim,
    ClaimStatus,
    Complainant,
    MailSender,
    OutboxMessage,
    Role,
    SourceMessage,
    SourceStatus,
    utcnow,
)
from ipclaims.notifications.outbox import message_id

_RANK = {legal.ElementStatus.MISSING: 0, legal.ElementStatus.DEFICIENT: 1, legal.ElementStatus.PRESENT: 2}
_PATCHABLE = (*(k for k in ClaimPatch.model_fields if k != "items"), "items")


@dataclass(frozen=True)
class Answer:
    """The claim a message answers (None: it names a reference that is no claim here) and how it names it."""

    claim: Claim | None
    named: str


def answered(session: Session, raw: bytes) -> Answer | None:
    """The claim the message answers: one of our letters in its In-Reply-To or References first, else the first
    reference in its subject. None when it names neither (a letter of ours that is gone counts as not named)."""
    parsed = screen.headers(raw)
    for outbox_id in screen.answered_letters(parsed):
        claim_id = session.scalar(select(OutboxMessage.claim_id).where(OutboxMessage.id == outbox_id))
        claim = session.get(Claim, claim_id) if claim_id else None
        if claim is not None:
            return Answer(claim, f"it answers our letter {message_id(outbox_id)} about {claim.reference}")
    reference = screen.subject_reference(parsed)
    if reference is None:
        return None
    return Answer(session.scalar(select(Claim).where(Claim.reference == reference)), f"its subject names {reference}")


def from_notifier(session: Session, claim: Claim, sender: str | None) -> bool:
    """Whether `sender` (the `From` address, lower case) speaks for the claim: the owner's email, an address the
    owner's placeholder account was made for, the claim's complainant email (where its letters went), or an address
    at a domain verified for the owner (an active rights holder), as `owners.owner_for` finds owners."""
    if not sender:
        return False
    owner = session.get(Account, claim.owner_id)
    if owner is None:
        return False
    complainant = session.scalar(select(Complainant.email).where(Complainant.claim_id == claim.id))
    if sender in {a.strip().lower() for a in (owner.email, complainant) if a}:
        return True
    if session.scalar(select(exists().where(MailSender.address == sender, MailSender.account_id == owner.id))):
        return True
    domain = lookalike.sender_domain(sender)
    if domain is None or owner.role is not Role.RIGHTS_HOLDER or not owner.active:
        return False
    return bool(session.scalar(select(exists().where(AccountDomain.account_id == owner.id, AccountDomain.domain == domain))))


def answer_error(session: Session, answer: Answer, sender: str | None) -> str | None:
    """Why an answer is not linked to its claim (None: link it). About no claim of ours, or not from the claim's
    notifier: kept `failed` rather than made a new claim, whose letters would go to whoever wrote (a reply to
    someone else's letter, a forged subject); staff see it and may still make it a claim (retry)."""
    if answer.claim is None:
        return f"a reply about a claim that does not exist here ({answer.named}): no claim made, nothing sent"
    if not from_notifier(session, answer.claim, sender):
        return (
            f"a reply about {answer.claim.reference} ({answer.named}) from {sender or 'no sender address'}, who is not "
            "its notifier: not linked to it, no claim made, nothing sent"
        )
    return None


def _given(value: Any) -> Any:
    """What a reading states: values that say something. An object keeps the keys that do (a statement the reply does
    not make reads `false`, which is no statement that it is not made); None when nothing is left."""
    if isinstance(value, dict):
        kept = {k: v for k, v in ((k, _given(v)) for k, v in value.items()) if v is not None}
        return kept or None
    if isinstance(value, list):
        return value or None
    return None if value is None or value is False or value == "" else value


def reply_patch(claim: Claim, read: reading.Read, settings: Settings) -> dict[str, Any]:
    """The patch a reply makes to `claim`: each top-level field the reply states whose value (an object merged key by
    key, as PATCH merges it) makes an element of the claim better — missing to deficient or present, deficient to
    present — and none worse, judged by the regime's checker that judges the claim. So a reply supplies what the
    claim lacks and nothing else: a name in its signature block does not overwrite a complainant already given."""
    ctx = legal.CheckContext(platform_hosts=settings.platform_host_set)
    current = notice.to_notice(claim)
    before = {e.code: _RANK[e.status] for e in legal.check_claim(claim.regime, current, ctx).elements}
    body = reading.intake_body(read.reading)
    body["items"] = [{k: v for k, v in i.items() if k != "work"} for i in body.get("items") or [] if i.get("url")]
    patch: dict[str, Any] = {}
    for key in _PATCHABLE:
        value = _given(body.get(key))
        if value is None:
            continue
        trial = {**current, key: merge_patch(current.get(key), value) if isinstance(value, dict) else value}
        after = {e.code: _RANK[e.status] for e in legal.check_claim(claim.regime, trial, ctx).elements}
        if any(after[c] > before[c] for c in before) and all(after[c] >= before[c] for c in before):
            patch[key] = value
    return patch


def propose(
    session: Session, actor: Account, claim: Claim, read: reading.Read | None, settings: Settings, *, unread: str = "could not be read"
) -> tuple[list[str], str]:
    """What the reply would supply to `claim` (`reply_patch`), for staff to read — never applied by itself: its
    sender is only its `From` header, which anyone can write. It is read from the sender's own words only
    (`reading.read_reply`): a reply's text quotes our own letter, whose words ("good-faith belief", "under penalty of
    perjury") are no statement of the notifier's. Staff supplement the claim (`PATCH /api/v1/claims/{id}`) once they
    have read it. Returns the fields it would supply and the outcome, in words (`unread`: why `read` is None)."""
    if claim.status is not ClaimStatus.NEEDS_INFO:
        return [], f"nothing proposed: the claim is {claim.status.value}, not waiting for information"
    if read is None:
        return [], f"nothing proposed: the reply {unread}"
    patch = reply_patch(repository.get_claim(session, actor, claim.id), read, settings)
    if not patch:
        return [], "nothing proposed: the reply states nothing the claim lacks"
    return sorted(patch), f"it may supply {', '.join(sorted(patch))}: not applied, staff read it and supplement the claim"


@dataclass(frozen=True)
class Linked:
    row: SourceMessage
    claim: Claim
    proposed: list[str]
    outcome: str


def link(
    session: Session,
    actor: Account,
    answer: Answer,
    source: reading.Source,
    settings: Settings,
    *,
    sender: str | None,
    channel: str,
    row: SourceMessage | None = None,
    reader: reading.ReplyReader | None = None,
) -> Linked:
    """Store the reply with its claim (status `reply`; `row`: a message the inbox stored already) and record
    `reply_received` with what it would supply (`propose`), in the caller's transaction. `answer`: linkable (`answer_error`).
    `reader`: what reads it (`reading.read_reply`; the inbox's has read it before its write, `ahead`)."""
    claim = answer.claim
    assert claim is not None
    part, others = _other_parts(session, claim)
    unread = "could not be read"
    letters = letters_for(session, claim)
    try:
        read: reading.Read | None = (reader or reading.read_reply)(source, regime=claim.regime, letters=letters)
    except reading.NoOwnWords:
        read, unread = None, "has no words of its own, only our letter quoted"
    except AppError:
        read = None
    proposed, outcome = propose(session, actor, claim, read, settings, unread=unread)
    now = utcnow()
    _, subject, message = screen.headers_of(source.raw, row.envelope if row is not None else None)
    values: dict[str, Any] = {
        "claim_id": claim.id,
        "status": SourceStatus.REPLY,
        "media_type": read.source.media_type if read is not None else source.media_type,
        "sender": sender,
        "subject": subject,
        "message_id": message,
        "regime": claim.regime,
        "reading": {"reply_to": claim.reference, "named": answer.named, "proposed": proposed, "outcome": outcome},
        "error": None,
        "processed_at": now,
    }
    row = save_message(session, row, source, values, channel=channel, received_at=now)
    also = f"; on the timelines of the notice's other parts too ({', '.join(p.reference for p in others)})" if others else ""
    by = f"a reply by email from {sender or 'no sender address'}"
    for part_id in (claim.id, *(p.id for p in others)):
        if part_id == claim.id:
            part_proposed, reason = proposed, f"{by} ({answer.named}): {outcome}{also}"
        else:
            # The statements, signature and contact a reply gives are the notice's, not one part's: each part is told,
            # with what the reply would supply to it (its own elements may differ), so staff see the cure on every
            # part's timeline (nothing else changes: each part still expires unless staff apply it).
            part_claim = session.get(Claim, part_id)
            if part_claim is None:
                continue
            part_proposed, part_outcome = propose(session, actor, part_claim, read, settings, unread=unread)
            reason = f"{by} to the letters of {claim.reference}, part {part} of the same notice ({answer.named}): {part_outcome}"
        record_event(
            session,
            claim_id=part_id,
            actor=actor,
            subject_type="claim",
            subject_id=part_id,
            action=Action.REPLY_RECEIVED,
            reason=reason,
            data={"source_message_id": row.id, "proposed": part_proposed, "answered_claim_id": claim.id},
        )
    return Linked(row, claim, proposed, outcome)


LETTERS = 50  # the newest letters of a notice's claims a reply is compared with (a claim has a few)


def letters_for(session: Session, claim: Claim) -> tuple[str, ...]:
    """The bodies of the letters we sent about `claim` and the other claims of its notice (`parts`), newest first:
    what a reply to it quotes, and is read without (`reading.read_reply`)."""
    _, others = _other_parts(session, claim)
    query = (
        select(OutboxMessage.body)
        .where(OutboxMessage.claim_id.in_([claim.id, *(p.id for p in others)]))
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id)
        .limit(LETTERS)
    )
    return tuple(session.scalars(query))


def _other_parts(session: Session, claim: Claim) -> tuple[int, list[repository.NoticePart]]:
    """Which part of its notice `claim` is, and the other claims made of that notice (none for a claim made alone, or
    not from a message)."""
    part, made = repository.notice_parts(session, claim.id)
    return part, [p for p in made if p.id != claim.id]
