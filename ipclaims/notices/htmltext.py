"""An HTML mail part's (or a pasted HTML document's) text: block elements as line breaks, script, style, head and
title left out, a link's address written beside its words (once, when its words are the address).

html.parser is lenient, but it rescans to the end of the text for the close of every construct left open; `_tame`
makes such openings text first, so that hostile markup is read in linear time.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "tr",
        "table",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "section",
        "article",
        "header",
        "footer",
        "address",
        "hr",
        "dd",
        "dt",
    ]
)


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0
        self._href = ""  # the open link's address, written before its words: words that are only it are not repeated

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "head", "title"):
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if href.startswith(("http://", "https://")):
                self.parts.append(f" {href} ")
            self._href = href.rstrip("/")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head", "title"):
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
        elif tag == "a":
            self._href = ""

    def handle_data(self, data: str) -> None:
        if not self._skip and not (self._href.startswith(("http://", "https://")) and data.strip().rstrip("/") == self._href):
            self.parts.append(data)


# html.parser scans to the end of the text for the close of every construct left open ("<a <a <a ...", "<!--<!--"):
# quadratic, 30 s for 40 kB. Such an opening is text: a "<" with no ">" before the next "<", and a comment or marked
# section opened after the last close of its kind.
_UNCLOSED_LT = re.compile(r"<(?=[^<>]*+(?:<|\Z))")


def _tame(html: str) -> str:
    html = _UNCLOSED_LT.sub("&lt;", html)
    for opener, closer in (("<!--", "-->"), ("<![", "]>")):
        cut = html.find(opener, html.rfind(closer) + 1)
        if cut >= 0:
            html = html[:cut] + html[cut:].replace(opener, "&lt;" + opener[1:])
    return html


def html_to_text(html: str) -> str:
    parser = _TextExtractor()
    try:
        parser.feed(_tame(html))
        parser.close()
    except Exception:  # html.parser is lenient, but hostile markup must not escape as another error
        return re.sub(r"<[^>]*>", " ", html)
    lines = [re.sub(r"[ \t\xa0]+", " ", line).strip() for line in "".join(parser.parts).splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
