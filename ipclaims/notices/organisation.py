"""The organisation a notice's sender writes for (the claim's `complainant.organization`), and the signer's own name
beside it: a labelled line ("Company: ..."), the letterhead over the sender's address, the company on the signer's
line or among the lines of the closing block, else the company the letter names as the sender's.

The company is the one the sender writes for: an outside agent's own firm, not its client; the owner's own staff
write for the owner (bench/notices_labels.md, "Held-apart sets for the claim fields"). Split from `fields`, which
builds the intake body with these.
"""

from __future__ import annotations

import re

from ipclaims.notices.doc import Doc
from ipclaims.notices.extract import clean_name, introduced_org, street_and_org
from ipclaims.notices.owner import named_owner
from ipclaims.notices.signing import find_signing, is_org, is_person, line_parts
from ipclaims.notices.signoff import org_like, signoff, split_signoff
from ipclaims.notices.text import REDACTED

_ORG_LABEL = re.compile(
    r"^[ \t*]*(?:company|organi[sz]ation|organisation|firm|employer|entity)(?:[ \t]+name|[ \t]+of[ \t]+the[ \t][^:\n]{0,40})?"
    r"[ \t*]*[:：][ \t*]*(.+)$",
    re.IGNORECASE | re.MULTILINE,
)
# A line that is a company's name with its legal form last ("Northwind Learning Limited", "Kestrel GmbH").
_COMPANY_LINE = re.compile(
    r"(?:[\w&'.,-]+[ \t]+){1,6}"
    r"(?:inc|llc|ltd|limited|gmbh|corp|corporation|co|plc|llp|pty|pte|bv|b\.v|ag|sa|s\.a|s\.r\.o|s\.r\.l|srl|spa|sarl|kk)\.?",
    re.IGNORECASE,
)


def organization(doc: Doc, signed_org: str | None, avoid: int = -1) -> str | None:
    m = _ORG_LABEL.search(doc.text, doc.start)
    if m:
        return re.split(r"(?<=\S)\s+(?:as|acting as) (?:an? |the )?(?:authori[sz]ed )?agent\b", m.group(1))[0].strip(" *").strip() or None
    _, letterhead = street_and_org(doc, avoid)
    if letterhead:
        return letterhead
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
    return introduced_org(doc) or (owner.name if (owner := named_owner(doc)) else None)


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
