"""The legal elements as staff read them on the review page: what each element is, its status, and the evidence the
claim gives for it.

The holder's form words each element as an instruction to the sender (`claim_form.ELEMENTS`: "Sign the notice: type
your full name…") and the checker's `detail` is written to the notifier (the deficiency letter quotes it: "Give at
least one way to reach you…"). A specialist reviews someone else's notice, so neither is their wording. Status and
citation stay the checker's (`claim.elements`, as stored); the evidence is the claim's own fields, by DOMAIN.md §2
"Which request fields feed which element". No rule is judged here: a value is shown, never weighed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from ipclaims.claims import notice
from ipclaims.models import Claim, ClaimItem

# code → (short name, what the element is); `BY_REGIME` words an element that differs from one regime to another.
WHAT: dict[str, tuple[str, str]] = {
    "signature": ("Signature", "The notice is signed by the owner of the right or a person authorised to act for the owner."),
    "work_identification": ("Work identified", "The work claimed to be infringed is identified (a representative list is enough)."),
    "material_location": ("Material located", "Each reported item is identified by a specific address (URL) on this platform."),
    "exact_location": ("Exact location", "The exact electronic location of each reported item: a specific URL on this platform."),
    "contact_information": ("Contact details", "Information enough to contact the notifier."),
    "good_faith_statement": (
        "Good-faith statement",
        "The notifier states a good-faith belief that the use is not authorised by the owner, its agent or the law.",
    ),
    "accuracy_authority_statement": (
        "Accuracy and authority",
        "The notifier states that the notice is accurate and, under penalty of perjury, that they may act for the owner.",
    ),
    "substantiated_explanation": (
        "Substantiated explanation",
        "The notifier explains, with reasons, why they consider the content illegal.",
    ),
    "notifier_identity": ("Notifier's identity", "The notifier's name and a usable email address."),
    "bona_fide_statement": (
        "Bona fide statement",
        "The notifier states a bona fide belief that the information and allegations in the notice are accurate and complete.",
    ),
    "complainant_identity": (
        "Complainant's identity",
        "The complainant's name and postal address, and the owner's name when the complainant acts as agent.",
    ),
    "sg_address_for_service": (
        "Address for service",
        "An address in Singapore where documents can be served, needed when the complainant lives elsewhere.",
    ),
    "removal_request_statement": (
        "Removal requested",
        "The complainant requires the platform to remove the copies or disable access to them.",
    ),
    "mark": ("Mark", "The trademark relied on: the word mark, or a description of the figurative mark."),
    "registration": ("Registration", "The mark's registration number and the office that registered it."),
    "goods_services": ("Goods and services", "The Nice classes (1–45) and the goods or services the registration covers."),
    "infringement_description": (
        "How it infringes",
        "How the use infringes the mark: confusion, counterfeit, impersonation or username, or an explanation.",
    ),
}
BY_REGIME: dict[tuple[str, str], tuple[str, str]] = {
    ("US_DMCA", "contact_information"): (
        "Contact details",
        "Information reasonably sufficient to contact the notifier: one usable email address, telephone number or postal address.",
    ),
    ("SG_CA2021", "contact_information"): (
        "Contact details",
        "The complainant's telephone number and a usable email address (and fax number, if they have one).",
    ),
    ("SG_CA2021", "signature"): ("Signature", "The notice is signed by the complainant."),
    ("TM_POLICY", "contact_information"): ("Reporter's identity", "The reporter's name, a usable email address and a postal address."),
    ("TM_POLICY", "signature"): ("Signature", "The report is signed by the mark's owner or a person authorised to act for it."),
    ("TM_POLICY", "good_faith_statement"): (
        "Good-faith statement",
        "The reporter states a good-faith belief that the use of the mark is not authorised, having considered fair uses.",
    ),
    ("TM_POLICY", "accuracy_authority_statement"): (
        "Accuracy and authority",
        "The reporter states that the report is accurate and that they may act for the mark's owner.",
    ),
}

# A counter-notice's elements (§ 512(g)(3); Singapore's restoration notice, reg 80(4)): the party is the subscriber,
# whose material was removed, and some codes mean another thing than in a notice (`signature`, `sg_address_for_service`).
COUNTER_WHAT: dict[str, tuple[str, str]] = {
    "signature": ("Signature", "The counter-notice is signed by the subscriber whose material was removed."),
    "material_identification": (
        "Material identified",
        "The material that was removed or disabled, and where it appeared before it was removed.",
    ),
    "mistake_statement": (
        "Mistake or misidentification",
        "The subscriber states, under penalty of perjury, a good-faith belief that the material was removed by mistake "
        "or misidentification.",
    ),
    "subscriber_contact": ("Subscriber's contact details", "The subscriber's name, postal address and telephone number."),
    "jurisdiction_consent": (
        "Consent to jurisdiction",
        "The subscriber consents to the jurisdiction of the Federal District Court for their address (outside the "
        "United States: any district where the platform may be found).",
    ),
    "service_acceptance": (
        "Accepts service",
        "The subscriber will accept service of process from the person who sent the notice, or that person's agent.",
    ),
    "subscriber_identity": ("Subscriber's identity", "The subscriber's name and postal address."),
    "sg_address_for_service": (
        "Address for service",
        "An address in Singapore where documents can be served, needed when the subscriber lives elsewhere.",
    ),
    "accuracy_statement": ("Accuracy", "The subscriber states that the information in the restoration notice is accurate."),
}
COUNTER_BY_REGIME: dict[tuple[str, str], tuple[str, str]] = {
    ("SG_CA2021", "subscriber_contact"): (
        "Subscriber's contact details",
        "The subscriber's telephone number and a usable email address (and fax number, if they have one).",
    ),
    ("SG_CA2021", "mistake_statement"): (
        "Ground for restoration",
        "The subscriber states in good faith that the copy was removed by mistake or misidentification, or that it is "
        "not an infringing copy.",
    ),
    ("SG_CA2021", "jurisdiction_consent"): (
        "Consent to jurisdiction",
        "The subscriber submits to the jurisdiction of the courts of Singapore.",
    ),
    ("SG_CA2021", "material_identification"): ("Copy identified", "The copy that was removed, and where it was before it was removed."),
}


def named(regime: str, code: str, *, counter: bool = False) -> tuple[str, str]:
    """An element's short name and what it is, in staff words, for the regime (and for its counter-notice): never
    the code itself, which the page keeps for its data attributes only."""
    tables = (COUNTER_BY_REGIME, COUNTER_WHAT) if counter else (BY_REGIME, WHAT)
    found = tables[0].get((regime, code)) or tables[1].get(code)
    return found or (code.replace("_", " ").capitalize(), "")


# Each statement the notice may make, as staff read it (the holder's form has the notifier's own first person).
STATEMENTS = {
    "good_faith": "Good-faith belief that the use is not authorised",
    "accuracy": "The information is accurate",
    "authority_under_penalty_of_perjury": "Authorised to act for the owner, under penalty of perjury",
    "fair_use_considered": "Fair use considered (recorded, not an element)",
    "bona_fide": "Bona fide belief that the notice is accurate and complete",
    "removal_requested": "Removal or disabling of access required",
}
SHOWN_ITEMS = 10  # of a claim's reported items listed as evidence; the items section below lists every one
SHOWN_WORKS = 5
TEXT_CHARS = 300  # of an explanation or description shown as evidence

Evidence = list[tuple[str, str | None]]  # (what, the claim's value; None: not given)


def _text(value: Any, limit: int = TEXT_CHARS) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None if value is None else "(blank)"
    text = ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _address(address: Mapping[str, Any] | None) -> str | None:
    if not address:
        return None
    parts = [str(address[k]) for k in notice.ADDRESS_FIELDS if address.get(k)]
    return ", ".join(parts) or None


def _party(n: Mapping[str, Any], *keys: str) -> Evidence:
    who = n.get("complainant") or {}
    labels = {"name": "Name", "email": "Email", "phone": "Telephone", "fax": "Fax", "address": "Postal address"}
    return [(labels[k], _address(who.get("address")) if k == "address" else _text(who.get(k))) for k in keys]


def _statements(*keys: str) -> Callable[[Mapping[str, Any], Claim | None], Evidence]:
    def evidence(n: Mapping[str, Any], claim: Claim | None) -> Evidence:
        made = n.get("statements") or {}
        return [(STATEMENTS[k], "stated" if made.get(k) is True else "not stated") for k in keys]

    return evidence


def _signature(n: Mapping[str, Any], claim: Claim | None) -> Evidence:
    sig = n.get("signature") or {}
    return [("Signed as", _text(sig.get("name"))), ("Dated", _text(sig.get("date")))]


def _works(n: Mapping[str, Any], claim: Claim | None) -> Evidence:
    works = [w for w in n.get("works") or [] if isinstance(w, Mapping)]
    out: Evidence = []
    for number, w in enumerate(works[:SHOWN_WORKS], 1):
        said = " — ".join(t for t in (_text(w.get("title")), _text(w.get("description"))) if t)
        urls = _text(w.get("urls"))
        out.append((f"Work {number}", said + (f" ({urls})" if urls else "") if said else urls))
    if len(works) > SHOWN_WORKS:
        out.append(("More works", f"{len(works) - SHOWN_WORKS} more"))
    return out or [("Works", None)]


def _item_line(item: ClaimItem) -> str | None:
    if not item.url:
        return None
    return f"{item.url} — {item.location_detail}" if item.location_detail else item.url


def _items(n: Mapping[str, Any], claim: Claim | None) -> Evidence:
    """The stored items (their location checked), or the fields' URLs when there is no claim yet (`from_fields`)."""
    if claim is None:
        urls = [i.get("url") for i in n.get("items") or [] if isinstance(i, Mapping)]
        out: Evidence = [(f"Item {k}", _text(url)) for k, url in enumerate(urls[:SHOWN_ITEMS], 1)]
        return out + ([("More items", f"{len(urls) - SHOWN_ITEMS} more")] if len(urls) > SHOWN_ITEMS else [])
    items = sorted(claim.items, key=lambda i: i.position)
    out = [(f"Item {i.position + 1}", _item_line(i)) for i in items[:SHOWN_ITEMS]]
    if len(items) > SHOWN_ITEMS:
        out.append(("More items", f"{len(items) - SHOWN_ITEMS} more, under “Reported items”"))
    return out


def _sg_service(n: Mapping[str, Any], claim: Claim | None) -> Evidence:
    country = ((n.get("complainant") or {}).get("address") or {}).get("country")
    return [
        ("Country of the complainant's address", _text(country)),
        ("Singapore address for service", _text(n.get("sg_address_for_service"))),
    ]


def _complainant_identity(n: Mapping[str, Any], claim: Claim | None) -> Evidence:
    who = n.get("complainant") or {}
    out = _party(n, "name", "address")
    if who.get("relationship") == "agent" or n.get("rights_owner"):
        out.append(("Acts for (rights owner)", _text(n.get("rights_owner"))))
    return out


def _mark(*keys: str) -> Callable[[Mapping[str, Any], Claim | None], Evidence]:
    labels = {
        "mark": "Mark",
        "registration_number": "Registration number",
        "registry": "Registry",
        "jurisdictions": "Jurisdictions",
        "nice_classes": "Nice classes",
        "goods_services": "Goods or services",
        "infringement_type": "Kind of misuse",
    }

    def evidence(n: Mapping[str, Any], claim: Claim | None) -> Evidence:
        tm = n.get("trademark") or {}
        return [(labels[k], _text(tm.get(k))) for k in keys]

    return evidence


EVIDENCE: dict[str, Callable[[Mapping[str, Any], Claim | None], Evidence]] = {
    "signature": _signature,
    "work_identification": _works,
    "material_location": _items,
    "exact_location": _items,
    "contact_information": lambda n, c: _party(n, "email", "phone", "address"),
    "good_faith_statement": _statements("good_faith", "fair_use_considered"),
    "accuracy_authority_statement": _statements("accuracy", "authority_under_penalty_of_perjury"),
    "substantiated_explanation": lambda n, c: [("Explanation", _text(n.get("explanation")))],
    "notifier_identity": lambda n, c: _party(n, "name", "email"),
    "bona_fide_statement": _statements("bona_fide"),
    "complainant_identity": _complainant_identity,
    "sg_address_for_service": _sg_service,
    "removal_request_statement": _statements("removal_requested"),
    "mark": _mark("mark"),
    "registration": _mark("registration_number", "registry", "jurisdictions"),
    "goods_services": _mark("nice_classes", "goods_services"),
    "infringement_description": lambda n, c: [*_mark("infringement_type")(n, c), ("Explanation", _text(n.get("explanation")))],
}
BY_REGIME_EVIDENCE: dict[tuple[str, str], Callable[[Mapping[str, Any], Claim | None], Evidence]] = {
    ("SG_CA2021", "contact_information"): lambda n, c: _party(n, "phone", "email", "fax"),
    ("TM_POLICY", "contact_information"): lambda n, c: _party(n, "name", "email", "address"),
    ("TM_POLICY", "good_faith_statement"): _statements("good_faith", "fair_use_considered"),
    ("TM_POLICY", "accuracy_authority_statement"): _statements("accuracy"),
}

# The checker's detail is one or more sentences of finding, then the cure, which tells the notifier what to do
# ("Give …", "Sign with …", "Confirm it …", "Required: … you are authorised …"). Staff keep the finding only.
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z“(])")
_TO_THE_NOTIFIER = re.compile(r"^(?:Give|Sign with|Name the|Confirm|Identify|Explain|Say how|Required:)\s|\b(?:you|your)\b", re.IGNORECASE)


def finding(detail: str) -> str:
    """The checker's detail without the sentences addressed to the notifier (the cure, or a statement in their words)."""
    kept = [s for s in _SENTENCE.split(detail.strip()) if s and not _TO_THE_NOTIFIER.search(s)]
    return " ".join(kept)


def from_fields(regime: str, code: str, fields: Mapping[str, Any]) -> Evidence:
    """What claim fields not stored yet give for an element (the import page's corrected fields), as `rows` shows a
    stored claim's."""
    gather = BY_REGIME_EVIDENCE.get((regime, code)) or EVIDENCE.get(code)
    return gather(fields, None) if gather else []


def rows(claim: Claim) -> list[dict[str, Any]]:
    """The claim's elements as stored, in the regime's order, each in staff words with the claim's evidence."""
    n = notice.to_notice(claim)
    out = []
    for e in sorted(claim.elements, key=lambda e: e.position):
        name, what = named(claim.regime, e.code)
        gather = BY_REGIME_EVIDENCE.get((claim.regime, e.code)) or EVIDENCE.get(e.code)
        out.append(
            {
                "code": e.code,
                "status": e.status,
                "citation": e.citation,
                "name": name,
                "what": what,
                "evidence": gather(n, claim) if gather else [],
                "finding": finding(e.detail),
            }
        )
    return out
