"""The finer reading of a notice's claim fields (`fields.py` builds the intake body with these): which URLs are the
sender's own work and which are reported, the work's description, the sender's relationship to the right, a tidy
name, organisation and street address.

Pure functions of a `Doc`; measured on hand-checked github/dmca notices by bench/notices_fields.py. Which form answer
holds a URL is found by bisection over the answers (`spans.Spans`): a form repeated to 2 MB holds thousands of both.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ipclaims.notices.address import address_end
from ipclaims.notices.doc import POSTCODE_CITY, STREET, Doc
from ipclaims.notices.formq import LICENSE_Q, REPORTED_Q, WORK_Q, WORK_URL_Q, answers_to
from ipclaims.notices.items import material_only
from ipclaims.notices.lead_in import MAX_DESCRIPTION, labelled_work, paragraphs, tidy, without_lead_in
from ipclaims.notices.originals import account_first, own_original
from ipclaims.notices.signing import LEGAL_FORM, find_signing, is_org
from ipclaims.notices.signoff import org_like, phone_part
from ipclaims.notices.spans import Spans
from ipclaims.notices.text import Url, lines_with_offsets, url_key
from ipclaims.notices.titles import titled_work

# --- URLs: the work's own and the reported ones --------------------------------------------------------------------

# Reference sites a notice cites (the copyright office, an encyclopaedia), never the work nor a copy of it.
_REFERENCE_HOSTS = re.compile(r"(?:^|\.)(?:copyright\.gov|wikipedia\.org|wipo\.int|uspto\.gov|euipo\.europa\.eu|lumendatabase\.org)$")
# Words just before a URL that point at the sender's own copy of the work.
_OWN_CUE = re.compile(
    r"\b(?:our|my) (?:own )?(?:work|product|software|site|website|web site|page|store|shop|game|font|typeface|book|app|course|"
    r"download page|buy page|original)\b|\bcompare\b|\bofficial\b|\bcan be (?:found|seen|purchased|bought|downloaded)\b|"
    r"\bavailable (?:at|on|from)\b|\bsold (?:at|on)\b|\bwe sell\b|\bproduct links?\b",
    re.IGNORECASE,
)
_INFRINGING_CUE = re.compile(r"infring|unauthori[sz]ed|pirat|crack|stolen|leak|copied|cop(?:y|ies) (?:of|on)|free download", re.IGNORECASE)


def _owner_of(doc: Doc, url: Url) -> str:
    parts = [p for p in url.path.split("/") if p]
    return parts[0].lower() if parts and doc.on_platform(url) else ""


def _within(url: Url, spans: Spans) -> bool:
    return spans.holds(url.start)


def _own_cue_before(doc: Doc, url: Url) -> bool:
    """The 160 characters before the URL, in its paragraph, say it is the sender's own copy (and not a copy)."""
    lo = max(doc.start, url.start - 160)
    para = doc.text.rfind("\n\n", lo, url.start)
    if para >= 0 and len(doc.text[para : url.start].split()) >= 3:
        lo = para
    before = doc.text[lo : url.start]
    cues = list(_OWN_CUE.finditer(before))
    if not cues:
        return False
    return not _INFRINGING_CUE.search(before[cues[-1].end() :])


def work_and_reported(doc: Doc) -> tuple[list[str], list[str]]:
    """The work's own URLs and the reported ones, each once, in the text's order.

    The reader's roles (`Doc.url_roles`) are the start; on top of them: a URL answering the form's work questions is
    the work's unless it sits in the account of a reported URL (a copy linked as an example); a URL the sender calls
    their own ("our website", "download a copy to compare") is the work's; a reference site is neither; and a URL
    that is the work's is never also reported."""
    reported_list = answers_to(doc, REPORTED_Q, exclude=LICENSE_Q)
    work_answers = Spans(answers_to(doc, WORK_Q) + answers_to(doc, WORK_URL_Q))
    reported_answers = Spans(reported_list)
    roles = doc.url_roles
    answered = [u for u, _ in roles if _within(u, reported_answers) and not own_original(doc, u)]
    answered_set = set(answered)  # a set: a list asked once per URL was quadratic
    reported_owners = {
        _owner_of(doc, u)
        for u, role in roles
        if (u in answered_set) or (not answered and role == "reported" and not _within(u, work_answers))
    } - {""}
    own_mail = {".".join(e.value.rsplit("@", 1)[1].lower().split(".")[-2:]) for e in doc.emails}
    work: list[str] = []
    reported: list[str] = []
    own_cued: list[str] = []
    for url, role in roles:
        if not doc.on_platform(url) and _domain(url.url) in own_mail:
            if role != "other":
                work.append(url.url)  # on the sender's own domain: their copy, never a reported one
            continue
        if _REFERENCE_HOSTS.search(url.host) or _about_infringer(doc, url):
            continue
        if own_original(doc, url):
            # "my repo X was forked to Y": X is the work wherever it is written, unless its account is one whose URLs
            # are reported (a file of the infringing site's repository called "the original file")
            if not (account_first(url.url) and _owner_of(doc, url) in reported_owners):
                own_cued.append(url.url)
                work.append(url.url)
        elif _within(url, reported_answers):
            reported.append(url.url)
        elif _within(url, work_answers) or role == "original":
            if not (doc.on_platform(url) and _owner_of(doc, url) in reported_owners):
                work.append(url.url)
        elif role == "reported":
            if not doc.on_platform(url) and doc.has_platform_urls and _own_cue_before(doc, url):
                work.append(url.url)
            else:
                reported.append(url.url)
        elif not doc.on_platform(url) and _own_cue_before(doc, url):
            work.append(url.url)
    bare = set()
    for answer in reported_list:  # "github.com/owner/repo" written without its scheme
        for m in _BARE_PLATFORM.finditer(doc.text, answer.start, answer.end):
            bare.add("https://" + m.group(0).rstrip(".,;:"))
            reported.append("https://" + m.group(0).rstrip(".,;:"))
    on = doc.on_platform_url
    # the accounts of the sender's own repositories: a reported URL in one is theirs. For a URL the text calls the
    # sender's own, only where paths start with an account (GitHub's): elsewhere ("/v/10001" beside the reported
    # "/v/20002") its first segment would take every reported URL with it.
    cued = set(own_cued)
    work_owners = {_account(u, on) for u in work if u not in cued or account_first(u)} - {""}
    work = list(dict.fromkeys(work))
    own = {url_key(u) for u in work}
    own_domains = {_domain(u) for u in work if not on(u)}
    deep_owners = {_account(u, on) for u in reported if url_key(u).count("/") > 1} - {""}
    in_answers = {u.url for u in answered}
    return work, material_only(
        doc,
        [
            u
            for u in dict.fromkeys(reported)
            if url_key(u) not in own
            and (on(u) or _domain(u) not in own_domains)
            and not (url_key(u).count("/") == 1 and _account(u, on) in deep_owners)
            and not (on(u) and not _account(u, on))
            and (u in in_answers or _account(u, on) not in work_owners)
        ],
        in_answers | bare,
    )


_BARE_PLATFORM = re.compile(r"(?<![\w/.@-])(?:gist\.)?github\.com/[\w.-]+/[\w.-]+(?:/[^\s)>\]]*)?")
_INFRINGER_CUE = re.compile(
    r"(?:information|details|contact)[^.\n]{0,30}\binfringer|\binfringer'?s? (?:account|profile|contact|information)|username associated",
    re.IGNORECASE,
)


def _about_infringer(doc: Doc, url: Url) -> bool:
    """The URL answers "who is the infringer" (their account) in a letter's numbered point."""
    return bool(_INFRINGER_CUE.search(doc.text[max(doc.start, url.start - 120) : url.start]))


def _domain(url: str) -> str:
    host = url_key(url).split("/")[0].split(":")[0]
    return ".".join(host.split(".")[-2:])


def _account(url: str, on_platform: Callable[[str], bool]) -> str:
    parts = url_key(url).split("/")
    return parts[1] if len(parts) > 1 and on_platform(url) else ""


# --- the work's description ---------------------------------------------------------------------------------------

_HEADING = re.compile(r"^[\W_]*(?:[*_#]+.*[*_]+|#+ .*)[\W_]*$")
_GREETING = re.compile(r"^\s*(?:to whom it may concern|dear\b|hello\b|hi\b|re:|subject:)", re.IGNORECASE)
_LABEL = re.compile(r"^\s*(?:\d+[.)]\s*)?[A-Za-z][\w ,'()/-]{2,80}?:\s+(?=\S)")
_LABEL_WORDS = re.compile(r"identif|copyright|work|material|original|description|infring", re.IGNORECASE)
_WORK_SENTENCE = re.compile(
    r"\b(?:copyrighted work|original work|work being infringed|the work) (?:at issue |in question )?(?:is|are|comprises)\b", re.IGNORECASE
)
_ONLY_URLS = re.compile(r"^(?:\s*<?https?://\S+>?\s*)+$")


def _clean_quote(quote: str) -> str:
    """A judged quote without the greeting, headings and the label it answers, cut to its last paragraph."""
    lines = [ln for ln in quote.replace("\r", "").split("\n") if not _HEADING.match(ln.strip()) and not _GREETING.match(ln)]
    paras = paragraphs("\n".join(lines))
    text = paras[-1] if paras else ""
    label = _LABEL.match(text)
    if label and _LABEL_WORDS.search(label.group(0)) and len(label.group(0).split()) <= 8:
        text = text[label.end() :]
    return tidy(text)


def _in_signing_block(doc: Doc, quote: str) -> bool:
    """The judged quote is the signing block's line (a company closing the letter), not an account of the work."""
    signing = find_signing(doc)
    at = doc.text.find(quote.strip()[:200], doc.start)
    return bool(signing.name) and at >= 0 and signing.start <= at < max(signing.end, signing.start + 1)


_SHORT_LABEL = re.compile(r"^[^\W\d_][\w-]{1,30}(?:[ \t][\w-]{1,30})?[ \t]*:[ \t]+(?=\S)")
_URL_IN_TEXT = re.compile(r"https?://|\bwww\.", re.IGNORECASE)


# Words every notice of a form repeats, never what the work is: the confirmation that the guide was read, the statute's
# own words on identifying the work ("Identification of the copyrighted work claimed to have been infringed, or ...").
_BOILERPLATE = re.compile(
    r"[\s*_>\d.)\[\]-]*(?:i|we)[ \t]+(?:have[ \t]+)?read[ \t]+and[ \t]+(?:understand|understood)"
    r"|[\s*_>\d.)-]*identification[ \t]+of[ \t]+the[ \t]+copyrighted[ \t]+work[ \t]+claimed",
    re.IGNORECASE,
)
_ANSWER_LABEL = re.compile(r"^(?:答|回答)\s*[:：]\s*")


def description(
    doc: Doc, evidence: list[str], reported: list[str], work_urls: list[str] | None = None, *, titles: bool = False
) -> str | None:
    """The form's answer about the work (its first paragraph), else a line labelled as the work, else the sentence
    that says what the work is, else the judged quote tidied (or, `titles` allowing, the sentence naming the work by
    its title when that quote is the URL's sentence or there is none); each without the words that introduce it. A bare
    reported URL is no description of the work, nor are the work's own URLs alone (the draft lists them as its URLs).
    """
    text = ""
    for answer in answers_to(doc, WORK_Q, exclude=WORK_URL_Q):
        paras = [p for p in paragraphs(doc.text[answer.start : answer.end]) if not (_GREETING.match(p) and len(p.split()) <= 6)]
        if paras:
            text = tidy(paras[0])
            break
    if not text:
        text = labelled_work(doc.text, doc.start)
        text = "" if _only_reported(text, reported) else text  # a work label over the copy's URL: read on
    if _BOILERPLATE.match(text):
        text = ""
    if not text:
        stated = [s for s in doc.find(_WORK_SENTENCE) if not s.text.lstrip().startswith(("**", "__")) and not _BOILERPLATE.match(s.text)]
        text = _clean_quote(stated[0].text) if stated else ""
    if not text:
        quotes = [q for q in evidence if not _in_signing_block(doc, q) and not _BOILERPLATE.match(q)]
        text = _clean_quote(quotes[0]) if quotes else ""
        # The judge's quote is the sentence giving the copy's URL, or there is none (a regime with no work element): the
        # sentence naming the work by its kind and title ('our feature film "Harbour Lights"') says what the work is.
        titled = titled_work(doc) if titles and (not text or _URL_IN_TEXT.search(text)) else None
        if titled and not _in_signing_block(doc, titled[1].text):
            text = _SHORT_LABEL.sub("", _clean_quote(titled[1].text))  # "Begründung: Die Datei ...": the sentence
    text = _ANSWER_LABEL.sub("", without_lead_in(text).strip()).strip()
    if not text or _only_reported(text, reported + (work_urls or [])):
        return None
    return text[:MAX_DESCRIPTION]


def _only_reported(text: str, reported: list[str]) -> bool:
    return bool(_ONLY_URLS.match(text)) and {url_key(u) for u in re.findall(r"https?://[^\s>]+", text)} <= {url_key(u) for u in reported}


_NAME_PREFIX = re.compile(
    r"^(?:amended|signed|signature|name|full name|s/|attn|attention)\s*[:：/.]\s*|^[-–•*>\s]+|^/s/\s*|^\(?\d{1,2}[.)]\s+"
    r"|^(?:答|回答)\s*[:：]\s*",  # a form answered in Chinese: "答：" (answer:) before the value
    re.IGNORECASE,
)
# A title written after the signer's name ("[private], Authorized DMCA Agent", "Jo Doe, General Counsel"): not the name.
_TITLE_AFTER = re.compile(
    r"(?:authori[sz]ed|designated|legal|general|senior|chief|managing|in-?house)?[ \t]*(?:dmca|copyright|ip|legal|brand)?[ \t]*"
    r"(?:agent|representative|counsel|attorney(?:[ \t-]+at[ \t-]+law)?|lawyer|paralegal|solicitor|manager|director|officer|"
    r"ceo|cto|coo|cfo|founder|co-?founder|president|owner|partner|associate|specialist|analyst)",
    re.IGNORECASE,
)
# "[private] – [private] - [private]": one redacted signer whose title and company were redacted beside the name.
_REDACTION_CHAIN = re.compile(r"(\[(?:private|redacted)\])(?:[ \t]*[–—,|-][ \t]*\[(?:private|redacted)\])+", re.IGNORECASE)


def clean_name(value: str | None) -> tuple[str | None, str | None]:
    """A signed name without its lead-in ("Amended:", "- ", "/s/") or slashes ("/Jo Doe/"), and an organisation
    written after it ("Jo Doe, Acme GmbH") split off."""
    if not value:
        return None, None
    name = value.strip()
    for _ in range(3):
        name = _NAME_PREFIX.sub("", name).strip()
    name = re.sub(r"^/+(.*?)/+$", r"\1", name).strip()
    chain = _REDACTION_CHAIN.fullmatch(name)
    name = chain.group(1) if chain else re.split(r"(?<=\S)[ \t]+\|", name)[0]  # "Jo Doe | Counsel | Acme": the name
    behalf = re.search(r"\S[ \t]+(?:\(|(?:for and )?on behalf of\b)", name, re.IGNORECASE)
    if behalf:
        name = name[: behalf.start() + 1]  # "Jo Doe (on behalf of Acme)", "Jo Doe (Legal)": what follows is not the name
    org = None
    parts = [p.strip() for p in name.split(",")]
    while len(parts) > 1 and _TITLE_AFTER.fullmatch(parts[-1]):
        parts.pop()  # "[private], Authorized DMCA Agent": the title goes, the name stays
    name = ", ".join(parts)
    if len(parts) > 1 and is_org(parts[-1]) and not is_org(parts[0]) and not LEGAL_FORM.fullmatch(parts[-1]):
        org = parts[-1]
        name = parts[0]
    return (name or None), org


# --- organisation and street address ------------------------------------------------------------------------------

_NUMBER_STREET = re.compile(r"^\d{1,5}[A-Za-z]?,?\s+[A-Z][\w'.-]+(?:\s+[\w'.-]+){0,5},?$")
_GERMAN_STREET = re.compile(r"\b[A-ZÄÖÜ][a-zäöüß]+(?:strasse|straße|str\.|weg|gasse|platz|allee|damm)\s+\d+[a-z]?\b")
# The label in front of an address, never part of its street: "Address:", "Mailing address:", "Registered office:",
# "Address for service in Singapore:" (reg 78(4)(b) asks for one), "Anschrift:", "Adresse :"; whose address it is
# before or after it ("My address:", "Our registered office:", "Complainant's address:", "Address of the complainant:").
_WHOSE = r"(?:complainant|claimant|sender|notifier|agent|company|firm|(?:rights?|copyright|trade[ \t]?mark)?[ \t]*(?:owner|holder))"
_ADDRESS_OWNER = rf"(?:my|our|your|his|her|its|their|(?:the[ \t]+)?{_WHOSE}(?:'s|’s|s'|s’))[ \t]+"
_ADDRESS_OF = rf"(?:[ \t]+of[ \t]+(?:the[ \t]+)?{_WHOSE})"
_ADDRESS_LABEL = (
    rf"(?:{_ADDRESS_OWNER})?(?:(?:(?:physical|mailing|postal|street|registered(?:[ \t]+office)?|business|office|company"
    r"|head[ \t]+office|headquarters?|home|correspondence|singapore)[ \t]+)?(?:address|addr|add)"
    rf"(?:[ \t]+for[ \t]+service(?:[ \t]+(?:in|within)[ \t]+\w+)?)?{_ADDRESS_OF}?"
    r"|service[ \t]+address|registered[ \t]+office|head[ \t]+office)"
    r"|(?:post)?anschrift|adresse(?:[ \t]+postale)?"
)
SERVICE_LABEL = re.compile(r"address[ \t]+for[ \t]+service|service[ \t]+address", re.IGNORECASE)
_LEAD_IN = re.compile(rf"^[\s*_>-]*(?:contact|attn\.?|attention|c/o|{_ADDRESS_LABEL})[ \t*_]*[:.][ \t*_]*", re.IGNORECASE)
# Words of a sentence, not of an address ("I was notified on ... via ...", "Schematics, which were released by ...").
_SENTENCE_WORDS = re.compile(r"\b(?:i|we|was|were|which|that|is|are|has|have|via|been|notified)\b", re.IGNORECASE)


_MY_NAME_OF = re.compile(
    r"\b(?i:my name is) [^.\n]{0,60}?\b(?:of|at|from|with)\s+(?:the\s+)?([A-Z][\w&'-]*(?:[ \t]+(?:[A-Z&][\w&.'-]*|of|and)){0,5})"
)


_ORG_SUFFIX = re.compile(r"(?:inc|ltd|llc|llp|gmbh|corp|co|plc|limited|ag|sa|bv|pte)\.?", re.IGNORECASE)


def introduced_org(doc: Doc) -> str | None:
    """The organisation in "My name is ... of Acme Ltd" at the start of a letter."""
    m = _MY_NAME_OF.search(doc.text, doc.start, min(len(doc.text), doc.start + 3000))
    if not m:
        return None
    words = m.group(1).split()
    for i, word in enumerate(words):
        if _ORG_SUFFIX.fullmatch(word.rstrip(",")):
            words = words[: i + 1]
            break
    while words and (words[-1] in ("of", "and") or len(words[-1]) == 1):
        words.pop()
    return " ".join(words).rstrip(",") or None


def _street_line(line: str) -> bool:
    value = line.strip(" \t\r*_")
    if re.search(r"[\"“”©]", value):
        return False  # a title or a copyright line, not an address
    return bool(_NUMBER_STREET.match(value) or _GERMAN_STREET.search(value) or (STREET.search(value) and re.search(r"\d", value)))


def _address_lines(doc: Doc, avoid: int) -> list[tuple[int, str]]:
    """Non-blank lines of the text (index, line) near a line the reader took for an address (letters are often
    double-spaced), sender's side only; never the line starting at `avoid` (the rights owner's address)."""
    found = {f.start for f in doc.addresses}
    lines = [(a, line) for a, _, line in lines_with_offsets(doc.text, doc.start) if line.strip() and a != avoid]
    near: set[int] = set()
    for i, (a, _) in enumerate(lines):
        if a in found:
            near.update(range(max(0, i - 5), min(len(lines), i + 3)))
    return [(i, lines[i][1]) for i in sorted(near)]


def _strip_lead(line: str) -> str:
    value = _LEAD_IN.sub("", _SENTENCE_LEAD.sub("", line.strip())).strip(" \r*_")
    # "Contact: rights@meridian.example, +44 20 7946 0000, 12 Fleet Lane, London EC4A 1AA": the mail and the telephone
    # number are channels of their own, the street starts after them
    value = ",".join(p for p in value.split(",") if not _CONTACT_PART.search(p) and not phone_part(p.strip()))
    parts = [p.strip() for p in value.split(",")]
    for i, part in enumerate(parts):
        if re.search(r"\d", part) or _GERMAN_STREET.search(part) or STREET.search(part):
            value = ", ".join(parts[i:]) if i and not any(re.search(r"\d", p) for p in parts[:i]) else value
            break
    kept = [p for p in value.split(",") if not _CONTACT_PART.search(p)]
    return ",".join(kept).strip(" ,;")


# A sentence that leads into the address on its line ("5. I may be contacted by the following methods: [Private], ...").
_SENTENCE_LEAD = re.compile(r"^[^:\n]{0,20}\b(?:i|we)\b[^:\n]{0,80}?\b(?:contacted|reached|contact)\b[^:\n]{0,40}:[ \t]*", re.IGNORECASE)
_CONTACT_PART = re.compile(r"@|^\s*(?:phone|tel|telephone|fax|mobile|e-?mail|web)\b", re.IGNORECASE)


def street_and_org(doc: Doc, avoid: int = -1) -> tuple[str | None, str | None]:
    """The street line of the sender's address (without a "Contact: name," lead-in), and the organisation named
    just above the address (the letterhead's first line); `avoid`: where the rights owner's address line starts, when
    the sender writes for or under an owner (reg 78(4)(a) asks for both addresses)."""
    key = f"street_and_org:{avoid}"
    found = doc.memo.get(key)
    if found is None:
        found = doc.memo[key] = _street_and_org(doc, avoid)
    return found  # type: ignore[return-value]


def _street_and_org(doc: Doc, avoid: int) -> tuple[str | None, str | None]:
    near = _address_lines(doc, avoid)
    by_index = dict(near)
    street_i = service_i = None
    for i, near_line in near:
        if _street_line(_LEAD_IN.sub("", near_line)):
            if not SERVICE_LABEL.search(near_line):
                street_i = i
                break
            # The sender's own address before a Singapore address for service written above it (reg 78(4)(a), (b)).
            service_i = i if service_i is None else service_i
    street_i = service_i if street_i is None else street_i
    addresses = [f for f in doc.addresses if f.start != avoid]
    if street_i is None and addresses:
        first = addresses[0].value
        if POSTCODE_CITY.fullmatch(first.strip(" ,")) or not re.search(r"[A-Za-z]{3}", first) or re.search(r"[\"“”©]", first):
            return None, None
        street = _strip_lead(first)
        if len(street.split()) > 5 and len(_SENTENCE_WORDS.findall(street)) >= 2:
            return None, None  # a sentence the reader took for an address
        return (street or None), None
    if street_i is None:
        return None, None
    street_line = by_index[street_i]
    street = _strip_lead(street_line[: address_end(street_line)])  # not into a sentence after it ("…, DC 20007. Foley …")
    org = None
    for j in range(street_i - 1, street_i - 5, -1):
        line = by_index.get(j)
        if line is None or len(line.strip()) > 80 or line.rstrip().endswith((":", "?")):
            break
        if org_like(line):
            org = line.strip(" \t\r*_,")
            break
    return (street or None), org or _lead_org(doc, by_index[street_i])


_REDACTED_PART = re.compile(r"\[(?:private|redacted)\]", re.IGNORECASE)
_NAME_WORDS = re.compile(r"^(?:[A-Z][\w&'.-]*|&|of|and|the|de|van|von)(?:[ \t]+(?:[A-Z][\w&'.-]*|&|of|and|the|de|van|von)){0,5}$")


def _lead_org(doc: Doc, line: str) -> str | None:
    """The name before the street on one address line ("Lumen Photo, 12 Quay Street, ...") when it is not the
    signer's own name: the organisation the letter is written from."""
    parts = [p.strip(" \t\r*_") for p in _LEAD_IN.sub("", _SENTENCE_LEAD.sub("", line.strip())).split(",")]
    skipped = False
    while len(parts) > 3 and _REDACTED_PART.fullmatch(parts[0]):
        parts, skipped = parts[1:], True  # "[Private], Accenture, 161 N. Clark Street, ...": the redacted name, then the company
    if len(parts) < 3 or re.search(r"\d", parts[0]) or not re.search(r"\d", parts[1]) or not _NAME_WORDS.match(parts[0]):
        return None
    name, signer = parts[0], (find_signing(doc).name or "").lower()
    if skipped and doc.text.count(name, doc.start) < 2:
        return None  # after a redaction, a name the letter writes only there is a part of the address ("Quartier ...")
    if signer and (name.lower() in signer or signer in name.lower()):
        return None
    return name


# --- several works listed one a line -------------------------------------------------------------------------------

_LISTED_WORK = re.compile(
    r"^[ \t]*(?:[-*•][ \t]*|\d{1,2}[.)][ \t]*)?(?P<title>[^:\n]{3,100}?)[ \t]*(?:-|–|:)[ \t]*(?P<url>https?://\S+)[ \t\r]*$", re.MULTILINE
)
_NOT_A_TITLE = re.compile(r"\b(?:url|link|page|site|here|available|see|official|download|buy)\b", re.IGNORECASE)


def listed_works(doc: Doc, work_urls: list[str]) -> list[tuple[str, str]]:
    """(title, URL) of each work when the form's work answer lists two or more, one a line ("Atlas Theme - URL");
    empty when it describes one work (two URLs of one book are not two works)."""
    own = {url_key(u): u for u in work_urls}
    for answer in answers_to(doc, WORK_Q, exclude=WORK_URL_Q):
        found = []
        for m in _LISTED_WORK.finditer(doc.text, answer.start, answer.end):
            title, url = m.group("title").strip(" *_"), m.group("url").rstrip(".,;)")
            if url_key(url) in own and not _NOT_A_TITLE.search(title):
                found.append((title, own[url_key(url)]))
        if len({u for _, u in found}) >= 2:
            return list(dict.fromkeys(found))
    return []
