"""Shared bits of the end-to-end mail tests: our inbox on a free port, a server that catches the mail the worker
sends, and waiting for the sweeper."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from sqlalchemy import select

from ipclaims.config import get_settings
from ipclaims.db import session_scope
from ipclaims.mailroom.inbox import Inbox
from ipclaims.models import Claim, OutboxMessage, SourceMessage

AGENT = "copyright-agent@platform.example"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def inbox() -> Iterator[int]:
    """`ipclaims inbox` on a free port (the settings as the test set them); yields the port."""
    port = free_port()
    server = Inbox(get_settings(), "127.0.0.1", port, interval=0.2)
    server.start()
    try:
        yield port
    finally:
        server.stop()


class Catcher:
    """An SMTP server that keeps what it is sent: where the worker delivers the claim's letters."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((list(envelope.rcpt_tos), bytes(envelope.original_content or envelope.content)))
        return "250 OK"

    def parsed(self) -> list[EmailMessage]:
        out = []
        for _, raw in self.messages:
            msg = message_from_bytes(raw, policy=policy.default)
            assert isinstance(msg, EmailMessage)
            out.append(msg)
        return out


@contextmanager
def catcher() -> Iterator[tuple[Catcher, int]]:
    caught = Catcher()
    port = free_port()
    controller = Controller(caught, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield caught, port
    finally:
        controller.stop()


def wait_for(predicate: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


def rows() -> list[SourceMessage]:
    with session_scope(write=False) as s:
        found = list(s.scalars(select(SourceMessage).order_by(SourceMessage.created_at, SourceMessage.id)))
        s.expunge_all()
        return found


def claims() -> list[Claim]:
    with session_scope(write=False) as s:
        found = list(s.scalars(select(Claim).order_by(Claim.created_at)))
        s.expunge_all()
        return found


def outbox() -> list[OutboxMessage]:
    with session_scope(write=False) as s:
        found = list(s.scalars(select(OutboxMessage).order_by(OutboxMessage.created_at, OutboxMessage.id)))
        s.expunge_all()
        return found
