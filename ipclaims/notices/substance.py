"""Whether a text holds anything of a notice at all: mail to the designated agent's address that no reader would take
for one (an advertisement, a newsletter a list did not mark), told from a real notice that lacks almost everything.

NOTICES.md judges a notice element by element, and an incomplete one is still a notice: "please take down
https://github.com/x/y, it is my code" lacks a signature, contact details and both statements, and is a claim that
needs information. What the reader finds in an advertisement is at most its links: a URL the reader takes for the
material because nothing says otherwise, and so for the work "identified only by its copy" (a weak judgement).
`nothing_of_a_notice` says a text holds nothing of a notice only when all of these hold:

1. every element of its regime is `missing`, or rests on nothing but URLs off the platform (its evidence is those URLs);
2. no URL in the text is on the platform (IPCLAIMS_PLATFORM_HOSTS; none configured, github/dmca's hosts the reader
   knows, `doc.platform_url`);
3. neither the text nor its subject has a word of a complaint about rights: infringement, copying, a takedown or
   removal, copyright, a trade mark, a licence, a notice (`_COMPLAINT`, in the languages the reader's notices come in).

A text any of them fails is read as a notice, however little it holds: the screen is meant to let every real notice
through (bench/notices_nonotice.py counts the labelled takedowns it would refuse: none).
"""

from __future__ import annotations

import re

from ipclaims.notices.doc import INFRINGING_WORDS, platform_url
from ipclaims.notices.reader import Reading
from ipclaims.notices.text import find_urls

# What a complaint about rights says, whatever it lacks: the reader's own words for infringing material, and the names
# of the rights and of the request (English, German, French, Spanish, Italian, Dutch).
_COMPLAINT = re.compile(
    INFRINGING_WORDS.pattern
    + r"|copyright|©|\(c\)|\bdmca\b|\b512\b|trade ?marks?|intellectual property|counterfeit|patent|licen[cs]|\bnotice|notif"
    r"|complain|plagiari|rights? ?(?:holder|owner)|\bowner\b|permission|my (?:own )?(?:work|code|photo|image|content)"
    r"|\bst(?:ole|eal|eals|ealing|olen)\b|\bcop(?:ied|ying)\b"
    r"|\bmy (?:picture|pictures|photos|images|video|videos|song|music|art|design|book)"
    r"|urheberrecht|markenrecht|rechtsverletz|lösch|entfern|droit d'auteur|contrefa|retrait|supprim|derechos? de autor"
    r"|infracci|retir|diritto d'autore|violazion|rimozion|auteursrecht|inbreuk|verwijder",
    re.IGNORECASE,
)


def nothing_of_a_notice(reading: Reading, subject: str | None, platform_hosts: frozenset[str]) -> str | None:
    """Why the text holds nothing of a notice (module docstring), in words for the message's error; None when it
    holds something of one. `platform_hosts`: IPCLAIMS_PLATFORM_HOSTS, lower case."""
    hosts = frozenset(h.strip().lower().rstrip(".") for h in platform_hosts if h.strip())
    urls = find_urls(reading.text)
    if any(platform_url(u.url, hosts) for u in urls):
        return None
    off_platform = {u.url for u in urls}
    for judgement in reading.judgements:
        if judgement.status == "missing":
            continue
        if not judgement.evidence or any(span.quote.strip() not in off_platform for span in judgement.evidence):
            return None
    if _COMPLAINT.search(reading.text) or _COMPLAINT.search(subject or ""):
        return None
    kind = "notice" if reading.kind == "claim" else "counter-notice"
    links = f" (only {len(off_platform)} link(s) off the platform)" if off_platform else ""
    return (
        f"nothing of a notice: no element of a {reading.regime} {kind}{links}, no reported URL on the platform and no word "
        "of a complaint about rights"
    )
