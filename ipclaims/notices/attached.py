"""The text of a notice sent as an attached document rather than in the body: a text file or a Word `.docx` (a PDF's
is read by `message.pdf_text`). Law firms and rights-holder services often send a one-line body ("Please see the
attached notice.") over the notice itself.

A `.docx` is a zip of XML: its main part `word/document.xml` is read with a pattern, not an XML parser, so no entity
or DTD in a hostile file is ever expanded; its size is checked before it is inflated (a zip bomb is not read). What
Word writes twice, a text box above all (`mc:Choice` and again in `mc:Fallback`), is read once, from the Choice. Other
formats: a `.rtf` is read by `rtf.py`, an `.odt` by `opendoc.py`; the old binary `.doc` is not read.
"""

from __future__ import annotations

import io
import re
import zipfile
from email.message import Message
from html import unescape

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAX_DOCX_BYTES = 5 * 1024 * 1024  # the attachment as sent, like MAX_PDF_BYTES
MAX_DOCX_XML_BYTES = 8 * 1024 * 1024  # its document.xml once inflated
_TEXT_SUFFIXES = (".txt", ".text")
_TEXT_TYPES = frozenset({"text/plain", "application/octet-stream"})

# Runs of text, tabs, line breaks and paragraph ends, in document order. `w:delText` (deleted with track changes) and
# `w:instrText` (a field's code) are not text the reader sees; `<w:t` must not match `<w:tab/>`.
# Attributes as `[^<>]*`: never past the next tag, so a document of unclosed "<w:t " runs stays linear.
_DOCX_PIECES = re.compile(r"<w:t(?:\s[^<>]*)?>([^<]*)</w:t>|<w:tab\s*/>|<w:(?:br|cr)(?:\s[^<>]*)?/>|</w:p>|<w:p(?:\s[^<>]*)?/>")
# An `mc:Fallback` tag (opening, closing or empty): what Word writes a second time, for readers that do not know the
# `mc:Choice` before it (ECMA-376 Part 3, Markup Compatibility): a text box's VML copy (`v:textbox`) of the
# DrawingML box (`wps:txbx`). Attributes lazily, never past the next tag, for the empty form's "/" and linear time.
_FALLBACK = re.compile(r"<(/?)mc:Fallback(?:\s[^<>]*?)?(/?)>")


def is_text_file(part: Message, filename: str | None) -> bool:
    """An attached text file (`notice.txt`): a name a text file has, sent as text or as bytes of no stated type."""
    return bool(filename) and str(filename).lower().endswith(_TEXT_SUFFIXES) and part.get_content_type() in _TEXT_TYPES


def is_docx(part: Message, filename: str | None) -> bool:
    return part.get_content_type() == DOCX_TYPE or str(filename or "").lower().endswith(".docx")


def zip_member_text(data: bytes, name: str, max_bytes: int) -> str:
    """One member of a zipped document (a `.docx`'s `word/document.xml`, an `.odt`'s `content.xml`) as text; empty when
    the data is no zip, has no such member, or it would inflate past `max_bytes` (its declared size is checked before
    anything is inflated, and the bytes read after, as a declared size may lie)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo(name)
            if info.file_size > max_bytes:
                return ""
            with archive.open(info) as member:
                xml = member.read(max_bytes + 1)
    except Exception:  # not a zip, no such member, a broken or encrypted member: a bad attachment is just unread
        return ""
    return "" if len(xml) > max_bytes else xml.decode("utf-8", errors="replace")


def docx_text(data: bytes) -> str:
    """The text of a Word document's body, its paragraphs a blank line apart and its line breaks kept; empty when it
    has none or cannot be read."""
    if not data or len(data) > MAX_DOCX_BYTES:
        return ""
    text = _without_fallbacks(zip_member_text(data, "word/document.xml", MAX_DOCX_XML_BYTES))
    pieces: list[str] = []
    for m in _DOCX_PIECES.finditer(text):
        token = m.group(0)
        if m.group(1) is not None:
            pieces.append(unescape(m.group(1)))
        elif token.startswith("<w:tab"):
            pieces.append("\t")
        elif token.startswith(("<w:br", "<w:cr")):
            pieces.append("\n")
        else:  # a paragraph's end: a blank line, as an HTML body's <p> becomes (`message.html_to_text`)
            pieces.append("\n\n")
    lines = [line.rstrip() for line in "".join(pieces).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _without_fallbacks(xml: str) -> str:
    """The document without what its `mc:Fallback` elements hold, nested ones too: a text box (or any content Word
    writes in both forms) is read once, from its `mc:Choice`. An unclosed Fallback holds the rest of the document."""
    kept: list[str] = []
    depth = start = 0
    for tag in _FALLBACK.finditer(xml):
        closing, empty = tag.group(1), tag.group(2)
        if depth == 0 and not closing:
            kept.append(xml[start : tag.start()])
            start = tag.end()
        if not (closing or empty):
            depth += 1
        elif closing and depth:
            depth -= 1
            if depth == 0:
                start = tag.end()
    if depth == 0:
        kept.append(xml[start:])
    return "".join(kept)
