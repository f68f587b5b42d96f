"""Judging the US_DMCA counter-notice elements of a text, § 512(g)(3) (and the shared parts of reg 80(4)).

As NOTICES.md reads them: the removed material's URLs (files listed without the repository are deficient), the
sworn mistake statement, the subscriber's name, address and telephone (a refusal to give an address is deficient),
and the statutory consent sentences (free text accepting only other courts is deficient).
"""

from __future__ import annotations

import re

from ipclaims.notices.contact import contact_refusals, pointed_redactions
from ipclaims.notices.doc import Doc
from ipclaims.notices.judges import NEGATED, TAKE_BACK, Judgement, judge, perjury_sentences, said_by_sender, sranges
from ipclaims.notices.material import repo_slugs
from ipclaims.notices.signing import find_signing
from ipclaims.notices.text import REDACTED, lines_with_offsets

_FILE_PATH = re.compile(
    r"(?<![\w/.:-])(?:[\w.-]+/)+[\w.-]+\.[A-Za-z0-9]{1,6}\b|(?<![\w/.:-])[\w-]+\.(?:js|ts|py|java|c|cpp|h|cs|go|rb|php|swift|kt|json|xml|html|css|md|txt|yml|yaml|lua|rs|m)\b"
)
# An address written without its scheme: "someone.github.io", "github.com/someone/project".
_BARE_PAGES = re.compile(r"(?<![\w./-])[A-Za-z0-9][\w-]*\.github\.io(?:/[^\s)\]]*)?", re.IGNORECASE)
_BARE_REPO_URL = re.compile(r"(?<![\w./-])github\.com/[\w.-]+/[\w.-]+", re.IGNORECASE)
_REPO_NAMED = re.compile(r"\b(?:repository|repo)\s+(?:named\s+|called\s+)?[`\"'“]?[\w.-]+/[\w.-]+")


# Off the platform, a page introduced as where the work was first released or licensed is its origin, not the material
# that was removed ("released under the GPL on my forum, as per this web page: ...").
_ORIGIN_WORDS = re.compile(r"\b(?:released|licen[cs]ed?|forums?|original(?:ly)?|upstream|as per|web ?page|website|homepage|blog)\b")


def _points_at_origin(doc: Doc, start: int) -> bool:
    return bool(_ORIGIN_WORDS.search(doc.lower[max(doc.start, start - 160) : start]))


def material_identification(doc: Doc, code: str = "material_identification") -> Judgement:
    urls = [u for u in doc.urls if doc.on_platform(u)] or [u for u in doc.urls if u.path.strip("/") and not _points_at_origin(doc, u.start)]
    if urls:
        return judge(code, "present", doc, [(u.start, u.end) for u in urls[:5]], "the removed material's URLs are given")
    bare = [m for m in _BARE_PAGES.finditer(doc.text, doc.start)] + [m for m in _BARE_REPO_URL.finditer(doc.text, doc.start)]
    if bare:
        return judge(code, "present", doc, [(m.start(), m.end()) for m in bare[:5]], "the removed material is named by its address")
    named = doc.find(_REPO_NAMED)
    if named:
        return judge(code, "present", doc, sranges(named, 2), "the repository is named")
    slugs = repo_slugs(doc)
    if slugs:
        return judge(code, "present", doc, slugs[:5], "the repository is named as owner/name")
    paths = [m for m in _FILE_PATH.finditer(doc.text, doc.start)]
    if paths:
        return judge(code, "deficient", doc, [(m.start(), m.end()) for m in paths[:3]], "files are listed but the repository is not named")
    return judge(code, "missing", doc, [], "the removed material is not identified")


_MISTAKE = re.compile(
    r"mistake|misidentif|mis-identif|in error\b|erroneous|wrongly|wrongful|by error|misunderst|misappl|misconstru|mistaken"
    r"|incorrectly (?:removed|disabled|identified|taken down)"
)


# Free text saying the removal was no mistake takes back the sworn sentence (NOTICES.md: the free text wins).
_MISTAKE_DENIED = re.compile(
    r"\b(?:wasn't|was not|isn't|is not|was never|it's not|this is not|that is not)\s+(?:a |an |just a |simply a )?"
    r"(?:mistake|misidentification|error)\b"
    # "the material was not removed by mistake (but on purpose)"
    r"|\b(?:wasn't|was not|weren't|were not)\s+(?:removed|disabled|taken down|deleted)\s+(?:by|in|through|due to|as a result of)\s+"
    r"(?:a |an )?(?:mistake|misidentification|error)\b"
    # "I withdraw my statement that the removal was a mistake"
    rf"|{TAKE_BACK}(?:mistake|misidentif|in error\b|erroneous|wrongly)"
)


def mistake_statement(doc: Doc, code: str = "mistake_statement", extra: re.Pattern[str] | None = None) -> Judgement:
    found = [s for s in doc.find(_MISTAKE) if not s.lower.strip(" *").endswith("?")]
    if extra is not None:
        found += [s for s in doc.find(extra) if not s.lower.strip(" *").endswith("?")]
    denied = said_by_sender(doc.find(_MISTAKE_DENIED), _MISTAKE_DENIED)
    if found and denied:
        return judge(code, "deficient", doc, sranges(denied, 1), "the text says the removal was not a mistake, taking the statement back")
    perjury = perjury_sentences(doc)
    if found and perjury:
        return judge(code, "present", doc, sranges(found, 2) + sranges(perjury, 1), "good-faith belief of mistake under penalty of perjury")
    if found:
        return judge(code, "deficient", doc, sranges(found, 2), "mistake is claimed, but not under penalty of perjury")
    return judge(code, "missing", doc, [], "no statement that the removal was a mistake")


_PHONE_LABEL = re.compile(r"phone|tel\b|telephone|mobile|cell")
_ADDRESS_LABEL = re.compile(r"address|street|city|location|country|\b(?:i )?(?:live|living|reside|residing) (?:in|at)\b|residence")


def subscriber_contact(doc: Doc, code: str = "subscriber_contact") -> Judgement:
    phones = [(f.start, f.end) for f in doc.phones] + [(f.start, f.end) for f in doc.labelled_redactions(_PHONE_LABEL)]
    addresses = [(f.start, f.end) for f in doc.addresses] + [(f.start, f.end) for f in doc.labelled_redactions(_ADDRESS_LABEL)]
    refused = contact_refusals(doc)
    # a refusal counts only when the address or telephone is not given after all (a wish that they not be published)
    if refused and not (phones and addresses):
        return judge(code, "deficient", doc, sranges(refused, 1), "the subscriber will not give an address or telephone number")
    block = doc.contact_block()
    if block:
        answer = block.answer(doc.text).strip(" \t\r\n*_-")
        if answer:
            return judge(code, "present", doc, [(block.a_start, block.a_end)], "telephone and address are given in the form")
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
    pointed = pointed_redactions(doc)
    if pointed:
        # "My contact information is as follows: [private]": the publisher removed the details from their slot.
        return judge(code, "present", doc, pointed[:4], "contact details are given where the notice points (redacted)")
    if len(unlabelled) >= 2:
        return judge(code, "present", doc, [(r.start, r.end) for r in unlabelled[:3]], "redacted contact lines under the signature")
    slot = _statutory_slot(doc)
    if slot:
        return judge(code, "present", doc, [slot], "a redacted block between the mistake statement and the consent (the statute's slot)")
    some = phones + addresses + [(f.start, f.end) for f in doc.emails]
    if some:
        return judge(code, "deficient", doc, some[:3], "the name, address and telephone number are not all given")
    return judge(code, "missing", doc, [], "no address or telephone beyond the signature name")


def _statutory_slot(doc: Doc) -> tuple[int, int] | None:
    """A bare redacted line right before the consent to jurisdiction, right after the mistake statement or after the
    bare number of its own list item ("4." on a line of its own, the mistake statement earlier): where § 512(g)(3)(D)
    puts the subscriber's name, address and telephone, emptied by the publisher."""
    lines = [(a, b, line.strip(" \t*_>")) for a, b, line in lines_with_offsets(doc.text, doc.start) if line.strip(" \t*_>")]
    mistake = _MISTAKE.search(doc.lower, doc.start)  # once: the slot comes after the first mistake statement
    if not mistake:
        return None
    for (_, _, before), (a, b, line), (_, _, after) in zip(lines, lines[1:], lines[2:], strict=False):
        if not (REDACTED.fullmatch(line.rstrip(" ,.;")) and _JURISDICTION.search(after.lower()) and CONSENT.search(after.lower())):
            continue
        if _MISTAKE.search(before.lower()) or (_ITEM_NUMBER.fullmatch(before) and a > mistake.start()):
            return a, b
    return None


_ITEM_NUMBER = re.compile(r"\(?\d{1,2}[.)]")


_JURISDICTION = re.compile(r"jurisdiction|district court|federal court|courts? of|venue|judicial district")
CONSENT = re.compile(r"consent|agree|submit|accept|subject myself|recogni[sz]e")
_CONTRADICT = re.compile(
    # "only" restricting the courts, not the emphatic "not only ... (but also)"
    r"(?<!not )\bonly\b[^.\n]{0,80}\b(?:court|jurisdiction|law)s?\b|\b(?:court|jurisdiction)s?\b[^.\n]{0,40}(?<!not )\bonly\b"
    r"|(?:do not|don't|cannot|can't|will not|won't|never|refuse to|not)\s+(?:\w+\s+){0,3}"
    r"(?:consent|submit|agree|accept|recogni[sz]e)[^.\n]{0,80}"
    r"(?:jurisdiction|court|united states|u\.s\.|\bus\b|american|california)"
    r"|(?:no|not under|not subject to)\s+(?:the\s+)?(?:u\.s\.|us|united states|american)\s+(?:jurisdiction|law|courts?)"
    # "I reject the jurisdiction of any U.S. court", "I will not be bound by the courts of the United States"
    r"|\breject(?:s|ed)?\b[^.\n]{0,40}\b(?:jurisdiction|courts?)\b|\bnot (?:be )?bound by\b[^.\n]{0,40}\b(?:jurisdiction|courts?|laws?)\b"
    r"|\bno other (?:courts?|jurisdictions?)\b"
)


def jurisdiction_consent(doc: Doc, code: str = "jurisdiction_consent") -> Judgement:
    found = [s for s in doc.find(_JURISDICTION) if CONSENT.search(s.lower) and not NEGATED.search(s.lower)]
    contradicted = [s for s in doc.find(_CONTRADICT) if not s.text.lstrip().startswith("**")]
    if contradicted:
        return judge(code, "deficient", doc, sranges(contradicted, 2), "free text accepts only other courts")
    if found:
        return judge(code, "present", doc, sranges(found, 2), "consent to the jurisdiction")
    return judge(code, "missing", doc, [], "no consent to jurisdiction")


_SERVICE = re.compile(
    r"service of (?:legal )?process|accept(?:ing)? (?:the )?service|consent to (?:accept )?service"
    r"|accept (?:legal )?(?:service|process)|be served"
)
_SERVICE_REFUSED = re.compile(r"(?:not|never|refuse to|won't|cannot)\s+(?:\w+\s+){0,2}accept[^.\n]{0,30}(?:service|process)")


def service_acceptance(doc: Doc, code: str = "service_acceptance") -> Judgement:
    refused = [s for s in doc.find(_SERVICE_REFUSED) if not s.text.lstrip().startswith("**")]
    if refused:
        return judge(code, "deficient", doc, sranges(refused, 1), "free text refuses service of process")
    found = doc.find(_SERVICE)
    if found:
        return judge(code, "present", doc, sranges(found, 2), "will accept service of process")
    return judge(code, "missing", doc, [], "no acceptance of service of process")
