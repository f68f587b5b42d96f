"""One notice text, read once: its sentences, form blocks, URLs by role, contact channels and signing block.

The judges (`judges.py`, `contact.py`, `material.py`, `counter.py`, `regimes.py`) and the field builder (`fields.py`)
all look at the same `Doc`.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import cast

from ipclaims.notices.address import address_end
from ipclaims.notices.originals import own_starts
from ipclaims.notices.phones import phones_in_line
from ipclaims.notices.recipient import in_recipient_block
from ipclaims.notices.text import (
    OTHER_SIDE,
    REDACTED,
    Block,
    Sentence,
    Url,
    find_block,
    find_urls,
    form_blocks,
    host_of,
    labels_value,
    lines_with_offsets,
    normalise,
    sentences,
    url_key,
)

# A publisher's preface above the notice (GitHub prints one before "---"): not part of what the sender wrote.
# How far before a redacted value its label is looked for (`Telephone number: [private]`).
LABEL_REACH = 200
_PREFACE = re.compile(
    r"\A(?:(?!\n---).){0,1500}?(?:Before disabling any content|To learn about when and why).{0,1500}?\n---[ \t]*\n", re.DOTALL
)

# Links that belong to a platform's form or its guides, never to a claim.
_BOILERPLATE_HOSTS = ("docs.github.com", "help.github.com", "lumendatabase.org", "www.lumendatabase.org", "guides.github.com")
_BOILERPLATE_PATHS = re.compile(r"^/(?:github/dmca|contact|site-policy|articles/|en/|features)", re.IGNORECASE)
PLATFORM_HOSTS = ("github.com", "gist.github.com", "raw.githubusercontent.com", "npmjs.com", "www.npmjs.com", "gitlab.com")

_ORIGINAL_Q = re.compile(r"original (?:copyrighted )?work|describe the (?:original|copyrighted)|detailed description of the original")
_REPORTED_Q = re.compile(
    r"what files (?:should|were|are) (?:be )?taken down|files should be taken down|infringing (?:files|material)|provide urls for each file"
)
_INFRINGER_Q = re.compile(r"infringer'?s? contact|alleged infringer")
_CONTACT_Q = re.compile(r"(?:telephone|phone) number|physical address|get back to you")
_SIGN_Q = re.compile(r"full legal name|sign this request|signature")

ORIGINAL_WORDS = re.compile(
    r"\b(?:original(?:ly)?|official|our (?:own )?(?:website|site|repo|repository|store|product|page)|"
    r"my (?:own )?(?:website|site|repo|repository)|"
    r"available (?:at|on|from)|can be (?:found|purchased|bought|seen) at|purchased?|sold (?:at|on)|published (?:at|on|by us)|"
    r"legitimate|authentic|genuine|copyrighted work|owned by|source of (?:the )?original|is located at|hosted at|we sell|licensed from|"
    r"authori[sz]ed (?:example|copy|version|distributors?|resellers?|sellers?|stores?)|distributors?|resellers?)",
    re.IGNORECASE,
)
ORIGINAL_STRONG = re.compile(
    r"\b(?:original(?:ly)?|official|legitimate|authentic|genuine|our (?:own )?(?:repo|repository)|my (?:own )?(?:repo|repository))\b",
    re.IGNORECASE,
)
INFRINGING_WORDS = re.compile(
    r"infring|unauthori[sz]ed|unlicen[cs]ed|without (?:[\w']+ ){0,2}(?:permission|authori[sz]ation|consent|licen[cs]e)|"
    r"with no (?:permission|authori[sz]ation|consent|licen[cs]e)|take ?down|remove|removal|disable|copied|"
    r"copies|copy of|pirat|leak|stolen|fork|violat|illegal|reported|offending|following (?:urls|links|repositor)",
    re.IGNORECASE,
)

EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9][\w.+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}\b")
_ADDRESS_LABEL = re.compile(r"\b(?:address|addr|mailing address|postal address|physical address|located at)\b\s*[:.]?", re.IGNORECASE)
STREET = re.compile(
    r"\b\d{1,6}[A-Za-z]?,?\s+(?:[A-Z][\w'.-]*\s+){0,5}(?:street|st|avenue|ave|road|rd|boulevard|blvd|drive|dr|lane|ln|way|court|ct|"
    r"place|pl|suite|ste|floor|square|sq|parkway|pkwy|highway|hwy|plaza|terrace|circle|strasse|straße|str|weg|platz|rue|via|calle)\b\.?"
    r"|\b(?:p\.?\s?o\.?\s+box|postfach|suite\s+\d+)\b"
    r"|\b(?:street|strasse|straße|rue|(?-i:Via)|calle|avenida|ulica|ul\.)\s+(?!(?:github|e-?mail|the|a|an|our|my|this|web)\b)\w+[^\n]{0,20}\d",
    re.IGNORECASE,
)
POSTCODE_CITY = re.compile(
    r"\b[A-Z][a-zA-Z .'-]{2,30},\s*[A-Z]{2}\.?\s+\d{5}(?:-\d{4})?\b|\b\d{4,6}\s+[A-Z][a-zäöüéè]+\b|\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b"
    r"|\bsingapore\s+\d{6}\b",
)
# A labelled address line ("Registered office: ...", "Mailing address: ...") with a value on it.
_LABELLED_ADDRESS = re.compile(
    r"^[ \t*_>-]*(?:registered office|head office|(?:mailing|postal|physical|street|business|office|company) address|address)"
    r"[ \t*_]*[:：][ \t*_]*(?=\S)(?![ \t*_]*\[)[^\n]{8,}",
    re.IGNORECASE,
)
# The platform's own mailboxes are where the notice went, not how to reach its sender.
_PLATFORM_MAIL = re.compile(r"@(?:github\.com|support\.github\.com|npmjs\.com|example\.(?:com|org))$", re.IGNORECASE)


@dataclass
class Found:
    start: int
    end: int
    value: str


@dataclass
class Doc:
    text: str
    start: int = 0  # where the sender's own words begin (after a publisher's preface)
    # The deployment's hosts (IPCLAIMS_PLATFORM_HOSTS): URLs there are material; empty: github/dmca's (`is_platform`).
    platform_hosts: frozenset[str] = frozenset()
    # Never the sender's contact (lower-cased): the agent's own mailboxes; To/Cc less From, if another address shows.
    agent_addresses: frozenset[str] = frozenset()
    recipients: frozenset[str] = frozenset()
    lower: str = field(init=False)
    _hit_cache: dict[str, tuple[list[int], list[int]]] = field(init=False, default_factory=dict)
    memo: dict[str, object] = field(init=False, default_factory=dict)  # what a judge worked out, for the others

    def __post_init__(self) -> None:
        match = _PREFACE.match(self.text)
        if match:
            self.start = match.end()
        self.lower = normalise(self.text)

    # --- structure ---------------------------------------------------------------------------------------------

    @cached_property
    def sentences(self) -> list[Sentence]:
        return [s for s in sentences(self.text) if s.end > self.start]

    @cached_property
    def blocks(self) -> list[Block]:
        return [b for b in form_blocks(self.text) if b.q_start >= self.start]

    @cached_property
    def is_form(self) -> bool:
        return len(self.blocks) >= 4

    def block(self, pattern: re.Pattern[str]) -> Block | None:
        return find_block(self.blocks, pattern)

    def find(self, pattern: re.Pattern[str]) -> list[Sentence]:
        return [s for s in self.sentences if pattern.search(s.lower)]

    @cached_property
    def excluded_ranges(self) -> tuple[tuple[int, int], ...]:
        """Answers about the other side (the infringer's contact details), found once: `in_excluded` is asked for every
        redaction and channel (a form of 5,000 prompts took 110 s when each call looked again)."""
        block = self.block(_INFRINGER_Q)
        return ((block.q_start, block.a_end),) if block else ()

    def in_excluded(self, pos: int) -> bool:
        return any(a <= pos < b for a, b in self.excluded_ranges)

    # --- URLs --------------------------------------------------------------------------------------------------

    @cached_property
    def urls(self) -> list[Url]:
        return [u for u in find_urls(self.text) if u.start >= self.start and not _boilerplate(u)]

    def _sentence_at(self, pos: int) -> Sentence | None:
        for s in self.sentences:
            if s.start <= pos < s.end:
                return s
        return None

    @cached_property
    def url_roles(self) -> list[tuple[Url, str]]:
        """Each URL with its role: `original` (the work), `reported` (the infringing material) or `other`."""
        original_block = self.block(_ORIGINAL_Q)
        reported_block = self.block(_REPORTED_Q)
        excluded = self.excluded_ranges
        out: list[tuple[Url, str]] = []
        sentence_list = self.sentences
        index = 0
        own = own_starts(self, reported_block)
        for url in self.urls:
            while index < len(sentence_list) and sentence_list[index].end <= url.start:
                index += 1
            sentence = sentence_list[index] if index < len(sentence_list) and sentence_list[index].start <= url.start else None
            role = "original" if url.start in own else self._role(url, sentence, original_block, reported_block, excluded)
            if out and role == "reported" and out[-1][1] == "original" and self._same_list(out[-1][0], url):
                role = "original"  # the next item of a list of the original's URLs, with no words of its own
            out.append((url, role))
        return out

    def _same_list(self, previous: Url, url: Url) -> bool:
        between = self.text[previous.end : url.start]
        if "\n\n" in between.replace(" ", "").replace("\t", "") or "\n" not in between or len(between) > 200:
            return False
        lead = self.text[self.text.rfind("\n", 0, previous.start) + 1 : previous.start]
        words = between.strip(" \t\r\n-*•>,;)(").split()
        if len(words) > 1 or ":" in between or ":" in lead or len(lead) > 60:
            return False  # words between, or a labelled line before: not the next item of one list
        original, infringing = self._hits("original"), self._hits("infringing")
        return not _any_within(infringing, previous.end, url.start) and not _any_within(original, previous.end, url.start)

    def _role(
        self,
        url: Url,
        sentence: Sentence | None,
        original_block: Block | None,
        reported_block: Block | None,
        excluded: tuple[tuple[int, int], ...],
    ) -> str:
        if any(a <= url.start < b for a, b in excluded):
            return "other"
        if reported_block and reported_block.a_start <= url.start < reported_block.a_end:
            return "reported"
        if original_block and original_block.a_start <= url.start < original_block.a_end:
            return "original"
        on_platform = self.on_platform(url)
        # Only the words around the URL (a list of 2,000 URLs is one long "sentence"): the sentence, clipped, and the
        # last 100 characters of its paragraph before it. Word hits are found once per text and looked up here.
        para = self.text.rfind("\n\n", max(self.start, url.start - 160), url.start)
        near_lo = max(self.start, url.start - 100, para + 2 if para >= 0 else 0)
        label = _LABEL_LINE_END.search(self.text, near_lo, url.start)
        while label:  # a label line ("URLs:") between starts a new item: the words before it are about something else
            near_lo, label = label.start(), _LABEL_LINE_END.search(self.text, label.end(), url.start)
        lo, hi = (max(sentence.start, url.start - 300), min(sentence.end, url.end + 120)) if sentence else (near_lo, url.start)
        original = self._hits("strong" if on_platform else "original")
        infringing = self._hits("infringing")
        says_original = _any_within(original, lo, hi) or _any_within(original, near_lo, url.start)
        says_infringing = _any_within(infringing, lo, hi) or _any_within(infringing, near_lo, url.start)
        if says_original and not says_infringing:
            return "original"
        if says_original and says_infringing and not on_platform:
            # Both words nearby: the closer one before the URL decides.
            start = max(near_lo, url.start - 80)
            if _last_within(self._hits("original"), start, url.start) > _last_within(infringing, start, url.start):
                return "original"
        if on_platform or says_infringing:
            return "reported"
        return "other" if self.has_platform_urls else "reported"

    def on_platform(self, url: Url) -> bool:
        """The URL is on the platform the notice is sent to (exact host names when configured, as intake checks)."""
        if self.platform_hosts:
            return url.host.rstrip(".") in self.platform_hosts
        return is_platform(url)

    def on_platform_url(self, url: str) -> bool:  # `on_platform` for a URL as text
        return platform_url(url, self.platform_hosts)

    def _hits(self, kind: str) -> tuple[list[int], list[int]]:
        cached = self._hit_cache.get(kind)
        if cached is None:
            pattern = {"original": ORIGINAL_WORDS, "strong": ORIGINAL_STRONG, "infringing": INFRINGING_WORDS}[kind]
            found = [(m.start(), m.end()) for m in pattern.finditer(self.text, self.start)]
            cached = ([a for a, _ in found], [b for _, b in found])
            self._hit_cache[kind] = cached
        return cached

    @cached_property
    def has_platform_urls(self) -> bool:
        return any(self.on_platform(u) for u in self.urls)

    def role_urls(self, role: str) -> list[Url]:
        return [u for u, r in self.url_roles if r == role]

    # --- contact channels --------------------------------------------------------------------------------------

    @cached_property
    def emails(self) -> list[Found]:
        out = []
        for m in EMAIL.finditer(self.text, self.start):
            if not (_PLATFORM_MAIL.search(m.group(0)) or self.in_excluded(m.start()) or m.group(0).lower() in self.agent_addresses):
                out.append(Found(m.start(), m.end(), m.group(0)))
        if self.recipients and any(f.value.lower() not in self.recipients for f in out):
            out = [f for f in out if f.value.lower() not in self.recipients]
        return out

    @cached_property
    def phones(self) -> list[Found]:
        out = []
        url_ranges = [(u.start, u.end) for u in find_urls(self.text[: self.start])] + [(u.start, u.end) for u in self.urls]
        url_starts = [a for a, _ in url_ranges]
        for _, _, line_start, line in self._lines():
            for a, b in phones_in_line(line):
                start = line_start + a
                i = bisect.bisect_right(url_starts, start) - 1
                if (i >= 0 and url_ranges[i][0] <= start < url_ranges[i][1]) or self.in_excluded(start):
                    continue
                out.append(Found(start, line_start + b, line[a:b].strip()))
        return out

    @cached_property
    def addresses(self) -> list[Found]:
        out = []
        for _, _, line_start, line in self._lines():
            if line_start < self.start or self.in_excluded(line_start):
                continue
            m = STREET.search(line) or POSTCODE_CITY.search(line) or _LABELLED_ADDRESS.search(line)
            if m and not find_urls(line) and not in_recipient_block(self.text, self.start, line_start):
                end = address_end(line, m.start())  # not into a sentence that follows it on the line
                out.append(Found(line_start, line_start + end, line[:end].strip()))
        return out

    def _lines(self) -> list[tuple[int, int, int, str]]:
        return [(a, b, a, line) for a, b, line in lines_with_offsets(self.text, self.start)]

    @cached_property
    def redactions(self) -> list[Found]:
        return [Found(m.start(), m.end(), m.group(0)) for m in REDACTED.finditer(self.text, self.start)]

    @cached_property
    def _redaction_starts(self) -> list[int]:
        return [r.start for r in self.redactions]

    def redactions_between(self, lo: int, hi: int) -> list[Found]:
        """The redactions starting in [lo, hi), found by bisection (a notice may hold thousands)."""
        starts = self._redaction_starts
        return self.redactions[bisect.bisect_left(starts, lo) : bisect.bisect_left(starts, hi)]

    @staticmethod
    def redaction_free(line: str) -> str:
        return REDACTED.sub("", line)

    @cached_property
    def _newlines(self) -> list[int]:
        return [m.start() for m in re.finditer("\n", self.text)]

    def line_span(self, pos: int) -> tuple[int, int]:
        """Start and end (the newline, or the end of the text) of the line holding `pos`; a bisection, so that a
        text of one long line with many redactions is not rescanned for each of them."""
        newlines = self._newlines
        i = bisect.bisect_left(newlines, pos)
        return (newlines[i - 1] + 1 if i else 0), (newlines[i] if i < len(newlines) else len(self.text))

    def _content_from(self, line_start: int) -> int:
        """Where a line's first character other than spaces, `*`, `:` and `-` is (its end when there is none)."""
        key = f"content:{line_start}"
        if key not in self.memo:
            end = self.line_span(line_start)[1]
            line = self.lower[line_start:end]
            self.memo[key] = end - len(line.lstrip(" *:-"))
        return cast(int, self.memo[key])

    def labelled_redactions(self, label: re.Pattern[str], *, senders_only: bool = False) -> list[Found]:
        """Redacted values on a line (or just under a line) whose label matches, e.g. `Phone: [private]`. The label
        is looked for in the LABEL_REACH characters before the value on its line (a label sits beside its value)."""
        out = []
        for found in self.redactions:
            line_start = self.line_span(found.start)[0]
            before = self.lower[max(line_start, found.start - LABEL_REACH) : found.start]
            prev = ""
            if found.start <= self._content_from(line_start) and line_start:
                prev_start = self.line_span(line_start - 1)[0]
                prev = self.lower[max(prev_start, line_start - 1 - LABEL_REACH) : line_start]
            labelled = labels_value(label, before, senders_only) or (label.search(prev) and not (senders_only and OTHER_SIDE.search(prev)))
            if labelled and not self.in_excluded(found.start):
                out.append(found)
        return out

    def contact_block(self) -> Block | None:
        """The form's contact question; when the form asks twice ("...telephone number or physical address" and then
        "Please provide a telephone number"), the first one answered."""
        asked = [b for b in self.blocks if _CONTACT_Q.search(b.question) and not _INFRINGER_Q.search(b.question)]
        answered = [b for b in asked if b.answer(self.text).strip(" \t\r\n*_-")]
        chosen = answered or asked
        return chosen[0] if chosen else None

    def sign_block(self) -> Block | None:
        block = self.block(_SIGN_Q)
        return block if block and "infring" not in block.question else None


_LABEL_LINE_END = re.compile(r"(?<=\n)[^\n]{1,60}:[ \t]*\n")


def _any_within(hits: tuple[list[int], list[int]], lo: int, hi: int) -> bool:
    starts, ends = hits
    i = bisect.bisect_left(starts, lo)
    return i < len(starts) and ends[i] <= hi


def _last_within(hits: tuple[list[int], list[int]], lo: int, hi: int) -> int:
    starts, ends = hits
    i = bisect.bisect_right(starts, hi) - 1
    while i >= 0 and starts[i] >= lo:
        if ends[i] <= hi:
            return ends[i]
        i -= 1
    return -1


def _boilerplate(url: Url) -> bool:
    if url.host in _BOILERPLATE_HOSTS:
        return True
    return url.host in ("github.com", "www.github.com") and bool(_BOILERPLATE_PATHS.match(url.path))


def _builtin_host(host: str) -> bool:  # on github/dmca's hosts: what a Doc without configured hosts uses
    return host in PLATFORM_HOSTS or host.endswith((".github.io", ".github.com", ".githubusercontent.com"))


def is_platform(url: Url) -> bool:
    return _builtin_host(url.host)


@lru_cache(maxsize=16384)
def _builtin_platform_url(url: str) -> bool:
    return _builtin_host(url_key(url).split("/")[0])


def platform_url(url: str, platform_hosts: frozenset[str]) -> bool:
    """A URL as text is on the platform: its own host one of `platform_hosts` (IPCLAIMS_PLATFORM_HOSTS; not url_key's,
    which drops "www."), or with none configured on github/dmca's hosts, as a `Doc` reads it."""
    return host_of(url).rstrip(".") in platform_hosts if platform_hosts else _builtin_platform_url(url)


def url_depth(url: Url) -> int:
    return len([p for p in url.path.split("/") if p])


def dedupe(found: list[Sentence]) -> list[Sentence]:
    """The sentences in text order, each once."""
    seen: set[int] = set()
    out = []
    for s in sorted(found, key=lambda s: s.start):
        if s.start not in seen:
            seen.add(s.start)
            out.append(s)
    return out


_URL_LINE = re.compile(r"[ \t]*(?:[-*+•][ \t]*|\d{1,3}[.)][ \t]*)?(?:https?://|www\.)\S*[ \t]*")


def with_next(doc: Doc, s: Sentence) -> str:
    """The sentence read on past a line break or a list of URL lines (lower-cased), for judging a statement."""
    # A statement broken by a line break into two "sentences" is read together; one broken by a list of URLs ("I
    # believe that the pages\n- URL\n- URL\nare not authorised by ...") is read with the words after the list.
    if s.text.rstrip(" *_\n").endswith((".", ";", "!", "?")):
        return s.lower
    key = f"with-next:{s.start}"
    found = doc.memo.get(key)
    if not isinstance(found, str):
        found = doc.lower[s.start : min(len(doc.text), s.end + 160)]
        resume = after_url_list(doc, s.end)
        if resume is not None:
            found = s.lower + " " + doc.lower[resume : resume + 160]
        doc.memo[key] = found
    return found


def after_url_list(doc: Doc, pos: int) -> int | None:
    """Where the words resume after a list of URL lines that starts right after `pos` (None when no such list)."""
    urls = 0
    for start, _, line in lines_with_offsets(doc.text, doc.line_span(pos)[1] + 1 if pos < len(doc.text) else pos):
        if not line.strip():
            continue
        if _URL_LINE.fullmatch(line):
            urls += 1
            continue
        return start if urls else None
    return None
