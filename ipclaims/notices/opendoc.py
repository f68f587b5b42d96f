"""The text of a notice sent as an attached OpenDocument text (`.odt`: LibreOffice's own format, and what Google
Docs and Word save as "OpenDocument"), as `attached.docx_text` reads a Word document.

An `.odt` is a zip of XML: its `content.xml` is read with a pattern, not an XML parser, so no entity or DTD in a
hostile file is ever expanded (only XML's five and numeric references are); its size is checked before it is inflated
(a zip bomb is not read). Text is what stands in paragraphs and headings (`text:p`, `text:h`, in table cells, lists
and text boxes too), with spans and links read for their text, `text:line-break` a line break, `text:tab` a tab and
`text:s` its `text:c` spaces; white space in the XML itself collapses to one space, as ODF says. Not read: comments
(`office:annotation`, with their author and date), footnotes and endnotes (`text:note`: their text sits inside the
sentence they annotate, and a `.docx`'s are not read either), deleted text kept for tracked changes, and a picture's
title and description.
"""

from __future__ import annotations

import re
from email.message import Message
from html import unescape

from ipclaims.notices.attached import zip_member_text

ODT_TYPE = "application/vnd.oasis.opendocument.text"
MAX_ODT_BYTES = 5 * 1024 * 1024  # the attachment as sent, like attached.MAX_DOCX_BYTES
MAX_ODT_XML_BYTES = 8 * 1024 * 1024  # its content.xml once inflated
MAX_ODT_PIECES = 1_000_000  # tags and runs of text: past this many the file is not read (as rtf.MAX_RTF_TOKENS)
_MAX_SPACES = 16  # `text:s text:c` beyond this is layout, not text (and a hostile count is not a memory bomb)

# A tag (its attributes as `[^<>]*` after a space or '/': never past the next tag, and a long name cannot be split two
# ways, so a file of unclosed tags stays linear), character data, or a stray '<'.
_PIECES = re.compile(r"<(/?)([A-Za-z][\w.-]*:[\w.-]+)((?:[\s/][^<>]*)?)>|([^<]+)|<")
_SPACE_COUNT = re.compile(r'\btext:c\s*=\s*["\']\s*([0-9]{1,6})')
_WHITE = re.compile(r"[ \t\r\n]+")
_PARAGRAPHS = frozenset({"text:p", "text:h"})
_SKIPPED = frozenset({"office:annotation", "text:note", "text:tracked-changes", "svg:title", "svg:desc"})


def is_odt(part: Message, filename: str | None) -> bool:
    return part.get_content_type() == ODT_TYPE or str(filename or "").lower().endswith(".odt")


def odt_text(data: bytes) -> str:
    """The text of an OpenDocument text's body, its paragraphs a blank line apart and its line breaks kept; empty when
    it has none or cannot be read."""
    if not data or len(data) > MAX_ODT_BYTES:
        return ""
    xml = zip_member_text(data, "content.xml", MAX_ODT_XML_BYTES)
    pieces: list[str] = []
    paragraphs = 0  # open paragraphs and headings: a text box's sit inside another's
    skipping: str | None = None  # the element whose content is not read, and how deep in it
    nested = 0
    line_start = True  # white space at a paragraph's or a line's start is not text
    for seen, m in enumerate(_PIECES.finditer(xml)):
        if seen >= MAX_ODT_PIECES:  # millions of tiny tags ("x<x<x<…", a few kB zipped): seconds of work, no letter
            return ""
        name = m.group(2)
        if name is None:  # character data (or a stray '<', which is not)
            data_text = m.group(4)
            if skipping or not paragraphs or data_text is None:
                continue
            chunk = _WHITE.sub(" ", unescape(data_text))
            if line_start or (pieces and pieces[-1].endswith(" ")):
                chunk = chunk.lstrip(" ")
            if chunk:
                pieces.append(chunk)
                line_start = False
            continue
        closing, empty = m.group(1) == "/", m.group(3).endswith("/")
        if skipping:
            if name == skipping and not empty:
                nested += -1 if closing else 1
                skipping = skipping if nested else None
        elif name in _SKIPPED:
            if not (closing or empty):
                skipping, nested = name, 1
        elif name in _PARAGRAPHS:
            if closing or empty:
                pieces.append("\n\n")
                paragraphs = max(0, paragraphs - 1) if closing else paragraphs
            else:
                paragraphs += 1
            line_start = True
        elif not paragraphs or closing:
            continue
        elif name == "text:line-break":
            pieces.append("\n")
            line_start = True
        elif name == "text:tab":
            pieces.append("\t")
            line_start = False
        elif name == "text:s":
            count = _SPACE_COUNT.search(m.group(3))
            pieces.append(" " * min(int(count.group(1)) if count else 1, _MAX_SPACES))
            line_start = False
    lines = [line.rstrip() for line in "".join(pieces).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
