"""A notice sent as an attached document under a one-line body ("Please see the attached notice."): a `.txt` file or
a Word `.docx`, as a PDF already was. A probe found both attachments skipped: the claim was made of the one line,
every element missing, and the deficiency letter asked the sender for everything the attachment said."""

from __future__ import annotations

import io
import re
import time
import zipfile
from email.message import EmailMessage
from email.policy import SMTP
from html import escape

import pytest

from ipclaims.notices import Unreadable, parse_message, read_notice
from ipclaims.notices.attached import MAX_DOCX_XML_BYTES, docx_text

NOTICE = (
    "To the designated agent,\n\n"
    'I own the copyright in my drawing "Heron in Fog", published at https://inkmarsh.example/heron.\n'
    "A copy is posted without my permission at https://platform.example/u/lifter/posts/77\n\n"
    "I have a good faith belief that this use is not authorized by the copyright owner, its agent, or the law.\n"
    "I swear, under penalty of perjury, that this notice is accurate and that I am the copyright owner.\n\n"
    "Olek Marsh, 4 Mill Lane, Leeds LS1 4AB, UK, +44 113 496 0000, olek@inkmarsh.example\n"
    "/s/ Olek Marsh\n"
)
DOCX_TYPE = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")


def docx(paragraphs: list[str], *, document: str | None = None) -> bytes:
    """A minimal Word document: one `w:p` a paragraph, the second run of each split where Word splits runs."""
    body = "".join(
        f'<w:p><w:pPr><w:jc w:val="left"/></w:pPr><w:r><w:t>{escape(p[:5])}</w:t></w:r>'
        f'<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{escape(p[5:])}</w:t></w:r></w:p>'
        for p in paragraphs
    )
    xml = document or (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>'
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("word/document.xml", xml)
    return buf.getvalue()


def mail(attach: tuple[bytes, str, str, str] | None, body: str | None = "Please see the attached notice.\n") -> bytes:
    m = EmailMessage()
    m["From"] = "Olek Marsh <olek@inkmarsh.example>"
    m["To"] = "copyright-agent@platform.example"
    m["Subject"] = "Copyright notice"
    m["Date"] = "Tue, 01 Dec 2026 09:30:00 +0000"
    if body is not None:
        m.set_content(body)
    if attach is not None:
        data, maintype, subtype, name = attach
        m.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return m.as_bytes(policy=SMTP)


def _statuses(text: str) -> dict[str, str]:
    return {j.code: j.status for j in read_notice(text).judgements}


@pytest.mark.parametrize(
    "attach",
    [
        (NOTICE.encode(), "text", "plain", "notice.txt"),
        (NOTICE.encode("utf-16"), "text", "plain", "Notice.TXT"),  # Notepad's "Unicode"
        (NOTICE.encode(), "application", "octet-stream", "notice.txt"),
        (docx(NOTICE.split("\n")), *DOCX_TYPE, "notice.docx"),
        (docx(NOTICE.split("\n")), "application", "octet-stream", "DMCA Notice.docx"),
    ],
    ids=["txt", "txt-utf16", "txt-octet", "docx", "docx-octet"],
)
@pytest.mark.parametrize("body", ["Please see the attached notice.\n", None], ids=["one-line", "no-body"])
def test_a_notice_in_an_attached_document_is_read(attach: tuple[bytes, str, str, str], body: str | None) -> None:
    message = parse_message(mail(attach, body))
    assert "Heron in Fog" in message.text
    assert "https://platform.example/u/lifter/posts/77" in message.text
    assert set(_statuses(message.text).values()) == {"present"}
    assert message.attachments == (attach[3],)


def test_the_body_comes_first_and_the_attachment_after_it() -> None:
    message = parse_message(mail((NOTICE.encode(), "text", "plain", "notice.txt"), "Our notice is attached; thank you.\n"))
    assert message.text.startswith("Our notice is attached; thank you.")
    assert message.text.index("Our notice") < message.text.index("To the designated agent")


def test_a_docx_keeps_its_paragraphs_tabs_and_breaks() -> None:
    xml = (
        '<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>Name:</w:t><w:tab/><w:t>Olek &amp; Co</w:t></w:r></w:p>'
        "<w:p><w:r><w:t>line one</w:t><w:br/><w:t>line two</w:t></w:r></w:p>"
        '<w:p><w:hyperlink r:id="rId4"><w:r><w:t>https://platform.example/u/lifter/posts/77</w:t></w:r></w:hyperlink></w:p>'
        "<w:p><w:r><w:delText>struck out</w:delText><w:instrText>HYPERLINK x</w:instrText></w:r></w:p></w:body></w:document>"
    )
    assert docx_text(docx([], document=xml)) == "Name:\tOlek & Co\n\nline one\nline two\n\nhttps://platform.example/u/lifter/posts/77"


@pytest.mark.parametrize(
    "data",
    [
        b"PK\x03\x04 not really a zip",
        b"",
        docx([], document="<w:document><w:body/></w:document>"),
    ],
    ids=["broken-zip", "empty", "no-text"],
)
def test_a_document_with_no_text_is_just_not_read(data: bytes) -> None:
    assert docx_text(data) == ""
    with pytest.raises(Unreadable, match="no readable text"):
        parse_message(mail((data, *DOCX_TYPE, "notice.docx"), None))


def test_a_docx_whose_text_would_inflate_past_the_bound_is_not_read() -> None:
    """A zip bomb: a few kilobytes that unpack to more than the reader takes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"<w:p><w:t>" + b"a" * (MAX_DOCX_XML_BYTES + 10) + b"</w:t></w:p>")
    assert len(buf.getvalue()) < 200_000
    assert docx_text(buf.getvalue()) == ""


def test_other_attachments_are_still_not_read_as_text() -> None:
    """Only a text file or a Word document is read: a log or a program's source attached as text is no notice."""
    for name in ("server.log", "main.c"):
        message = parse_message(mail((b"https://platform.example/u/lifter/posts/1\n", "text", "plain", name)))
        assert message.text == "Please see the attached notice."


def _attached_notice(sender: str, subject: str, url: str, body: str | None = None) -> EmailMessage:
    inner = EmailMessage()
    inner["From"] = sender
    inner["Subject"] = subject
    inner["Date"] = "Mon, 30 Nov 2026 08:00:00 +0000"
    if body is not None or url:
        inner.set_content(body if body is not None else NOTICE.replace("https://platform.example/u/lifter/posts/77", url))
    return inner


def _forward(*inner: EmailMessage) -> bytes:
    outer = EmailMessage()
    outer["From"] = "Legal Intake <intake@platform.example>"
    outer["Subject"] = "FW: notices"
    outer["Date"] = "Tue, 01 Dec 2026 09:30:00 +0000"
    outer.set_content("Forwarding these as attachments.\n")
    for n, message in enumerate(inner):
        outer.add_attachment(message, filename=f"notice-{n}.eml")
    return outer.as_bytes(policy=SMTP)


def test_several_attached_messages_are_refused_rather_than_one_read_and_the_others_dropped() -> None:
    """A probe forwarded two notices as attachments (Gmail's "Forward as attachment" of two selected messages): the
    claim was made of the last one, and the first notice — another owner, another URL — was never read, with nothing
    to say so."""
    raw = _forward(
        _attached_notice("Olek Marsh <olek@inkmarsh.example>", "Heron notice", "https://platform.example/u/lifter/posts/77"),
        _attached_notice("Ada Wren <ada@wren.example>", "Wren notice", "https://platform.example/u/other/posts/5"),
    )
    with pytest.raises(Unreadable, match=re.escape("carries 2 attached messages (“Heron notice”, “Wren notice”)")) as refused:
        parse_message(raw)
    assert "read each attached message on its own" in str(refused.value)


def test_one_attached_message_with_text_is_the_notice_whatever_else_is_attached() -> None:
    """An attached message with no text of its own (an empty one, a calendar item) does not count."""
    raw = _forward(
        _attached_notice("Olek Marsh <olek@inkmarsh.example>", "Heron notice", "https://platform.example/u/lifter/posts/77"),
        _attached_notice("Ada Wren <ada@wren.example>", "Empty", "", body=""),
    )
    message = parse_message(raw)
    assert (message.sender, message.subject) == ("olek@inkmarsh.example", "Heron notice")
    assert "https://platform.example/u/lifter/posts/77" in message.text


def test_a_document_of_unclosed_tags_is_read_in_linear_time() -> None:
    """`<w:t ` runs with no `>`: an attribute pattern that could run past `<` scanned to the end from every one (75 s
    for 150 kB; hours at the 8 MB bound), holding the inbox's one sweeper."""
    data = docx([], document="<w:body>" + "<w:t " * 300_000 + "<w:br " * 300_000 + "</w:body>")
    started = time.perf_counter()
    assert docx_text(data) == ""
    assert time.perf_counter() - started < 5.0


# How Word (2010 and later) writes a text box: the box once for itself (mc:Choice, a DrawingML shape, wps:txbx) and
# again for readers that do not know it (mc:Fallback, a VML shape, v:textbox), inside one run of the anchor paragraph.
WORD_NAMESPACES = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" mc:Ignorable="wps"'
)


def _paragraphs(lines: list[str]) -> str:
    return "".join(f"<w:p><w:r><w:t>{escape(line)}</w:t></w:r></w:p>" for line in lines)


def text_box(content: str, n: int = 1) -> str:
    """A run holding a text box of `content` (paragraphs, or another text box), as Word writes it: Choice and Fallback."""
    return (
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor distT="0" distB="0" simplePos="0">'
        f'<wp:extent cx="2743200" cy="914400"/><wp:docPr id="{n}" name="Text Box {n}"/><a:graphic>'
        '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>'
        f'<wps:cNvSpPr txBox="1"/><wps:spPr/><wps:txbx><w:txbxContent>{content}</w:txbxContent></wps:txbx>'
        "<wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
        f'<mc:Fallback><w:pict><v:shape id="Text Box {n}" o:spid="_x0000_s102{n}" type="#_x0000_t202" '
        f'style="position:absolute;width:3in;height:1in"><v:textbox><w:txbxContent>{content}</w:txbxContent>'
        "</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )


def word_document(body: str) -> bytes:
    xml = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {WORD_NAMESPACES}><w:body>{body}</w:body>'
    return docx([], document=xml + "</w:document>")


def test_a_text_box_is_read_once_not_again_from_its_fallback() -> None:
    """Word writes a text box twice (mc:Choice and mc:Fallback): read both, the box's text repeated in the notice."""
    lines = NOTICE.split("\n")
    boxed = _paragraphs(["Reported copy:", "https://platform.example/u/lifter/posts/77"])
    body = _paragraphs(lines[:3]) + f"<w:p><w:r><w:t>See the box.</w:t></w:r>{text_box(boxed)}</w:p>" + _paragraphs(lines[4:])
    text = docx_text(word_document(body))
    assert text.count("https://platform.example/u/lifter/posts/77") == 1
    assert text.count("Reported copy:") == 1
    assert "See the box." in text and "/s/ Olek Marsh" in text and "Heron in Fog" in text
    message = parse_message(mail((word_document(body), *DOCX_TYPE, "notice.docx")))
    assert message.text.count("https://platform.example/u/lifter/posts/77") == 1


def test_a_text_box_in_a_text_box_is_read_once() -> None:
    inner = _paragraphs(["Inner box words."])
    outer = _paragraphs(["Outer box words."]) + f"<w:p>{text_box(inner, 2)}</w:p>" + _paragraphs(["Outer box end."])
    text = docx_text(word_document(_paragraphs(["Before."]) + f"<w:p>{text_box(outer)}</w:p>" + _paragraphs(["After."])))
    assert [text.count(words) for words in ("Before.", "Outer box words.", "Inner box words.", "Outer box end.", "After.")] == [1] * 5
    assert text.index("Before.") < text.index("Outer box words.") < text.index("Inner box words.") < text.index("After.")


def test_a_fallback_alone_is_not_read_and_what_follows_it_is() -> None:
    """Only a Fallback's content is skipped: text around an AlternateContent, and in its Choice, stays."""
    body = (
        '<w:p><w:r><w:t>Kept one.</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="w14"><w:t>Kept two.</w:t>'
        "</mc:Choice><mc:Fallback/></mc:AlternateContent></w:r><w:r><w:t>Kept three.</w:t></w:r></w:p>"
        "<w:p><w:r><mc:AlternateContent><mc:Fallback><w:t>Fallback only.</w:t></mc:Fallback></mc:AlternateContent></w:r>"
        "<w:r><w:t>Kept four.</w:t></w:r></w:p>"
    )
    assert docx_text(word_document(body)) == "Kept one.Kept two.Kept three.\n\nKept four."


def test_a_document_of_unclosed_fallbacks_is_read_in_linear_time() -> None:
    data = docx([], document="<w:body><w:t>Kept.</w:t>" + "<mc:Fallback>" * 200_000 + "</mc:Fallback " * 200_000 + "</w:body>")
    started = time.perf_counter()
    assert docx_text(data) == "Kept."
    assert time.perf_counter() - started < 5.0
