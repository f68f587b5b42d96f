"""What was sent about a claim, to whom, when, with which letter: staff see all; the owner what was sent to it."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ipclaims.claims import repository
from ipclaims.letters.schemas import MessageOut, message_out
from ipclaims.letters.service import letter_for_message
from ipclaims.models import Account, LetterKind, Role
from ipclaims.notifications.mail import TO_UPLOADER
from ipclaims.notifications.outbox import messages_for

# Mail that is only ever the uploader's (DOMAIN.md §4), whatever address it went to, and the uploader's copy of
# two-party mail (its dedupe key ends with the recipient role): never listed for the notifier.
UPLOADER_KINDS = frozenset({"statement_of_reasons", "counter_notice_deficient", "litigation_hold"})


def _notifier_addresses(session: Session, actor: Account, claim_id: str) -> set[str]:
    claim = repository.get_claim(session, actor, claim_id)
    addresses = {actor.email.lower()} if actor.email else set()
    if claim.complainant is not None and claim.complainant.email:
        addresses.add(claim.complainant.email.lower())
    return addresses


def for_claim(session: Session, actor: Account, claim_id: str) -> list[MessageOut]:
    staff = actor.role is not Role.RIGHTS_HOLDER
    mine = _notifier_addresses(session, actor, claim_id)  # 404 for another holder's claim
    out = []
    for message in messages_for(session, claim_id):
        if not staff and (
            (message.to_addr or "").lower() not in mine or message.kind in UPLOADER_KINDS or message.dedupe_key.endswith(f":{TO_UPLOADER}")
        ):
            continue
        letter = letter_for_message(session, claim_id, message.kind, message.dedupe_key)
        if not staff and letter is not None and letter.kind is LetterKind.STATEMENT_OF_REASONS:
            letter = None
        out.append(message_out(message, letter))
    return out
