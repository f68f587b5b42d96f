"""Who sends a notice: `agent` or `owner` (DOMAIN.md §2's `complainant.relationship`), as the sender says it — the
form's answer to "Are you the copyright owner ...", else the letter's own words outside the statutory statements
(which name "its agent" in every notice). Split from `extract` (the fields' reading), which reads the same form
questions (`formq`).
"""

from __future__ import annotations

import re

from ipclaims.notices.doc import Doc
from ipclaims.notices.formq import OWNER_Q, QUESTION, answers_to

_URL_LINE = re.compile(r"^[\s\d.)*•<-]*(?:https?://|www\.)\S*\s*$")


# The statutory statements name "the owner, its agent" and "authorized to act on behalf of the owner": not a sign.
_STATEMENT_WORDS = re.compile(
    r"(?:the copyright owner|(?<![\w\[\]])[\w\[\]]+),? (?:or )?(?:any of )?its agents?,? or (?:by )?(?:the )?law|"
    r"(?:i am the (?:copyright )?owner,? or (?:that i )?)?(?:am )?authori[sz]ed to act on (?:the )?behalf of the (?:copyright )?owner"
    r"(?: of an exclusive right)?",
    re.IGNORECASE,
)
_AGENT_CUE = re.compile(
    r"\b(?:my|our) clients?\b|\bwe represent\b|\b(?:firm|company|office) represents\b|"
    r"\brepresent(?:s|ing)? (?:(?-i:[A-Z])|the (?:copyright )?owner)|"
    r"\battorneys? (?:for|of|at)\b|\bcounsel (?:for|to)\b|\blaw firm\b|\bauthori[sz]ed representative\b|"
    r"\bauthori[sz]ed (?:to act )?on (?:its|their|his|her|the company's|the companies'|the owner's|the copyright owner's) behalf\b|"
    r"\bon behalf of (?:the )?(?:(?-i:[A-Z\[])|companies\b)|\bauthori[sz]ed to act on behalf of\b|anti-?piracy|brand protection|"
    r"\b(?:i|we) work for the (?:copyright )?owner\b|\bas an employee of\b|"
    # "[private], Authorized DMCA Agent", "Attributor Corporation As Agent for Publisher ...", "duly authorized by Zee"
    # (never "designated agent" alone: notices are addressed to the platform's designated agent)
    r"\bauthori[sz]ed[ \t]+(?:dmca[ \t]+)?agent\b"
    r"|(?<!you[ \t])\bas[ \t]+(?:an?[ \t]+|the[ \t]+)?(?:designated[ \t]+|authori[sz]ed[ \t]+)?agent[ \t]+(?:for|of)\b|"
    r"\b(?:duly[ \t]+)?authori[sz]ed[ \t]+by[ \t]+(?-i:[A-Z])",
    re.IGNORECASE,
)
_OWNER_CUE = re.compile(
    # "I am the author", "[private] am the author" (the signer's name, redacted, standing for "I")
    r"(?:\b(?:i am|i'm|we are)|\[(?:private|redacted)\] am)(?: one of)? the (?:\w+ )?(?:copyright )?"
    r"(?:owners?|holders?|authors?|creators?|developers?)\b|"
    r"\b(?:i|we) own the copyrights?\b|\bit'?s my (?:own )?work\b|"
    r"\bmy (?:own )?(?:\(\[private\]\) )?(?:closed-source )?(?:work|code|software|game|repository|"
    r"typeface|font|book|project|product|photo|photograph|image)s?\b",
    re.IGNORECASE,
)


# The sender writes as the owner's own employee or officer: the owner complains through its staff, who are "authorized
# to act on the owner's behalf" without being its agent ("I am an employee of Acme Inc.", "I am [private] of Acme",
# "our proprietary code", "my company"). An outside agent says whom it acts for (`_OUTSIDE`).
_EMPLOYEE_CUE = re.compile(
    r"\b(?:i am|i'm|we are)[ \t]+(?:an?[ \t]+|the[ \t]+)?(?:employees?|staff(?:[ \t]+members?)?|officers?|directors?|founders?|"
    r"co-?founders?|ceo|cto|coo|cfo|president|general[ \t]+counsel|in-?house[ \t]+counsel|\[(?:private|redacted)\])"
    r"[ \t]+(?:of|at|for)[ \t]+(?-i:[A-Z\[])"
    r"|\bi[ \t]+work[ \t]+(?:at|for)[ \t]+(?-i:[A-Z])|\bthe[ \t]+\[(?:private|redacted)\][ \t]+of[ \t]+(?-i:[A-Z])"
    r"|\b(?:my|our)[ \t]+(?:own[ \t]+)?(?:company|employer)\b"
    # "the [private] from the legal department of Baidu", "the company's permission", "internal source code"
    r"|\bthe[ \t]+(?:\[(?:private|redacted)\]|legal|ip|copyright)[ \t]+department[ \t]+of[ \t]+(?-i:[A-Z])"
    r"|\bthe[ \t]+company[ \t]+(?:that|which)[ \t]+(?:owns|holds)\b"
    r"|\bthe[ \t]+company's[ \t]+(?:own[ \t]+)?(?:permission|consent|behalf|authori[sz]ation|(?:intellectual[ \t]+)?property|internal"
    r"|proprietary|confidential|(?:source[ \t]+)?code|secrets?)\b"
    r"|\b(?:the|our|an?)[ \t]+internal[ \t]+(?:[\w-]+[ \t]+){0,2}(?:source[ \t]+code|code|repositor(?:y|ies)|data|documents?)\b"
    r"|\bour[ \t]+(?:own[ \t]+)?(?:proprietary|confidential|internal|copyrighted)[ \t]+(?:source[ \t]+)?"
    r"(?:code|software|work|content|materials?|products?)",
    re.IGNORECASE,
)
# With no word on its standing, a sender who speaks of the work as its own ("we developed", "our app") is its owner.
_FIRST_PERSON_OWN = re.compile(
    r"\b(?:we|i)[ \t]+(?:own|created|developed|wrote|designed|made|published|sell)\b"
    r"|\b(?:our|my)[ \t]+(?:own[ \t]+)?(?:(?:private|proprietary|original|internal|premium)[ \t]+)?"
    r"(?:source[ \t]+code|code|software|works?|apps?|applications?|products?|games?|content|projects?|repositor(?:y|ies)|repos?"
    r"|websites?|sites?|librar(?:y|ies)|plugins?|themes?|assets?|books?|courses?|company|copyrights?|intellectual[ \t]+property"
    r"|trade[ \t]+secrets?|platform|backend|servers?|data(?:base)?s?|services?|customers?|users|students|participants)\b"
    r"|\b(?:owned[ \t]+by|belongs?[ \t]+to)[ \t]+us\b",
    re.IGNORECASE,
)
_OUTSIDE = re.compile(
    # a client of the sender's ("our client", "on behalf of our clients"); never a company's customers ("our bank clients")
    r"\b(?:my|our|the)[ \t]+client(?:'s)?\b|\b(?:behalf[ \t]+of|for)[ \t]+(?:my|our)[ \t]+clients\b"
    r"|\bwe[ \t]+represent\b|\brepresent(?:s|ing)[ \t]+(?-i:[A-Z])|\blaw[ \t]+firm\b|anti-?piracy|brand[ \t]+protection|"
    r"\battorneys?[ \t]+(?:for|of|at)\b|\bcounsel[ \t]+(?:for|to)\b|\b(?:authori[sz]ed|dmca)[ \t]+agent\b|\bagent[ \t]+for\b",
    re.IGNORECASE,
)


# The lines that address the platform's agent ("Attn: DMCA Agent", "Dear Copyright Agent,"): not the sender's words.
_ADDRESSEE = re.compile(r"^[ \t*_>]*(?:attn\b\.?|attention\b|dear\b|to:)[^\n]*", re.IGNORECASE | re.MULTILINE)


def _own_words(doc: Doc) -> str:
    """The letter's opening 20,000 characters without the form's questions, the statutory statements and the lines that
    address the platform's agent."""
    found = doc.memo.get("own_words")
    if found is None:
        text = _ADDRESSEE.sub(" ", QUESTION.sub(" ", doc.text[doc.start : doc.start + 20_000]))
        found = doc.memo["own_words"] = _STATEMENT_WORDS.sub(" ", text.replace("’", "'"))
    return found  # type: ignore[return-value]


def outside_agent(doc: Doc) -> bool:
    """The letter has a word of an outside agent (a client, a law firm, an anti-piracy service) outside the statutory
    statements: its sender is not the owner's own staff."""
    found = doc.memo.get("outside_agent")
    if found is None:
        words = _own_words(doc)
        found = doc.memo["outside_agent"] = bool(_OUTSIDE.search(words))
    return found  # type: ignore[return-value]


def relationship(doc: Doc) -> str | None:
    """`agent` or `owner` as the sender says it: the form's first answer when there is one, else the letter's words
    outside the statutory statements (which name "its agent" in every notice). An "authorized" sender who writes as
    the owner's own employee or officer, with no word of a client, is the owner (`_EMPLOYEE_CUE`)."""
    said = _relationship(doc)
    if said in ("agent", None):
        words = _own_words(doc)
        own = _EMPLOYEE_CUE.search(words) or _FIRST_PERSON_OWN.search(words)
        if own and not outside_agent(doc):
            return "owner"
    return said


def _relationship(doc: Doc) -> str | None:
    for answer in answers_to(doc, OWNER_Q):
        said = doc.text[answer.start : answer.end]
        if _AGENT_CUE.search(said) or re.search(r"authori[sz]ed|behalf", said, re.IGNORECASE):
            return "agent"
        if _OWNER_CUE.search(said) or re.search(
            r"\b(?:owner|holder|author)\b|\b(?:i am|i'm|we are) the \[(?:private|redacted)\]", said, re.IGNORECASE
        ):
            return "owner"
        break
    words = "\n".join(line for line in doc.text[doc.start :].splitlines() if not _URL_LINE.match(line))  # not 2,000 URL lines
    text = _STATEMENT_WORDS.sub(" ", QUESTION.sub(" ", words).replace("’", "'"))
    if _AGENT_CUE.search(text):
        return "agent"
    if _OWNER_CUE.search(text):
        return "owner"
    return None
