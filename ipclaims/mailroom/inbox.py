"""`ipclaims inbox`: the designated agent's SMTP inbox (aiosmtpd), each accepted message a claim.

Never loses a message: DATA is stored in `source_message` (status `received`) and committed before the 250 reply;
a sweep then reads each `received` row, holding no transaction (`ahead`: the email parse and the reading take
seconds for a large message, which must not hold the write turn every writer waits for), and makes it a claim in one
transaction that also marks the row `parsed`. A crash before that commit leaves the row `received` for the next
sweep (the inbox sweeps when it starts); a row is taken by a conditional update, so two sweeps never make two claims
of it. A message that cannot become a claim is marked `failed` with the reason (in the same transaction) and stays
for staff (`GET /api/v1/notices/messages?status=failed`), who may read it and try it again through the same path
(`POST /api/v1/notices/messages/{id}/retry`).

Not every message is a notice (`arrival`): automatic mail (bounces, out-of-office replies, list mail) is kept
`failed` and never answered, so the inbox and a responder cannot loop; a copy of a message that made a claim is that
claim (`duplicate`); a reply from a claim's notifier to one of its letters is linked to it and cures it (`reply`).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from dataclasses import dataclass, field
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, syntax
from sqlalchemy.exc import SQLAlchemyError

from ipclaims.config import Settings
from ipclaims.db import session_scope
from ipclaims.mailroom import ahead, service
from ipclaims.models import SourceStatus

log = logging.getLogger(__name__)
SWEEP_INTERVAL_S = 30.0  # also woken by every accepted message
# RFC 5321 § 4.5.3.1.4: a command line is at most 512 octets; aiosmtpd allows a few more for the parameters of
# extensions (SIZE, SMTPUTF8) and refuses a longer line itself. This bounds what it buffers of one before refusing it.
COMMAND_LINE_LIMIT = 2048


@dataclass
class Swept:
    parsed: int = 0
    failed: int = 0
    replies: int = 0  # linked to the claim they answer
    duplicates: int = 0  # copies of a message that made a claim
    waiting: int = 0  # left `received` (the database was unavailable): the next sweep tries again


def sweep(settings: Settings, *, limit: int = 100) -> Swept:
    """Read every `received` message (up to `limit`) into a claim, one transaction each (`service.read_stored`: the
    claim and the row marked `parsed`, or the row marked `failed` with the reason), each read before its transaction
    (`ahead`)."""
    done = Swept()
    with session_scope(write=False) as session:
        ids = service.pending_ids(session, limit)
    for message_id in ids:
        try:
            with session_scope(write=False) as session:
                planned = ahead.plan(session, message_id)
            if planned is None:
                continue  # another sweep has it
            read = planned.read_now()  # no transaction open
            with session_scope() as session:
                row = service.take(session, message_id)
                if row is None:
                    continue  # another sweep took it meanwhile
                status = service.read_stored(session, row, settings, ahead=read).status
        except SQLAlchemyError:
            log.exception("inbox: message %s stays received; the database refused", message_id)
            done.waiting += 1
            continue
        if status is SourceStatus.PARSED:
            done.parsed += 1
        elif status is SourceStatus.REPLY:
            done.replies += 1
        elif status is SourceStatus.DUPLICATE:
            done.duplicates += 1
        else:
            done.failed += 1
    return done


def store(raw: bytes, envelope: dict[str, Any]) -> str:
    with session_scope() as session:
        return service.store_received(session, raw, envelope).id


@dataclass
class Handler:
    """aiosmtpd's handler: RCPT restricted to the configured addresses, DATA stored before it is acknowledged."""

    settings: Settings
    wake: threading.Event = field(default_factory=threading.Event)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]) -> str:
        allowed = self.settings.inbox_address_set
        if allowed and address.strip().lower() not in allowed:
            return "550 5.1.1 no such mailbox here: this server takes mail for the designated agent only"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        if len(raw) > self.settings.max_notice_bytes:
            return "552 5.3.4 message size exceeds the fixed maximum message size"
        facts = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "peer": str(session.peer[0]) if session.peer else None,
            "helo": session.host_name,
        }
        try:
            stored = await asyncio.get_running_loop().run_in_executor(None, store, bytes(raw), facts)
        except Exception:
            log.exception("inbox: could not store a message; the sender is told to retry")
            return "451 4.3.0 the message could not be stored; try again later"
        self.wake.set()
        return f"250 2.0.0 OK: queued as {stored}"


class _Server(SMTP):
    """aiosmtpd's server taking DATA lines as long as the message may be. RFC 5321 § 4.5.3.1.6 caps a line at 1,000
    octets, but real senders break it (an HTML body on one line; a client writing bare LF, so the whole message is one
    line on the wire), and "500 Line too long" bounced their notices back to them. The message's size limit still holds.

    A command line keeps a command's limit (`COMMAND_LINE_LIMIT`): aiosmtpd reads every line through one stream reader
    whose limit is what it buffers of a line before refusing it, and with the message's limit there a client could
    have the server hold a command line of megabytes (twice the limit before the socket is paused) on every connection
    before its "500 Command line too long". The reader keeps the command's limit and takes the message's only while
    DATA is read; a longer command line is read away in chunks of that limit and refused as before."""

    def __init__(self, handler: Any, *, line_limit: int, **kwargs: Any) -> None:
        self.line_length_limit = COMMAND_LINE_LIMIT  # read by SMTP.__init__ for its stream reader's limit
        super().__init__(handler, **kwargs)
        self.line_length_limit = line_limit  # the DATA line's, taken by the reader in smtp_DATA

    @syntax("DATA")
    async def smtp_DATA(self, arg: str) -> None:
        _limit_lines(self._reader, self.line_length_limit)
        try:
            await super().smtp_DATA(arg)
        finally:
            _limit_lines(self._reader, COMMAND_LINE_LIMIT)


def _limit_lines(reader: asyncio.StreamReader, limit: int) -> None:
    """The limit `readuntil` refuses a longer line at, and the reader pauses the socket at twice of. asyncio has no
    setter for it; CPython's reader reads `_limit` on every call, so it may change between lines."""
    reader._limit = limit  # type: ignore[attr-defined]


class _Controller(Controller):
    def __init__(self, handler: Any, *, line_limit: int, **kwargs: Any) -> None:
        super().__init__(handler, **kwargs)
        self.line_limit = line_limit

    def factory(self) -> SMTP:
        return _Server(self.handler, line_limit=self.line_limit, **self.SMTP_kwargs)


class Inbox:
    """The SMTP server (a thread of aiosmtpd's) and the sweeper thread that turns stored messages into claims."""

    def __init__(self, settings: Settings, host: str, port: int, *, interval: float = SWEEP_INTERVAL_S) -> None:
        self.handler = Handler(settings)
        self.settings = settings
        self.interval = interval
        self.controller = _Controller(
            self.handler,
            line_limit=settings.max_notice_bytes + 2,  # a line of the whole message and its CRLF
            hostname=host,
            port=port,
            data_size_limit=settings.max_notice_bytes,
            ident="ipclaims inbox",
        )
        self._stopping = threading.Event()
        self._sweeper = threading.Thread(target=self._sweep_forever, name="inbox-sweeper", daemon=True)

    def start(self) -> None:
        self.controller.start()
        self._sweeper.start()

    def stop(self) -> None:
        self.controller.stop()
        self._stopping.set()
        self.handler.wake.set()
        self._sweeper.join(timeout=30)

    def _sweep_forever(self) -> None:
        while not self._stopping.is_set():
            try:
                swept = sweep(self.settings)
                if swept.parsed or swept.failed or swept.replies or swept.duplicates:
                    log.info(
                        "inbox: %d message(s) made claims, %d replies linked, %d copies, %d failed",
                        swept.parsed,
                        swept.replies,
                        swept.duplicates,
                        swept.failed,
                    )
            except Exception:
                log.exception("inbox: sweep failed; trying again")
            self.handler.wake.wait(self.interval)
            self.handler.wake.clear()
