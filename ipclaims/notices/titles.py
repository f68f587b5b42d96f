"""A work named by its kind and its title in quotes ('the feature film "Harbour Lights"'): the draft's work title, and
the sentence that names the work for its description (`extract.description`, `fields.py`). The title may stand on the
line after its kind (mail wraps where it will) and be in a script without capitals, in 『』 or 「」 too.
"""

from __future__ import annotations

import re

from ipclaims.notices.doc import Doc
from ipclaims.notices.text import Sentence

# A work named by its kind and its title in quotes: 'the feature film "Harbour Lights"', 'our font “Quayside Sans”',
# 'die Partitur „Wellen am Rhein“', 'a song titled "Rain"'. The kind word keeps a quoted phrase of the letter (a
# statement quoted back, "as is") from being read as a title.
_WORK_KIND = (
    r"(?:feature |short |animated )?(?:film|movie|motion picture|documentary)|(?:tv |television |web )?series|episode|"
    r"song|track|album|single|lyrics|score|composition|musical work|sound recording|podcast|audiobook|"
    r"(?:e-?)?book|novel|textbook|comic|manga|article|essay|poem|screenplay|script|paper|course|tutorial|"
    r"(?:video |computer |mobile |board )?game|photo(?:graph)?|picture|image|illustration|artwork|painting|drawing|map|"
    r"font|typeface|(?:computer )?(?:software|program(?:me)?)|app(?:lication)?|plug-?in|theme|template|library|video|"
    r"(?:copyrighted |original )?work|"
    r"partitur|lied|buch|roman|spiel|werk|schriftart|chanson|livre|jeu|œuvre|oeuvre|canci[óo]n|libro|juego|obra|"
    r"canzone|gioco|opera|boek|spel"
)
# Between the kind and its title: spaces, or one line break (a hard-wrapped body, a PDF's layout); not a blank line.
_GAP = r"(?:[ \t]+|[ \t]*\n[ \t]*)"
_TITLED_WORK = re.compile(
    rf"\b(?:{_WORK_KIND})(?:s)?,?{_GAP}"
    rf"(?:(?:titled|entitled|called|named|known as|mit dem titel|intitul[ée]e?|titulad[oa]|intitolat[oa]|getiteld){_GAP})?"
    r"(?:\"(?P<dq>[^\"\n„«»]{2,100}?)\"|„(?P<low>[^\"\n„«»]{2,100}?)\"|«[ \t]?(?P<guil>[^\"\n„«»]{2,100}?)[ \t]?»"
    r"|'(?P<sq>[^'\n]{2,80}?)'(?!\w)|[『「](?P<cjk>[^』」\n]{1,100}?)[』」])"
)


# Words that make the named thing the other side's ("the pirated application "X"", "infringement on the app named
# "X"", "is distributing a software application called "X"", "their app "X""); after "of" the thing is the sender's
# again ("an unauthorised copy of our film "X"").
_THEIRS = re.compile(
    r"(?:infring\w*|pirat\w*|unauthori[sz]ed|unlicen[cs]ed|illegal|illicit|crack(?:ed)?|fake|counterfeit|clon(?:e|ed)|"
    r"modded|distributing|offering|providing|selling|used by|linking to|links to|their|his|her)\b(?P<rest>[^.\n]*)$"
)


def titled_work(doc: Doc) -> tuple[str, Sentence] | None:
    """The first work named by its kind and a quoted title, with the sentence that names it; not a thing the letter
    says is the other side's."""
    for m in _TITLED_WORK.finditer(doc.lower, doc.start):
        theirs = _THEIRS.search(doc.lower, max(doc.start, m.start() - 50), m.start())
        if theirs and not re.search(r"\bof\b", theirs.group("rest")):
            continue
        group = next(g for g in ("dq", "low", "guil", "sq", "cjk") if m.group(g) is not None)
        title = doc.text[m.start(group) : m.end(group)].strip(" ,.;:")
        if (
            not re.search(r"[^\W\d_]", title)
            or "://" in title
            or "@" in title
            or not (title[:1].isupper() or title[:1].isdigit() or _caseless(title[:1]))  # capitalised ("as is" is not one)
            or title.endswith((".", "!", "?"))  # a sentence quoted back, not a title
            or re.search(r"\.(?:zip|rar|7z|exe|apk|jar|dmg)$", title, re.IGNORECASE)  # a file's name, not a work's
            or len(title.split()) > 12
        ):
            continue
        sentence = next((s for s in doc.sentences if s.start <= m.start() < s.end), None)
        if sentence is not None:
            return title, sentence
    return None


def _caseless(first: str) -> bool:
    """A letter of a script without capitals (Chinese, Japanese, Hebrew, Arabic, ...): a title there is not capitalised."""
    return first.isalpha() and first.lower() == first.upper()
