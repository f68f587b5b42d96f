"""The import page's notice text, cut into runs at every evidence boundary, each run with the elements quoting it.

Where an element's quote starts, the page shows a label naming the element and what the reading found ("Signature:
deficient"): the status and the element are read there, not told by the highlight's colour or a hover tooltip. The
label is the anchor (`ev-{code}-{n}`) the element list's quotes link to.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import pairwise

from ipclaims import notices

SEVERITY = {"present": 0, "missing": 1, "deficient": 2}


@dataclass
class Tag:
    """Where an element's n-th quote starts (`anchor`), labelled with the element's name and status."""

    anchor: str
    code: str
    status: str
    name: str


@dataclass
class Segment:
    """A run of the message text and the elements whose evidence covers it (none: plain text)."""

    text: str
    codes: list[str] = field(default_factory=list)
    status: str = ""  # the worst of theirs, which the highlight shows
    tags: list[Tag] = field(default_factory=list)  # the quotes that start here


def segments(text: str, judgements: tuple[notices.Judgement, ...], names: Mapping[str, str]) -> list[Segment]:
    """The text cut at every evidence boundary, each piece with the elements quoting it (the worst status first) and
    the labels of the quotes starting there. `names`: each element's name in staff words, by code."""
    spans = [
        (j.code, j.status, n, s.start, s.end) for j in judgements for n, s in enumerate(j.evidence) if 0 <= s.start < s.end <= len(text)
    ]
    cuts = sorted({0, len(text)} | {s for *_, s, _ in spans} | {e for *_, e in spans})
    out = []
    for a, b in pairwise(cuts):
        covering = [(code, status) for code, status, _, s, e in spans if s <= a and b <= e]
        tags = [Tag(f"ev-{code}-{n}", code, status, names.get(code, code)) for code, status, n, s, _ in spans if s == a]
        piece = Segment(text[a:b], tags=tags)
        if covering:
            piece.codes = list(dict.fromkeys(code for code, _ in covering))
            piece.status = max((status for _, status in covering), key=lambda s: SEVERITY.get(s, 0))
        out.append(piece)
    return out
