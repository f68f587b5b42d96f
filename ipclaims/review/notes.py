"""Notes on claims: internal (staff only) or shared with the notifier."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ipclaims.claims import repository
from ipclaims.errors import NotPermitted
from ipclaims.events import Action, record_event
from ipclaims.models import Account, Claim, ClaimNote, Role


def add_note(session: Session, actor: Account, claim_id: str, body: str, internal: bool) -> ClaimNote:
    claim = repository.get_claim(session, actor, claim_id)
    if actor.role is Role.RIGHTS_HOLDER and internal:
        raise NotPermitted("a notifier's note is always visible to staff and to the notifier; send internal=false")
    note = ClaimNote(claim_id=claim.id, author_id=actor.id, body=body, internal=internal)
    session.add(note)
    session.flush()
    record_event(
        session,
        claim_id=claim.id,
        actor=actor,
        subject_type="claim",
        subject_id=claim.id,
        action=Action.NOTE,
        reason=body[:500],
        data={"note_id": note.id},
        internal=internal,
    )
    return note


def list_notes(session: Session, actor: Account, claim_id: str | Claim) -> list[ClaimNote]:
    claim = repository.readable(session, actor, claim_id)
    query = select(ClaimNote).where(ClaimNote.claim_id == claim.id).order_by(ClaimNote.id)
    if actor.role is Role.RIGHTS_HOLDER:
        query = query.where(ClaimNote.internal.is_(False))
    return list(session.scalars(query))
