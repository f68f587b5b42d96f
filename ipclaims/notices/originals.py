"""The URLs a notice presents as the sender's own original: where the work is, never the material (NOTICES.md).

A cue right before a URL says so: "my own channel at", "our repository", "I published it at", "I wrote the code in",
"the original work is at". The reader (`Doc.url_roles`) makes those URLs the original's on the platform's own hosts
too, where a fork or copy of the sender's repository sits beside it ("my repo X was forked to Y": X is the work, Y the
material); a cue that is the object of a copy ("a direct copy of our work:"), labels the URL before it, or names the
root of forks to take down ("Original repository: X / Forks: ...") is none.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from ipclaims.notices.text import Block, Url, host_of, url_key

if TYPE_CHECKING:
    from ipclaims.notices.doc import Doc

_MEMO = "own-starts"
# Hosts whose paths start with the account ("github.com/<account>/<repository>").
_ACCOUNT_HOSTS = re.compile(r"(?:www\.)?(?:github\.com|gitlab\.com)|gist\.github\.com|raw\.githubusercontent\.com")


def account_first(url: str) -> bool:
    """The URL's path starts with an account name, as on GitHub's and GitLab's hosts."""
    return bool(_ACCOUNT_HOSTS.fullmatch(host_of(url)))


def own_starts(doc: Doc, reported_block: Block | None) -> set[int]:
    """`own_urls` of the doc, worked out once (the roles ask with the form's answer on the files to take down)."""
    found = doc.memo.get(_MEMO)
    if not isinstance(found, set):
        found = own_urls(doc.text, doc.lower, doc.start, doc.urls, doc.on_platform, doc.excluded_ranges, reported_block)
        doc.memo[_MEMO] = found
    return found


def own_original(doc: Doc, url: Url) -> bool:
    """The text presents the URL as where the sender's own original is ("my repository", "I published it at", "the
    original is at"): the work's location, never the material."""
    _ = doc.url_roles  # the roles work it out with the form's answer on the files to take down
    return url.start in cast(set[int], doc.memo.get(_MEMO, set()))


# The words right before the URL a cue may end with ("... is hosted at", "... can be found at:").
_CUE_TAIL = (
    r"(?:\s+(?:is|was|are|were|(?:is\s+|are\s+)?(?:hosted|located|available|published|posted|found)|can\s+be\s+(?:found|seen|viewed)"
    r"|lives|resides))?(?:\s+(?:at|in|on|here|under))?(?=[ \t\r\n:(\[*_>-]*(?:https?://|www\.))"
)
# The sender's own place ("my repository", "our channel") or original ("my original work"); not "our code in ...", which
# is as often where a copy of it sits ("the entire repository of our code in <the leak>").
_OWN_PLACE = (
    r"(?:(?:public|official|github|gitlab|main|upstream)\s+)?(?:repos?|repositor(?:y|ies)|channel|account|profile|page|project|"
    r"website|site|gist|package)"
)
_OWN_CUE = re.compile(
    r"(?<![\w/.-])(?:(?:my|our)\s+(?:own\s+)?(?:original(?:\s+(?:copyrighted\s+)?(?:work|code|source\s+code|videos?|uploads?|posts?|"
    rf"files?|version|{_OWN_PLACE}))?|{_OWN_PLACE})"
    r"|(?:i|we)(?:\s+have|\s+had|'ve)?\s+(?:originally\s+|first\s+|also\s+)?(?:published|uploaded|posted|wrote|released|hosted|host|"
    r"created|developed|made|shared|maintain(?:ed)?|publish|upload|release|share)\b"
    # what was published and where to: no other verb between ("we created is posted here" is someone else's act)
    r"(?P<filler>(?:(?!\s(?:is|are|was|were|been|being|has|have|had|by)\b)[^.;:\n]){0,60}?)\b(?:at|in|on|to|under|here))" + _CUE_TAIL,
    re.IGNORECASE,
)
_ORIGINAL_CUE = re.compile(
    r"(?<![\w/.-])(?:the\s+)?(?:original(?:\s+(?:copyrighted\s+)?(?:work|repo|repository|code|source\s+code|project|version|source|"
    r"content|files?|videos?|image|photo|post|article|upload|channel|page|location))?)"
    r"(?:\s+(?:url|link)s?)?" + _CUE_TAIL,
    re.IGNORECASE,
)
# In the words before a cue (its sentence, or its list item), a copy made of it or someone else's act: "a direct copy of
# our work", "the user has posted our code here", "has cloned my work". Then the URL is the copy's.
_CUE_OBJECT_OF = re.compile(
    r"\b(?:infring\w*|unauthori[sz]ed|violat\w*|plagiari\w*|cop(?:y|ies|ied|ying)|steal\w*|stole|stolen|pirat\w*|leak\w*|fork\w*|"
    r"clon\w+|mirror\w*|re-?upload\w*|re-?post\w*|posted|uploaded|published|hosted|put|shared|created|derived|based|matched|"
    r"contain\w*|includ\w*|us(?:es|ed|ing)|versions?|duplicat\w*|replica\w*|modif\w*|altered|distribut\w*|reproduc\w*|"
    r"remov\w*|take\s*down|delet\w*|referenc\w*|refer\w*|mention\w*|point\w*|evidence|proof|examples?)\b",
    re.IGNORECASE,
)
_FORK = re.compile(r"\bfork")
# A URL and then no word before the cue on its line ("https://... <- Original"): the cue is that URL's label.
_LABELS_URL_BEFORE = re.compile(r"://\S*[\w/#=&%~-][ \t]*(?:[<>|=*()\[\]-]+[ \t]*)*\Z")
CUE_REACH = 200  # how far before its URL a cue may start ("I published the full source of the game in 2019 at ...")
# Right after a URL: it is the copy ("... is copied from", "is an illegal duplicate of"), not the source the cue names.
_COPIED_FROM = re.compile(
    r"[\s:)*_>-]*(?:(?:is|was|are|were|has been|have been|seems to be|appears to be)\s+)?(?:(?:an?|the|also|just|clearly|simply)\s+){0,2}"
    r"(?:[\w-]+\s+)?(?:(?:copied|taken|stolen|lifted|forked|cloned|derived|plagiari[sz]ed)\s+from|(?:cop(?:y|ies)|duplicates?|forks?|"
    r"clones?|mirrors?|re-?uploads?)\s+of)|[\s)*_-]*(?:infringes|(?:is|are|was|were)\s+(?:\w+\s+)?infringing)\b",
    re.IGNORECASE,
)
# What a first-person cue's verb may not be about: "I created an issue at", "I posted a comment on".
_CUE_NOT_WORK = re.compile(
    r"\b(?:issues?|tickets?|reports?|complaints?|requests?|comments?|messages?|e-?mails?|notices?|pull)\b", re.IGNORECASE
)
# Where the words about a cue's URL begin: after a sentence, a blank line, a line ending in a URL, or at a list item.
_CUE_CLAUSE_END = re.compile(r"[.!?;:]\s|\n[ \t]*\n|https?://\S+[ \t]*\n|\n(?=[ \t]*(?:[-*•>]|\d{1,3}[.)])[ \t])")
_CUE_FILL = re.compile(r"[ \t\r\n:(\[*_>-]*")


def own_urls(
    text: str,
    lower: str,
    start: int,
    urls: list[Url],
    on_platform: Callable[[Url], bool],
    excluded: tuple[tuple[int, int], ...],
    reported_block: Block | None,
) -> set[int]:
    """The starts of the platform URLs a cue presents as the sender's own original. Not inside the answer about the other
    side; not "the original is at" in the form's answer on the files to take down (there "Original repository" names
    the root of the forks to remove); not a URL the sender also lists among the files to take down (other than as "my repo" there)."""
    in_reported = (lambda pos: reported_block.a_start <= pos < reported_block.a_end) if reported_block else (lambda pos: False)
    cues = _cues(text, lower, start, urls, on_platform)
    own = {at for at, first_person in cues.items() if not any(a <= at < b for a, b in excluded) and (first_person or not in_reported(at))}
    taken_down = {url_key(u.url) for u in urls if in_reported(u.start) and u.start not in own}
    return {u.start for u in urls if u.start in own and url_key(u.url) not in taken_down}


def _cues(text: str, lower: str, start: int, urls: list[Url], on_platform: Callable[[Url], bool]) -> dict[int, bool]:
    """URL start → whether its cue is the sender's own words ("my repo", "I published it at") rather than "the
    original is at". Off the platform the words around a URL already tell the sender's site from a copy (`Doc._role`)."""
    out: dict[int, bool] = {}
    by_start = {u.start: u for u in urls}
    # A cue ends right before its URL and holds none: only the words since the URL before it are read (a 900 kB letter
    # is not scanned whole, a list of 2,000 URLs has next to nothing between them).
    windows, previous = [], start
    for url in urls:
        if on_platform(url):
            windows.append((max(previous, url.start - CUE_REACH), url.start + 8))
        previous = url.end
    for (lo, hi), (pattern, first_person) in itertools.product(windows, ((_OWN_CUE, True), (_ORIGINAL_CUE, False))):
        for m in pattern.finditer(text, lo, hi):
            filler = m.groupdict().get("filler")
            if filler is not None and (_CUE_OBJECT_OF.search(filler) or _CUE_NOT_WORK.search(filler)):
                continue  # "I posted an issue at", "I wrote it, but he copied it to"
            window = text[max(start, m.start() - 80) : m.start()]
            ends = list(_CUE_CLAUSE_END.finditer(window))
            if _CUE_OBJECT_OF.search(window, ends[-1].end() if ends else 0):
                continue  # "a direct copy of our work", "the user has posted our code here"
            at = cast(re.Match[str], _CUE_FILL.match(text, m.end())).end()
            if _LABELS_URL_BEFORE.search(text, text.rfind("\n", 0, m.start()) + 1, m.start()):
                continue  # "X <- Original" over "Y <- Infringer": the cue labels the URL before it
            if not first_person and _forks_near(text, lower, start, m.start(), at):
                continue  # "Original repository: X / Forks: ...": the root of the forks to take down
            cued = by_start.get(at)
            if cued is None or _COPIED_FROM.match(text, cued.end):
                continue  # "our repo: X is copied from ...": X is the copy
            out[at] = out.get(at, False) or first_person
    return out


def _forks_near(text: str, lower: str, start: int, lo: int, hi: int) -> bool:
    """The sender's own words near a cue (not the form's question on forks) speak of forks."""
    for m in _FORK.finditer(lower, max(start, lo - 300), min(len(text), hi + 300)):
        line_start = text.rfind("\n", 0, m.start()) + 1
        if not text.startswith("**", line_start) and not text.startswith("<a ", line_start):
            return True
    return False
