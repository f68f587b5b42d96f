"""parse_message: the .eml fixtures (multipart, HTML-only, QP, base64, forwarded, quoted reply), a PDF attachment and
hostile input, which is refused as Unreadable or parsed, never another exception."""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pytest

from ipclaims.notices import Unreadable, parse_message, read_notice
from ipclaims.notices.message import MAX_BYTES
from tests.notices.pdfs import pdf_with_lines

FIXTURES = Path(__file__).parent / "fixtures"
NOTICE_DATE = datetime(2026, 11, 3, 9, 15, tzinfo=UTC)
FORWARDED_DATE = datetime(2026, 11, 2, 17, 40, tzinfo=UTC)


def load(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.mark.parametrize(
    "name",
    ["multipart_alternative.eml", "html_only.eml", "quoted_printable.eml", "base64.eml", "quoted_reply.eml"],
)
def test_each_encoding_yields_the_notice_text_sender_and_date(name: str) -> None:
    msg = parse_message(load(name))
    assert msg.sender == "legal@bluefin.example.net"
    assert msg.sender_name == "Marta Quill"
    assert msg.date == NOTICE_DATE
    assert (msg.subject and msg.subject.startswith("Notice")) or msg.subject == "Re: notice"
    assert "https://github.com/copycat/harbour-lights-leak" in msg.text
    assert "penalty of perjury" in msg.text
    reading = read_notice(msg.text)
    assert {j.code: j.status for j in reading.judgements} == dict.fromkeys(
        [
            "signature",
            "work_identification",
            "material_location",
            "contact_information",
            "good_faith_statement",
            "accuracy_authority_statement",
        ],
        "present",
    )


def test_html_only_keeps_lines_and_drops_script_and_style() -> None:
    text = parse_message(load("html_only.eml")).text
    assert "alert(" not in text and "color: red" not in text
    assert "\nMarta Quill" in text
    assert "https://github.com/copycat/harbour-lights-leak\n" in text


def test_charsets_are_decoded() -> None:
    assert "Marta Quíll" in parse_message(load("quoted_printable.eml")).text
    assert "Marta Quill ✓" in parse_message(load("base64.eml")).text


@pytest.mark.parametrize("name", ["forwarded_rfc822.eml", "forwarded_inline.eml"])
def test_a_forwarded_notice_is_the_notice_with_its_own_sender_and_date(name: str) -> None:
    msg = parse_message(load(name))
    assert msg.sender == "legal@bluefin.example.net"
    assert msg.date == FORWARDED_DATE
    assert "Forwarding the notice below" not in msg.text and "FYI" not in msg.text
    assert msg.text.startswith("Dear Designated Agent")


def test_quoted_reply_history_is_kept_out_of_the_notice() -> None:
    msg = parse_message(load("quoted_reply.eml"))
    assert "unrelated-repo" not in msg.text
    urls = [item["url"] for item in read_notice(msg.text).fields["items"]]
    assert urls == [
        "https://github.com/copycat/harbour-lights-leak",
        "https://github.com/copycat/harbour-lights-leak/blob/main/src/engine.c",
    ]


def test_a_pdf_attachment_text_is_read() -> None:
    msg = EmailMessage(policy=default)
    msg["From"] = "agent@rights.example.org"
    msg["To"] = "dmca@platform.example"
    msg["Subject"] = "Notice attached"
    msg["Date"] = "Tue, 03 Nov 2026 09:15:00 +0000"
    msg.set_content("Please find our notice attached.")
    msg.add_attachment(
        pdf_with_lines("Infringing copy at https://github.com/pdfcase/copied-repo"),
        maintype="application",
        subtype="pdf",
        filename="notice.pdf",
    )
    parsed = parse_message(msg.as_bytes())
    assert parsed.attachments == ("notice.pdf",)
    assert "https://github.com/pdfcase/copied-repo" in parsed.text


def test_plain_text_bytes_are_a_message_too() -> None:
    msg = parse_message(b"I own the photo at https://example.org/a.jpg; the copy is at https://github.com/x/y.\n")
    assert msg.sender is None and "https://github.com/x/y" in msg.text


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"   \n\t ",
        bytes(range(256)) * 40,
        b"\x00\x01\x02binary\xff\xfe" * 1000,
        b"x" * (MAX_BYTES + 1),
    ],
    ids=["empty", "blank", "all-bytes", "nul-binary", "over-10MB"],
)
def test_hostile_input_is_unreadable(raw: bytes) -> None:
    with pytest.raises(Unreadable):
        parse_message(raw)


def _nested(depth: int) -> bytes:
    head = b"From: a@b.example\r\nTo: c@d.example\r\nSubject: nest\r\nMIME-Version: 1.0\r\n"
    body = b"Content-Type: text/plain\r\n\r\nthe innermost notice text\r\n"
    for level in range(depth):
        boundary = b"b%d" % level
        body = b'Content-Type: multipart/mixed; boundary="%s"\r\n\r\n--%s\r\n%s\r\n--%s--\r\n' % (boundary, boundary, body, boundary)
    return head + body


def test_a_hundred_deep_multipart_is_refused_not_crashed() -> None:
    with pytest.raises(Unreadable):
        parse_message(_nested(100))


def test_a_shallow_nesting_is_read() -> None:
    assert "the innermost notice text" in parse_message(_nested(3)).text


@pytest.mark.parametrize(
    "raw",
    [
        b'From: a@b.example\r\nSubject: x\r\nContent-Type: multipart/mixed; boundary="zz"\r\n\r\n--zz\r\n'
        b"Content-Type: text/plain; charset=no-such-charset\r\n\r\nhello there notice\r\n--zz",
        b"From: a@b.example\r\nSubject: x\r\nContent-Transfer-Encoding: base64\r\nContent-Type: text/plain\r\n\r\n!!!not base64!!!\r\n",
        b"From: a@b.example\r\nSubject: x\r\nContent-Type: text/html\r\n\r\n<p><<<script>unclosed <b>bold <a href='javascript:x'>text</a>",
        b"From: a@b.example\r\nSubject: x\r\nContent-Type: application/pdf\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQKYnJva2Vu\r\n",
        b'From: "\r\nDate: not a date at all\r\nSubject: =?utf-8?q?broken?=\r\n\r\nbody text of the notice\r\n',
    ],
    ids=["bad-charset", "bad-base64", "bad-html", "broken-pdf", "bad-headers"],
)
def test_malformed_messages_are_parsed_or_unreadable(raw: bytes) -> None:
    try:
        msg = parse_message(raw)
    except Unreadable:
        return
    assert isinstance(msg.text, str) and msg.text.strip()
