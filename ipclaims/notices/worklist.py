"""Several works listed in a letter's own words, one list item each.

GitHub's form answers "Atlas Theme - URL", one a line (`extract.listed_works`); a letter more often numbers them:

    1. "Harbour Lights", a photograph, published at https://lumen.example/photos/harbour
    2. "Night Ferry", a photograph, published at
       https://lumen.example/photos/ferry

Each item that names exactly one of the sender's own URLs is one work: its title is the quoted name (or the words
before the first dash, colon or comma, if they read as a name), its description what the item says besides the
title and the URL. Two or more such items make a list; one alone is a single work described in a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ipclaims.notices.doc import Doc
from ipclaims.notices.text import find_urls, url_key

_MARKER = re.compile(r"^[ \t]*(?:[-*•]|\(?\d{1,2}[.)]|\(?[a-h]\))[ \t]+", re.MULTILINE)
_QUOTED = re.compile(r"[\"“]([^\"“”\n]{2,100})[\"”]")
_PLAIN_TITLE = re.compile(r"^([^,:\n–-]{3,80}?)[ \t]*(?:,|:|[ \t]-[ \t]|[ \t]–[ \t])")
_NOT_A_TITLE = re.compile(r"\b(?:url|link|page|site|here|available|see|official|download|buy|http|www)\b", re.IGNORECASE)
# Words that only lead up to the URL ("a photograph, first published at"), stripped from the item's end one by one
# (a loop, not a `...$` pattern: a regex anchored at the end is tried from every position of a long run).
_CONNECTOR_WORDS = frozenset(
    [
        "which",
        "is",
        "was",
        "first",
        "published",
        "posted",
        "available",
        "found",
        "shown",
        "located",
        "hosted",
        "displayed",
        "at",
        "on",
        "here",
        "online",
        "in",
    ]
)
_CONNECTOR_MARKS = " \t,;:(–-."
MAX_ITEM = 600  # characters of one list item read for a work


@dataclass(frozen=True)
class ListedWork:
    title: str
    url: str
    description: str | None


def _items(text: str, start: int) -> list[tuple[int, int]]:
    """(start, end) of each list item: from its marker to the next marker or blank line."""
    marks = [m for m in _MARKER.finditer(text, start)]
    out = []
    for i, mark in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        blank = re.search(r"\n[ \t]*\n", text[mark.end() : end])
        if blank:
            end = mark.end() + blank.start()
        out.append((mark.end(), min(end, mark.end() + MAX_ITEM)))
    return out


def listed_in_letter(doc: Doc, work_urls: list[str]) -> list[ListedWork]:
    """The works a letter lists, one an item, in its order; empty unless two or more items each name one work URL."""
    own = {url_key(u): u for u in work_urls}
    if len(own) < 2:
        return []
    found: list[ListedWork] = []
    for start, end in _items(doc.text, doc.start):
        item = doc.text[start:end]
        found_urls = find_urls(item)
        urls = {own[url_key(u.url)]: u for u in found_urls if url_key(u.url) in own}
        if len(urls) != 1 or len(urls) != len({url_key(u.url) for u in found_urls}):
            continue  # an item that also names another URL lists a copy against its original, not a work
        ((url, where),) = urls.items()
        title = _title(item[: where.start])
        if title is None:
            continue
        found.append(ListedWork(title, url, _description(item, title, where.start, where.end)))
    return found if len({w.url for w in found}) >= 2 else []


def _title(before_url: str) -> str | None:
    quoted = _QUOTED.search(before_url)
    if quoted:
        return quoted.group(1).strip()
    plain = _PLAIN_TITLE.match(before_url.strip())
    if plain and not _NOT_A_TITLE.search(plain.group(1)):
        return plain.group(1).strip(" *_")
    return None


def _description(item: str, title: str, url_start: int, url_end: int) -> str | None:
    words = (item[:url_start] + " " + item[url_end:]).replace(title, " ", 1)
    words = re.sub(r"[\"“”]\s*[\"“”]", " ", words)
    words = " ".join(words.split()).strip(" ,;:.-–")
    words = _without_connectors(words)
    return words if len(words.split()) >= 2 else None


def _without_connectors(words: str) -> str:
    while True:
        words = words.rstrip(_CONNECTOR_MARKS)
        head, _, last = words.rpartition(" ")
        if not head or last.lower() not in _CONNECTOR_WORDS:
            return words.strip(_CONNECTOR_MARKS)
        words = head
