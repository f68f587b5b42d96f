"""Lines longer than RFC 5321's 1,000 octets reach the inbox from real senders (an HTML body on one line, a client that
writes bare LF so the whole message is one line on the wire). Answering "500 Line too long" bounced the notice back to
its sender; the inbox takes such a message, up to its size limit, and reads it like any other."""

from __future__ import annotations

import smtplib
from collections.abc import Callable

import pytest

from tests.mailroom.helpers import notice_text
from tests.mailroom.smtp import AGENT, claims, inbox, rows, wait_for


@pytest.mark.parametrize("eol", ["\r\n", "\n"], ids=["crlf", "bare-lf"])
def test_a_message_with_a_5000_character_line_is_accepted_and_read(env: dict[str, str], set_env: Callable[..., None], eol: str) -> None:
    set_env(IPCLAIMS_INBOX_ADDRESSES=AGENT)
    long_line = "Reference material: " + " ".join(f"chapter-{n}" for n in range(500))  # ~5,400 characters
    assert len(long_line) > 5000
    raw = (notice_text() + "\n" + long_line + "\n").replace("\n", eol).encode("utf-8")
    with inbox() as port, smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
        refused = smtp.sendmail("dana.reyes@lumenphoto.example", [AGENT], raw)
        assert refused == {}
        wait_for(lambda: len(claims()) == 1)
    (row,) = rows()
    # every byte kept, the long line whole (smtplib ends bare-LF data with a CRLF of its own)
    assert row.raw.replace(b"\r\n", b"\n").rstrip(b"\n") == raw.replace(b"\r\n", b"\n").rstrip(b"\n")


def test_a_line_beyond_the_size_limit_is_still_refused(env: dict[str, str], set_env: Callable[..., None]) -> None:
    set_env(IPCLAIMS_INBOX_ADDRESSES=AGENT, IPCLAIMS_MAX_NOTICE_BYTES="20000")
    raw = (notice_text() + "\n" + "x" * 30000 + "\n").replace("\n", "\r\n").encode("utf-8")
    with inbox() as port, smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
        smtp.ehlo()
        smtp.mail("dana.reyes@lumenphoto.example")  # no SIZE declared: the limit is met in the data
        smtp.rcpt(AGENT)
        code, _ = smtp.data(raw)
    assert 500 <= code < 600  # 500 "Line too long" or 552 "Too much mail data": permanent either way
    assert rows() == []
