"""A notice pasted as an HTML document (a webmail's message copied as source, a form's confirmation page saved) is
read as its text, as an HTML mail part is (`htmltext.html_to_text`); a plain notice that merely holds a tag (a quoted
`<script>` line, a `<b>` word) is read as written.

Document-shaped means: it opens with `<!doctype html>`, `<html>`, `<head>` or `<body>`; or it opens with an HTML
element's tag, ends with one's closing tag, and at least half of its lines begin with a tag.
"""

from __future__ import annotations

import re

from ipclaims.notices.htmltext import html_to_text

_DOCUMENT = re.compile(r"[\s\ufeff]*<(?:!doctype[ \t\r\n]+html|html|head|body)\b", re.IGNORECASE)
_ELEMENT = (
    r"(?:p|div|span|table|thead|tbody|tr|td|th|h[1-6]|ul|ol|li|dl|dt|dd|br|hr|b|i|u|strong|em|font|center|blockquote|pre"
    r"|section|article|header|footer|main|address|a|img|meta|style|title)"
)
_OPENS = re.compile(rf"[\s\ufeff]*<{_ELEMENT}(?=[\s/>])", re.IGNORECASE)
_CLOSES = re.compile(rf"</{_ELEMENT}\s*>\Z", re.IGNORECASE)
_TAG_LINE = re.compile(rf"^[ \t]*</?{_ELEMENT}(?=[\s/>])", re.IGNORECASE | re.MULTILINE)


def html_document(text: str) -> bool:
    if _DOCUMENT.match(text):
        return True
    if not _OPENS.match(text) or not _CLOSES.search(text.rstrip()[-40:]):
        return False
    lines = sum(1 for line in text.splitlines() if line.strip())
    return 2 * len(_TAG_LINE.findall(text)) >= lines


def as_text(text: str) -> str:
    """The text a reader reads: a document-shaped HTML paste's text, any other text as given."""
    return html_to_text(text) if html_document(text) else text
