"""EU_DSA: notice and action under Regulation (EU) 2022/2065, Art. 16(2).

Anyone may notify (Art. 16(1)), so there is no authority element. There is no statutory counter-notice: the uploader's
route is the internal complaint-handling system of Art. 20, which lives outside this package.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ipclaims.legal.base import CheckContext, Element, Finding, Regime
from ipclaims.legal.fields import (
    all_of,
    email_problem,
    location_element,
    lookup,
    nonblank_text_element,
    statement_element,
    text_problem,
)

CODE = "EU_DSA"
_C = "Regulation (EU) 2022/2065, Art. 16(2)"


def notifier_identity(notice: Mapping[str, Any], ctx: CheckContext) -> Finding:
    # Art. 16(2)(c): the name and email address of the individual or entity submitting the notice.
    complainant = lookup(notice, "complainant")
    return all_of(
        "the notifier's name and email address",
        "Give your name (complainant.name) and an email address we can write to (complainant.email).",
        "Name and email address given.",
        [
            (lookup(complainant, "name"), text_problem("the name")),
            (lookup(complainant, "email"), email_problem),
        ],
    )


NOTICE = Regime(
    code=CODE,
    elements=(
        Element(
            "substantiated_explanation",
            f"{_C}(a)",
            nonblank_text_element(
                "explanation",
                "the explanation of why the content is illegal",
                "Explain why the content infringes, naming the right relied on (explanation).",
            ),
        ),
        Element("exact_location", f"{_C}(b)", location_element),
        Element("notifier_identity", f"{_C}(c)", notifier_identity),
        Element(
            "bona_fide_statement",
            f"{_C}(d)",
            statement_element(
                "bona_fide",
                "you have a bona fide belief that the information and allegations in the notice are accurate and complete",
            ),
        ),
    ),
)
