"""Judging the US_DMCA elements of a notice's text, § 512(c)(3)(A) and § 512(g)(3), as NOTICES.md reads them.

Each judge returns a `Judgement` with the spans it was judged on: every `present` one quotes at least one span, a
`deficient` one quotes what made it deficient.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ipclaims.notices.doc import Doc, dedupe, with_next
from ipclaims.notices.signing import find_signing
from ipclaims.notices.text import Sentence, Span, spans

Status = Literal["present", "missing", "deficient"]


@dataclass(frozen=True)
class Judgement:
    code: str
    status: Status
    evidence: tuple[Span, ...]
    note: str


def judge(code: str, status: Status, doc: Doc, ranges: list[tuple[int, int]], note: str) -> Judgement:
    return Judgement(code, status, spans(doc.text, ranges), note)


def sranges(found: list[Sentence], limit: int = 3) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in found[:limit]]


# --- shared phrases ---------------------------------------------------------------------------------------------

NEGATED = re.compile(
    r"\b(?:not|never|cannot|can't|can not|won't|will not|don't|do not|refuse|unable|decline|am not|isn't)\b", re.IGNORECASE
)
PERJURY = re.compile(
    r"perjur|\b(?:under|on|upon) oath|sworn|\bswear|under penalty|penalty of law|eidesstattlich|solemnly (?:declare|affirm)"
)
# Free text that takes a statement back wins over the form's checked box (NOTICES.md): "I withdraw my statement that
# the use is not authorized", "I retract the sworn statement above". A statement is named ("my statement", "the
# belief"): "I withdraw my previous notice" sends a new one and takes nothing back.
_TAKE_BACK_VERB = (
    r"\b(?:withdraw(?:s|n|ing)?|retract(?:s|ed|ing)?|take back|taking back|revok(?:e|es|ed|ing)|rescind(?:s|ed|ing)?|"
    r"recant(?:s|ed|ing)?|disavow(?:s|ed|ing)?)"
)
TAKE_BACK = (
    _TAKE_BACK_VERB + r"\s+(?:\w+\s+){0,3}(?:statements?|belief|declarations?|certifications?|affirmations?|oath|assertions?)\b"
    r"[^.;\n]{0,100}?"
)
_PERJURY_TAKEN_BACK = re.compile(
    r"(?:cannot|can't|can not|won't|will not|do not|don't|refuse to|unable to|not able to|am not)\s+(?:\w+\s+){0,4}"
    r"(?:swear|state|declare|affirm|sign|attest|certify|make|say|confirm)[^.\n]{0,60}(?:perjur|under oath|sworn)"
    r"|\bnot\s+(?:\w+\s+){0,3}under (?:the )?penalty of perjury|without (?:any )?(?:oath|penalty of perjury)"
    # "I do not swear to any of the above": the oath refused in so many words
    r"|\b(?:cannot|can't|can not|won't|will not|do not|don't|refuse to|am unable to|am not able to|am not willing to)\s+swear\b"
    rf"|{TAKE_BACK}(?:perjur|sworn|oath|swear|accura|authority|authori[sz]ed to act)"
    rf"|{_TAKE_BACK_VERB}\s+(?:\w+\s+){{0,2}}(?:sworn|oath\b)"  # "I retract the sworn statement above"
)
# The good-faith belief taken back: "I withdraw my statement that the use is not authorized", "I no longer believe the
# use is unauthorised", "I cannot say that the use is not authorized", "I do not have a good faith belief".
_UNAUTHORISED_USE = (
    r"(?:not (?:\w+ )?(?:authori[sz]ed|licen[cs]ed|permitted|allowed)|unauthori[sz]ed|unlicen[cs]ed|"
    r"without (?:my |our |the owner's |any )?(?:permission|consent|authori[sz]ation|licen[cs]e))"
)
_GOOD_FAITH_TAKEN_BACK = re.compile(
    rf"{TAKE_BACK}(?:good[\s-]*faith|belie|{_UNAUTHORISED_USE})"
    rf"|\bno longer (?:believe|claim|maintain|assert|stand by)\b[^.;\n]{{0,60}}{_UNAUTHORISED_USE}"
    rf"|\b(?:cannot|can't|can not|am unable to|am not able to)\s+(?:in good faith\s+)?(?:say|state|claim|assert|maintain|confirm)"
    rf"\s+(?:in good faith\s+)?(?:that\s+)?(?:the|this|that|its|their|his|her) (?:\w+ ){{0,3}}(?:is|was|are|were) {_UNAUTHORISED_USE}"
    r"|\b(?:do not|don't|no longer|cannot|can't)\s+(?:have|hold|make|claim)\s+(?:a |any |the )?good[\s-]*faith belief"
    r"|\b(?:have|hold) no good[\s-]*faith belief"
)
GOOD_FAITH = re.compile(r"good[\s-]*faith|bona[\s-]*fide|in good conscience")
_AUTHORISED = re.compile(r"authori[sz]|permi(?:t|ssion)|licen[cs]|consent|allowed|approv")
_AGENT_PRONG = re.compile(r"\bagents?\b|representative|licensee")
_SENDER_IS_AGENT = re.compile(
    r"on behalf of (?:my|our) client|\bour client|\bwe represent|\bi represent|\blaw firm|\battorneys? for|counsel for"
    r"|authori[sz]ed agent|agent (?:of|for) the|anti-piracy|brand protection|on behalf of (?!the owner|myself|me\b)[a-z]"
)
# The law by any name: "the laws of the United States", "not lawfully used", "the Copyright Act", "17 U.S.C. 107".
_LAW_PRONG = re.compile(r"\blaws?\b|\blawful|\blegal|\bstatut|fair use|copyright act|\bu\.?\s?s\.?\s?c\b|\bdmca\b")
ACCURACY = re.compile(r"\baccurate|\baccuracy|\btrue\b|\bcorrect\b|\btruthful|\bexact\b|\bfactual")
# "Exact URLs:" over a list, "the exact location of the material": where the material is, not the notice's accuracy.
_EXACT_PLACE = re.compile(r"\bexact (?:urls?|links?|locations?|addresses|pages?|paths?|files?|places?)\b")
# Accuracy affirmed of the contact details only ("my contact information above is accurate"), not of the notice.
_CONTACT_ONLY = re.compile(
    r"(?:contact (?:information|info|details)|my (?:email|address|phone))[^.;]{0,40}\b(?:accurate|true|correct)"
    r"|\b(?:accurate|true|correct)[^.;]{0,20}\b(?:contact (?:information|info|details)|my (?:email|address|phone))"
)
_AUTHORITY_WORDS = re.compile(
    r"authori[sz]ed|on behalf of|\bi am (?:the |an? )?(?:\w+ ){0,3}"
    r"(?:owner|holder|author|agent|representative|creator|developer|counsel|attorney|lawyer)"
    r"|\bwe are (?:the |an? )?(?:\w+ ){0,3}(?:owner|holder|author|agent|representative|creator|developer)"
    r"|(?:owner|holder)s? of (?:the |an |this )?(?:exclusive |copyright)"
    r"|\bi own\b|\bwe own\b|\brepresent\b|\bentitled to act"
)
# Holding the rights is the owner's authority: "we possess full rights to all content of our site". A rights noun, not
# "the right to <verb>" ("I have the right to ask for its removal" claims no authority).
_HOLDS_RIGHTS = re.compile(
    r"\b(?:i|we) (?:possess|hold|have) (?:the |all |full )?(?:exclusive |sole |full )?(?:rights|copyrights?) (?:to|in|of|over)\b"
)
AUTHORITY = re.compile(_AUTHORITY_WORDS.pattern + "|" + _HOLDS_RIGHTS.pattern)


def said_by_sender(found: list[Sentence], pattern: re.Pattern[str] | None = None) -> list[Sentence]:
    """The sentences that are the sender's own free text: not a form's printed (bold) statement, nor words quoted —
    a sentence that opens with a quotation, or (`pattern`) whose every match of `pattern` stands inside quotation marks
    ('A colleague suggested I write "I withdraw my statement ..." but I will not')."""
    own = [s for s in found if not s.text.lstrip().startswith(("**", '"', "“", ">"))]
    if pattern is None:
        return own
    return [s for s in own if any(not _in_quotes(s.lower, m.start()) for m in pattern.finditer(s.lower))]


_QUOTE_MARKS = re.compile(r'["“”„«»]')


def _in_quotes(text: str, at: int) -> bool:
    """Whether position `at` stands between an opening and a closing quotation mark of `text` (marks counted before it:
    an odd number is an open quotation)."""
    return len(_QUOTE_MARKS.findall(text, 0, at)) % 2 == 1


def _taken_back(doc: Doc) -> list[Sentence]:
    return said_by_sender(doc.find(_PERJURY_TAKEN_BACK), _PERJURY_TAKEN_BACK)


def perjury_sentences(doc: Doc) -> list[Sentence]:
    """Sentences made under penalty of perjury, unless free text takes the oath back (that wins over a checked box)."""
    if _taken_back(doc):
        return []
    return [
        s
        for s in doc.find(PERJURY)
        if any(word in s.lower for word in ("penalty", "perjur", "oath", "swear", "sworn", "solemnly", "eidesstattlich"))
    ]


# --- takedown, § 512(c)(3)(A) -----------------------------------------------------------------------------------


def signature(doc: Doc, code: str = "signature") -> Judgement:
    found = find_signing(doc)
    ranges = [(found.start, found.end)] if found.end > found.start else []
    return judge(code, found.status, doc, ranges, found.note)  # type: ignore[arg-type]


_UNAUTHORISED = re.compile(
    r"\b(?:not|never|isn't|is not|was not|wasn't)\s+(?:been\s+|expressly\s+|otherwise\s+|in any way\s+)?"
    r"(?:authori[sz]ed|permitted|licen[cs]ed|allowed|approved|sanctioned)"
    r"|\b(?:none of|neither)\b(?=[^.;]{0,120}\b(?:authori[sz]|permit|licen[cs]|consent|allow|approv))"
    r"|\bunauthori[sz]ed|\bwithout (?:the |any |our |my |its )?(?:\w+ )?(?:authori[sz]ation|permission|consent|licen[cs]e|approval)"
    r"|\bno (?:permission|authori[sz]ation|licen[cs]e|consent)|\bunlicen[cs]ed|\bnot been granted"
    # "are not used with the permission of the owner"
    r"|\bnot (?:\w+ ){0,2}with (?:the |any )?(?:authori[sz]ation|permission|consent|licen[cs]e|approval)"
)
_OWNER_PRONG = re.compile(
    r"\b(?:owner|holder|proprietor|author|agent|licensor|creator|us|me|we|company|client|rights?holder|myself|ourselves|developer)s?\b"
    # or the owner by its name: "not authorized by Columbia Pictures, its agents, or the law"
    r"|^\s*(?:been\s+|expressly\s+)?by "
    r"(?!(?:(?:the|any|applicable|such|relevant|governing)\s+)*(?:law|laws|statute|legislation)\b)[a-z0-9][\w&'-]*"
)


# A belief, or more than one: "I declare", a statement opening "I hereby confirm that ..." (not "we confirm receipt",
# "if we confirm", "can I confirm").
_BELIEF = re.compile(
    r"\bbelie(?:f|ve)\b|best of (?:my|our) knowledge|\bi declare|\bwe declare|\b(?:i am|we are|i'm|we're) convinced\b"
    r"|^[\s*_>(\d.)-]*(?:i|we) (?:hereby )?(?:confirm|certify|affirm) that\b"
)
_USE_THEN_BY = re.compile(r" for (?:the )?use\b[^.;:]{0,80}? by ")
_PRONG_END = re.compile(r" for (?:use|the use)| therefore| because| and (?:thus|so|hence)|[.;:]\s")


# Who did not authorise, named before the negation: "the copyright owner has not authorised", "we never permitted".
_SUBJECT_BEFORE = re.compile(
    r"\b((?:we|i|owner|holder|proprietor|author|company|client|licensor|rights ?holder|creator|developer)s?)\s+"
    r"(?:(?:have|has|had|did|do|does|ever)\s+)?(?:\w+\s+)?$"
)


def _subject_before(low: str, start: int) -> str:
    found = _SUBJECT_BEFORE.search(low[max(0, start - 40) : start])
    return found.group(1) + " " if found else ""


_ABBREVIATION = re.compile(r"\b(?:inc|ltd|llc|co|corp|s\.a|b\.v|gmbh|plc|pty)\.")


def _prong_window(low: str, start: int) -> str:
    """The words naming who did not authorise the use: right after "not authorised", up to where the clause ends."""
    window = _ABBREVIATION.sub(lambda m: m.group(0).replace(".", " "), low[start : start + 170])
    # "not authorized for use as part of the files by the owner, its agent, or the law" names its prongs after the use
    # it speaks of: " for use" ends the prongs only when no "by" follows it in the clause
    end = _PRONG_END.search(window, 1 if _USE_THEN_BY.match(window) else 0)
    return window[: end.start()] if end else window


# The statement itself calls the use fair ("...has been considered a reasonable use without authorization..."): the
# law prong is taken back, whatever else the sentence says.
_CALLED_FAIR = re.compile(
    r"(?<!not )(?<!n't )\b(?:is|be|been|constitutes?|amounts to)\s+(?:considered\s+|deemed\s+|regarded as\s+)?(?:an?\s+)?"
    r"(?:reasonable|fair|permitted|legitimate)\s+use"
)


def _calls_use_fair(low: str) -> bool:
    # "...having considered whether it is fair use" weighs fair use, it does not call the use fair.
    return any(not re.search(r"\b(?:whether|if)\b", low[max(0, m.start() - 40) : m.start()]) for m in _CALLED_FAIR.finditer(low))


_FORM_GOOD_FAITH = re.compile(r"good faith belief that use of the copyrighted materials described above on the infringing web pages")


def good_faith_statement(doc: Doc, code: str = "good_faith_statement") -> Judgement:
    taken_back = said_by_sender(doc.find(_GOOD_FAITH_TAKEN_BACK), _GOOD_FAITH_TAKEN_BACK)
    if taken_back:
        return judge(code, "deficient", doc, sranges(taken_back, 1), "the text takes the good-faith statement back")
    stated = doc.find(GOOD_FAITH)
    believed = doc.find(_BELIEF)
    full, lawless, owner_only, law_only, other = [], [], [], [], []
    for s in dedupe(stated + believed):
        low = with_next(doc, s)
        has_gf = bool(GOOD_FAITH.search(low))
        prongs = [_subject_before(low, m.start()) + _prong_window(low, m.end()) for m in _UNAUTHORISED.finditer(low)]
        if any(_OWNER_PRONG.search(w) and _LAW_PRONG.search(w) for w in prongs):
            full.append(s)
        elif any(_OWNER_PRONG.search(w) and _AGENT_PRONG.search(w) for w in prongs):
            lawless.append(s)
        elif any(_OWNER_PRONG.search(w) for w in prongs):
            owner_only.append(s)
        elif any(_LAW_PRONG.search(w) for w in prongs):
            law_only.append(s)
        elif has_gf and GOOD_FAITH.search(s.lower):
            other.append(s)
    full = [s for s in full if GOOD_FAITH.search(with_next(doc, s)) or _BELIEF.search(s.lower)]
    fair = [s for s in full if _calls_use_fair(with_next(doc, s))]
    if fair and len(fair) == len(full):
        return judge(code, "deficient", doc, sranges(fair), "the belief calls the use fair or reasonable, taking back the law prong")
    if full:
        return judge(code, "present", doc, sranges(full), "good-faith belief that the use is not authorised by the owner, agent or law")
    printed = [s for s in stated if s.text.lstrip().startswith("**") and _FORM_GOOD_FAITH.search(s.lower)]
    if printed and not (law_only or owner_only or set(other) - set(printed)):
        # the web form prints the statement (a box it cannot be sent without: NOTICES.md), whatever the publisher's
        # redaction did to its words ("not [private]ized", a word split by a line break)
        return judge(code, "present", doc, sranges(printed, 1), "the web form's printed good-faith statement")
    # Owner and agent but not the law (§ 512(c)(3)(A)(v) ends "or the law": the prong that asks whether the use is
    # fair, Lenz v. Universal Music Corp., 815 F.3d 1145 (9th Cir. 2016)) — the belief says nothing of lawful use.
    lawless = [s for s in lawless if GOOD_FAITH.search(with_next(doc, s)) or _BELIEF.search(s.lower)]
    if lawless and not owner_only and not law_only:
        return judge(code, "deficient", doc, sranges(lawless), "the belief covers the owner and its agent but not the law (fair use)")
    owner_only = [s for s in owner_only + lawless if GOOD_FAITH.search(with_next(doc, s)) or _BELIEF.search(s.lower)]
    if owner_only:
        by_agent = bool(_SENDER_IS_AGENT.search(doc.lower[doc.start :]))
        note = (
            "the belief covers only the owner, and the sender is its agent" if by_agent else "the belief covers only the owner, not the law"
        )
        return judge(code, "deficient", doc, sranges(owner_only), note)
    if law_only:
        return judge(code, "deficient", doc, sranges(law_only), "good-faith belief covers only the law, not the owner's authorisation")
    if other:
        return judge(code, "deficient", doc, sranges(other), "good faith is asserted only about the infringement, not authorisation")
    return judge(code, "missing", doc, [], "no statement of good-faith belief")


# A sworn preamble that governs a list of statements ("I state under penalty of perjury that: 1. ... 7. ...").
# A sworn statement that the sender (or its principal) holds the right: authority sworn in other words.
_RIGHT_HELD = re.compile(
    r"exclusive (?:right|licen[cs]e)|rights? ?holder|\b(?:is|am|are) the (?:\w+ )?(?:owner|holder|author)"
    r"|\b(?:has|have|holds?|owns?) (?:the |an |all )?(?:\w+ )?(?:rights?|copyright)"
)
_STATUTORY_LIST = re.compile(r"(?:perjury|oath)[^.\n]{0,40}(?:that|the following)\s*:")


# An oath over the whole notice ("I declare ... that this notification is true and correct", "the foregoing is true"):
# it reaches the authority stated above it.
_WHOLE_NOTICE_SWORN = re.compile(
    r"\b(?:this|the above|the foregoing|foregoing|above) (?:notification|notice|letter|statement|declaration|information)?\s*"
    r"(?:is|are) (?:true|correct)|\bthe foregoing\b|\ball (?:of )?the (?:above|statements)"
    # the notice itself, or all its statements, sworn accurate ("this notice is accurate and complete", "the statements
    # made herein are true and accurate", "the above information is accurate"); not "the information in this notice"
    r"|(?<!\bin )(?<!\bof )\b(?:this|the) (?:notice|notification|letter|declaration) (?:is|are) (?:true|accurate|correct|complete)"
    r"|\b(?:all )?(?:the )?statements (?:made )?(?:herein|above|in this (?:notice|notification|letter))"
    r"|\ball statements\b|\bthe above (?:information|statements?)\b"
    # "I ... hereby digitally sign this e-mail message under penalty of perjury": the oath signs the whole message
    r"|\bsign(?:s|ed)? (?:this|the) (?:e-?mail |email )?(?:message|notice|notification|letter|declaration|e-?mail)\b"
)
# Authority sworn in other words than the statute's: "permitted to act for", "I act for", "my authority to send it".
_SWORN_AUTHORITY = re.compile(
    r"\b(?:permitted|entitled|allowed|empowered|mandated|instructed) to act\b|\bi act (?:for|on behalf)|\bacting (?:for|on behalf)"
    r"|\bauthority\b"
)


def _authority_beside_the_oath(doc: Doc, perjury: list[Sentence], authority: list[Sentence]) -> list[Sentence]:
    """An oath that swears only to the notice's accuracy, with the sender's authority claimed elsewhere — not in the
    sentence before or after the oath, except inside the good-faith belief there (NOTICES.md: the authority must be
    sworn): those unsworn claims, else []."""
    if any(
        AUTHORITY.search(with_next(doc, p))
        or _SWORN_AUTHORITY.search(with_next(doc, p))
        or _RIGHT_HELD.search(p.lower)
        or _WHOLE_NOTICE_SWORN.search(p.lower)
        for p in perjury
    ):
        return []
    claims = [a for a in authority if _claims_authority(a.lower) and not PERJURY.search(a.lower)]
    if not claims:
        return []
    sentences = doc.sentences
    at = {s.start: i for i, s in enumerate(sentences)}
    near = [sentences[at[p.start] + d] for p in perjury if p.start in at for d in (-1, 1) if 0 <= at[p.start] + d < len(sentences)]
    if any(_claims_authority(s.lower) and not GOOD_FAITH.search(s.lower) for s in near):
        return []
    return claims


# A claim of the sender's own authority: "authorized to act", "on behalf of", "I am the owner", "we own"; not the
# "unauthorized" of the infringement it reports.
_AUTHORITY_CLAIM = re.compile(
    r"(?<![\w-])authori[sz]ed (?:to act|agent|representative)|\bon behalf of\b|\b(?:i am|we are|i'm|we're) (?:the |an? )?(?:\w+ ){0,3}"
    r"(?:owners?|holders?|authors?|agents?|representatives?|creators?|developers?|counsel|attorneys?|lawyers?)\b"
    r"|\b(?:owner|holder)s? of (?:the |an |this )?(?:exclusive |copyright)|\b(?:i|we) own\b|\bentitled to act"
    r"|\bas (?:the )?(?:copyright )?(?:owner|holder|rights ?holder|agent|representative)\b"
)


def _claims_authority(low: str) -> bool:
    """The sentence claims the sender's authority ("I am authorized to act for ...", "we are the owner"), in the words
    before any good-faith belief it also holds (whose "not authorized by the owner" claims nothing)."""
    belief = GOOD_FAITH.search(low)
    claim = low[: belief.start()] if belief else low
    return bool(_AUTHORITY_CLAIM.search(claim)) and not _UNAUTHORISED.search(claim)


def accuracy_authority_statement(doc: Doc, code: str = "accuracy_authority_statement") -> Judgement:
    perjury = perjury_sentences(doc)
    accuracy_all = [
        s for s in doc.find(ACCURACY) if not s.lower.strip(" *").endswith("?") and ACCURACY.search(_EXACT_PLACE.sub("", s.lower))
    ]
    accuracy = [
        s
        for s in accuracy_all
        if not (
            _CONTACT_ONLY.search(s.lower) and not re.search(r"notice|notification|information (?:in|above|provided|contained)", s.lower)
        )
    ]
    authority = doc.find(AUTHORITY)
    accuracy_set = set(accuracy)  # a set: asking a list for each oath was quadratic in a notice repeated over 2 MB
    sworn_accuracy = [s for s in perjury if ACCURACY.search(s.lower) and s in accuracy_set]
    sworn_authority = authority or any(AUTHORITY.search(s.lower) for s in perjury)
    # Accuracy sworn, authority claimed only in a later unsworn sentence ("We certify, under penalty of perjury, that
    # the notice is correct. We have the authority to act."): the oath does not reach the authority.
    first_oath, last_oath = min((p.start for p in perjury), default=0), max((p.end for p in perjury), default=0)
    # "...is not authorized by the owner" (the good-faith statement) claims no authority.
    # Holding the rights ("we hold all rights to ...") makes an oath's authority, but is no unsworn authority claim.
    claimed = [
        a for a in authority if not _UNAUTHORISED.search(a.lower) and not GOOD_FAITH.search(a.lower) and _AUTHORITY_WORDS.search(a.lower)
    ]
    unsworn_authority = (
        claimed
        if sworn_accuracy
        and not any(AUTHORITY.search(with_next(doc, p)) or _RIGHT_HELD.search(p.lower) for p in perjury)
        and any(a.start >= last_oath for a in claimed)
        # an authority statement just before the oath ("...and I am authorised. I declare under penalty of perjury that
        # this notification is true") or inside it is sworn with it
        and not any(first_oath - 300 <= a.start < last_oath or PERJURY.search(a.lower) for a in claimed)
        else []
    )
    if sworn_accuracy and not unsworn_authority:
        unsworn_authority = _authority_beside_the_oath(doc, perjury, authority)
    if unsworn_authority and not _STATUTORY_LIST.search(doc.lower):
        return judge(
            code, "deficient", doc, sranges(sworn_accuracy, 1) + sranges(unsworn_authority, 1), "accuracy is sworn, authority is not"
        )
    if perjury and (sworn_accuracy or accuracy) and (sworn_accuracy or sworn_authority):
        return judge(
            code,
            "present",
            doc,
            sranges(sworn_accuracy or perjury) + sranges(accuracy, 1),
            "accuracy and authority under penalty of perjury",
        )
    taken_back = _taken_back(doc)
    if accuracy_all and not accuracy and perjury:
        return judge(
            code, "deficient", doc, sranges(accuracy_all, 1) + sranges(perjury, 1), "accuracy is affirmed only for contact details"
        )
    if accuracy and (authority or taken_back):
        return judge(
            code,
            "deficient",
            doc,
            sranges(taken_back or accuracy, 2),
            "accuracy and authority are stated, but not under penalty of perjury",
        )
    if perjury and authority:
        return judge(code, "deficient", doc, sranges(perjury, 2), "authority is sworn but the accuracy of the notice is not affirmed")
    if accuracy:
        return judge(code, "deficient", doc, sranges(accuracy, 1), "accuracy is affirmed without authority under penalty of perjury")
    return judge(code, "missing", doc, [], "no statement of accuracy or authority")
