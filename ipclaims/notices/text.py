"""Text primitives of the reader: spans, sentences, URLs, redactions and the form's question-and-answer blocks.

Everything works on offsets into the one text being read, so every judgement can quote what it was judged on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    quote: str


def span(text: str, start: int, end: int) -> Span:
    # Trim surrounding blanks and Markdown emphasis and code marks so the quote is the words themselves.
    while start < end and text[start] in " \t\r\n*_>`":
        start += 1
    while end > start and text[end - 1] in " \t\r\n*_`":
        end -= 1
    return Span(start, end, text[start:end])


def spans(text: str, ranges: Iterable[tuple[int, int]]) -> tuple[Span, ...]:
    seen: set[tuple[int, int]] = set()
    out: list[Span] = []
    for start, end in ranges:
        item = span(text, start, end)
        if item.end > item.start and (item.start, item.end) not in seen:
            seen.add((item.start, item.end))
            out.append(item)
    return tuple(out)


REDACTED = re.compile(r"\[\s*(?:private|redacted|removed)\s*\]|\{\s*private\s*\}", re.IGNORECASE)

# Sentences: split after . ! ? ; and at blank lines or list/heading breaks; a single newline inside prose does not
# end a sentence unless the line before ends in . ! or ? and the next begins with a capital or a quote (a message
# written a sentence a line), or the next line starts a new labelled or bulleted line. A short line that ends in a
# company's abbreviation ("Acme Inc." over "San Francisco, CA") goes on: the name's full stop ends no sentence.
_SENTENCE_END = re.compile(
    r"(?<=[.!?;])(?P<space>[ \t]+)(?=[\"'“(\[A-Z0-9*])|(?<=[.!?])(?P<eol>[ \t]*\n)[ \t]*(?=[\"“A-Z])|\n[ \t]*\n"
    r"|\n(?=[ \t]*(?:[-*•]|\d+[.)]|[a-h][.)][ \t]|\[\d+\]|\*\*|[A-Z][\w .'/-]{0,40}:))"
)
_COMPANY_LINE = re.compile(r"(?i:\b(?:inc|ltd|llc|plc|pte|pty|bhd|co|corp|bros|l\.l\.c|s\.a|b\.v|n\.v)\.)\Z")


def _company_line_end(text: str, end: int) -> bool:
    """The line ending at `end` is a company's name (six words or fewer, each capitalised or not a word) ending in its
    abbreviation; "We are Acme Ltd." is a sentence."""
    line = text[text.rfind("\n", 0, end) + 1 : end].strip(" \t*_>")
    words = line.split()
    return (
        len(line) <= 80
        and len(words) <= 6
        and all(not w[:1].isalpha() or w[:1].isupper() or w.lower() in ("and", "of", "&") for w in words)
        and bool(_COMPANY_LINE.search(line))
    )


# A citation's or a list's abbreviation ends no sentence: "Art. 16 of Regulation (EU) 2022/2065", "Sec. 512", "No. 4",
# "Reg. (EU) 2019/790", "U.S. Reg. No. 4672513", "§ 19a Abs. 1 Nr. 2", "17 U.S.C. 512(c)"; "cf.", "e.g.", "i.e." and "vs."
# before anything. Those that could close a sentence ("Is it yours? No. The ...", "... sold in the U.S. The ...") go on
# only before what they abbreviate for: a number or a registration's code, "(", "§", a section or number, or (for
# "U.S.") a registry's word.
_ALWAYS_ABBREVIATION = re.compile(r"(?<![\w.])(?i:cf|e\.g|i\.e|vs)\.\Z")
_NUMBERED_ABBREVIATION = re.compile(r"(?<![\w.])(?i:arts?|secs?|nos?|paras?|abs|nr|reg|u\.s\.c|(?P<us>u\.s))\.\Z")
_NUMBER_NEXT = re.compile(r"[0-9(§]|(?i:(?:sec(?:tion)?s?|nos?|nr|reg)\b)|[A-Z]{1,4}[ -]?[0-9]")  # "No. PA0000115040", "Nos. TX 8-462-579"
_US_NEXT = re.compile(r"(?i:copyright|reg(?:istration)?|patent|pat|trademark|serial)\b")


def _abbreviation_before(text: str, at: int, after: int) -> bool:
    """The full stop before `at` closes an abbreviation that the text at `after` goes on from."""
    before = text[max(0, at - 8) : at]
    if _ALWAYS_ABBREVIATION.search(before):
        return True
    numbered = _NUMBERED_ABBREVIATION.search(before)
    if not numbered:
        return False
    return bool(_NUMBER_NEXT.match(text, after) or (numbered.group("us") and _US_NEXT.match(text, after)))


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    lower: str


def sentences(text: str) -> list[Sentence]:
    out: list[Sentence] = []
    pos = 0
    for match in _SENTENCE_END.finditer(text):
        if match.group("eol") is not None and _company_line_end(text, match.start()):
            continue  # "Acme Inc." over its city: one line of the sender's block, not two sentences
        if match.group("space") is not None and _abbreviation_before(text, match.start(), match.end()):
            continue  # "Art. 16", "e.g. GitHub": the abbreviation's full stop
        if match.start() > pos:
            chunk = text[pos : match.start()]
            if chunk.strip():
                out.append(Sentence(pos, match.start(), chunk, _norm(chunk)))
        pos = match.end()
    if pos < len(text) and text[pos:].strip():
        chunk = text[pos:]
        out.append(Sentence(pos, len(text), chunk, _norm(chunk)))
    return out


def _norm(chunk: str) -> str:
    # Same length as the chunk (offsets stay valid): lower case, typographic quotes and dashes flattened.
    return chunk.lower().translate(_FLAT)


_FLAT = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})


def normalise(text: str) -> str:
    return _norm(text)


# --- URLs ---------------------------------------------------------------------------------------------------------

_URL = re.compile(r"(?:https?://|(?<![\w@./-])www\.)[^\s<>\"'`|\]\[{}]+", re.IGNORECASE)
_TRAILING = ".,;:!?)*_'\"”’>"


@dataclass(frozen=True)
class Url:
    start: int
    end: int
    url: str
    host: str
    path: str


def find_urls(text: str) -> list[Url]:
    out: list[Url] = []
    for match in _URL.finditer(text):
        raw = match.group(0)
        while raw and raw[-1] in _TRAILING:
            if raw[-1] == ")" and raw.count("(") >= raw.count(")"):
                break
            raw = raw[:-1]
        if not raw:
            continue
        url = raw if raw.lower().startswith("http") else f"https://{raw}"
        try:
            parts = urlsplit(url)
            host = (parts.hostname or "").lower()
        except ValueError:
            continue
        if not host or "." not in host:
            continue
        out.append(Url(match.start(), match.start() + len(raw), url, host, parts.path))
    return out


# --- the web form's question blocks -------------------------------------------------------------------------------

# A form question is a bold line, a quoted line ending in "?" or ":", or an italic question that may wrap over several
# lines (older forms printed "*Please provide ...\nonline.*"); a "* item" bullet is not one.
_QUESTION = re.compile(
    r"^[ \t]*(?:\*\*|__)(.+?)(?:\*\*|__)[ \t]*$|^[ \t]*\*\*((?:[^*\n]|\n(?![ \t]*\n)){8,500}?)\*\*[ \t]*$"
    r"|^[ \t]*>[ \t]*(.{8,}?[?:])[ \t]*$|^[ \t]*\*(?![\s*])([^*]{8,500}?[?:.])\*[ \t]*$"
    # the older form's answer on the question's own line: "**Please type your full legal name ...:** [private]"
    r"|^[ \t]*\*\*((?=[^*\n]*\b(?i:please|what|are you|do you|have you|is the|type|provide|so that|if you)\b)[^*\n]{8,500}?[?:])"
    r"\*\*(?=[ \t]*[^\s*])",
    re.MULTILINE,
)


@dataclass(frozen=True)
class Block:
    """A bold line (a form question or a checked statement) and the answer under it, up to the next bold line."""

    q_start: int
    q_end: int
    question: str
    a_start: int
    a_end: int

    def answer(self, text: str) -> str:
        return text[self.a_start : self.a_end]


# The form pasted as plain text (no emphasis): its questions are whole lines that open as the form's questions do.
_PLAIN_QUESTION = re.compile(
    r"^[ \t]*((?:are you|please|what|have you|is the|do you|so that|type|provide|if you)\b[^\n]{15,400}[?:]"
    # the later form's prompts that end in a full stop, published without their bold
    r"|(?:so that we can get back to you|please type your full legal name|do you have the alleged infringer)\b[^\n]{0,200}\.)"
    r"[ \t]*$",
    re.MULTILINE | re.IGNORECASE,
)


def form_blocks(text: str) -> list[Block]:
    matches = list(_QUESTION.finditer(text))
    if not matches:
        matches = list(_PLAIN_QUESTION.finditer(text))
    out: list[Block] = []
    for i, match in enumerate(matches):
        a_end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        question = re.sub(r"\s+", " ", _norm(next(g for g in match.groups() if g)))
        out.append(Block(match.start(), match.end(), question, match.end(), a_end))
    return out


def find_block(blocks: list[Block], pattern: re.Pattern[str]) -> Block | None:
    for block in blocks:
        if pattern.search(block.question):
            return block
    return None


def nonblank(text: str, start: int, end: int) -> bool:
    return bool(text[start:end].strip(" \t\r\n*_-"))


def lines_with_offsets(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int, str]]:
    stop = len(text) if end is None else end
    pos = start
    while pos < stop:
        nl = text.find("\n", pos, stop)
        line_end = stop if nl == -1 else nl
        yield pos, line_end, text[pos:line_end]
        pos = line_end + 1


def host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


_SCHEME = re.compile(r"^https?://(?:www\.)?")


@lru_cache(maxsize=16384)
def url_key(url: str) -> str:
    """A URL compared without its scheme, `www.`, case or trailing slash (cached: a notice may list 2,000)."""
    return _SCHEME.sub("", url.strip().lower()).rstrip("/")


# Prose between a channel word and the value ("your most recent email to [private]", "contact us through the site.
# The account [private] ..."): the word names a message or a way to write, not the value's label.
_PROSE_LINK = re.compile(r"\b(?:to|from|by|through|regarding|about|sent|received)\b|[.!?][ \t]+\w{2,}[ \t]")
# The label names the other side's details ("the only contact information we have for the user is [private]", "the
# uploader's email: [private]"): a value, but not the sender's.
OTHER_SIDE = re.compile(
    r"\b(?:for|of) (?:the|this|that) (?:github )?(?:user|uploader|infringer|poster|account(?: holder| owner)?|repository owner)\b"
    r"|\b(?:user|uploader|infringer|poster)['’]s\b"
)


def labels_value(label: re.Pattern[str], before: str, senders_only: bool = False) -> bool:
    """A match of `label` in `before` labels the value right after it: no prose word between the two, unless a colon
    closes the label ("Email to reach me about this matter: [private]"). `senders_only`: not a label that names the
    other side's value ("contact information for the user is ...", "The uploader's email: ...")."""
    colon = before.rstrip(" \t*_").endswith(":")
    for m in label.finditer(before):
        if not colon and _PROSE_LINK.search(before[m.end() :]):
            continue
        if senders_only:
            # the label's own clause: from the sentence or clause boundary before it ("..., so please email me at:")
            clause = max(before.rfind(c, 0, m.start()) for c in (". ", ", ", "; ", "? ", "! ")) + 1
            if OTHER_SIDE.search(before[clause:]):
                continue
        return True
    return False
