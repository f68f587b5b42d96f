"""US_DMCA: the takedown notice, 17 U.S.C. § 512(c)(3)(A), and the counter-notice, § 512(g)(3).

`fair_use_considered` (Lenz v. Universal, 801 F.3d 1126) is recorded with the claim but is deliberately not an
element: the statute does not list it and a notice without it is still a notice.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ipclaims.legal.base import CheckContext, Element, Finding, Regime, deficient, missing, present
from ipclaims.legal.fields import (
    address_problem,
    all_of,
    email_problem,
    is_absent,
    location_element,
    lookup,
    nonblank_text_element,
    paired_statement,
    phone_problem,
    signature_element,
    statement_element,
    text_problem,
    work_identification_element,
)

CODE = "US_DMCA"
_C = "17 U.S.C. § 512"


def contact_information(notice: Mapping[str, Any], ctx: CheckContext) -> Finding:
    """§ 512(c)(3)(A)(iv) asks for information *reasonably sufficient* to contact: one usable channel is enough."""
    complainant = lookup(notice, "complainant")
    channels = {
        "email": email_problem(lookup(complainant, "email")),
        "telephone": phone_problem(lookup(complainant, "phone")),
        "postal address": address_problem(lookup(complainant, "address")),
    }
    given = {
        "email": not is_absent(lookup(complainant, "email")),
        "telephone": not is_absent(lookup(complainant, "phone")),
        "postal address": not is_absent(lookup(complainant, "address")),
    }
    cure = (
        "Give at least one way to reach you: an email address (complainant.email), a telephone number "
        "(complainant.phone) or a postal address with street, city and country (complainant.address)."
    )
    if not any(given.values()):
        return missing(f"No contact information is given. {cure}")
    usable = [name for name, problem in channels.items() if problem is None]
    unusable = [problem for name, problem in channels.items() if given[name] and problem is not None]
    if not usable:
        return deficient(f"None of the contact details given is usable: {'; '.join(unusable)}. {cure}")
    note = f" (not usable: {'; '.join(unusable)})" if unusable else ""
    return present(f"Contact by {', '.join(usable)}{note}.")


NOTICE = Regime(
    code=CODE,
    elements=(
        Element(
            "signature",
            f"{_C}(c)(3)(A)(i)",
            signature_element("a person authorised to act for the owner of the exclusive right"),
        ),
        Element("work_identification", f"{_C}(c)(3)(A)(ii)", work_identification_element),
        Element("material_location", f"{_C}(c)(3)(A)(iii)", location_element),
        Element("contact_information", f"{_C}(c)(3)(A)(iv)", contact_information),
        Element(
            "good_faith_statement",
            f"{_C}(c)(3)(A)(v)",
            statement_element(
                "good_faith",
                "you have a good-faith belief that the use is not authorised by the owner, its agent or the law",
            ),
        ),
        Element(
            "accuracy_authority_statement",
            f"{_C}(c)(3)(A)(vi)",
            paired_statement(
                "accuracy",
                "authority_under_penalty_of_perjury",
                made="the information in the notice is accurate, and, under penalty of perjury, you are authorised "
                "to act on behalf of the owner of the exclusive right",
                without_perjury="The accuracy statement is made, but the authority to act for the owner is not "
                "attested under penalty of perjury.",
                without_main="Authority is attested under penalty of perjury, but the statement that the information "
                "in the notice is accurate is not made.",
            ),
        ),
    ),
    # § 512(c)(3)(B)(ii): a notice that substantially complies with (ii), (iii) and (iv) obliges the provider to
    # contact the notifier to cure the rest; below that floor the notice is not considered.
    curable_floor=("work_identification", "material_location", "contact_information"),
)


def subscriber_contact(notice: Mapping[str, Any], ctx: CheckContext) -> Finding:
    """§ 512(g)(3)(D): name, address and telephone number — all three, unlike the notifier's (c)(3)(A)(iv)."""
    subscriber = lookup(notice, "subscriber")
    return all_of(
        "the subscriber's name, address and telephone number",
        "Give the subscriber's full name (subscriber.name), postal address with street, city and country "
        "(subscriber.address) and telephone number (subscriber.phone).",
        "Name, address and telephone number given.",
        [
            (lookup(subscriber, "name"), text_problem("the name")),
            (lookup(subscriber, "address"), address_problem),
            (lookup(subscriber, "phone"), phone_problem),
        ],
    )


COUNTER_NOTICE = Regime(
    code=CODE,
    elements=(
        Element("signature", f"{_C}(g)(3)(A)", signature_element("the subscriber")),
        Element(
            "material_identification",
            f"{_C}(g)(3)(B)",
            nonblank_text_element(
                "material",
                "the identification of the removed material",
                "Identify the material that was removed and where it appeared before removal (material).",
            ),
        ),
        Element(
            "mistake_statement",
            f"{_C}(g)(3)(C)",
            paired_statement(
                "mistake_or_misidentification",
                "under_penalty_of_perjury",
                made="under penalty of perjury, you have a good-faith belief that the material was removed or "
                "disabled as a result of mistake or misidentification",
                without_perjury="The good-faith belief of mistake or misidentification is stated, but not under penalty of perjury.",
                without_main="The counter-notice is made under penalty of perjury, but does not state a good-faith "
                "belief that the material was removed by mistake or misidentification.",
            ),
        ),
        Element("subscriber_contact", f"{_C}(g)(3)(D)", subscriber_contact),
        Element(
            "jurisdiction_consent",
            f"{_C}(g)(3)(D)",
            statement_element(
                "jurisdiction_consent",
                "you consent to the jurisdiction of the Federal District Court for your judicial district "
                "(outside the United States: any judicial district in which the service provider may be found)",
            ),
        ),
        Element(
            "service_acceptance",
            f"{_C}(g)(3)(D)",
            statement_element(
                "service_acceptance",
                "you will accept service of process from the person who sent the notice, or that person's agent",
            ),
        ),
    ),
)
