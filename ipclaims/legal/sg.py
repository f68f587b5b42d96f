"""SG_CA2021: Copyright Act 2021 (ss 313–324) notices under Copyright Regulations 2021 reg 78, and the restoration
notice of reg 80(4) (the Singapore counter-notice).

False statements in either notice are an offence under s 324; letters cite it, the checker does not need to.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ipclaims.legal.base import CheckContext, Element, Finding, Regime, missing, present
from ipclaims.legal.fields import (
    all_of,
    is_true,
    location_element,
    lookup,
    nonblank_text_element,
    sg_address_problem,
    sg_contact_element,
    sg_service_address_element,
    signature_element,
    statement_element,
    text_problem,
    work_identification_element,
)

CODE = "SG_CA2021"
_C = "Copyright Regulations 2021 (SG), reg"

_ADDRESS_CURE = "a postal address with at least street and country"


def _is_agent(relationship: object) -> bool:
    return isinstance(relationship, str) and relationship.strip().lower() == "agent"


def complainant_identity(notice: Mapping[str, Any], ctx: CheckContext) -> Finding:
    # reg 78(4)(a): the complainant's name and address, and the owner's name where an agent complains for it.
    complainant = lookup(notice, "complainant")
    requirements = [
        (lookup(complainant, "name"), text_problem("the complainant's name")),
        (lookup(complainant, "address"), sg_address_problem),
    ]
    agent = _is_agent(lookup(complainant, "relationship"))
    if agent:
        requirements.append((lookup(notice, "rights_owner"), text_problem("the name of the rights owner you act for")))
    return all_of(
        "the complainant's name and address",
        f"Give the complainant's name (complainant.name) and {_ADDRESS_CURE} (complainant.address)"
        + ("; as an agent, also the rights owner's name (rights_owner)." if agent else "."),
        "Name and address given" + (", with the rights owner an agent acts for." if agent else "."),
        requirements,
    )


NOTICE = Regime(
    code=CODE,
    elements=(
        Element("complainant_identity", f"{_C} 78(4)(a)", complainant_identity),
        Element("sg_address_for_service", f"{_C} 78(4)(b)", sg_service_address_element("complainant")),
        Element("contact_information", f"{_C} 78(4)(c)", sg_contact_element("complainant")),
        Element("work_identification", f"{_C} 78(4)(d)", work_identification_element),
        Element("material_location", f"{_C} 78(4)(d)", location_element),
        Element(
            "removal_request_statement",
            f"{_C} 78(4)(e)–(f)",
            statement_element(
                "removal_requested",
                "you require the network service provider to remove or disable access to the infringing copy",
            ),
        ),
        Element("signature", f"{_C} 78(3)", signature_element("the complainant")),
    ),
)


def subscriber_identity(notice: Mapping[str, Any], ctx: CheckContext) -> Finding:
    subscriber = lookup(notice, "subscriber")
    return all_of(
        "your name and address",
        f"Give your name (subscriber.name) and {_ADDRESS_CURE} (subscriber.address).",
        "Name and address given.",
        [
            (lookup(subscriber, "name"), text_problem("the name")),
            (lookup(subscriber, "address"), sg_address_problem),
        ],
    )


def mistake_statement(notice: Mapping[str, Any], ctx: CheckContext) -> Finding:
    # reg 80(4)(f) offers two grounds in the alternative: mistake/misidentification, or not an infringing copy.
    statements = lookup(notice, "statements")
    if is_true(lookup(statements, "mistake_or_misidentification")):
        return present("Statement made: good-faith belief that the copy was removed by mistake or misidentification.")
    if is_true(lookup(statements, "not_infringing")):
        return present("Statement made: good-faith belief that the material is not an infringing copy.")
    return missing(
        "No ground for restoration is stated. State in good faith that the copy was removed by mistake or "
        "misidentification (statements.mistake_or_misidentification = true) or that it is not an infringing copy "
        "(statements.not_infringing = true)."
    )


RESTORATION_NOTICE = Regime(
    code=CODE,
    elements=(
        Element("subscriber_identity", f"{_C} 80(4)(a)", subscriber_identity),
        Element("sg_address_for_service", f"{_C} 80(4)(b)", sg_service_address_element("subscriber")),
        Element("subscriber_contact", f"{_C} 80(4)(c)", sg_contact_element("subscriber")),
        Element(
            "material_identification",
            f"{_C} 80(4)(d)–(e)",
            nonblank_text_element(
                "material",
                "the identification of the removed copy",
                "Identify the copy that was removed and where it was before removal (material).",
            ),
        ),
        Element("mistake_statement", f"{_C} 80(4)(f)", mistake_statement),
        Element(
            "jurisdiction_consent",
            f"{_C} 80(4)(g)",
            statement_element("jurisdiction_consent", "you submit to the jurisdiction of the courts of Singapore"),
        ),
        Element(
            "accuracy_statement",
            f"{_C} 80(4)(h)",
            statement_element("accuracy", "the information in the restoration notice is accurate"),
        ),
        Element("signature", f"{_C} 80(4)", signature_element("the person whose material was removed")),
    ),
)
