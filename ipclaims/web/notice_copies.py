"""The import page's duplicates: a message that already made a claim (by the inbox, the API, a file import or this
page) is that claim, as `ipclaims notices import` and the inbox take it (docs/contract-additions.md "Duplicates").

The reading page says so and links the claim; a second claim of the message, with its own reference and letters, is
made only when staff tick the box that names the earlier claim. The check is `mailroom.service.claimed_before`
(the same bytes, else the same Message-ID, sender and text within the resend window), then `mailroom.forwarded`
(a forward of a notice that made a claim, or the notice a forward made a claim of), asked again in the transaction
that makes the claim; text pasted from a mail client has LF line ends where the inbox keeps the message's CRLF.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from ipclaims.db import run_read
from ipclaims.errors import Conflict
from ipclaims.mailroom import forwarded, reading, service
from ipclaims.models import Claim, SourceMessage

FIELD = "second_claim"  # the box's value is the earlier claim's id: it makes a second claim of that message only
CHANNELS = {"api": "the API", "file": "a file import", "smtp": "the inbox (email)", "web": "the import page"}


def earlier(session: Session, read: reading.Read, *, lock: bool) -> tuple[SourceMessage, str] | None:
    """The stored message that made a claim the notice is a copy of, or a forward of, or the notice of; with how."""
    source = read.source
    found = service.claimed_before(session, source.raw, lock=lock)
    if found is None and source.media_type == reading.PLAIN and not source.filename and b"\r" not in source.raw:
        found = service.claimed_copy(session, source.raw.replace(b"\n", b"\r\n"), lock=lock)  # pasted text
    if found is not None:
        same = found.raw == source.raw or found.raw == source.raw.replace(b"\n", b"\r\n")
        return found, "the same message" if same else "a copy of the message (the same Message-ID and text, from the same sender)"
    carried = forwarded.claimed(session, read, lock=lock)
    return (carried.row, _forward(carried)) if carried is not None else None


def _forward(found: forwarded.Found) -> str:
    how = "another forward of the message this one forwards" if found.theirs.forwarded else "the message this one forwards"
    if not found.mine.forwarded:
        how = "a forward of this message"
    by_id = found.mine.content is not None and found.theirs.content is not None
    return f"{how} (the same sender, {'Message-ID' if by_id else 'date'} and text)"


def _shown(session: Session, row: SourceMessage, how: str) -> dict[str, Any]:
    claim = session.get(Claim, row.claim_id)
    assert claim is not None  # the row is deleted with its claim
    return {
        "claim_id": claim.id,
        "reference": claim.reference,
        "status": claim.status.value,
        "how": how,
        "channel": CHANNELS.get(row.channel, row.channel),
        "stored": row.created_at.replace(tzinfo=row.created_at.tzinfo or UTC).astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


async def context(read: reading.Read, form: FormData | None = None) -> dict[str, Any]:
    """The page's `duplicate` (None: no earlier claim) and whether the box is ticked."""
    if read.reading.kind != "claim":
        return {"duplicate": None, "second_claim": False}

    def look(session: Session) -> dict[str, Any] | None:
        found = earlier(session, read, lock=False)
        return _shown(session, *found) if found is not None else None

    duplicate = await run_read(look)
    ticked = duplicate is not None and form is not None and form.get(FIELD) == duplicate["claim_id"]
    return {"duplicate": duplicate, "second_claim": ticked}


class AlreadyMade(Conflict):
    """The message made a claim before: a 409 whose detail says it all (`staff.explain` adds no generic words)."""

    whole = True


def refuse_unless_chosen(session: Session, read: reading.Read, form: FormData) -> None:
    """In the transaction that makes the claim: a Conflict when the message already made one and staff did not
    tick the box naming that claim."""
    found = earlier(session, read, lock=True)
    if found is None or form.get(FIELD) == found[0].claim_id:
        return
    row = found[0]
    claim = session.get(Claim, row.claim_id)
    reference = claim.reference if claim is not None else str(row.claim_id)
    raise AlreadyMade(
        f"this message already made claim {reference}: no second claim was made. Open that claim, or tick "
        "“Make a second claim of this message” to make another, with its own reference and letters."
    )
