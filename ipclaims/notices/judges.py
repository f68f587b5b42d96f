"""Judging the US_DMCA elements of a notice's text, § 512(c)(3)(A) and § 512(g)(3), as NOTICES.md reads them.

Each judge returns a `Judgement` with the spans it was judged on: every `present` one quotes at least one span, a
`deficient` one quotes what made it deficient.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ipclaims.notices.doc import Doc, is_platform, url_depth
from ipclaims.notices.signing import find_signing
from ipclaims.notices.text import Sentence, Span, Url, span, spans

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
PERJURY = re.compile(r"perjur|under oath|sworn|\bswear|under penalty|penalty of law|eidesstattlich")
_PERJURY_TAKEN_BACK = re.compile(
    r"(?:cannot|can't|can not|won't|will not|do not|don't|refuse to|unable to|not able to|am not)\s+(?:\w+\s+){0,4}"
    r"(?:swear|state|declare|affirm|sign|attest|certify|make)[^.\n]{0,60}(?:perjur|under oath|sworn)"
    r"|\bnot\s+(?:\w+\s+){0,3}under (?:the )?penalty of perjury|without (?:any )?(?:oath|penalty of perjury)"
)
GOOD_FAITH = re.compile(r"good[\s-]*faith|bona[\s-]*fide|in good conscience")
_AUTHORISED = re.compile(r"authori[sz]|permi(?:t|ssion)|licen[cs]|consent|allowed|approv")
_OWNER_PRONG = re.compile(r"\b(?:owner|holder|proprietor|author|agent|licensor|creator|us|me|we|company|client|rights?holder|copyright)\b")
_LAW_PRONG = re.compile(r"\blaw\b|\blegal|\bstatut|fair use")
ACCURACY = re.compile(r"\baccurate|\baccuracy|\btrue\b|\bcorrect\b|\btruthful|\bexact\b|\bfactual")
_CONTACT_ONLY = re.compile(r"contact (?:information|info|details)|my (?:email|address|phone)")
AUTHORITY = re.compile(
    r"authori[sz]ed|on behalf of|\bi am (?:the |an? )?(?:\w+ ){0,3}(?:owner|holder|author|agent|representative|creator|developer|counsel|attorney|lawyer)"
    r"|\bwe are (?:the |an? )?(?:\w+ ){0,3}(?:owner|holder|author|agent|representative|creator|developer)|(?:owner|holder)s? of (?:the |an |this )?(?:exclusive |copyright)"
    r"|\bi own\b|\bwe own\b|\brepresent\b|\bentitled to act"
)


def _taken_back(doc: Doc) -> list[Sentence]:
    return doc.find(_PERJURY_TAKEN_BACK)


def perjury_sentences(doc: Doc) -> list[Sentence]:
    """Sentences made under penalty of perjury, unless free text takes the oath back (that wins over a checked box)."""
    if _taken_back(doc):
        return []
    return [
        s
        for s in doc.find(PERJURY)
        if "penalty" in s.lower or "perjur" in s.lower or "oath" in s.lower or "swear" in s.lower or "sworn" in s.lower
    ]


# --- takedown, § 512(c)(3)(A) -----------------------------------------------------------------------------------


def signature(doc: Doc, code: str = "signature") -> Judgement:
    found = find_signing(doc)
    ranges = [(found.start, found.end)] if found.end > found.start else []
    return judge(code, found.status, doc, ranges, found.note)  # type: ignore[arg-type]


_WORK_NOUN = re.compile(
    r"\b(?:work|works|software|code|source|program|application|app|game|book|novel|course|video|film|movie|music|song|album|font|"
    r"theme|template|plugin|library|sdk|image|images|photo|photograph|artwork|illustration|documentation|manual|content|mod|tool|script|"
    r"website|design|article|text|project|repository|framework|engine|api|firmware|model|dataset|database|extension|client|bot|"
    r"lessons?|materials?|solutions?|assignments?|exam|questions?|tutorial|guide|screenshot|logo|asset|sprites?|textures?)\b"
)
_NAME_OR_MARK_ONLY = re.compile(r"trademark|trade mark|brand name|®|™|personal (?:data|information)|privacy|\bgdpr\b|my (?:real )?name")
_COPYRIGHT = re.compile(
    r"copyright|©|\(c\)|urheberrecht|droit d'auteur|proprietary|authored|wrote|written|created|developed|our (?:original )?(?:code|work)"
)


def work_identification(doc: Doc) -> Judgement:
    code = "work_identification"
    originals = doc.role_urls("original")
    block = doc.block(re.compile(r"original (?:copyrighted )?work|description of the (?:original|copyrighted)"))
    if block and len(block.answer(doc.text).split()) >= 3:
        return judge(code, "present", doc, [(block.a_start, min(block.a_end, block.a_start + 400))], "the form describes the work")
    work_sentences = [s for s in doc.find(_WORK_NOUN) if not s.text.lstrip().startswith("**")]
    copyright_sentences = [s for s in work_sentences if _COPYRIGHT.search(s.lower)]
    if originals:
        return judge(code, "present", doc, [(u.start, u.end) for u in originals[:3]], "the original work is linked")
    mark_only = [s for s in doc.find(_NAME_OR_MARK_ONLY) if not s.text.lstrip().startswith("**")]
    if mark_only and not copyright_sentences:
        return judge(code, "deficient", doc, sranges(mark_only), "a name, mark or data right is claimed, no copyright work")
    if copyright_sentences or work_sentences:
        return judge(code, "present", doc, sranges(copyright_sentences or work_sentences), "the work is named or described")
    reported = doc.role_urls("reported")
    if reported:
        return judge(code, "present", doc, [(u.start, u.end) for u in reported[:1]], "the work is identified only by its copy")
    return judge(code, "missing", doc, [], "no copyrighted work is named or described")


_WHOLE_ACCOUNT = re.compile(
    r"\ball (?:of )?(?:the |his |her |their |its )?(?:repositor|repos\b|projects|content|code|files|materials?)[^.\n]{0,60}"
    r"(?:account|user|profile|organi[sz]ation|owner)|\b(?:entire|whole|complete) (?:account|profile|organi[sz]ation|user)"
)
_AVATAR = re.compile(r"avatar|profile (?:picture|image|photo)|username|user name|handle")
_RESERVED = {"orgs", "users", "settings", "marketplace", "topics", "search", "sponsors"}


def location_status(doc: Doc, reported: list[Url]) -> tuple[Status, list[tuple[int, int]], str]:
    specific = [u for u in reported if _specific(u)]
    if specific:
        return "present", [(u.start, u.end) for u in specific[:5]], f"{len(specific)} specific URL(s) of the material"
    profiles = [u for u in reported if u.path.strip("/")]
    if profiles:
        if doc.find(_AVATAR):
            return "present", [(u.start, u.end) for u in profiles[:3]], "the profile itself is the material"
        whole = doc.find(_WHOLE_ACCOUNT)
        ranges = [(u.start, u.end) for u in profiles[:3]] + sranges(whole, 1)
        return "deficient", ranges, "a whole account is named, not the material on it"
    if reported:
        return "deficient", [(u.start, u.end) for u in reported[:3]], "only a whole site is named"
    general = doc.find(re.compile(r"\b(?:repositor(?:y|ies)|repos?|account|website|site|platform|page)\b"))
    if general:
        return "deficient", sranges(general, 1), "the material is described only in general terms, no URL"
    return "missing", [], "no location of the material is given"


def _specific(url: Url) -> bool:
    depth = url_depth(url)
    if url.host in ("github.com", "www.github.com"):
        first = url.path.strip("/").split("/")[0].lower() if depth else ""
        if first in _RESERVED:
            return depth >= 3
        return depth >= 2
    if url.host.endswith(".github.io"):
        return True
    if is_platform(url):
        return depth >= 1
    return depth >= 1 or bool(url.url.split("?", 1)[1:])


def material_location(doc: Doc, code: str = "material_location") -> Judgement:
    status, ranges, note = location_status(doc, doc.role_urls("reported"))
    return judge(code, status, doc, ranges, note)


_CONTACT_LABEL = re.compile(r"e-?mail|mail\b|phone|tel\b|telephone|mobile|fax|address|contact|reach (?:me|us)|wechat|whatsapp|skype")
_CONTACT_REFUSED = re.compile(
    r"(?:will not|won't|cannot|can't|do not|don't|refuse to|decline to|prefer not to|not going to)\s+(?:\w+\s+){0,3}"
    r"(?:provide|give|share|disclose|include|reveal|publish)[^.\n]{0,50}(?:address|phone|telephone|contact|number)"
    r"|\bno (?:physical |postal )?address (?:will|shall|is going to) be"
)


def contact_channels(doc: Doc) -> list[tuple[int, int]]:
    ranges: list[tuple[int, int]] = [(f.start, f.end) for f in doc.emails + doc.phones + doc.addresses]
    ranges += [(f.start, f.end) for f in doc.labelled_redactions(_CONTACT_LABEL)]
    block = doc.contact_block()
    if block and not doc.in_excluded(block.a_start):
        answer = block.answer(doc.text).strip(" \t\r\n*_-")
        if answer and answer.lower() not in ("n/a", "na", "none", "no", "-"):
            ranges.append((block.a_start, block.a_end))
    return sorted(set(ranges))


def contact_information(doc: Doc, code: str = "contact_information") -> Judgement:
    ranges = contact_channels(doc)
    if not ranges:
        signing = find_signing(doc)
        if signing.end:
            tail = doc.text[signing.end : signing.end + 300]
            extra = [m for m in re.finditer(r"\[\s*private\s*\]", tail, re.IGNORECASE)]
            if extra:
                ranges = [(signing.end + m.start(), signing.end + m.end()) for m in extra[:3]]
    if ranges:
        return judge(code, "present", doc, ranges[:5], "a contact channel is given")
    refused = doc.find(_CONTACT_REFUSED)
    if refused:
        return judge(code, "deficient", doc, sranges(refused, 1), "the sender refuses to give contact details")
    return judge(code, "missing", doc, [], "no postal address, telephone or email appears")


def good_faith_statement(doc: Doc, code: str = "good_faith_statement") -> Judgement:
    stated = doc.find(GOOD_FAITH)
    believed = doc.find(re.compile(r"\bbelie(?:f|ve)\b"))
    full, law_only, other = [], [], []
    for s in _dedupe(stated + believed):
        low = _with_next(doc, s)
        if not _AUTHORISED.search(low):
            if GOOD_FAITH.search(s.lower):
                other.append(s)
            continue
        owner = _OWNER_PRONG.search(low.replace("copyrighted material", "").replace("copyright material", ""))
        if owner:
            full.append(s)
        elif _LAW_PRONG.search(low):
            law_only.append(s)
        elif GOOD_FAITH.search(s.lower):
            other.append(s)
    full = [s for s in full if GOOD_FAITH.search(_with_next(doc, s)) or "believe" in s.lower]
    if full:
        return judge(code, "present", doc, sranges(full), "good-faith belief that the use is not authorised by the owner, agent or law")
    if law_only:
        return judge(code, "deficient", doc, sranges(law_only), "good-faith belief covers only the law, not the owner's authorisation")
    if other:
        return judge(code, "deficient", doc, sranges(other), "good faith is asserted only about the infringement, not authorisation")
    return judge(code, "missing", doc, [], "no statement of good-faith belief")


def _dedupe(found: list[Sentence]) -> list[Sentence]:
    seen: set[int] = set()
    out = []
    for s in sorted(found, key=lambda s: s.start):
        if s.start not in seen:
            seen.add(s.start)
            out.append(s)
    return out


def _with_next(doc: Doc, s: Sentence) -> str:
    # A statement broken by a line break into two "sentences" is read together.
    return doc.lower[s.start : min(len(doc.text), s.end + 160)]


def accuracy_authority_statement(doc: Doc, code: str = "accuracy_authority_statement") -> Judgement:
    perjury = perjury_sentences(doc)
    accuracy_all = [s for s in doc.find(ACCURACY) if not s.lower.strip(" *").endswith("?")]
    accuracy = [
        s
        for s in accuracy_all
        if not (
            _CONTACT_ONLY.search(s.lower) and not re.search(r"notice|notification|information (?:in|above|provided|contained)", s.lower)
        )
    ]
    authority = doc.find(AUTHORITY)
    sworn_accuracy = [s for s in perjury if ACCURACY.search(s.lower) and s in accuracy]
    if perjury and (sworn_accuracy or accuracy):
        if sworn_accuracy or authority or any(AUTHORITY.search(s.lower) for s in perjury):
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


def takedown(doc: Doc) -> list[Judgement]:
    return [
        signature(doc),
        work_identification(doc),
        material_location(doc),
        contact_information(doc),
        good_faith_statement(doc),
        accuracy_authority_statement(doc),
    ]


# --- counter notice, § 512(g)(3) ----------------------------------------------------------------------------------

_FILE_PATH = re.compile(
    r"(?<![\w/.:-])(?:[\w.-]+/)+[\w.-]+\.[A-Za-z0-9]{1,6}\b|(?<![\w/.:-])[\w-]+\.(?:js|ts|py|java|c|cpp|h|cs|go|rb|php|swift|kt|json|xml|html|css|md|txt|yml|yaml|lua|rs|m)\b"
)
_REPO_NAMED = re.compile(r"\b(?:repository|repo)\s+(?:named\s+|called\s+)?[`\"'“]?[\w.-]+/[\w.-]+")


def material_identification(doc: Doc, code: str = "material_identification") -> Judgement:
    urls = [u for u in doc.urls if is_platform(u) or u.path.strip("/")]
    if urls:
        return judge(code, "present", doc, [(u.start, u.end) for u in urls[:5]], "the removed material's URLs are given")
    named = doc.find(_REPO_NAMED)
    if named:
        return judge(code, "present", doc, sranges(named, 2), "the repository is named")
    paths = [m for m in _FILE_PATH.finditer(doc.text, doc.start)]
    if paths:
        return judge(code, "deficient", doc, [(m.start(), m.end()) for m in paths[:3]], "files are listed but the repository is not named")
    return judge(code, "missing", doc, [], "the removed material is not identified")


_MISTAKE = re.compile(r"mistake|misidentif|mis-identif|in error\b|erroneous|wrongly|wrongful|by error")


def mistake_statement(doc: Doc, code: str = "mistake_statement", extra: re.Pattern[str] | None = None) -> Judgement:
    found = [s for s in doc.find(_MISTAKE) if not s.lower.strip(" *").endswith("?")]
    if extra is not None:
        found += [s for s in doc.find(extra) if not s.lower.strip(" *").endswith("?")]
    perjury = perjury_sentences(doc)
    if found and perjury:
        return judge(code, "present", doc, sranges(found, 2) + sranges(perjury, 1), "good-faith belief of mistake under penalty of perjury")
    if found:
        return judge(code, "deficient", doc, sranges(found, 2), "mistake is claimed, but not under penalty of perjury")
    return judge(code, "missing", doc, [], "no statement that the removal was a mistake")


_PHONE_LABEL = re.compile(r"phone|tel\b|telephone|mobile|cell")
_ADDRESS_LABEL = re.compile(r"address|street|city|location|country")


def subscriber_contact(doc: Doc, code: str = "subscriber_contact") -> Judgement:
    refused = doc.find(_CONTACT_REFUSED)
    if refused:
        return judge(code, "deficient", doc, sranges(refused, 1), "the subscriber will not give an address or telephone number")
    block = doc.contact_block()
    if block:
        answer = block.answer(doc.text).strip(" \t\r\n*_-")
        if answer:
            return judge(code, "present", doc, [(block.a_start, block.a_end)], "telephone and address are given in the form")
    phones = [(f.start, f.end) for f in doc.phones] + [(f.start, f.end) for f in doc.labelled_redactions(_PHONE_LABEL)]
    addresses = [(f.start, f.end) for f in doc.addresses] + [(f.start, f.end) for f in doc.labelled_redactions(_ADDRESS_LABEL)]
    if phones and addresses:
        return judge(code, "present", doc, (addresses[:2] + phones[:2]), "name, address and telephone are given")
    signing = find_signing(doc)
    tail = [m for m in re.finditer(r"\[\s*private\s*\]", doc.text[signing.end :], re.IGNORECASE)] if signing.end else []
    unlabelled = [r for r in doc.redactions if signing.end and r.start > signing.end] or []
    if (phones or addresses) and (len(unlabelled) >= 1 or len(tail) >= 1):
        return judge(
            code,
            "present",
            doc,
            (phones + addresses)[:2] + [(r.start, r.end) for r in unlabelled[:2]],
            "contact details are given (some redacted)",
        )
    if len(unlabelled) >= 2:
        return judge(code, "present", doc, [(r.start, r.end) for r in unlabelled[:3]], "redacted contact lines under the signature")
    some = phones + addresses + [(f.start, f.end) for f in doc.emails]
    if some:
        return judge(code, "deficient", doc, some[:3], "the name, address and telephone number are not all given")
    return judge(code, "missing", doc, [], "no address or telephone beyond the signature name")


_JURISDICTION = re.compile(r"jurisdiction|district court|federal court|courts? of|venue")
CONSENT = re.compile(r"consent|agree|submit|accept|subject myself|recogni[sz]e")
_CONTRADICT = re.compile(
    r"\bonly\b[^.\n]{0,80}\b(?:court|jurisdiction|law)s?\b|\b(?:court|jurisdiction)s?\b[^.\n]{0,40}\bonly\b"
    r"|(?:do not|don't|cannot|can't|will not|won't|never|refuse to|not)\s+(?:\w+\s+){0,3}(?:consent|submit|agree|accept|recogni[sz]e)[^.\n]{0,80}"
    r"(?:jurisdiction|court|united states|u\.s\.|\bus\b|american|california)"
    r"|(?:no|not under|not subject to)\s+(?:the\s+)?(?:u\.s\.|us|united states|american)\s+(?:jurisdiction|law|courts?)"
)


def jurisdiction_consent(doc: Doc, code: str = "jurisdiction_consent") -> Judgement:
    found = [s for s in doc.find(_JURISDICTION) if CONSENT.search(s.lower) and not NEGATED.search(s.lower)]
    contradicted = [s for s in doc.find(_CONTRADICT) if not s.text.lstrip().startswith("**")]
    if contradicted:
        return judge(code, "deficient", doc, sranges(contradicted, 2), "free text accepts only other courts")
    if found:
        return judge(code, "present", doc, sranges(found, 2), "consent to the jurisdiction")
    return judge(code, "missing", doc, [], "no consent to jurisdiction")


_SERVICE = re.compile(r"service of process|accept service|accept (?:legal )?(?:service|process)|be served")
_SERVICE_REFUSED = re.compile(r"(?:not|never|refuse to|won't|cannot)\s+(?:\w+\s+){0,2}accept[^.\n]{0,30}(?:service|process)")


def service_acceptance(doc: Doc, code: str = "service_acceptance") -> Judgement:
    refused = [s for s in doc.find(_SERVICE_REFUSED) if not s.text.lstrip().startswith("**")]
    if refused:
        return judge(code, "deficient", doc, sranges(refused, 1), "free text refuses service of process")
    found = doc.find(_SERVICE)
    if found:
        return judge(code, "present", doc, sranges(found, 2), "will accept service of process")
    return judge(code, "missing", doc, [], "no acceptance of service of process")


def counter_notice(doc: Doc) -> list[Judgement]:
    return [
        signature(doc),
        material_identification(doc),
        mistake_statement(doc),
        subscriber_contact(doc),
        jurisdiction_consent(doc),
        service_acceptance(doc),
    ]


__all__ = ["Judgement", "Span", "span"]
