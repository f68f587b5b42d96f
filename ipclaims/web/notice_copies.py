"""The import page's duplicates: a message that already made a claim (by the inbox, the API, a file import or this
page) is that claim, as `ipclaims notices import` and the inbox take it (docs/contract-additions.md "Duplicates").

The reading page says so and links the claim; a second claim of the message, with its own reference and letters, is
made only when staff tick the box that names the earlier claim. The check is `mailroom.service.claimed_before`
(the same bytes, else the same Message-ID, sender and text within the resend window), asked again in the transaction
that makes the claim; text pasted from a mail client has LF line ends where the inbox keeps the message's CRLF.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from ipclaims.db import run_read
from ipclaims.errors import Conflict
from ipclaims.mailroom import reading, service
from ipclaims.models import Claim, SourceMessage

FIELD = "second_claim"  # the box's value is the earlier claim's id: it makes a second claim of that message only
CHANNELS = {"api": "the API", "file": "a file import", "smtp": "the inbox (email)", "web": "the import page"}


def earlier(session: Session, source: reading.Source, *, lock: bool) -> SourceMessage | None:
    """The stored message the notice is a copy of that made a claim, or None."""
    found = service.claimed_before(session, source.raw, lock=lock)
    if found is None and source.media_type == reading.PLAIN and not source.filename and b"\r" not in source.raw:
        found = service.claimed_copy(session, source.raw.replace(b"\n", b"\r\n"), lock=lock)  # pasted text
    return found


def _shown(session: Session, row: SourceMessage, source: reading.Source) -> dict[str, Any]:
    claim = session.get(Claim, row.claim_id)
    assert claim is not None  # the row is deleted with its claim
    same = row.raw == source.raw or row.raw == source.raw.replace(b"\n", b"\r\n")
    return {
        "claim_id": claim.id,
        "reference": claim.reference,
        "status": claim.status.value,
        "how": "the same message" if same else "a copy of the message (the same Message-ID and text, from the same sender)",
        "channel": CHANNELS.get(row.channel, row.channel),
        "stored": row.created_at.replace(tzinfo=row.created_at.tzinfo or UTC).astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


async def context(read: reading.Read, form: FormData | None = None) -> dict[str, Any]:
    """The page's `duplicate` (None: no earlier claim) and whether the box is ticked."""
    if read.reading.kind != "claim":
        return {"duplicate": None, "second_claim": False}

    def look(session: Session) -> dict[str, Any] | None:
        row = earlier(session, read.source, lock=False)
        return _shown(session, row, read.source) if row is not None else None

    duplicate = await run_read(look)
    ticked = duplicate is not None and form is not None and form.get(FIELD) == duplicate["claim_id"]
    return {"duplicate": duplicate, "second_claim": ticked}


class AlreadyMade(Conflict):
    """The message made a claim before: a 409 whose detail says it all (`staff.explain` adds no generic words)."""

    whole = True


def refuse_unless_chosen(session: Session, source: reading.Source, form: FormData) -> None:
    """In the transaction that makes the claim: a Conflict when the message already made one and staff did not
    tick the box naming that claim."""
    row = earlier(session, source, lock=True)
    if row is None or form.get(FIELD) == row.claim_id:
        return
    claim = session.get(Claim, row.claim_id)
    reference = claim.reference if claim is not None else str(row.claim_id)
    raise AlreadyMade(
        f"this message already made claim {reference}: no second claim was made. Open that claim, or tick "
        "“Make a second claim of this message” to make another, with its own reference and letters."
    )
