"""The bound on a message's parts (`MAX_PARTS`) holds before the email parser reads it: a scan of the bytes counts
the delimiter lines of the boundaries the message declares. The parser took ~50 s over a 3.7 MB message of 100,000
tiny parts before the walk of its parts refused it; the scan refuses it in milliseconds, in the same words."""

from __future__ import annotations

import time
from typing import Any

import pytest

from ipclaims.notices import Unreadable, parse_message
from ipclaims.notices import message as message_module
from ipclaims.notices.mailhead import MAX_PARTS, too_many_parts

HEAD = "From: Dana Reyes <dana.reyes@lumenphoto.example>\nSubject: Notice\nMIME-Version: 1.0\n"
TEXT = "A copy of my photograph is at https://platform.example/p/1 without my permission."
TOO_MANY = "the message nests too deeply or has too many parts"


def _parts(n: int, *, crlf: bool = False, boundary: str = "b", declared: str | None = None) -> bytes:
    """A multipart/mixed message of one text part and `n - 1` empty ones: `n` parts under its root."""
    declared = declared if declared is not None else boundary
    raw = f"{HEAD}Content-Type: multipart/mixed; boundary={declared}\n\n--{boundary}\n\n{TEXT}\n" + f"--{boundary}  \n\n" * (n - 1)
    raw += f"--{boundary}--\n"
    return (raw.replace("\n", "\r\n") if crlf else raw).encode()


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The email parser's calls, each the size of what it was given."""
    calls: list[int] = []
    real = message_module._parse_email

    def watched(raw: bytes) -> Any:
        calls.append(len(raw))
        return real(raw)

    monkeypatch.setattr(message_module, "_parse_email", watched)
    return calls


@pytest.mark.parametrize("crlf", [False, True])
def test_a_message_of_as_many_parts_as_the_reader_takes_is_read(parsed: list[int], crlf: bool) -> None:
    assert parse_message(_parts(MAX_PARTS - 1, crlf=crlf)).text == TEXT  # with its root, MAX_PARTS parts
    assert len(parsed) == 1


@pytest.mark.parametrize("crlf", [False, True])
@pytest.mark.parametrize("n", [MAX_PARTS, 20_000])
def test_one_part_more_is_refused_before_the_parser_reads_it(parsed: list[int], crlf: bool, n: int) -> None:
    started = time.monotonic()
    with pytest.raises(Unreadable, match=TOO_MANY):
        parse_message(_parts(n, crlf=crlf))
    assert time.monotonic() - started < 1
    assert parsed == []


def test_a_quoted_boundary_is_counted_as_the_parser_reads_it(parsed: list[int]) -> None:
    with pytest.raises(Unreadable, match=TOO_MANY):
        parse_message(_parts(MAX_PARTS, boundary="=_Part 7.1", declared='"=_Part 7.1"'))
    assert parsed == []


def test_nested_multiparts_are_counted_part_by_part(parsed: list[int]) -> None:
    def nested(inner: int) -> bytes:
        alternative = "Content-Type: multipart/alternative; boundary=inner\n\n" + "--inner\n\nx\n" * inner + "--inner--\n"
        body = f"--outer\n\n{TEXT}\n--outer\n{alternative}--outer--\n"
        return f"{HEAD}Content-Type: multipart/mixed; boundary=outer\n\n{body}".encode()

    # The root, its two parts and the alternative's: 3 + inner.
    assert parse_message(nested(MAX_PARTS - 3)).text.startswith(TEXT)
    with pytest.raises(Unreadable, match=TOO_MANY):
        parse_message(nested(MAX_PARTS - 2))
    assert len(parsed) == 1


def test_delimiter_lines_of_no_declared_boundary_are_text(parsed: list[int]) -> None:
    """Lines that only look like delimiters (a plain message, a boundary never declared) make no parts."""
    plain = f"{HEAD}Content-Type: text/plain\n\n{TEXT}\n" + "--b\n" * (3 * MAX_PARTS)
    assert parse_message(plain.encode()).text.startswith(TEXT)
    other = _parts(3 * MAX_PARTS, boundary="b", declared="c")  # the body, whole, is what clients show
    assert TEXT in parse_message(other).text
    assert len(parsed) == 2


def test_parts_split_by_bare_carriage_returns_are_counted_as_the_parser_splits_them() -> None:
    """The email package also ends a line at a lone CR: delimiter lines after one are parts too (review)."""
    body = "".join("\r--b\rContent-Type: text/plain\r\rx\r" for _ in range(MAX_PARTS + 5)) + "\r--b--\r"
    raw = f"From: a@rights.example\r\nSubject: s\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n{body}".encode()
    assert too_many_parts(raw)


def test_a_boundary_given_as_an_rfc_2231_parameter_counts_every_delimiter_line() -> None:
    body = "".join("--bc\nContent-Type: text/plain\n\nx\n" for _ in range(MAX_PARTS + 5)) + "--bc--\n"
    raw = f'From: a@rights.example\nSubject: s\nContent-Type: multipart/mixed; boundary*0="b"; boundary*1="c"\n\n{body}'.encode()
    assert too_many_parts(raw)
