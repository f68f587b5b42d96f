"""Who owns the right when the sender does not, and what the sender is to it.

A licensee's or an agent's notice names the owner in passing: "owned by Lion City Music Pte Ltd", "the exclusive
licensee of Lion City Music", "on behalf of the owner, Lion City Music", or on a line of its own ("Rights owner: ...").
The claim keeps that name as `rights_owner` and the sender's standing as `complainant.relationship` in intake's values
(CONTRACT.md "Claims"): `owner`, `agent`, or `other` (an exclusive licensee, who holds the right under the owner).
reg 78(4)(a) asks for the name and address of the rights owner where it is not the complainant (DOMAIN.md §2): the
owner's address is the one written with its name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ipclaims.notices.doc import POSTCODE_CITY, STREET, Doc, Found
from ipclaims.notices.standing import relationship

# A proper name: words with a capital (or a digit) first, "of", "and", "&", "de", "del" between them, a legal form after
# a comma ("Harbour Films, LLC"); never across a line, never an address after a comma. A line break may stand before it.
_JOINING = frozenset(("of", "and", "&", "de", "del", "des", "du", "der", "la", "van", "von", "y", "et", "und"))
_NAME_WORDS = (
    r"((?-i:[A-Z0-9])[\w&'’.-]*(?:[ \t]+(?:(?-i:[A-Z&])[\w&'’.-]*|d/b/a\b|(?:"
    + "|".join(sorted(_JOINING - {"&"}))
    + r")\b)){0,7}(?:,[ \t]+(?:inc|llc|ltd|limited|gmbh|corp|co|plc|llp|pty|pte|sa|ag|bv)\b\.?|[ \t]+(?:s\.r\.o|s\.a|s\.r\.l|b\.v)\b\.?)?)"
)
_NAME = r"(?:[ \t]+|[ \t]*\r?\n[ \t]*)" + _NAME_WORDS
_OWNER_WORD = r"(?:(?:copyright|rights?)[ \t]+)?(?:owner|holder)"
_CLIENT = r"(?:[ \t]+(?:my|our)[ \t]+clients?,?)?"
# "on behalf of Harbour Films LLC", "on behalf of our client, Northwind Games", "we act for the owner, Lion City Music"
_ON_BEHALF = re.compile(
    rf"(?:on[ \t]+behalf[ \t]+of|\b(?:act|acts|acting)[ \t]+for)(?:[ \t]+(?:my|our)[ \t]+clients?,?"
    rf"|(?P<owner>[ \t]+(?:the|its)[ \t]+{_OWNER_WORD},?)|[ \t]+(?-i:the))?{_NAME}",
    re.IGNORECASE,
)
# A line naming the owner ("Rights owner: ...", "Licensor: ..."), and the owner named in a sentence ("owned by ...",
# "the copyright owner, ...").
_LABELLED = re.compile(
    rf"^[ \t*_>-]*(?:{_OWNER_WORD}|owner[ \t]+of[ \t]+the[ \t]+(?:copyright|rights?)|licensor|principal)[ \t*_]*[:：][ \t*_]*{_NAME}",
    re.IGNORECASE | re.MULTILINE,
)
_OWNED_BY = re.compile(
    rf"\b(?:owned|held)[ \t]+by{_CLIENT}(?:[ \t]+(?-i:the))?{_NAME}|\bthe[ \t]+{_OWNER_WORD}(?:[ \t]+is|,){_NAME}", re.IGNORECASE
)
# The licensor of the sender's licence: "the exclusive licensee of Lion City Music", "licensed to us by ...".
_LICENSOR = re.compile(
    rf"\blicen[cs]ee[ \t]+(?:in[ \t]+\w+[ \t]+)?(?:of|from)(?:[ \t]+(?-i:the))?{_NAME}"
    rf"|\blicen[cs]ed[ \t]+(?:to[ \t]+(?:us|me)[ \t]+)?(?:by|from){_NAME}",
    re.IGNORECASE,
)
# Where each standing names the owner, in the order they are believed (within one kind the first mention counts): an
# agent says whom it acts for; a licensee, whose licence it holds.
_MENTIONS = {"agent": (_ON_BEHALF, _LABELLED, _OWNED_BY), "other": (_LABELLED, _OWNED_BY, _LICENSOR)}
# The sender says it holds an exclusive licence: "We are the exclusive licensee", "as exclusive licensee in Singapore".
_LICENSEE = re.compile(
    r"\b(?:i[ \t]+am|i'm|we[ \t]+are|as|is)[ \t]+(?:the[ \t]+|an?[ \t]+)?(?:sole[ \t]+(?:and[ \t]+)?)?exclusive[ \t]+licen[cs]ee\b",
    re.IGNORECASE,
)
# "Cambridge owns or is the exclusive licensee of ...", "the owner or exclusive licensee": not a licensee's word alone.
_OWNS_OR = re.compile(r"(?i)\bown(?:s|er)?[ \t]+(?:and/)?or[ \t]+(?:is[ \t]+)?(?:the[ \t]+|an[ \t]+)?$")
# Words that start a sentence or name a role, not an owner ("on behalf of The Copyright Owner", "owned by GitHub").
_NOT_A_NAME = re.compile(
    r"(?i)(?:this|that|these|those|its|their|his|her|our|my|a|an|i|we|you|it|github)\b.*|\d+"
    r"|(?:the[ \t]+)?(?:(?:copyright|rights?|exclusive)[ \t]+)?(?:owners?|holders?|clients?|company|licensee|licensor)"
)
# A word with a full stop that does not end the name: a title abbreviated, initials ("J.P.", "S.A."); a legal form
# ("Pte.", "Ltd.") only before another ("Star India Pvt. Ltd. and ...", but "Zakon Group LLC. It ...").
_LEGAL_ABBREVIATION = re.compile(r"(?i)(?:inc|co|ltd|corp|llc|plc|pte|pty|pvt|bhd|gmbh|ag|sa|bv|nv)\.?")
_ABBREVIATION = re.compile(r"(?i)(?:bros|int'l|intl|jr|sr|st|mr|ms|dr|no)\.|(?:[A-Za-z]\.){2,}")
# A line that is only a label and the owner's name: the address may follow on the next lines.
_LABEL_BEFORE = re.compile(r"[ \t*_>-]*(?:[^\W\d_][\w -]{0,40}[:：][ \t*_]*)?")


@dataclass(frozen=True)
class Owner:
    name: str
    start: int
    end: int


def standing(doc: Doc) -> str | None:
    """`agent`, `other` (an exclusive licensee) or `owner`, as the sender says it; None when it says none."""
    found = doc.memo.get("standing", False)
    if found is False:
        said = relationship(doc)
        licensee = (m for m in _LICENSEE.finditer(doc.text, doc.start) if not _OWNS_OR.search(doc.text, max(0, m.start() - 30), m.start()))
        if said != "agent" and next(licensee, None):
            said = "other"
        elif said is None and any(_name(m) for m in _ON_BEHALF.finditer(doc.text, doc.start)):
            said = "agent"  # "we act for Lion City Music", "on behalf of the owner, Lion City Music": a name, not a role
        found = doc.memo["standing"] = said
    return found  # type: ignore[return-value]


# A proper name, captured, after a space (or a line break) or standing first: for other readers of names in sentences.
NAME, NAME_WORDS = _NAME, _NAME_WORDS


def name_in(m: re.Match[str]) -> Owner | None:
    """The proper name a match of a pattern built with `NAME` captured, its sentence's words after it cut off."""
    return _name(m)


def _name(m: re.Match[str]) -> Owner | None:
    group = next(i for i, g in enumerate(m.groups(), 1) if g is not None and m.re.groupindex.get("owner") != i)
    words: list[re.Match[str]] = []
    for word in re.finditer(r"\S+", m.group(group)):
        if re.fullmatch(r"I(?:['’](?:m|ve|d|ll))?", word.group(0)):
            break  # "The copyright owner is China Unionpay Data and I am ...": the name ended
        after_form = bool(words) and words[-1].group(0).endswith(".") and _LEGAL_ABBREVIATION.fullmatch(words[-1].group(0))
        if after_form and not _LEGAL_ABBREVIATION.fullmatch(word.group(0)):
            break  # "Zakon Group LLC. It ...": the sentence ended with the legal form
        if len(words) >= 2 and words[-1].group(0).lower() == "and" and word.group(0) in {w.group(0) for w in words[:-1]}:
            words.pop()
            break  # "belongs to Amazon and Amazon has not given ...": the name ended before "and"
        words.append(word)
        text = word.group(0)
        if text.endswith(".") and not _ABBREVIATION.fullmatch(text) and not _LEGAL_ABBREVIATION.fullmatch(text):
            break  # "owned by Nintendo. This repository ...": the sentence ends
    while words and words[-1].group(0).lower() in _JOINING:
        words.pop()  # "owned by Lion City Music and licensed to us": the name ends before "and"
    if not words:
        return None
    last = words[-1].group(0)
    possessive = re.search(r"['’]s$", last)  # "Innolution's site": the name without the possessive
    trimmed = 2 if possessive else len(last) - len(last.rstrip(".,'’\""))
    name = m.group(group)[: words[-1].end() - trimmed]
    if _NOT_A_NAME.fullmatch(" ".join(name.split())):
        return None
    start = m.start(group)
    return Owner(" ".join(name.split()), start, start + len(name))


def rights_owner(doc: Doc) -> Owner | None:
    """The owner the text names when the sender is its agent or licensee; None when the sender is the owner or says
    nothing of it (a name then is the sender's own)."""
    for pattern in _MENTIONS.get(standing(doc) or "", ()):
        for m in pattern.finditer(doc.text, doc.start):
            owner = _name(m)
            if owner:
                return owner
    return None


# The sender's own company named as the owner, where no letterhead, label or signing block names it: "the wholly owned
# intellectual property of VPay Inc.", "I am an employee of Invision Power Services, Inc.", "owned by Acme Ltd".
_PROPERTY_OF = re.compile(
    rf"\b(?:(?:property|properties)[ \t]+of|belong(?:s|ing)?[ \t]+(?:solely[ \t]+|exclusively[ \t]+)?to)(?:[ \t]+(?-i:the))?{_NAME}",
    re.IGNORECASE,
)
_EMPLOYEE_OF = re.compile(
    rf"\b(?:(?:i|we)[ \t]+(?:am|are)[ \t]+(?:an?[ \t]+)?(?:employees?|staff|officers?|directors?|founders?|co-?founders?|owners?)"
    rf"(?:[ \t]+(?:authori[sz]ed|appointed|designated)[ \t]+by)?"
    rf"|\bthe[ \t]+(?:\[(?:private|redacted)\]|legal|ip|copyright)[ \t]+department[ \t]+of"
    rf"|\bi[ \t]+(?:am|work)[ \t]+(?:at|for)|(?:i|we)[ \t]+(?:am|are)[ \t]+\[(?:private|redacted)\])"
    rf"(?:[ \t]+(?:of|at|for))?(?:[ \t]+(?-i:the))?{_NAME}",
    re.IGNORECASE,
)


# "We are the owner of InspireUI company": the owner of a company, not of a product ("the owner of the Unity plugin").
_OWNER_OF_COMPANY = re.compile(
    rf"\b(?:i|we)[ \t]+(?:am|are)[ \t]+the[ \t]+(?:owners?|founders?|co-?founders?)[ \t]+of{_NAME}(?=[ \t]+(?:company|firm|business)\b)",
    re.IGNORECASE,
)


# "products of our company JetBrains s.r.o.", "my employer, Acme Ltd": a company's name (never "our company's site").
_OUR_COMPANY = re.compile(rf"\b(?:my|our)[ \t]+(?:own[ \t]+)?(?:company|employer|firm),?{_NAME}", re.IGNORECASE)


# "CodeSignal owns the copyright ...", "PortSwigger Ltd is the copyright owner of ...", "the [private] of Openinside
# Co. W.L.L, responsible for ...".
_OWNS = re.compile(
    r"(?:^|(?<=[.!?:\n]))[ \t]*((?-i:[A-Z])[\w&'’-]*(?:[ \t]+(?-i:[A-Z&])[\w&'’.-]*){0,5}"
    r"(?:,?[ \t]+(?:inc|llc|ltd|limited|gmbh|corp|co|plc|llp|pty|pte)\b\.?)?)"
    r"[ \t]+(?:owns|is[ \t]+the[ \t]+(?:sole[ \t]+|exclusive[ \t]+|legal[ \t]+)?(?:copyright[ \t]+)?(?:owner|holder))\b",
    re.MULTILINE,
)
_ROLE_OF = re.compile(rf"\bthe[ \t]+\[(?:private|redacted)\](?:[ \t]+and[ \t]+\[(?:private|redacted)\])?[ \t]+of{_NAME}", re.IGNORECASE)


_SAID_WITHIN = 20_000  # characters: where a sender says whom it works for (never among 2,000 URL lines after them)


def named_owner(doc: Doc) -> Owner | None:
    """The company a sender who speaks as the owner (not an agent or a licensee) names as the owner or as its employer:
    the organisation it writes for when nothing else names it."""
    if standing(doc) in ("agent", "other"):
        return None
    for pattern in (_EMPLOYEE_OF, _OWNER_OF_COMPANY, _ROLE_OF, _OUR_COMPANY, _ON_BEHALF, _OWNED_BY, _PROPERTY_OF, _OWNS):
        for m in pattern.finditer(doc.text, doc.start, doc.start + _SAID_WITHIN):
            owner = _name(m)
            if owner is None:
                continue
            # a role "of" a name names the employer; an owner named in a sentence is a company's name only when it
            # reads as one (a legal form, or more than one word), not a product's, or when commas set it off as the
            # sender's company ("my company, EllaMD, has ...")
            apposed = (
                pattern is _OUR_COMPANY and doc.text[m.start(1) - 2 : m.start(1)] == ", " and doc.text[owner.end : owner.end + 1] == ","
            )
            if pattern in (_EMPLOYEE_OF, _OWNER_OF_COMPANY, _ROLE_OF) or apposed or _COMPANYISH.search(owner.name):
                at = _AT_COMPANY.match(doc.text, owner.end) if pattern in (_EMPLOYEE_OF, _ROLE_OF) else None
                return (_name(at) or owner) if at else owner  # "[private] of Cyber Operations at Barclays": Barclays
    return None


# Words that name the owner just before its name: "on behalf of", "owned by", "the copyright owner is", "Name of Injured
# Party:", "the exclusive rights holder,"; and after it: "... owns", "... is the exclusive owner".
_OWNER_BEFORE = (
    r"(?:on[ \t]+behalf[ \t]+of|\bacts?[ \t]+for|\bacting[ \t]+for|\b(?:owned|held|copyrighted|developed|created)[ \t]+by"
    r"|\bpropert(?:y|ies)[ \t]+of|\b(?:copyrights?|rights)[ \t]+of|\bproprietary[ \t]+to|\bbelong(?:s|ing)?[ \t]+(?:solely[ \t]+)?to"
    r"|\b(?:owner|holder)(?:[ \t]+is|,|[ \t]+being[ \t]+named)|\b(?:owner|holder|licensor|principal|injured[ \t]+party)[ \t*_]*[:：]"
    r"|\bemployee[ \t]+of|\bauthori[sz]ed[ \t]+by)"
    r"[ \t]+(?:(?:the|its)[ \t]+)?(?:\[(?:private|redacted)\][ \t]*/[ \t]*)?"
)
_OWNER_AFTER = (
    r"(?:'s|’s)?[ \t]+(?:owns(?![ \t]+(?:and/)?or\b)"
    r"|is[ \t]+the[ \t]+(?:sole[ \t]+|exclusive[ \t]+|legal[ \t]+)?(?:copyright[ \t]+)?(?:owner|holder))\b"
)
_FORM_WORDS = re.compile(
    r"(?:,?[ \t]+(?:inc|incorporated|llc|ltd|limited|gmbh|corp|corporation|co|company|plc|llp|pty|pte|pvt|bv|b\.v|ag|sa|pbc)\.?)+$",
    re.IGNORECASE,
)


_LONGEST_NAME = 150


def names_as_owner(doc: Doc, company: str) -> bool:
    """The notice names `company` (the sender's own, as its letterhead, signature or contact block give it) as the
    owner it acts for: "on behalf of [private]/Offensive Security", "owned by Zakon Group LLC", "the exclusive rights
    holder, Accenture Global Solutions Ltd." from Accenture."""
    if len(company) > _LONGEST_NAME:
        return False
    core = _FORM_WORDS.sub("", company.strip(" .,")).strip(" .,")
    if len(core) < 3:
        return False
    name = re.escape(core)
    pattern = rf"{_OWNER_BEFORE}{name}(?![\w-])|(?<![\w-]){name}(?:{_FORM_WORDS.pattern[:-1]})?{_OWNER_AFTER}"
    return re.search(pattern, doc.text[doc.start : doc.start + 20_000], re.IGNORECASE) is not None


_AT_COMPANY = re.compile(rf"[ \t]+at{_NAME}", re.IGNORECASE)


# A name that is a company's: a legal form, or more than one capitalised word ("Santander Consumer USA").
_COMPANYISH = re.compile(r"(?i:\b(?:inc|llc|ltd|limited|gmbh|corp|corporation|co|plc|llp|pty|pte|bv|ag|sa|kk)\b\.?)|\S[ \t]+\S")


def owner_address(doc: Doc, owner: Owner) -> tuple[Owner, Found] | None:
    """The address written with the owner's name, wherever the name stands: after it on its line ("for Lion City Music
    Pte Ltd, 3 Temasek Avenue, Singapore 039190"), or, when the line holds only the name and a label ("Rights owner:
    ..."), on the two lines under it in its paragraph ("Address: ..."). With the mention it was found at."""
    for m in re.finditer(re.escape(owner.name), doc.text[doc.start :]):
        at = Owner(owner.name, doc.start + m.start(), doc.start + m.end())
        found = _address_after(doc, at)
        if found:
            return at, found
    return None


def _address_after(doc: Doc, owner: Owner) -> Found | None:
    line_start, line_end = doc.line_span(owner.start)
    if STREET.search(doc.text, owner.end, line_end) or POSTCODE_CITY.search(doc.text, owner.end, line_end):
        return Found(line_start, line_end, doc.text[line_start:line_end].strip())
    if not _LABEL_BEFORE.fullmatch(doc.text, line_start, owner.start) or doc.text[owner.end : line_end].strip(" \t\r.,;*_"):
        return None
    end = line_end
    for _ in range(2):
        if end >= len(doc.text):
            break
        next_end = doc.line_span(end + 1)[1]
        if not doc.text[end + 1 : next_end].strip():
            break  # a blank line ends the paragraph
        end = next_end
    return next((f for f in doc.addresses if line_end < f.start < end), None)


@dataclass(frozen=True)
class Principal:
    """The owner a sender who is not the owner writes for (an agent) or under (a licensee), as reg 78(4)(a) asks for it."""

    ranges: list[tuple[int, int]]
    gap: str | None  # what the notice still lacks of the owner's name and address; None when both are given
    address: Found | None


def principal(doc: Doc) -> Principal | None:
    """None when the sender is the owner, or does not say it is not: the complainant is then the owner (DOMAIN.md §2,
    "and of the rights owner if different")."""
    if standing(doc) not in ("agent", "other"):
        return None
    owner = rights_owner(doc)
    if owner is None:
        return Principal([], "the sender is not the rights owner, and the owner's name and address are not given", None)
    written = owner_address(doc, owner)
    if written is None:
        return Principal([(owner.start, owner.end)], f"the rights owner ({owner.name}) is named, but not its address", None)
    named, at = written
    return Principal([(named.start, named.end), (at.start, at.end)], None, at)
