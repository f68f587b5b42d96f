"""`format=flowed` plain text (RFC 3676) is read as its sender wrote it. A probe sent a notice as Apple Mail does,
`format=flowed; delsp=yes`, where the client breaks a long URL with a space it adds: read as sent, the claim reported
"https://platform.example/u/lifter/" (the URL cut at the break) and the work's URL lost its end."""

from __future__ import annotations

import time

import pytest

from ipclaims.notices import parse_message, read_notice
from ipclaims.notices.flowed import unflow

HEAD = "From: Olek Marsh <olek@inkmarsh.example>\r\nSubject: Notice\r\nDate: Tue, 01 Dec 2026 09:30:00 +0000\r\nMIME-Version: 1.0\r\n"
COPY = "https://platform.example/u/lifter/posts/2026/heron-in-fog-final-version"


def flowed(body: str, params: str = "format=flowed; delsp=yes") -> bytes:
    return f"{HEAD}Content-Type: text/plain; charset=utf-8; {params}\r\n\r\n{body}".replace("\r\n", "\n").replace("\n", "\r\n").encode()


# DelSp=yes: a break at a word boundary keeps the sender's space and adds one; a break inside a URL adds only its own.
NOTICE = (
    'I own the copyright in my drawing "Heron in Fog", published at  \n'
    "https://inkmarsh.example/heron. A copy is posted without my permission  \n"
    "at https://platform.example/u/lifter/ \n"
    "posts/2026/heron-in-fog-final- \n"
    "version\n"
    "\n"
    "I have a good faith belief that this use is not authorized by the  \n"
    "copyright owner, its agent, or the law.\n"
    "I swear, under penalty of perjury, that this notice is accurate and  \n"
    "that I am the copyright owner.\n"
    "\n"
    "Olek Marsh, 4 Mill Lane, Leeds LS1 4AB, UK, olek@inkmarsh.example\n"
    "/s/ Olek Marsh\n"
)


def test_a_url_the_client_broke_with_delsp_is_read_whole() -> None:
    text = parse_message(flowed(NOTICE)).text
    assert COPY in text
    reading = read_notice(text)
    assert [i["url"] for i in reading.fields["items"]] == [COPY]
    assert {j.status for j in reading.judgements} == {"present"}


def test_soft_breaks_are_joined_and_hard_breaks_kept() -> None:
    text = parse_message(flowed(NOTICE)).text
    assert "I have a good faith belief that this use is not authorized by the copyright owner, its agent, or the law.\n" in text
    assert "\nOlek Marsh, 4 Mill Lane, Leeds LS1 4AB, UK, olek@inkmarsh.example\n/s/ Olek Marsh" in text


def test_without_delsp_the_space_at_a_soft_break_stays() -> None:
    text = parse_message(flowed("a notice about my \ndrawing, sent from \nThunderbird.\n", "format=flowed")).text
    assert text == "a notice about my drawing, sent from Thunderbird."


def test_a_message_that_is_not_flowed_keeps_its_lines() -> None:
    body = "a notice about my \ndrawing.\n"
    assert parse_message(flowed(body, "format=fixed")).text == "a notice about my \ndrawing."


@pytest.mark.parametrize(
    ("sent", "read"),
    [
        (" From the owner\n", "From the owner"),  # space-stuffed
        ("> quoted and \n> joined\n>> deeper \n>> too\nmine\n", "> quoted and joined\n>> deeper too\nmine"),
        ("> a quote that \nends here\n", "> a quote that \nends here"),  # no joining across depths
        ("Olek \n-- \nsignature\n", "Olek \n-- \nsignature"),  # the separator is a hard line (and ends the paragraph)
        (">\n> \n", ">\n>\n"),
    ],
)
def test_rfc_3676_lines(sent: str, read: str) -> None:
    assert unflow(sent, delsp=False).rstrip("\n") == read.rstrip("\n")


def test_a_flowed_reply_over_its_quoted_notice_is_read_as_before() -> None:
    quoted = "".join(f"> {line}\n" if line else ">\n" for line in NOTICE.splitlines())
    body = "Did you get this? \nIt is still up.\n\nOn Tue, 1 Dec 2026, Olek Marsh wrote:\n" + quoted
    text = parse_message(flowed(body)).text
    assert COPY in text
    assert text.startswith("I own the copyright")


def test_a_long_flowed_paragraph_is_unflowed_in_linear_time() -> None:
    """One paragraph of 400,000 soft lines (2 MB, under the notice size limit): each soft line copied the paragraph so
    far (12 s for 1.6 MB; about 75 s at the 5 MB limit, holding the inbox's one sweeper)."""
    text = "ab \n" * 500_000 + "end\n"
    started = time.perf_counter()
    assert unflow(text, delsp=True) == "ab" * 500_000 + "end\n"
    assert time.perf_counter() - started < 5.0
