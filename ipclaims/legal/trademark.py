"""TM_POLICY: trademark reports. Neither the US nor Singapore has a statutory trademark takedown, so every element is
platform policy (DOMAIN.md §2 *(policy)*); each citation names the policy and the law the element serves. In the EU
the DSA Art. 16/17 duties still apply, which is why location, contact and good faith mirror Art. 16(2)(b)–(d).
There is no trademark counter-notice: disputes go through the platform's appeal.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ipclaims.legal.base import CheckContext, Element, Finding, Regime, deficient, missing, present
from ipclaims.legal.fields import (
    Problem,
    address_problem,
    all_of,
    email_problem,
    has_text,
    is_absent,
    location_element,
    lookup,
    nonblank_text_element,
    sentence,
    signature_element,
    statement_element,
    text_problem,
)

CODE = "TM_POLICY"

# Nice Agreement: classes 1–34 are goods, 35–45 services.
NICE_CLASSES = range(1, 46)
INFRINGEMENT_TYPES = ("confusion", "counterfeit", "impersonation", "username")
# A Madrid international registration only protects the mark in the contracting parties it designates, so the
# territory check (DOMAIN.md §2 "the registration's territory covers the market") needs them named.
MADRID_REGISTRY = "WIPO_MADRID"


def _registry_key(value: str) -> str:
    return value.strip().upper().replace(" ", "_").replace("-", "_")


def registration(notice: Mapping[str, Any], ctx: CheckContext) -> Finding:
    tm = lookup(notice, "trademark")
    registry = lookup(tm, "registry")
    jurisdictions = lookup(tm, "jurisdictions")

    def registry_problem(value: object) -> Problem:
        problem = text_problem("the registry")(value)
        if problem is not None or not isinstance(value, str):
            return problem
        if _registry_key(value) == MADRID_REGISTRY:
            named = [j for j in jurisdictions if has_text(j)] if isinstance(jurisdictions, list | tuple) else []
            if not named:
                return "a WIPO (Madrid) international registration must name its designated jurisdictions"
        return None

    return all_of(
        "the registration number and registry",
        "Give the registration number (trademark.registration_number) and the office that registered the mark "
        "(trademark.registry: USPTO, EUIPO, UKIPO, IPOS, WIPO_MADRID with its designations in "
        "trademark.jurisdictions, or another national office).",
        "Registration number and registry given.",
        [
            (lookup(tm, "registration_number"), text_problem("the registration number")),
            (registry, registry_problem),
        ],
    )


def goods_services(notice: Mapping[str, Any], ctx: CheckContext) -> Finding:
    tm = lookup(notice, "trademark")
    classes = lookup(tm, "nice_classes")
    description = lookup(tm, "goods_services")

    def classes_problem(value: object) -> Problem:
        if is_absent(value):
            return "no Nice class is given"
        if not isinstance(value, list | tuple):
            return "the Nice classes are not a list of class numbers"
        wrong = [c for c in value if c is not None and not (isinstance(c, int) and not isinstance(c, bool) and c in NICE_CLASSES)]
        if wrong:
            listed = ", ".join(repr(c) for c in wrong)
            if len(wrong) == 1:
                return f"Nice class {listed} is not a class number within 1–45"
            return f"Nice classes {listed} are not class numbers within 1–45"
        return None

    return all_of(
        "the Nice classes and the goods or services",
        "Give the Nice classes the registration covers (trademark.nice_classes, numbers 1–45) and the goods or "
        "services it covers (trademark.goods_services).",
        "Nice classes and goods or services given.",
        [
            (classes, classes_problem),
            (description, text_problem("the description of the goods or services")),
        ],
    )


def infringement_description(notice: Mapping[str, Any], ctx: CheckContext) -> Finding:
    kind = lookup(notice, "trademark", "infringement_type")
    explanation = lookup(notice, "explanation")
    if isinstance(kind, str) and kind.strip().lower() in INFRINGEMENT_TYPES:
        return present(f"Infringement type: {kind.strip().lower()}.")
    if has_text(explanation):
        return present("The infringement is explained.")
    cure = f"Say how the use infringes (trademark.infringement_type: {', '.join(INFRINGEMENT_TYPES)}) or explain it (explanation)."
    if is_absent(kind) and is_absent(explanation):
        return missing(f"How the use infringes is not described. {cure}")
    problems = []
    if not is_absent(kind):
        problems.append(f"the infringement type {kind!r} is not one of {', '.join(INFRINGEMENT_TYPES)}")
    if not is_absent(explanation):
        problems.append("the explanation is blank")
    return deficient(f"{sentence('; '.join(problems))}. {cure}")


def contact_information(notice: Mapping[str, Any], ctx: CheckContext) -> Finding:
    complainant = lookup(notice, "complainant")
    return all_of(
        "the reporter's name, email and address",
        "Give your name (complainant.name), a usable email address (complainant.email) and a postal address with "
        "street, city and country (complainant.address).",
        "Name, email and address given.",
        [
            (lookup(complainant, "name"), text_problem("the name")),
            (lookup(complainant, "email"), email_problem),
            (lookup(complainant, "address"), address_problem),
        ],
    )


NOTICE = Regime(
    code=CODE,
    elements=(
        Element(
            "mark",
            "TM policy; 15 U.S.C. § 1114(1); Reg. (EU) 2017/1001 Art. 9(2); Trade Marks Act 1998 (SG) s 27",
            nonblank_text_element(
                ("trademark", "mark"),
                "the mark",
                "Give the mark as registered: the word, or a description of the figurative mark (trademark.mark).",
            ),
        ),
        Element("registration", "TM policy; 15 U.S.C. § 1057(b)", registration),
        Element("goods_services", "TM policy; Nice Agreement classes 1–45", goods_services),
        Element("material_location", "TM policy; DSA Art. 16(2)(b)", location_element),
        Element(
            "infringement_description",
            "TM policy; 15 U.S.C. §§ 1114(1), 1125(a); Reg. (EU) 2017/1001 Art. 9(2)(a)–(c)",
            infringement_description,
        ),
        Element("contact_information", "TM policy; DSA Art. 16(2)(c)", contact_information),
        Element(
            "good_faith_statement",
            "TM policy; DSA Art. 16(2)(d)",
            statement_element(
                "good_faith",
                "you have a good-faith belief that the use of the mark is not authorised by the owner, its agent or "
                "the law, having considered nominative and other fair uses",
            ),
        ),
        Element(
            "accuracy_authority_statement",
            "TM policy; DSA Art. 16(2)(d)",
            statement_element(
                "accuracy",
                "the information in the report is accurate and you are authorised to act for the owner of the mark",
            ),
        ),
        Element("signature", "TM policy", signature_element("the mark's owner or a person authorised to act for it")),
    ),
)
