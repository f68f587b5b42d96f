"""The claim (or counter-notice) fields a notice's text gives, shaped like the intake body (CONTRACT.md "Claims",
"Counter-notices") so they can be submitted as they are: only keys the intake schemas accept, absent values left out.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

from ipclaims.notices.address import place_of, split_one_line
from ipclaims.notices.doc import POSTCODE_CITY, Doc, Found
from ipclaims.notices.extract import (
    SERVICE_LABEL,
    description,
    listed_works,
    street_and_org,
    work_and_reported,
)
from ipclaims.notices.judges import Judgement
from ipclaims.notices.organisation import person_or_org, sender_organization, signed
from ipclaims.notices.owner import names_as_owner, principal, rights_owner, standing
from ipclaims.notices.regimes import MARK, NICE, REG_NO, REGISTRY
from ipclaims.notices.signing import Signing, find_signing
from ipclaims.notices.standing import outside_agent
from ipclaims.notices.text import lines_with_offsets
from ipclaims.notices.titles import titled_work
from ipclaims.notices.worklist import ListedWork, listed_in_letter

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
_MONTH = (
    r"(january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
)
DATE = re.compile(
    rf"\b(\d{{4}})-(\d{{1,2}})-(\d{{1,2}})\b|\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b|\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(\d{{4}})\b"
    r"|\b(\d{1,2})/(\d{1,2})/(\d{4})\b"
    rf"|\b(\d{{1,2}})(?:st|nd|rd|th)?\s+day\s+of\s+{_MONTH},?\s+(\d{{4}})\b"
    r"|(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\d.]\d)",  # 05.07.2015: day, month, year as written in Europe
    re.IGNORECASE,
)
_FAIR_USE = re.compile(r"fair use|fair dealing")


# Every date the pattern reads has a year of four digits standing alone: only the lines around one are read (a notice
# of 2,000 URL lines has none, and the date pattern's alternatives tried at each of its characters cost 30 ms).
_YEAR = re.compile(r"(?<!\w)(?:19|20|21)\d\d(?!\w)")


def _date_matches(doc: Doc) -> list[tuple[re.Match[str], date]]:
    out = []
    done = doc.start
    for year in _YEAR.finditer(doc.text, doc.start):
        if year.end() <= done:
            continue
        line_start, line_end = doc.line_span(year.start())
        before = max(doc.start, done, doc.line_span(line_start - 1)[0] if line_start > 0 else 0)  # a date may wrap a line
        done = line_end
        out += _read_dates(DATE.finditer(doc.text, before, line_end))
    return out


def _read_dates(matches: Iterator[re.Match[str]]) -> list[tuple[re.Match[str], date]]:
    out = []
    for m in matches:
        g = m.groups()
        try:
            if g[0]:
                value = date(int(g[0]), int(g[1]), int(g[2]))
            elif g[3]:
                value = date(int(g[5]), _MONTHS[g[3].lower()], int(g[4]))
            elif g[6]:
                value = date(int(g[8]), _MONTHS[g[7].lower()], int(g[6]))
            elif g[9]:
                value = date(int(g[11]), int(g[9]), int(g[10]))
            elif g[12]:
                value = date(int(g[14]), _MONTHS[g[13].lower()], int(g[12]))
            else:
                value = date(int(g[17]), int(g[16]), int(g[15]))
        except (ValueError, KeyError):
            continue
        if 1990 <= value.year <= 2100:
            out.append((m, value))
    return out


# The words a date line of the closing block or the message starts with: "Date:", "Dated:", "Signed on", "Sent:",
# a weekday, a place ("Berlin, "); a date after anything else on its line is part of a sentence of the letter.
_DATE_LEAD = re.compile(
    r"(?:(?:(?:notice|letter|message|e-?mail)[ \t]+)?"
    r"(?:date|dated|date[ \t]+signed|date[ \t]+of[ \t]+(?:signature|signing|notice|this[ \t]+notice|letter)"
    r"|signed(?:[ \t]+(?:on|this))?|executed(?:[ \t]+on)?|sent|on)\b[ \t]*[:,-]?[ \t]*)?"
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]{0,6},?[ \t]*)?(?:[A-Z][\w'.-]{1,30}(?:[ \t][A-Z][\w'.-]{1,30})?,[ \t]*)?(?:the[ \t]+)?",
    re.IGNORECASE,
)
_DATE_TAIL = re.compile(r"[ \t.,;*_)]*(?:(?:at[ \t]+)?\d{1,2}:\d{2}[^\n]{0,30}|in[ \t]+[A-Z][^\n]{0,40})?", re.IGNORECASE)
SIGNING_BLOCK_LINES = 5  # the signing line and the lines under it that a date written beside the name sits on


def _own_line(doc: Doc, start: int, end: int) -> bool:
    """The date stands on a line of its own, perhaps after "Date:", "Signed on" or a place: a date line, not a
    date inside a sentence (a registration or publication date in the account of the work)."""
    line_start, line_end = doc.line_span(start)
    if start - line_start > 80 or line_end - end > 80:
        return False
    before = doc.text[line_start:start].strip(" \t*_>-")
    if not _DATE_LEAD.fullmatch(before):
        return False
    tail = _DATE_TAIL.match(doc.text, end, line_end)
    return tail is not None and not doc.text[tail.end() : line_end].strip()


def signing_date(doc: Doc, signing: Signing) -> date | None:
    """The date of the signing block: a date line nearest the signature (a closing "Date: 3 March 2015", a letter's
    or message's own date line), else a date written on the signature's line or just under it. Never a date inside
    the letter's sentences (a work registered or published on a day)."""
    found = [(m.start(), m.end(), value) for m, value in _date_matches(doc)]
    lines = [s for s, _, line in itertools.islice(lines_with_offsets(doc.text, doc.line_span(signing.start)[0]), 12) if line.strip()]
    block_end = lines[SIGNING_BLOCK_LINES] if len(lines) > SIGNING_BLOCK_LINES else len(doc.text)
    dated = [(abs(s - signing.start), value) for s, e, value in found if _own_line(doc, s, e)]
    if dated:
        return min(dated, key=lambda x: x[0])[1]
    near = [value for s, _, value in found if doc.line_span(signing.start)[0] <= s < block_end]
    return near[0] if near else None


def _first(found: list[Found]) -> str | None:
    return found[0].value if found else None


def _redacted_or(doc: Doc, found: list[Found], label: str) -> str | None:
    if found:
        return found[0].value
    redacted = doc.labelled_redactions(re.compile(label))
    return redacted[0].value if redacted else None


def _listed_work(work: ListedWork, position: int, work_urls: list[str], listed: list[ListedWork]) -> dict[str, Any]:
    """One work of a letter's list; the first also takes the sender's URLs no item names (as `listed_works`)."""
    urls = [work.url]
    if position == 0:
        named = {w.url for w in listed}
        urls += [u for u in work_urls if u not in named]
    out: dict[str, Any] = {"title": work.title, "urls": urls}
    if work.description:
        out["description"] = work.description
    return out


def _address(doc: Doc, avoid: int = -1) -> dict[str, str] | None:
    """The sender's address; never the line starting at `avoid`, the address of the rights owner it writes for."""
    street, _ = street_and_org(doc, avoid)
    lines = [f.value for f in doc.addresses if f.start != avoid]
    if street:
        split = split_one_line(street)
        if split is not None:
            return split
        address = {"street": street}
        below = _place_below(doc, street, avoid)
        if below is not None:
            return address | below
        # A Singapore address for service (reg 78(4)(b)) is where papers reach a sender living elsewhere: never the
        # sender's own city or country.
        after = [line for line in lines if street not in line and POSTCODE_CITY.search(line) and not SERVICE_LABEL.search(line)]
        if after:
            address |= place_of(after[0]) or {"city": after[0].strip(" ,")}
        if any("singapore" in line.lower() for line in [street, *after[:1]]):
            address["country"] = "SG"
        return address
    redacted = doc.labelled_redactions(re.compile(r"address"))
    return {"street": redacted[0].value} if redacted else None


_PLACE_LINE_CHARS = 60  # a city, region, postal code and country; a longer line is a sentence


def _place_below(doc: Doc, street: str, avoid: int) -> dict[str, str] | None:
    """The city, region, postal code and country written on the line under the street ("Tromsø 9008, Norway"), or on
    the two lines under it ("Toronto, ON" / "M4S 3G4", "Portland, OR 97201" / "USA"), in a shape `place_of` reads."""
    at = doc.text.find(street, doc.start)
    while at >= 0 and doc.line_span(at)[0] == avoid:
        at = doc.text.find(street, at + 1)
    if at < 0:
        return None
    below: list[str] = []
    blank = spacing = 0  # blank lines since the last line read; those between the street and the line under it
    for _, _, line in lines_with_offsets(doc.text, doc.line_span(at)[1] + 1):
        value = line.strip(" \t\r*_>")
        if not value:
            blank += 1
            if blank > (spacing if below else 1):
                break  # the address block has ended (a double-spaced letter leaves one blank line between its lines)
            continue
        spacing, blank = (blank if not below else spacing), 0
        if len(value) > _PLACE_LINE_CHARS or SERVICE_LABEL.search(value):
            break
        below.append(value)
        if len(below) == 2:
            break
    if len(below) == 2 and (both := place_of(f"{below[0]}, {below[1]}")) is not None:
        return both
    return place_of(below[0]) if below else None


def _person(doc: Doc, avoid: int = -1) -> dict[str, Any]:
    person: dict[str, Any] = {
        "name": signed(doc)[0],
        "email": _first(doc.emails),
        "phone": _redacted_or(doc, doc.phones, r"phone|tel\b|mobile"),
        "address": _address(doc, avoid),
    }
    return {k: v for k, v in person.items() if v}


# A contact line ("Contact: rights@meridian.example, +44 ..."): where to write, never the notice's signature. (The
# person on an "Attn:" line stays the signature field, as test_fields_signing.py has it.)
_CONTACT_LINE = re.compile(r"^[ \t*_>]*contact(?:[ \t]+(?:person|name|details|information|info))?[ \t*_]*[:.]", re.IGNORECASE)


def _signature(doc: Doc) -> dict[str, Any] | None:
    signing = find_signing(doc)
    if not signing.name or _CONTACT_LINE.match(signing.name):
        return None
    name = person_or_org(signing.name)[0]
    signed_on = signing_date(doc, signing)
    out = {"name": name, "date": signed_on.isoformat() if signed_on else None}
    return {k: v for k, v in out.items() if v} or None


def _status(judgements: tuple[Judgement, ...], code: str) -> str:
    return next((jd.status for jd in judgements if jd.code == code), "missing")


def claim_fields(doc: Doc, regime: str, judgements: tuple[Judgement, ...]) -> dict[str, Any]:
    # reg 78(4)(a) asks for the sender's address and the owner's apart: in a Singapore notice the owner's address is
    # not the sender's. (Under § 512(c)(3)(A)(iv) any address that reaches the sender will do, its principal's too.)
    acting = principal(doc) if regime == "SG_CA2021" else None
    owners = acting.address.start if acting and acting.address else -1
    person = _person(doc, owners)
    signer, signed_org = signed(doc)
    org = sender_organization(doc, signer, signed_org, owners)
    complainant: dict[str, Any] = dict(person)
    if org:
        complainant["organization"] = org
    said = standing(doc)
    if said in ("agent", None) and org and names_as_owner(doc, org) and not outside_agent(doc):
        said = "owner"  # the owner's own staff, writing "on behalf of" the company whose letterhead they sign under
    if said:
        complainant["relationship"] = said
    fields: dict[str, Any] = {
        "kind": "trademark" if regime == "TM_POLICY" else "copyright",
        "regime": regime,
        "complainant": complainant or None,
    }
    owner = rights_owner(doc) if said != "owner" else None
    if owner:
        fields["rights_owner"] = owner.name
    work_urls, reported = work_and_reported(doc)
    work_j = next((jd for jd in judgements if jd.code == "work_identification"), None)
    quotes = [s.quote for s in work_j.evidence] if work_j and work_j.status == "present" else []
    # A work named by its title is read where the text's reading finds the work identified, or where the regime has no
    # such element (EU_DSA, TM_POLICY); a title where the reading finds a gap would make intake find no gap.
    titles = work_j is None or work_j.status == "present"
    described = description(doc, quotes, reported, work_urls, titles=titles)
    listed = listed_works(doc, work_urls)
    if listed:
        listed_urls = {url for _, url in listed}
        rest = [u for u in work_urls if u not in listed_urls]
        cut = described.find(listed[0][0]) if described else -1
        if described and cut > 0:
            described = described[:cut].strip() or None
        works: list[dict[str, Any]] = [{"title": title, "urls": [url]} for title, url in listed]
        works[0]["urls"] = [listed[0][1], *rest]
        if described:
            works[0]["description"] = described
        fields["works"] = works
    elif lettered := listed_in_letter(doc, work_urls):
        fields["works"] = [_listed_work(w, i, work_urls, lettered) for i, w in enumerate(lettered)]
    elif work_urls or described:
        titled = titled_work(doc) if titles else None
        work: dict[str, Any] = {"title": titled[0] if titled else None, "description": described, "urls": work_urls}
        fields["works"] = [{k: v for k, v in work.items() if v}]
    fields["items"] = [{"url": url} for url in reported]
    explanation = next((jd for jd in judgements if jd.code in ("substantiated_explanation", "infringement_description")), None)
    if explanation and explanation.evidence:
        fields["explanation"] = " ".join(s.quote for s in explanation.evidence)[:4000]
    fields["statements"] = _claim_statements(doc, regime, judgements)
    fields["signature"] = _signature(doc)
    if regime == "SG_CA2021":
        service = re.search(r"address for service[^:\n]{0,20}[:：]\s*([^\n]+)", doc.text[doc.start :], re.IGNORECASE)
        if service:
            fields["sg_address_for_service"] = service.group(1).strip()
    if regime == "TM_POLICY":
        fields["trademark"] = _trademark(doc)
    return {k: v for k, v in fields.items() if v is not None}


def _claim_statements(doc: Doc, regime: str, judgements: tuple[Judgement, ...]) -> dict[str, bool]:
    acc = _status(judgements, "accuracy_authority_statement")
    out = {
        "good_faith": _status(judgements, "good_faith_statement") == "present",
        "accuracy": acc == "present" or (acc == "deficient" and "perjury" in _note(judgements, "accuracy_authority_statement")),
        "authority_under_penalty_of_perjury": acc == "present",
        "fair_use_considered": bool(_FAIR_USE.search(doc.lower[doc.start :])),
    }
    if regime == "EU_DSA":
        out = {"bona_fide": _status(judgements, "bona_fide_statement") == "present", "fair_use_considered": out["fair_use_considered"]}
    elif regime == "SG_CA2021":
        out = {"removal_requested": _status(judgements, "removal_request_statement") == "present"}
    return out


def _note(judgements: tuple[Judgement, ...], code: str) -> str:
    return next((jd.note for jd in judgements if jd.code == code), "")


_TM_TYPES = (("counterfeit", "counterfeit"), ("imperson", "impersonation"), ("username", "username"), ("confus", "confusion"))


def _trademark(doc: Doc) -> dict[str, Any]:
    text = doc.text[doc.start :]
    out: dict[str, Any] = {}
    mark = MARK.search(text)
    if mark:
        out["mark"] = next(g for g in mark.groups() if g).strip()
    number = REG_NO.search(text)
    if number:
        out["registration_number"] = number.group(1).strip()
    registry = REGISTRY.search(text)
    if registry:
        value = registry.group(1).upper()
        out["registry"] = "WIPO_MADRID" if value in ("WIPO", "MADRID") else value
    classes = NICE.search(text)
    if classes:
        out["nice_classes"] = sorted({int(n) for n in re.findall(r"\d{1,2}", classes.group(1))})
    goods = re.search(r"(?:goods|services)[^.\n]{0,200}", text, re.IGNORECASE)
    if goods:
        out["goods_services"] = goods.group(0).strip()
    low = doc.lower[doc.start :]
    for needle, kind in _TM_TYPES:
        if needle in low:
            out["infringement_type"] = kind
            break
    return out


def counter_fields(doc: Doc, regime: str, judgements: tuple[Judgement, ...]) -> dict[str, Any]:
    material = next((jd for jd in judgements if jd.code == "material_identification"), None)
    mistake = _status(judgements, "mistake_statement")
    fields: dict[str, Any] = {
        "subscriber": _person(doc) or None,
        "material": "\n".join(s.quote for s in material.evidence) if material and material.evidence else None,
        "statements": {
            "mistake_or_misidentification": mistake in ("present", "deficient"),
            "under_penalty_of_perjury": mistake == "present",
            "jurisdiction_consent": _status(judgements, "jurisdiction_consent") == "present",
            "service_acceptance": _status(judgements, "service_acceptance") == "present",
        },
        "signature": _signature(doc),
    }
    if regime == "SG_CA2021":
        fields["statements"] = {
            "mistake_or_misidentification": mistake in ("present", "deficient"),
            "jurisdiction_consent": _status(judgements, "jurisdiction_consent") == "present",
            "accuracy": _status(judgements, "accuracy_statement") == "present",
        }
    return {k: v for k, v in fields.items() if v is not None}
