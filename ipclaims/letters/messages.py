"""What was sent about a claim, to whom, when, with which letter: staff see all; the owner what was sent to it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ipclaims.claims import repository
from ipclaims.jobs.outbox import messages_for
from ipclaims.letters.schemas import MessageOut, message_out
from ipclaims.models import Account, Letter, LetterKind, LetterStatus, Role

# An owed letter is requested in the same transaction as its mail, a moment after or before it.
SLACK = timedelta(seconds=5)


def _notifier_addresses(session: Session, actor: Account, claim_id: str) -> set[str]:
    claim = repository.get_claim(session, actor, claim_id)
    addresses = {actor.email.lower()} if actor.email else set()
    if claim.complainant is not None and claim.complainant.email:
        addresses.add(claim.complainant.email.lower())
    return addresses


def for_claim(session: Session, actor: Account, claim_id: str) -> list[MessageOut]:
    staff = actor.role is not Role.RIGHTS_HOLDER
    mine = _notifier_addresses(session, actor, claim_id)  # 404 for another holder's claim
    letters = list(session.scalars(select(Letter).where(Letter.claim_id == claim_id,
                                                        Letter.status == LetterStatus.RENDERED)
                                   .order_by(Letter.created_at)))
    kinds = {k.value for k in LetterKind}
    out = []
    for message in messages_for(session, claim_id):
        if not staff and message.to_addr.lower() not in mine:
            continue
        # The letter a message carries: the latest rendering of its kind made by the time it was sent.
        letter = None
        if message.kind in kinds:
            sent = message.sent_at or message.created_at
            letter = next((x for x in reversed(letters) if x.kind.value == message.kind and x.created_at <= sent + SLACK), None)
            if not staff and letter is not None and letter.kind is LetterKind.STATEMENT_OF_REASONS:
                letter = None
        out.append(message_out(message, letter))
    return out
