"""A stored message read before the write that takes it: the inbox's sweep, a staff retry (the API's and
`ipclaims notices retry`).

Reading a message (the email parse and `read_notice`) takes seconds for a large one. Inside the write it held
SQLite's write turn, which every writer waits for (intake answered 500 after its 30 s busy timeout, the next SMTP
message 451), or on PostgreSQL the message's row. So it is read first, holding no transaction: `plan` looks, in a
read session, at what the message is (`arrival.sort`: a notice, a reply to which claim, a copy, mail kept unread);
`Ahead.read_now` reads it as that, with no session at all. The write then takes the row as before (`service.take`: a
conditional update, so of two sweeps, or a sweep and a retry, one reads it), sorts it again (its headers and a few
lookups) and uses the reading when it reads the message as it was read here: the same bytes, regime and kind. Should
that have changed meanwhile (a claim it now answers), the write reads it itself, as it always did. Nothing is
written before the write, so a crash (kill -9) leaves the message as it was stored: `received`, the next sweep's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from ipclaims.mailroom import arrival, reading, replies
from ipclaims.mailroom.reading import Read, Source
from ipclaims.models import SourceMessage, SourceStatus


def stored_source(row: SourceMessage) -> Source:
    """A stored message as the reader takes it: its bytes, as a message unless it was kept as pasted text (or as a
    document the import page read)."""
    return Source(row.raw, row.media_type if row.media_type in reading.MEDIA_TYPES else reading.RFC822)


@dataclass(frozen=True)
class Ahead:
    """How a stored message is read (`regime`, `kind`; `needed` False: it is not read at all, a copy or mail kept
    unread) and, once `read_now`, what it read as: the `Read`, or the exception reading it raised, which the write
    raises where reading it there would have (`service.read_stored` keeps the reason with the message)."""

    source: Source
    regime: str | None = None
    kind: str | None = None
    needed: bool = True
    outcome: Read | Exception | None = None
    # A reply to a claim: the letters it is read without (`reading.read_reply`); None: read as a notice.
    letters: tuple[str, ...] | None = None

    def read_now(self) -> Ahead:
        if not self.needed:
            return self
        try:
            if self.letters is not None:
                assert self.regime is not None
                outcome: Read | Exception = reading.read_reply(self.source, regime=self.regime, letters=self.letters)
            else:
                outcome = reading.read(self.source, regime=self.regime, kind=self.kind)
        except Exception as exc:  # an unreadable message (a 422, a 413) or a bug in the reader: the write says which
            outcome = exc
        return replace(self, outcome=outcome)

    def read(self, source: Source, *, regime: str | None = None, kind: str | None = None) -> Read:
        """`reading.read` for the write: the reading done ahead when it asks for the same one, else read now."""
        if self.outcome is None or (source, regime, kind) != (self.source, self.regime, self.kind):
            return reading.read(source, regime=regime, kind=kind)
        if isinstance(self.outcome, Exception):
            raise self.outcome
        return self.outcome

    def read_reply(self, source: Source, *, regime: str, letters: Sequence[str]) -> Read:
        """`reading.read_reply` for the write: the reading done ahead when it asks for the same one, else read now."""
        if self.outcome is None or self.letters is None or (source, regime, tuple(letters)) != (self.source, self.regime, self.letters):
            return reading.read_reply(source, regime=regime, letters=letters)
        if isinstance(self.outcome, Exception):
            raise self.outcome
        return self.outcome


def plan(session: Session, message_id: str, *, expected: SourceStatus = SourceStatus.RECEIVED, person: bool = False) -> Ahead | None:
    """How the message will be read, from a read session (`arrival.sort` as `service.read_stored` sorts it); None
    when it is not in status `expected` (another sweep, or a retry, has it; or no such message)."""
    row = session.get(SourceMessage, message_id)
    if row is None or row.status is not expected:
        return None
    source = stored_source(row)
    verdict = arrival.sort(session, row.raw, row.envelope, person=person, exclude=row.id)
    if verdict.error is not None or verdict.copy is not None:
        return Ahead(source, needed=False)
    if verdict.answer is not None and verdict.answer.claim is not None:
        claim = verdict.answer.claim
        return Ahead(source, regime=claim.regime, kind="claim", letters=replies.letters_for(session, claim))
    return Ahead(source, regime=row.regime)
