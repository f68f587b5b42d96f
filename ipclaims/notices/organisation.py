"""The organisation a notice's sender writes for (the claim's `complainant.organization`), and the signer's own name
beside it: a labelled line ("Company: ..."), the letterhead over the sender's address, the company on the signer's
line or among the lines of the closing block, else the company the letter names as the sender's.

The company is the one the sender writes for: an outside agent's own firm, not its client; the owner's own staff
write for the owner (bench/notices_labels.md, "Held-apart sets for the claim fields"). Split from `fields`, which
builds the intake body with these.
"""

from __future__ import annotations

import itertools
import re

from ipclaims.notices.doc import Doc
from ipclaims.notices.extract import clean_name, introduced_org, street_and_org
from ipclaims.notices.formq import CONTACT_Q, answers_to
from ipclaims.notices.owner import NAME, NAME_WORDS, name_in, named_owner
from ipclaims.notices.signing import find_signing, is_org, is_person, line_parts
from ipclaims.notices.signoff import org_like, signoff, split_signoff
from ipclaims.notices.text import REDACTED, lines_with_offsets

_ORG_LABEL = re.compile(
    r"^[ \t*]*(?:company|organi[sz]ation|organisation|firm|employer|entity)(?:[ \t]+name|[ \t]+of[ \t]+the[ \t][^:\n]{0,40})?"
    r"[ \t*]*[:：][ \t*]*(.+)$",
    re.IGNORECASE | re.MULTILINE,
)
# A company's legal form ("Inc.", "GmbH", "Pvt. Ltd.", "PBC", "W.L.L"; "Company" as in "Hackett Publishing Company").
_FORM = (
    r"(?:inc|incorporated|llc|l\.l\.c|pllc|ltd|limited|gmbh|corp|corporation|co|company|plc|llp|pty|pte|pvt|bv|b\.v|nv|n\.v|ag|sa"
    r"|s\.a|s\.r\.o|s\.r\.l|srl|spa|sarl|kk|pbc|w\.l\.l|oy|ab)\.?"
)
# A line that is a company's name with its legal form last ("Northwind Learning Limited", "Kestrel GmbH").
_COMPANY_LINE = re.compile(rf"(?:[\w&'.,-]+[ \t]+){{1,6}}{_FORM}", re.IGNORECASE)
# The legal form the text writes after a company's name elsewhere ("MetaQuotes Software" over the address, "MetaQuotes
# Software Corp." in the letter): the name in full.
_MORE_FORM = rf"\.?(?:,?[ \t]+(?=[A-Z]|[a-z]\.[a-z])(?i:{_FORM})(?![\w-]))+"  # "Corp.", "PBC", never "company" in a sentence
# A function of the company written after its name, not the company ("MarkMonitor Anti-Piracy Team", "Acme Legal
# Department").
_UNIT = re.compile(
    r"[ \t]+(?:(?:anti-?piracy|legal|copyright|infringement|ip|intellectual[ \t]+property|brand[ \t]+protection"
    r"|content[ \t]+protection|enforcement|compliance|cyber|security|incident|response|abuse|fraud|takedown)[ \t]+)+"
    r"(?:team|department|dept\.?|division|unit)$",
    re.IGNORECASE,
)
_LONGEST_NAME = 150  # characters; a longer "organisation" is a sentence the reading took for one
_JOINING = frozenset(("of", "and", "&", "the", "for", "de", "du", "der", "von", "van"))
_TRAILING_REDACTION = re.compile(r"(?:[ \t,]*\[(?:private|redacted)\])+$", re.IGNORECASE)


def sender_organization(doc: Doc, signer: str | None, signed_org: str | None, avoid: int = -1) -> str | None:
    """The company the sender writes for, its name alone and in full; `avoid`: where the address of the rights owner
    a Singapore sender writes for starts (never the sender's letterhead)."""
    org = tidy_org(organization(doc, signed_org, avoid), signer)
    if not org or len(org) > _LONGEST_NAME:
        return org  # a sentence, not a name: tidied no further (and never searched for in the text)
    org = " ".join(org.split())
    bare = _TRAILING_REDACTION.sub("", org).strip(" ,")  # "Company name: Unicorecomm Inc. [private]"
    if not bare:
        return None
    if bare.rsplit(None, 1)[-1].lower() not in _JOINING:  # not "Tract Society of [private]"
        org = bare
    unit = _UNIT.sub("", org).strip(" ,")
    if unit and (unit[-1].isalnum() or unit[-1] == ".") and not unit.endswith(":"):  # not "Att: Legal Department"
        org = unit
    if not _COMPANY_LINE.fullmatch(org) and _a_work(doc, org):
        return None
    return _in_full(doc, org)


# The notice says a name is its work, not a company: "Monokai Pro is a commercial theme plugin", "the [role] of Toon
# Movement Animation Set on the Unity Asset Store, which is the work being infringed".
_WORK_NOUN = (
    r"(?:assets?|plugins?|plug-ins?|themes?|templates?|games?|apps?|applications?|librar(?:y|ies)|tools?|packages?|extensions?"
    r"|mods?|fonts?|typefaces?|books?|courses?|scripts?|kits?)"
)


def _a_work(doc: Doc, name: str) -> bool:
    said = (
        rf"(?<![\w-]){re.escape(name)}(?:[ \t]+is[ \t]+an?[ \t]+(?:[\w-]+[ \t]+){{0,4}}{_WORK_NOUN}\b"
        r"|[^.\n]{0,60}which[ \t]+is[ \t]+the[ \t]+work\b)"
    )
    return re.search(said, doc.text[doc.start : doc.start + 20_000], re.IGNORECASE) is not None


def _in_full(doc: Doc, org: str) -> str:
    """The company's name with the legal form the text writes after it elsewhere, when the name found lacks it."""
    best = org
    for m in re.finditer(rf"(?<![\w-]){re.escape(org)}{_MORE_FORM}", doc.text[doc.start :]):
        if len(m.group(0)) > len(best):
            best = m.group(0)
    return best


def organization(doc: Doc, signed_org: str | None, avoid: int = -1) -> str | None:
    """The organisation as the notice gives it, before it is tidied: a labelled line, else the firm the sender says it
    is ("We, MarkScan, ...") in the fuller form the closing lines may give it ("MarkScan Digital IP Pvt. Ltd."), else
    the company of the address, the form's contact answer, the signature and the closing block."""
    m = _ORG_LABEL.search(doc.text, doc.start)
    if m:
        # "Organization name: Attributor Corporation As Agent for Publisher ...": the agent's own firm
        agent = re.split(r"(?i)(?<=\S)\s+(?:as|acting as) (?:an? |the )?(?:authori[sz]ed )?agent\b", m.group(1))
        return agent[0].strip(" *").strip() or None
    introduced = _self_named(doc)
    written = _written_org(doc, signed_org, avoid)
    if introduced and not (written and written.casefold().startswith(introduced.casefold())):
        return introduced
    return written or introduced_org(doc) or (owner.name if (owner := named_owner(doc)) else None)


def _written_org(doc: Doc, signed_org: str | None, avoid: int) -> str | None:
    """The company of the sender's address, of the form's contact answer, of the signature or the closing block."""
    _, letterhead = street_and_org(doc, avoid)
    if letterhead:
        return letterhead
    answered = _contact_answer_org(doc)
    if answered:
        return answered
    if signed_org:
        return signed_org
    signing = find_signing(doc)
    if signing.status == "deficient" and signing.name and is_org(signing.name):
        return person_or_org(signing.name)[1] or signing.name
    if signing.end:
        after = [line for line in doc.text[signing.end : signing.end + 300].splitlines() if line.strip()]
        for line in after[:3]:
            if org_like(line):
                return line.strip(" \r*,")
        above = [line for line in doc.text[max(doc.start, signing.start - 200) : signing.start].splitlines() if line.strip()]
        # the company's line over its signer's name, or among the redacted lines of the closing block over it
        # ("[private]" / "Acme Consumer USA Inc." / "[private]" / "[private]": title, company, phone, name)
        for line in reversed(above[-3:]):
            if _COMPANY_LINE.fullmatch(line.strip(" \t\r*_,")):
                return line.strip(" \r*,")
            if not REDACTED.fullmatch(line.strip(" \t\r*_,")):
                break
        return _spelled_site(doc, signing.start)
    return None


_SITE = re.compile(r"(?:https?://|\bwww\.)(?:www\.)?([a-z0-9][a-z0-9-]*)\.", re.IGNORECASE)
_CLOSING_LINES = 15


def _spelled_site(doc: Doc, start: int) -> str | None:
    """A line of the closing block that spells the website the block gives ("MarkScan" over "Website:
    www.markscan.co.in"): the company, written out."""
    lines = [line.strip(" \t\r*_,") for _, _, line in itertools.islice(lines_with_offsets(doc.text, start), _CLOSING_LINES)]
    sites = {re.sub(r"[\W_]", "", m.group(1).lower()) for line in lines for m in _SITE.finditer(line)}
    for line in lines:
        if 0 < len(line.split()) <= 5 and not _SITE.search(line) and re.sub(r"[\W_]", "", line.lower()) in sites:
            return line
    return None


# The sender names its own firm in a sentence: "We, MarkScan, have been duly authorized by ...", "Onsist represents MZed",
# "Piracy Solution, LLC. is the authorized agent for Pluralsight", "This is [private] from piracysolution.com".
_DOMAIN = r"[ \t]+([a-z0-9][\w-]*\.(?:com|net|org|io|co|biz|info|[a-z]{2})(?:\.[a-z]{2})?)\b"
_SELF_NAMED = (
    re.compile(rf"\bwe,{NAME},[ \t]+(?:have|are|hereby|act|represent)\b", re.IGNORECASE),
    re.compile(
        rf"(?:^|(?<=[.!?:]))[ \t]*{NAME_WORDS}\.?[ \t]+(?:represents[ \t]+(?-i:[A-Z])|is[ \t]+(?:the|an)[ \t]+"
        r"(?:authori[sz]ed[ \t]+|appointed[ \t]+|designated[ \t]+|exclusive[ \t]+)*(?:agent|representative)[ \t]+(?:for|of)\b)",
        re.IGNORECASE | re.MULTILINE,
    ),
    re.compile(
        r"\bthis[ \t]+is[ \t]+(?:\[(?:private|redacted)\]|(?-i:[A-Z])[\w.'’-]*(?:[ \t]+(?-i:[A-Z])[\w.'’-]*){0,3}"
        r"|an?[ \t]+(?:official[ \t]+)?(?:message|notice|notification|e-?mail|letter))"
        rf"(?:,[^,\n]{{1,40}},)?[ \t]+(?:from|at|with)(?:{_DOMAIN}|{NAME})",
        re.IGNORECASE,
    ),
)
_SELF_NAMED_WITHIN = 5_000  # the letter's opening, where a sender says who it is


def _self_named(doc: Doc) -> str | None:
    """The firm the sender says it is, or writes from, in the letter's opening."""
    end = min(len(doc.text), doc.start + _SELF_NAMED_WITHIN)
    for pattern in _SELF_NAMED:
        for m in pattern.finditer(doc.text, doc.start, end):
            named = name_in(m)
            if named:
                return _company_of_domain(doc, named.name)
    return None


def _company_of_domain(doc: Doc, name: str) -> str:
    """A firm named by its web domain ("piracysolution.com") by the company line that spells it ("Piracy Solution LLC."),
    when the text has one."""
    if not re.fullmatch(r"[\w-]+(?:\.[a-z]{2,})+", name):
        return name
    letters = re.sub(r"\W|_", "", name.split(".")[0].lower())
    for _, _, line in lines_with_offsets(doc.text, doc.start):
        value = line.strip(" \t\r*_,")
        if len(value) < 60 and re.sub(r"\W|_", "", value.lower()).startswith(letters) and _COMPANY_LINE.fullmatch(value):
            return value
    return name


# A line of the contact block that only labels what follows ("Postal Address", "Contact details:").
_BLOCK_LABEL = re.compile(
    r"(?:(?:postal|physical|mailing|street|business|office)[ \t]+)?(?:address|contact(?:[ \t]+(?:details|information|info))?)[ \t]*:?",
    re.IGNORECASE,
)
_UNIT_OF = re.compile(r"(?:department|dept\.?|faculty|school|division|chair)[ \t]+(?:of|for)\b", re.IGNORECASE)
_LABELLED = re.compile(r"[^:：\n]{1,30}[:：]")
# A line that is more than a company's name: a redaction or a number standing alone in it, a channel, a question.
_NOT_A_NAME = re.compile(r"\[(?:private|redacted)\]|(?<![\w.-])\d{2,}|@|://|\bwww\.|\b(?:e-?mail|website|tel|phone|fax|mobile)\b", re.I)
_CARE_OF = re.compile(r"^(?:c/o|attn\.?:?|attention:)(?:[ \t]+|$)|[ \t]+c/o$", re.IGNORECASE)
_PARTS = re.compile(r"[ \t]+[|/–][ \t]+")
_LEADING_REDACTION = re.compile(r"^(?:\[(?:private|redacted)\][ \t]*(?:[,|/–-][ \t]*|c/o(?:[ \t]+|$))?)+", re.IGNORECASE)
_GENERIC = frozenset(
    [
        "office",
        "desk",
        "team",
        "department",
        "dept",
        "support",
        "compliance",
        "legal",
        "central",
        "main",
        "head",
        "digital",
        "technology",
        "technologies",
        "it",
        "security",
        "operations",
        "and",
        "of",
        "the",
    ]
)
_ANSWER_LINES = 4


def _contact_answer_org(doc: Doc) -> str | None:
    """The company the form's contact answer opens with ("Zakon Group LLC" / "[private]" / "[private]"), after redacted
    lines, a label or the sender's own name, alone on its line or one part of it ("[private], Pinger Inc", "Infosys
    Ltd. | www.infosys.com"): a company's line there is who the sender writes for."""
    for answer in answers_to(doc, CONTACT_Q):
        lines = [line.strip(" \t\r*_>") for line in doc.text[answer.start : answer.end].splitlines()]
        for line in [line for line in lines if line][:_ANSWER_LINES]:
            if _UNIT_OF.match(line) or _BLOCK_LABEL.fullmatch(line):
                continue  # "Department of Aerospace Engineering": a part of the organisation named under it
            if _LABELLED.match(line) or line.endswith((":", "?")):
                break  # "Office: [private] | Fax: [private]", a question the answer ran into
            bare = _CARE_OF.sub("", _TRAILING_REDACTION.sub("", _LEADING_REDACTION.sub("", line))).strip(" \t,;")
            for part in [bare, *_PARTS.split(line)]:
                value = _CARE_OF.sub("", part.strip(" \t,;")).strip()
                if not value or _NOT_A_NAME.search(value) or not set(re.findall(r"\w+", value.lower())) - _GENERIC:
                    continue  # "[private] desk", "Central Office": a part of a company that goes unnamed
                if is_org(value) or org_like(value) or _COMPANY_LINE.fullmatch(value):
                    return value
            if _NOT_A_NAME.search(REDACTED.sub("", line)):
                break  # a street, a telephone number: the block has no company line before them
        break
    return None


def signed(doc: Doc) -> tuple[str | None, str | None]:
    """The signed name (tidied) when the notice is signed by a person, and an organisation written after it; else the
    name and organisation of a one-line sign-off the signing block does not read ("Katrin Vogel, Rheinklang
    Musikverlag GmbH, k.vogel@rheinklang.example")."""
    signing = find_signing(doc)
    if signing.status == "present":
        return person_or_org(signing.name)
    closing = signoff(doc)
    if closing:
        return closing.name, closing.organization
    if signing.name and names_title_and_company(signing.name):
        # "Dana Reyes, Head of Legal, Harbour Films, LLC" read as a company closing the notice: a person's line
        name, org, _, _ = split_signoff(signing.name)
        return name, org
    return None, None


def names_title_and_company(line: str) -> bool:
    """A person's name, a title and a company, each after a comma ("Dana Reyes, Counsel, Harbour Films LLC"); a
    company's name with commas in it has no person's name in front ("Chang Sha Ding Cheng, Software Co., Ltd.")."""
    name, org, _, _ = split_signoff(line)
    return bool(name and org) and len(line_parts(line)) >= 3


def person_or_org(signed: str | None) -> tuple[str | None, str | None]:
    """The signer's name and an organisation written with it ("Dana Reyes, Head of Legal, Harbour Films, LLC": the name
    and the company, not the title); a company name alone is the organisation, no signer ("Acme Software Inc." closing
    a letter is who sends it, not a person's signature)."""
    name, org = clean_name(signed)
    if name and not org and names_title_and_company(name):
        name, org, _, _ = split_signoff(name)  # the legal form after its own comma, which clean_name keeps whole
    if name and is_org(name) and not is_person(name):
        return None, org or name
    return name, org


_ORG_INNER_LABEL = re.compile(r"\b(?:company|organi[sz]ation)\b[^:\n]{0,40}:[ \t]*", re.IGNORECASE)


def tidy_org(org: str | None, signer: str | None = None) -> str | None:
    """The organisation's name alone: after a label left in it ("Company of the author: Acme Ltd"), the part of a
    "Title | Acme Publishing | acme.example" line that names a company, the company of the signer's own line ("Dana
    Reyes, Counsel, Harbour Films LLC": after the signer's name, or after a name and a title; "Chang Sha Ding Cheng,
    Software Co., Ltd." is one company's name)."""
    if not org:
        return None
    labelled = list(_ORG_INNER_LABEL.finditer(org))
    if labelled:
        org = org[labelled[-1].end() :]
    parts = [p.strip() for p in org.split(" | ")]
    if len(parts) > 1:
        org = next((p for p in parts if is_org(p) or org_like(p)), parts[0])
    name, signed_org, _, _ = split_signoff(org)
    if signed_org and name and ((signer and name.casefold() == signer.casefold()) or names_title_and_company(org)):
        org = signed_org
    return org.strip(" *,") or None
