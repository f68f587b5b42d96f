"""A notice sent as an attached OpenDocument text (`.odt`: what LibreOffice and Google Docs' "Download as ODT" save)
under a one-line body. Such an attachment was skipped: the claim was made of "Please see the attached notice.", every
element missing. The files here are zips built as LibreOffice writes them: the `mimetype` stored first, a manifest,
`content.xml` with font declarations and automatic styles before the body."""

from __future__ import annotations

import io
import time
import zipfile
from email.message import EmailMessage

import pytest

from ipclaims.notices import Unreadable, parse_message, read_notice
from ipclaims.notices.message import MAX_DOCUMENTS
from ipclaims.notices.opendoc import MAX_ODT_BYTES, MAX_ODT_PIECES, MAX_ODT_XML_BYTES, odt_text
from tests.notices.test_message_attached import mail

ODT_TYPE = ("application", "vnd.oasis.opendocument.text")
NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"'
)
BODY = (
    '<text:tracked-changes><text:changed-region text:id="ct1"><text:deletion><office:change-info>'
    "<dc:creator>Olek Marsh</dc:creator><dc:date>2026-11-30T08:00:00</dc:date></office:change-info>"
    "<text:p>a sentence taken out</text:p></text:deletion></text:changed-region></text:tracked-changes>"
    '<text:sequence-decls><text:sequence-decl text:display-outline-level="0" text:name="Illustration"/>'
    "</text:sequence-decls>"
    '<text:h text:style-name="P1" text:outline-level="1">Notice of copyright infringement</text:h>'
    '<text:p text:style-name="Standard">To the designated agent,</text:p>'
    '<text:p text:style-name="Standard"/>'
    '<text:p text:style-name="P2">I own the copyright in my drawing \u201cHeron in Fog\u201d, published at '
    '<text:a xlink:type="simple" xlink:href="https://inkmarsh.example/heron" text:style-name="Internet_20_link" '
    'text:visited-style-name="Visited_20_Internet_20_Link">https://inkmarsh.example/heron</text:a>.<text:line-break/>'
    'A copy is posted <text:change text:change-id="ct1"/>without my permission at '
    "https://platform.example/u/lifter/posts/77</text:p>"
    "<text:p>I have a good faith belief that this use is not authorized by the copyright owner, its agent, or the "
    'law.<text:note text:id="ftn1" text:note-class="footnote"><text:note-citation>1</text:note-citation>'
    '<text:note-body><text:p text:style-name="Footnote">See 17 U.S.C. 512(c)(3).</text:p></text:note-body>'
    "</text:note></text:p>"
    "<text:p>I swear, under penalty of perjury, that this notice is accurate and that I am the copyright "
    '<office:annotation office:name="c1">'
    "<dc:creator>Paralegal</dc:creator><dc:date>2026-11-30T09:00:00</dc:date><text:p>check this wording</text:p>"
    '</office:annotation>owner.<office:annotation-end office:name="c1"/></text:p>'
    '<table:table table:name="Table1"><table:table-column table:number-columns-repeated="2"/><table:table-row>'
    '<table:table-cell office:value-type="string"><text:p>Name:</text:p></table:table-cell>'
    '<table:table-cell office:value-type="string"><text:p><text:span text:style-name="T1">Ren</text:span>'
    "\u00e9e<text:s/>Marsh</text:p></table:table-cell></table:table-row></table:table>"
    '<text:list text:style-name="L1"><text:list-item><text:p>4 Mill Lane, Leeds LS1 4AB, UK,<text:s text:c="3"/>'
    "+44 113 496 0000</text:p></text:list-item><text:list-item><text:p>renee@inkmarsh.example &amp; "
    "legal&#64;inkmarsh.example</text:p></text:list-item></text:list>"
    '<text:p><draw:frame draw:name="Signature" text:anchor-type="as-char"><svg:title>a scanned signature</svg:title>'
    '<draw:image xlink:href="Pictures/sig.png"/></draw:frame>/s/ Ren\u00e9e Marsh<text:tab/>30 November 2026</text:p>'
)
CONTENT = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    f'<office:document-content {NAMESPACES} office:version="1.3"><office:scripts/>'
    '<office:font-face-decls><style:font-face style:name="Liberation Serif" svg:font-family="&apos;Liberation '
    'Serif&apos;" style:font-family-generic="roman"/></office:font-face-decls><office:automatic-styles>'
    '<style:style style:name="P1" style:family="paragraph"><style:text-properties fo:font-weight="bold"/></style:style>'
    '<number:date-style style:name="N37"><number:day/><number:text>/</number:text><number:month/></number:date-style>'
    "</office:automatic-styles><office:body><office:text>" + BODY + "</office:text></office:body></office:document-content>"
)
TEXT = (
    "Notice of copyright infringement\n\n"
    "To the designated agent,\n\n"
    "I own the copyright in my drawing \u201cHeron in Fog\u201d, published at https://inkmarsh.example/heron.\n"
    "A copy is posted without my permission at https://platform.example/u/lifter/posts/77\n\n"
    "I have a good faith belief that this use is not authorized by the copyright owner, its agent, or the law.\n\n"
    "I swear, under penalty of perjury, that this notice is accurate and that I am the copyright owner.\n\n"
    "Name:\n\n"
    "Ren\u00e9e Marsh\n\n"
    "4 Mill Lane, Leeds LS1 4AB, UK,   +44 113 496 0000\n\n"
    "renee@inkmarsh.example & legal@inkmarsh.example\n\n"
    "/s/ Ren\u00e9e Marsh\t30 November 2026"
)


def odt(content: str | bytes, *, member: str = "content.xml") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")  # stored, first
        z.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>',
        )
        z.writestr(
            "styles.xml",
            f"<office:document-styles {NAMESPACES}><office:master-styles><style:master-page>"
            "<style:header><text:p>INKMARSH STUDIO</text:p></style:header></style:master-page>"
            "</office:master-styles></office:document-styles>",
        )
        z.writestr(member, content)
    return buf.getvalue()


def test_an_odt_is_read_without_its_comments_footnotes_deletions_styles_or_alt_text() -> None:
    text = odt_text(odt(CONTENT))
    assert text == TEXT
    for hidden in ("Paralegal", "check this wording", "17 U.S.C.", "taken out", "Liberation", "INKMARSH", "scanned"):
        assert hidden not in text


def test_an_entity_declared_in_the_file_is_not_expanded() -> None:
    """Only XML's own and numeric entities are read: a DOCTYPE's entities (a billion laughs) never are."""
    lol = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    content = (
        f'<?xml version="1.0"?><!DOCTYPE office:document-content [<!ENTITY l0 "lol">{lol}]>'
        f"<office:document-content {NAMESPACES}><office:body><office:text><text:p>&l9; &lt;x&gt; &#x201C;</text:p>"
        "</office:text></office:body></office:document-content>"
    )
    assert odt_text(odt(content)) == "&l9; <x> \u201c"


def test_a_pretty_printed_content_xml_is_read_as_its_paragraphs() -> None:
    content = (
        f"<office:document-content {NAMESPACES}>\n  <office:body>\n    <office:text>\n"
        "      <text:p>\n        One line\n        wrapped.\n      </text:p>\n"
        "      <text:p>Two <text:span>spans</text:span> <text:span>apart</text:span></text:p>\n"
        "    </office:text>\n  </office:body>\n</office:document-content>\n"
    )
    assert odt_text(odt(content)) == "One line wrapped.\n\nTwo spans apart"


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"PK\x03\x04 not really a zip",
        odt("<office:document-content/>"),
        odt(CONTENT, member="content2.xml"),  # no content part
        odt(b"\x00\xff" * 100),
    ],
    ids=["empty", "broken-zip", "no-text", "no-content", "binary"],
)
def test_an_odt_with_no_text_is_just_not_read(data: bytes) -> None:
    assert odt_text(data) == ""
    with pytest.raises(Unreadable, match="no readable text"):
        parse_message(mail((data, *ODT_TYPE, "notice.odt"), None))


def test_an_odt_whose_content_would_inflate_past_the_bound_is_not_read() -> None:
    """A zip bomb: a few kilobytes that unpack to more than the reader takes; the size the zip declares is checked
    before anything is inflated."""
    data = odt(b"<text:p>" + b"a" * (MAX_ODT_XML_BYTES + 10) + b"</text:p>")
    assert len(data) < 200_000
    assert odt_text(data) == ""
    assert odt_text(b"PK" + b"\x00" * MAX_ODT_BYTES) == ""


@pytest.mark.parametrize(
    "attach",
    [(*ODT_TYPE, "notice.odt"), ("application", "octet-stream", "DMCA Notice.ODT"), (*ODT_TYPE, "notice")],
    ids=["odt", "octet-stream", "type-only"],
)
@pytest.mark.parametrize("body", ["Please see the attached notice.\n", None], ids=["one-line", "no-body"])
def test_a_notice_in_an_attached_odt_is_read(attach: tuple[str, str, str], body: str | None) -> None:
    message = parse_message(mail((odt(CONTENT), *attach), body))
    assert "To the designated agent," in message.text
    assert message.text.startswith("Please see" if body else "Notice of copyright infringement")
    statuses = {j.code: j.status for j in read_notice(message.text).judgements}
    assert set(statuses.values()) == {"present"}, statuses
    assert message.attachments == (attach[2],)


HOSTILE = {
    "unclosed paragraphs": "<text:p " * 300_000,
    "unclosed tags then text": "<text:p>" + "<text:span " * 300_000 + "x" * 100_000,
    "an unclosed annotation": "<text:p>a<office:annotation>" + "<text:p>b</text:p>" * 200_000,
    "nested annotations": "<text:p>" + "<office:annotation>" * 300_000 + "x",
    "many spaces": "<text:p>" + '<text:s text:c="999999999"/>' * 200_000 + "</text:p>",
    "less-than runs": "<text:p>" + "<" * 2_000_000,
    "ampersand runs": "<text:p>" + "&amp" * 1_000_000 + "</text:p>",
    "deep paragraphs": "<text:p>" * 500_000 + "x",
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_odt_is_read_in_bounded_linear_time(name: str) -> None:
    content = f"<office:document-content {NAMESPACES}><office:body><office:text>{HOSTILE[name]}"
    started = time.perf_counter()
    text = odt_text(odt(content))
    assert time.perf_counter() - started < 5.0, name
    assert len(text) <= len(content)


def test_a_file_of_more_pieces_than_a_letter_has_is_not_read() -> None:
    """A review found 8 kB zipped of "x<x<x<…" (8 MB of content.xml) taking 10 s and giving 4.2 M characters: each
    piece is a step of the reader. Past `MAX_ODT_PIECES` the file is built to hold the reader, not to be read."""
    assert odt_text(odt("<text:p>" + "x<" * (MAX_ODT_PIECES // 4))).startswith("xxx")
    assert odt_text(odt("<text:p>" + "x<" * MAX_ODT_PIECES)) == ""


def test_a_message_of_many_documents_reads_the_first_few() -> None:
    """Twenty hostile `.odt` files in one 230 kB message were read one after another for 146 s: a message's documents
    are read up to `MAX_DOCUMENTS` (each then bounded), the rest only listed."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@example.org", "agent@platform.example", "Notices"
    message.set_content("Please see the attached notices.")
    for n in range(MAX_DOCUMENTS + 3):
        content = f"<office:document-content {NAMESPACES}><office:body><office:text><text:p>notice {n}</text:p>"
        message.add_attachment(odt(content), maintype="application", subtype="vnd.oasis.opendocument.text", filename=f"{n}.odt")
    parsed = parse_message(message.as_bytes())
    assert [f"notice {n}" in parsed.text for n in range(MAX_DOCUMENTS + 3)] == [True] * MAX_DOCUMENTS + [False] * 3
    assert len(parsed.attachments) == MAX_DOCUMENTS + 3
