"""SMTP command lines are held to a command's length while DATA lines keep the message's (`inbox._Server`).

The inbox takes a DATA line as long as the message may be (an HTML body on one line). The same stream limit applied to
command lines too, so a client sending one long line of `EHLO`, `MAIL FROM` or junk had the server buffer it up to
that limit (IPCLAIMS_MAX_NOTICE_BYTES, twice that before the socket is paused), per connection, before the 500 came.
End to end over a real socket; the server's buffer is looked at where it lives (aiosmtpd's stream reader)."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterator

import pytest

from ipclaims.config import get_settings
from ipclaims.mailroom.inbox import COMMAND_LINE_LIMIT, Inbox
from tests.mailroom.helpers import notice_text
from tests.mailroom.smtp import AGENT, claims, free_port, rows, wait_for

SENDER = "dana.reyes@lumenphoto.example"


@pytest.fixture
def running(env: dict[str, str], set_env: Callable[..., None]) -> Iterator[tuple[Inbox, int]]:
    set_env(IPCLAIMS_INBOX_ADDRESSES=AGENT)  # the default size limit, 5 MB
    port = free_port()
    server = Inbox(get_settings(), "127.0.0.1", port, interval=0.2)
    server.start()
    yield server, port
    server.stop()


class Client:
    """A bare SMTP client on a socket: smtplib refuses to send a line this long, and waits for whole replies."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.pending = b""
        assert self.reply().startswith("220")

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def reply(self) -> str:
        """One reply, its lines joined (a multiline reply's lines are `250-...` until `250 ...`)."""
        lines = []
        while True:
            while b"\r\n" not in self.pending:
                chunk = self.sock.recv(65536)
                if not chunk:
                    raise AssertionError(f"connection closed; had {lines!r}")
                self.pending += chunk
            line, self.pending = self.pending.split(b"\r\n", 1)
            lines.append(line.decode())
            if len(line) < 4 or line[3:4] != b"-":
                return "\n".join(lines)

    def command(self, line: str) -> str:
        self.send(line.encode() + b"\r\n")
        return self.reply()

    def close(self) -> None:
        self.sock.close()


def _html_notice_on_one_line(size: int) -> bytes:
    body = "<p>" + "</p><p>".join(notice_text(SENDER).split("\n\n", 1)[1].splitlines()) + "</p>"
    body += "<p>" + "Reference material " * ((size - len(body)) // 19) + "</p>"
    headers = notice_text(SENDER).split("\n\n", 1)[0].replace("\n", "\r\n")
    return f"{headers}\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{body}\r\n".encode()


def test_a_100_kb_ehlo_line_is_refused_and_the_connection_goes_on(running: tuple[Inbox, int]) -> None:
    _, port = running
    client = Client(port)
    try:
        started = time.monotonic()
        assert client.command("EHLO " + "x" * 100_000).startswith("500 ")
        assert client.command("FOO" + "y" * 100_000).startswith("500 ")  # junk: the same
        assert time.monotonic() - started < 5
        assert client.command("EHLO client.example").startswith("250")
        assert client.command(f"MAIL FROM:<{SENDER}>").startswith("250")
        assert client.command(f"RCPT TO:<{AGENT}>").startswith("250")
        assert client.command("QUIT").startswith("221")
    finally:
        client.close()


def test_a_command_line_over_the_limit_is_refused_and_one_within_it_is_taken(running: tuple[Inbox, int]) -> None:
    _, port = running
    client = Client(port)
    try:
        assert client.command("EHLO client.example").startswith("250")
        # SMTPUTF8 and SIZE parameters on a long address: within aiosmtpd's own bound (512 and the extensions' slack)
        local = "d" * 64
        assert client.command(f"MAIL FROM:<{local}@lumenphoto.example> SIZE=1000 SMTPUTF8").startswith("250")
        assert client.command("RCPT TO:<" + "r" * (COMMAND_LINE_LIMIT + 10) + "@platform.example>").startswith("500 ")
        assert client.command("NOOP").startswith("250")
    finally:
        client.close()


def test_a_long_command_line_is_not_buffered_but_a_long_data_line_is_taken(running: tuple[Inbox, int]) -> None:
    server, port = running
    client = Client(port)
    try:
        assert client.command("EHLO client.example").startswith("250")
        assert client.command(f"MAIL FROM:<{SENDER}>").startswith("250")
        assert client.command(f"RCPT TO:<{AGENT}>").startswith("250")
        assert client.command("DATA").startswith("354")
        message = _html_notice_on_one_line(300_000)
        assert max(len(line) for line in message.split(b"\r\n")) > 300_000
        client.send(message + b".\r\n")
        assert client.reply().startswith("250 2.0.0 OK: queued as ")
        # After that DATA, on the same connection: 3 MB of a command line with no end, well within the message's limit.
        smtpd = server.controller.smtpd
        assert smtpd is not None
        buffer = smtpd._reader._buffer
        client.send(b"MAIL FROM:<" + b"m" * 3_000_000)
        peak, deadline = 0, time.monotonic() + 1.0
        while time.monotonic() < deadline and peak < 3_000_000:  # the server reads 3 MB over loopback in far less
            peak = max(peak, len(buffer))
            time.sleep(0.002)
        assert peak < 2 * COMMAND_LINE_LIMIT + 300_000  # a read's chunk beyond the limit at most, not the line
        assert client.command(">").startswith("500 ")  # the line ends: refused
        assert client.command("QUIT").startswith("221")
    finally:
        client.close()
    wait_for(lambda: len(claims()) == 1)
    (row,) = rows()
    assert row.raw == message  # the 300 kB line whole
