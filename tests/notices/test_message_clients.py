"""parse_message on what mail clients, relays and PDF makers do to a notice: CRLF line ends (SMTP), Outlook's marker
told as a forward or a reply, the forwarded block's date as Gmail, Outlook and Apple Mail print it, text in
Windows-1252 or UTF-16 with no charset said, and a URL wrapped across lines by a PDF's layout."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta, timezone
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pytest
from pypdf import PdfReader

from ipclaims.mailroom.reading import received_at
from ipclaims.notices import parse_message, read_notice
from ipclaims.notices.dates import parse_date
from tests.notices.pdfs import laid_out_pdf, pdf_with_lines

FIXTURES = Path(__file__).parent / "fixtures"
ORIGINAL = "legal@bluefin.example.net"
FORWARDED_DATE = datetime(2026, 11, 2, 17, 40, tzinfo=UTC)
NOTICE = (
    "Dear Designated Agent,\n\n"
    'Bluefin Games Ltd. owns the copyright in the game "Harbour Lights" (https://bluefin.example.net/harbour-lights).\n'
    "The following repository copies its source code without permission:\n"
    "https://github.com/copycat/harbour-lights-leak\n\n"
    "I have a good faith belief that use of the material in the manner complained of is not authorized by the "
    "copyright owner, its agent, or the law.\n"
    "I swear, under penalty of perjury, that the information in this notification is accurate and that I am "
    "authorized to act on behalf of the owner of an exclusive right that is allegedly infringed.\n\n"
    "You can reach me at legal@bluefin.example.net or +44 20 7946 0000.\n\nSincerely,\nMarta Quill\n"
)


def forward(block: str, *, mark: str = "---------- Forwarded message ---------", outer_date: str | None = None) -> str:
    """The support desk's inline forward of Marta Quill's notice, as a client writes it (LF line ends)."""
    head = "From: Front Desk <desk@platform.example>\nTo: dmca-agent@platform.example\nSubject: Fwd: notice\n"
    if outer_date:
        head += f"Date: {outer_date}\n"
    block = f"From: Marta Quill <{ORIGINAL}>\n{block}Subject: Original notice\nTo: <dmca-agent@platform.example>\n"
    return f"{head}\nFYI, see below.\n\n{mark}\n{block}\n{NOTICE}"


PACIFIC = timezone(timedelta(hours=-8))


# --- 1. line ends: a forward arriving by SMTP is CRLF ---------------------------------------------------------------


@pytest.mark.parametrize("eol", ["\n", "\r\n"], ids=["LF", "CRLF"])
@pytest.mark.parametrize(
    "raw",
    [
        (FIXTURES / "forwarded_inline.eml").read_bytes().decode(),  # quoted-printable
        forward("Date: Mon, 2 Nov 2026 17:40:00 +0000\n", outer_date="Tue, 03 Nov 2026 09:15:00 +0000"),
        forward("Date: Mon, 2 Nov 2026 17:40:00 +0000\n", mark="Begin forwarded message:"),
        forward("Date: Mon, 2 Nov 2026 17:40:00 +0000\n", mark="-----Original Message-----").split("\n\n", 1)[1],  # pasted, no headers
    ],
    ids=["eml-qp", "gmail", "apple", "pasted-text"],
)
def test_an_inline_forward_is_the_original_notice_whatever_the_line_ends(raw: str, eol: str) -> None:
    msg = parse_message(raw.replace("\n", eol).encode())
    assert msg.sender == ORIGINAL and msg.sender_name == "Marta Quill"
    assert msg.date == FORWARDED_DATE
    assert msg.text.startswith("Dear Designated Agent") and "FYI" not in msg.text and "\r" not in msg.text


@pytest.mark.parametrize("eol", ["\n", "\r\n"], ids=["LF", "CRLF"])
def test_a_reply_keeps_its_own_top_whatever_the_line_ends(eol: str) -> None:
    raw = (FIXTURES / "quoted_reply.eml").read_bytes().decode().replace("\n", eol).encode()
    msg = parse_message(raw)
    assert "unrelated-repo" not in msg.text and "wrote:" not in msg.text and "\r" not in msg.text


# --- 1b. Outlook's marker introduces a forward and a reply alike ---------------------------------------------------

OUTLOOK_MARK = "_" * 32
OUTLOOK_BLOCKS = {
    "en": f"From: Marta Quill <{ORIGINAL}>\nSent: Monday, November 2, 2026 12:00 PM\nTo: dmca-agent@platform.example\n"
    "Subject: Original notice\n",
    "de": f"Von: Marta Quill <{ORIGINAL}>\nGesendet: Montag, 2. November 2026 12:00\nAn: dmca-agent@platform.example\n"
    "Betreff: Original notice\n",
    "fr": f"De : Marta Quill <{ORIGINAL}>\nEnvoyé : lundi 2 novembre 2026 12:00\nÀ : dmca-agent@platform.example\n"
    "Objet : Original notice\n",
}
DESK = "From: Front Desk <desk@platform.example>\nTo: dmca-agent@platform.example\nDate: Tue, 3 Nov 2026 09:15:00 -0800\n"


def outlook(subject: str | None, top: str, block: str = OUTLOOK_BLOCKS["en"]) -> str:
    """A message whose top part is `top`, over Outlook's marker and Marta Quill's notice (no headers when `subject` is
    None: the body pasted as a text file)."""
    body = f"{top}\n\n{OUTLOOK_MARK}\n{block}\n{NOTICE}"
    return body if subject is None else f"{DESK}Subject: {subject}\n\n{body}"


@pytest.mark.parametrize("eol", ["\n", "\r\n"], ids=["LF", "CRLF"])
@pytest.mark.parametrize(
    "raw",
    [
        outlook("FW: notice", "FYI, see below.\n\nSam Okoro\nFront Desk, Platform Example"),
        outlook("Fwd: notice", "Sending this on: we got it this morning and the uploader says the files are their own."),
        outlook("WG: Hinweis", "Zur Kenntnis.", OUTLOOK_BLOCKS["de"]),
        outlook("TR: notification", "Pour info.", OUTLOOK_BLOCKS["fr"]),
        outlook("[EXTERNAL] FW: RE: notice", ""),
        outlook("DMCA notice", "Forwarding the notice below."),  # no prefix: only a forwarding remark above it
        outlook(None, "FYI"),
    ],
    ids=["fw", "fwd-with-a-note", "wg-de", "tr-fr", "tagged-fw-of-a-reply", "remark-only", "pasted-text"],
)
def test_an_outlook_forward_is_the_original_notice(raw: str, eol: str) -> None:
    msg = parse_message(raw.replace("\n", eol).encode())
    assert msg.sender == ORIGINAL and msg.sender_name == "Marta Quill" and msg.subject == "Original notice"
    assert msg.date is not None and msg.date.replace(tzinfo=None) == datetime(2026, 11, 2, 12, 0)
    assert msg.text.startswith("Dear Designated Agent") and OUTLOOK_MARK not in msg.text and "\r" not in msg.text


def outlook_html(subject: str, top: str) -> str:
    """Outlook's HTML-only forward: its separator is only a CSS border over the block, so the text shows the From:,
    Sent:, To:, Subject: lines with no marker line above them."""
    block = OUTLOOK_BLOCKS["en"].replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br>\n")
    notice = NOTICE.replace("\n\n", "</p>\n<p>").replace("\n", "<br>\n")
    html = (
        f"<html><body><p>{top}</p>\n"
        '<div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0in 0in 0in">\n'
        f"<p><b>{block}</b></p></div>\n<p>{notice}</p></body></html>\n"
    )
    return f"{DESK}Subject: {subject}\nMIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n{html}"


@pytest.mark.parametrize("eol", ["\n", "\r\n"], ids=["LF", "CRLF"])
@pytest.mark.parametrize("subject", ["FW: notice", "Fwd: notice", "WG: Hinweis"])
def test_an_outlook_html_forward_with_only_a_border_over_its_block_is_the_original_notice(subject: str, eol: str) -> None:
    msg = parse_message(outlook_html(subject, "FYI, see below.").replace("\n", eol).encode())
    assert msg.sender == ORIGINAL and msg.sender_name == "Marta Quill" and msg.subject == "Original notice"
    assert msg.date is not None and msg.date.replace(tzinfo=None) == datetime(2026, 11, 2, 12, 0)
    assert "Dear Designated Agent" in msg.text and "FYI" not in msg.text


@pytest.mark.parametrize("subject", ["RE: notice", "DMCA notice"])
def test_a_bare_outlook_block_is_a_forward_only_under_a_forwarding_subject(subject: str) -> None:
    """Without the forward's prefix, a From:/Sent:/To:/Subject: block in a body may be any correspondence the notice
    quotes: the message stays the one that came."""
    msg = parse_message(outlook_html(subject, REPLY.replace("\n", " ")).encode())
    assert msg.sender == "desk@platform.example"


FORWARD_BLOCK = OUTLOOK_BLOCKS["en"].replace("Subject: Original notice", "Subject: FW: Original notice")
REPLY = (
    "Thank you for your question. The repository https://github.com/copycat/harbour-lights-leak still copies our game;\n"
    "I confirm that I am authorised to act for Bluefin Games Ltd.\n\nMarta Quill"
)


@pytest.mark.parametrize("eol", ["\n", "\r\n"], ids=["LF", "CRLF"])
@pytest.mark.parametrize(
    "raw",
    [
        outlook("RE: notice", REPLY),
        outlook("AW: notice", "Danke."),  # a reply, however short its own text
        outlook("DMCA notice", REPLY),  # no prefix, and the top says more than a forwarding remark
        outlook(None, REPLY),
        # The quoted message was itself a forward: its block's "FW:" subject is not the message's own, so the block
        # is a reply's quoted history (as the marker said), not a bare forwarded block read under it.
        outlook("RE: FW: notice", REPLY, FORWARD_BLOCK),
        outlook("DMCA notice", REPLY, FORWARD_BLOCK),
        outlook(None, REPLY, FORWARD_BLOCK),
    ],
    ids=["re", "aw-short", "no-prefix", "pasted-text", "re-of-a-forward", "no-prefix-over-a-forward", "pasted-over-a-forward"],
)
def test_an_outlook_reply_is_no_forward(raw: str, eol: str) -> None:
    msg = parse_message(raw.replace("\n", eol).encode())
    assert msg.sender != ORIGINAL
    assert msg.text.startswith(("Thank you for your question", "Danke")) and "Dear Designated Agent" in msg.text
    if "From: Front Desk" in raw:
        assert msg.sender == "desk@platform.example" and msg.date == datetime(2026, 11, 3, 9, 15, tzinfo=PACIFIC)


def test_a_forwarded_outlook_reply_is_the_reply_not_the_message_it_quotes() -> None:
    quoted = (
        f"{OUTLOOK_MARK}\nFrom: Front Desk <desk@platform.example>\nSent: Monday, November 2, 2026 9:00 AM\n"
        "Subject: notice\n\nWhich repository?"
    )
    gmail = (
        f"---------- Forwarded message ---------\nFrom: Marta Quill <{ORIGINAL}>\nDate: Mon, 2 Nov 2026 17:40:00 +0000\n"
        "Subject: RE: notice\n"
    )
    raw = f"{DESK}Subject: Fwd: RE: notice\n\nFYI\n\n{gmail}\n{REPLY}\n\n{quoted}\n".replace("\n", "\r\n").encode()
    msg = parse_message(raw)
    assert msg.sender == ORIGINAL and msg.date == FORWARDED_DATE
    assert msg.text.startswith("Thank you for your question") and "Which repository?" in msg.text


def test_an_outlook_html_forward_of_a_reply_is_the_reply_forwarded() -> None:
    """Under the forward's own "FW:" subject, the first block is what was forwarded, though its Subject says "Re:"
    (the forwarded message was a reply): its sender, not the forwarder, sent the notice; the bare block under it is
    that reply's quoted history."""
    reply_block = (
        "From: Lee Park <lee@studio.example>\nSent: Monday, November 2, 2026 1:00 PM\nTo: desk@platform.example\n"
        "Subject: Re: Original notice\n"
    )
    for top in (f"{OUTLOOK_MARK}\n{reply_block}", reply_block):
        raw = f"{DESK}Subject: FW: notice\n\nFYI\n\n{top}\n{REPLY}\n\n{OUTLOOK_BLOCKS['en']}\n{NOTICE}"
        msg = parse_message(raw.encode())
        assert msg.sender == "lee@studio.example" and msg.subject == "Re: Original notice"
        assert msg.text.startswith("Thank you for your question") and "Dear Designated Agent" in msg.text


# --- 2. the forwarded block's date ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Mon, 2 Nov 2026 17:40:00 +0000", datetime(2026, 11, 2, 17, 40, tzinfo=UTC)),
        ("Mon, 2 Nov 2026 09:40:00 -0800 (PST)", datetime(2026, 11, 2, 17, 40, tzinfo=UTC)),
        ("Mon, 2 Nov 2026 17:40:00 -0000", datetime(2026, 11, 2, 17, 40, tzinfo=UTC)),
        ("Mon, 2 Nov 26 17:40 GMT", datetime(2026, 11, 2, 17, 40, tzinfo=UTC)),
        ("Mon, Nov 2, 2026 at 12:00 PM", datetime(2026, 11, 2, 12, 0)),
        ("Mon, Nov 2, 2026 at 1:05\u202fPM", datetime(2026, 11, 2, 13, 5)),
        ("Mon, Nov 2, 2026 at 12:30 AM", datetime(2026, 11, 2, 0, 30)),
        ("Mon, Nov 2, 2026 at 17:40", datetime(2026, 11, 2, 17, 40)),
        ("Monday, November 2, 2026 1:00 PM", datetime(2026, 11, 2, 13, 0)),
        ("Monday, 2 November 2026 13:00", datetime(2026, 11, 2, 13, 0)),
        ("November 2, 2026 at 12:00:00 PM EST", datetime(2026, 11, 2, 17, 0, tzinfo=UTC)),
        ("2 November 2026 at 12:00:00 GMT+1", datetime(2026, 11, 2, 11, 0, tzinfo=UTC)),
        ("Mo., 2. Nov. 2026 um 12:00 Uhr", datetime(2026, 11, 2, 12, 0)),
        ("lun. 2 nov. 2026 à 12:00", datetime(2026, 11, 2, 12, 0)),
        ("2026-11-02 17:40:00+00:00", datetime(2026, 11, 2, 17, 40, tzinfo=UTC)),
    ],
)
def test_a_date_is_read_in_the_shapes_clients_print(value: str, expected: datetime) -> None:
    date = parse_date(value)
    assert date == expected and (date.tzinfo is None) == (expected.tzinfo is None)


@pytest.mark.parametrize(
    "value", ["", "yesterday", "Mon, Nov 31, 2026 at 12:00 PM", "Mon, Nov 2, 2026 at 13:00 PM", "11/2/2026 12:00 PM", "x" * 500]
)
def test_what_is_no_date_reads_as_none(value: str) -> None:
    assert parse_date(value) is None


@pytest.mark.parametrize(
    ("block", "mark"),
    [
        ("Date: Mon, Nov 2, 2026 at 12:00 PM\n", "---------- Forwarded message ---------"),
        ("Date: Mon, Nov 2, 2026 at 12:00\u202fPM\n", "---------- Forwarded message ---------"),
        ("Sent: Monday, November 2, 2026 12:00 PM\n", "-----Original Message-----"),
        ("Date: November 2, 2026 at 12:00:00 PM PST\n", "Begin forwarded message:"),
        ("Date: Mon, 2 Nov 2026 20:00:00 +0000\n", "---------- Forwarded message ---------"),
        ("Datum: Mo., 2. Nov. 2026 um 12:00 Uhr\n", "---------- Weitergeleitete Nachricht ----------"),
    ],
    ids=["gmail", "gmail-narrow-space", "outlook", "apple", "rfc2822", "gmail-de"],
)
@pytest.mark.parametrize("eol", ["\n", "\r\n"], ids=["LF", "CRLF"])
def test_an_inline_forward_is_dated_by_the_original_placed_in_the_forwarders_zone(block: str, mark: str, eol: str) -> None:
    raw = forward(block, mark=mark, outer_date="Tue, 3 Nov 2026 09:15:00 -0800").replace("\n", eol).encode()
    msg = parse_message(raw)
    assert msg.sender == ORIGINAL and msg.subject == "Original notice"
    assert msg.date == datetime(2026, 11, 2, 12, 0, tzinfo=PACIFIC)
    assert msg.date is not None and msg.date.utcoffset() is not None
    now = datetime(2026, 11, 3, 18, 0, tzinfo=UTC)
    assert received_at(msg, now) == datetime(2026, 11, 2, 20, 0, tzinfo=UTC)  # the contract's rule, unchanged


def test_a_gmail_date_with_no_forward_date_around_it_is_utc() -> None:
    msg = parse_message(forward("Date: Mon, Nov 2, 2026 at 12:00 PM\n").encode())
    assert msg.date == datetime(2026, 11, 2, 12, 0, tzinfo=UTC)


def attached(inner_date: str | None) -> bytes:
    """The same notice forwarded as an attachment (message/rfc822)."""
    inner = EmailMessage(policy=default)
    inner["From"] = f"Marta Quill <{ORIGINAL}>"
    inner["Subject"] = "Original notice"
    if inner_date:
        inner["Date"] = inner_date
    inner.set_content(NOTICE)
    outer = EmailMessage(policy=default)
    outer["From"] = "Front Desk <desk@platform.example>"
    outer["Subject"] = "Fwd: notice"
    outer["Date"] = "Tue, 3 Nov 2026 09:15:00 -0800"
    outer.set_content("FYI, see attached.")
    outer.add_attachment(inner)
    return outer.as_bytes()


@pytest.mark.parametrize(
    ("inner_date", "expected"),
    [
        ("Mon, 2 Nov 2026 17:40:00 +0000", datetime(2026, 11, 2, 17, 40, tzinfo=UTC)),
        (None, datetime(2026, 11, 3, 9, 15, tzinfo=PACIFIC)),  # the original shows no date: the forward's
        ("no date at all", datetime(2026, 11, 3, 9, 15, tzinfo=PACIFIC)),
        ("Mon, 2 Nov 2037 17:40:00 +0000", datetime(2026, 11, 3, 9, 15, tzinfo=PACIFIC)),  # after the forward: misread
    ],
    ids=["dated", "undated", "unreadable", "after-the-forward"],
)
def test_attached_and_inline_forwards_take_the_same_date(inner_date: str | None, expected: datetime) -> None:
    inline = forward(f"Date: {inner_date}\n" if inner_date else "", outer_date="Tue, 3 Nov 2026 09:15:00 -0800")
    dates = {parse_message(attached(inner_date)).date, parse_message(inline.encode()).date}
    assert dates == {expected}


def test_an_implausible_original_date_gives_the_arrival_time_as_the_contract_says() -> None:
    msg = parse_message(forward("Date: Thu, 1 Jan 1969 00:00:00 +0000\n", outer_date="Tue, 3 Nov 2026 09:15:00 -0800").encode())
    assert msg.date == datetime(1969, 1, 1, tzinfo=UTC)
    now = datetime(2026, 11, 3, 18, 0, tzinfo=UTC)
    assert received_at(msg, now) == now


# --- 3. text in a legacy charset, or UTF-16, with no charset said ----------------------------------------------------

LATIN = "Ich, José Müller, besitze das Foto – „Hafen“ – https://example.org/hafen.jpg; die Kopie: https://github.com/x/y\n"


@pytest.mark.parametrize(
    "raw",
    [
        LATIN.encode("cp1252"),
        LATIN.encode("utf-8"),
        LATIN.encode("utf-8-sig"),
        LATIN.encode("utf-16"),  # with its BOM (Windows Notepad's "Unicode")
        "\ufeff".encode("utf-16-be") + LATIN.encode("utf-16-be"),
    ],
    ids=["cp1252", "utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom"],
)
def test_a_text_file_is_decoded_whatever_its_encoding(raw: bytes) -> None:
    assert parse_message(raw).text == LATIN.strip()


def test_latin_1_bytes_are_read_as_windows_1252() -> None:
    assert parse_message("Müller, ©, ½ and more text".encode("latin-1")).text == "Müller, ©, ½ and more text"


@pytest.mark.parametrize("content_type", [None, "text/plain", "text/plain; charset=us-ascii"])
def test_a_part_with_no_usable_charset_is_decoded_like_a_text_file(content_type: str | None) -> None:
    head = "From: José Müller <jm@example.org>\nSubject: Urheberrecht – Müller\nDate: Tue, 03 Nov 2026 09:15:00 +0000\n"
    if content_type:
        head += f"MIME-Version: 1.0\nContent-Type: {content_type}\nContent-Transfer-Encoding: 8bit\n"
    msg = parse_message((head + "\n" + LATIN).encode("cp1252"))
    assert msg.text == LATIN.strip()
    assert msg.sender_name == "José Müller" and msg.subject == "Urheberrecht – Müller" and msg.sender == "jm@example.org"


def test_a_declared_charset_is_believed() -> None:
    raw = "From: a@b.example\nSubject: x\nContent-Type: text/plain; charset=iso-8859-2\n\nKolář owns the photo.\n".encode("iso-8859-2")
    assert parse_message(raw).text == "Kolář owns the photo."


def test_a_message_saved_with_a_byte_order_mark_keeps_its_headers() -> None:
    raw = "\ufeffFrom: José Müller <jm@example.org>\nSubject: Hafen\n\nDer Text der Meldung.\n"
    for encoded in (raw.encode("utf-8"), raw.encode("utf-16")):
        msg = parse_message(encoded)
        assert (msg.sender, msg.sender_name, msg.text) == ("jm@example.org", "José Müller", "Der Text der Meldung.")


# --- 4. a URL wrapped by a PDF's layout -----------------------------------------------------------------------------


def with_pdf(pdf: bytes, body: str = "Please find our notice attached.") -> bytes:
    msg = EmailMessage(policy=default)
    msg["From"] = "agent@rights.example.org"
    msg["Subject"] = "Notice attached"
    msg.set_content(body)
    msg.add_attachment(pdf, maintype="application", subtype="pdf", filename="notice.pdf")
    return msg.as_bytes()


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["Infringing copy at https://videos.example.com/watch/", "pdf2"], "https://videos.example.com/watch/pdf2\n"),
        (["https://videos.example.com/watch/", "pdf2 is the copy."], "https://videos.example.com/watch/pdf2 is the copy."),
        (["https://", "videos.example.com/watch/pdf2"], "https://videos.example.com/watch/pdf2\n"),
        (["https://videos.example.com/watch?v=", "Harbour and more"], "https://videos.example.com/watch?v=Harbour and more"),
        (["https://videos.example.com/pdf2-harbour-", "lights-full-"], "https://videos.example.com/pdf2-harbour-lights-full-\n"),
        (["https://videos.exam", "ple.com/watch/pdf2"], "https://videos.example.com/watch/pdf2\n"),
        (["https://videos.example.com/watch/", "a" * 30], "https://videos.example.com/watch/" + "a" * 30),
        (["https://videos.example.com/", "watch/", "pdf2/", "full"], "https://videos.example.com/watch/pdf2/\nfull"),
    ],
    ids=["path", "path-then-prose", "scheme", "query", "hyphens", "mid-host", "long-run", "three-lines"],
)
def test_a_url_wrapped_by_the_pdf_layout_is_joined(lines: list[str], expected: str) -> None:
    text = parse_message(with_pdf(pdf_with_lines(*lines))).text
    assert expected in text + "\n"


@pytest.mark.parametrize(
    "lines",
    [
        ["https://videos.example.com/watch/pdf2", "Please remove it."],
        ["https://videos.example.com/watch/", "and the copy below it"],
        ["https://videos.example.com/watch/pdf2", "https://videos.example.com/watch/pdf3"],
        ["https://videos.example.com/watch/pdf2/", "www.example.org/pdf3"],
        ["1. https://videos.example.com/watch/pdf2/", "2. https://videos.example.com/watch/pdf3"],
        ["https://videos.example.com/watch/pdf2/", "(c) 2026 Bluefin"],
        ["https://videos.example.com/watch/pdf2/", "12"],  # a page number
        ["See https://videos.example.com/watch/pdf2.", "e.g. the intro"],
        ["https://videos.example.com/watch/pdf2", " indented/2"],
    ],
    ids=["prose", "lowercase-prose", "another-url", "www", "list", "parenthesis", "page-number", "sentence-end", "indented"],
)
def test_a_line_after_a_url_that_does_not_continue_it_stays_a_line(lines: list[str]) -> None:
    text = parse_message(with_pdf(pdf_with_lines(*lines))).text
    assert lines[0] in [line.rstrip() for line in text.splitlines()]


def test_only_pdf_text_is_joined_not_the_senders_own_line_breaks() -> None:
    body = "The copy:\nhttps://videos.example.com/watch/\npdf2\n"
    assert "https://videos.example.com/watch/\npdf2" in parse_message(with_pdf(pdf_with_lines("Notice"), body)).text


def test_urls_a_real_layout_wraps_are_read_whole() -> None:
    urls = [
        "https://github.com/copycat/harbour-lights-leak/blob/main/src/engine/renderer/water_reflection_shader_v2.glsl",
        "https://github.com/copycat/harbour-lights-leak/tree/0a1b2c3d4e5f60718293a4b5c6d7e8f901234567/assets",
        "https://github.com/copycat/harbour-lights-leak/releases/download/v2.0.1/harbour-lights-full-source-1080p.zip",
    ]
    pdf = laid_out_pdf(
        'Bluefin Games Ltd. owns the copyright in the game "Harbour Lights". The copies are at:',
        *urls,
        "Please remove them. I have a good faith belief that this use is not authorized.",
    )
    laid_out = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert not any(url in laid_out for url in urls)  # the layout wrapped every one of them...
    text = parse_message(with_pdf(pdf)).text
    assert [item["url"] for item in read_notice(text).fields["items"]] == urls  # ...and each is read whole
