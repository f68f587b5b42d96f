"""The words that only introduce a work's description, and a line that labels the work.

A letter says what its work is after a lead-in: a label ("Our work:", "Description of the original work:") or a
sentence's opening ("The copyrighted work at issue is ..."). The draft's description is what comes after it, so
staff read the work, not the sentence around it (`extract.description` uses these).
"""

from __future__ import annotations

import itertools
import re

MAX_DESCRIPTION = 1000
# A label ending in a colon at the start of a text ("1. Identification of the copyrighted work: ...").
_LABEL = re.compile(r"^\s*(?:\d+[.)]\s*)?[A-Za-z][\w ,'()/-]{2,80}?:\s+(?=\S)")
_QUALIFIED_WORK = r"(?:(?:original|copyrighted|copyright|protected|own)[ \t]+)*works?"
# A line that labels the work and gives it after the colon or under it: "Our work: ...", "Description of the
# original work:", "Copyrighted work - ..." (a bare "Work:" is as often a telephone label: not read).
_WORK_LABEL = re.compile(
    r"^[ \t*_>#-]*(?:\(?\d{1,2}[.)][ \t]*)?(?P<label>"
    r"(?:(?:a[ \t]+)?(?:description|identification|name|title|list)[ \t]+of[ \t]+|identify[ \t]+|describe[ \t]+)?"
    rf"(?:(?:the|our|my)[ \t]+)?{_QUALIFIED_WORK}(?:[ \t]+(?:being[ \t]+)?infringed|[ \t]+in[ \t]+question|[ \t]+at[ \t]+issue"
    r"|[ \t]+(?:alleged|claimed)[ \t]+to[ \t]+(?:be|have[ \t]+been)[ \t]+infringed)?)"
    r"[ \t*_]*(?::|：|[ \t]-)[ \t*_]*(?P<value>[^\n]*)$",
    re.IGNORECASE | re.MULTILINE,
)
# The words a sentence about the work opens with before saying what it is ("The copyrighted work at issue is ...",
# "Our original work is ..."): dropped when what follows names or describes the work, not when it says where the
# work is ("Our work is copied at ...").
_WORK_IS = re.compile(
    rf"^[-–•*>\s]*(?:(?:the|our|my)[ \t]+)?{_QUALIFIED_WORK}"
    r"(?:[ \t]+(?:that|which)[ \t]+(?:is|was|has[ \t]+been|is[ \t]+being)[ \t]+(?:allegedly[ \t]+)?infringed"
    r"|[ \t]+(?:being[ \t]+)?infringed|[ \t]+in[ \t]+question|[ \t]+at[ \t]+issue)?"
    r"[ \t]+(?:(?:comprises|consists[ \t]+of|includes)[ \t]+|(?:is|are)[ \t]+"
    r"(?=(?:an?|the|our|my|his|her|their|its|this|these|all|several|two|three|four|five)\b|[\"“‘'0-9]|(?-i:[A-Z])))",
    re.IGNORECASE,
)


def labelled_work(text: str, start: int = 0) -> str:
    """What a line labelled as the work gives: the rest of its line and the lines under it to the paragraph's end,
    or the paragraph under the label when the line has nothing after it."""
    for m in _WORK_LABEL.finditer(text, start):
        label = m.group("label").strip()
        if label.lower() in ("work", "works") or not label[:1].isupper():
            continue  # a telephone's "Work:", or a sentence's end wrapped onto its own line ("... infringes the\ncopyrighted work:")
        paras = paragraphs(text[m.start("value") : m.start("value") + 2 * MAX_DESCRIPTION])
        if not paras:
            continue
        if not m.group("value").strip():
            return tidy(paras[0])
        lines = paras[0].splitlines()
        kept = list(itertools.takewhile(lambda line: not _NEXT_LABEL.match(line), lines[1:]))
        return tidy("\n".join([lines[0], *kept]))
    return ""


_NEXT_LABEL = re.compile(r"^[ \t*_>-]*[A-Z][\w ]{0,30}:")
_LEAD_LABEL_WORDS = re.compile(r"\b(?:work|original|description|identif\w*)\b", re.IGNORECASE)
_NOT_LEAD_LABEL = re.compile(r"infring|violat|url|link|repo|cop(?:y|ies)\b", re.IGNORECASE)


# A heading line over the description ("Identification of Copyrighted Work", then the sentence under it).
_HEADING_LINE = re.compile(
    r"^[ \t*_#]*(?:identification|description)[ \t]+of[ \t]+(?:the[ \t]+)?(?:(?:copyrighted|original|infringed)[ \t]+)*works?[ \t*_#]*\n",
    re.IGNORECASE,
)


def without_lead_in(text: str) -> str:
    """A description without the words that only introduce it: a heading line, a label ("Description of the
    original work:") and a sentence's opening ("The copyrighted work is ...")."""
    text = re.sub(r"^[ \t]*-{2,}[ \t]*", "", text)  # "--I am the creator of ...": a form answer's dashes
    heading = _HEADING_LINE.match(text)
    if heading and text[heading.end() :].strip():
        text = text[heading.end() :].lstrip()
    label = _LABEL.match(text)
    if (
        label
        and len(label.group(0).split()) <= 8
        and _LEAD_LABEL_WORDS.search(label.group(0))
        and not _NOT_LEAD_LABEL.search(label.group(0))
    ):
        text = text[label.end() :]
    opening = _WORK_IS.match(text)
    if not opening:
        return text
    text = text[opening.end() :]
    return text[:1].upper() + text[1:] if text[:1].islower() and not text[1:2].isupper() else text


def paragraphs(text: str) -> list[str]:
    """The text's paragraphs (blank-line separated), stripped, empty ones left out."""
    return [p.strip() for p in re.split(r"\n[ \t\r]*\n", text) if p.strip()]


def tidy(text: str) -> str:
    """Each line stripped, blank lines dropped, emphasis marks trimmed from the ends."""
    lines = [ln.strip() for ln in text.replace("\r", "").split("\n")]
    return "\n".join(ln for ln in lines if ln).strip(" *_")
