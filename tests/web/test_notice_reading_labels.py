"""The import page's highlights say which element they are evidence of and what the reading found, without colour
and without hover, and the page's landmarks are named apart (axe `landmark-unique`).

A probe found present and deficient told apart only by the highlight's colour, the element only by a hover tooltip,
and the text's scrolling box labelled by the same heading as its section on every reading page. Each quote now
starts with a small visible label ("Signature: deficient") that is the anchor the element list links to, and each
status has its own underline."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from tests.mailroom.helpers import notice_text
from tests.web.browser import Live, Shots, axe_violations, sign_in
from tests.web.conftest import WebUser
from tests.web.test_notice_import import read_page

# The complete notice signed with a company's name only: the signature is deficient, the rest present.
COMPANY_SIGNED = notice_text().split("\n\n", 1)[1].replace("/s/ Dana Reyes", "Lumen Photo LLC")


def test_each_quote_starts_with_a_label_of_its_element_and_status(
    make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]
) -> None:
    html = read_page(signed_in(make_web_user("specialist")), COMPANY_SIGNED).text
    # the label's words, then a separator only a screen reader says (so the quote is not read as one word with it)
    anchors = re.findall(
        r'<span id="(ev-[a-z_]+-\d+)" class="ev-tag ev-tag-([a-z]+)">([^<]+)<span class="visually-hidden">:</span></span>', html
    )
    assert ("ev-signature-0", "deficient", "Signature: deficient") in anchors, anchors
    assert ("ev-contact_information-0", "present", "Contact details: present") in anchors
    assert len(anchors) == len(re.findall(r'id="ev-[a-z_]+-\d+"', html))  # every quote's anchor is a label
    assert 'href="#ev-signature-0"' in html  # the element list links to it
    # The scrolling box is named apart from its section.
    section = re.search(r'<section aria-labelledby="text-heading">', html)
    box = re.search(r'<div class="notice-text" role="region" ([^>]*)>', html)
    assert section and box and 'aria-labelledby="text-heading"' not in box.group(1), box.group(0) if box else html[:200]


def test_status_and_element_are_readable_without_colour_or_hover(
    page: Any, live: Live, shots: Shots, make_web_user: Callable[..., WebUser]
) -> None:
    specialist = make_web_user("specialist")
    sign_in(page, live, specialist.email, specialist.password)
    page.goto(live.url("/notices/import"))
    page.get_by_label("The notice's text").fill(COMPANY_SIGNED)
    page.get_by_role("button", name="Read the notice").click()
    page.wait_for_load_state("load")
    tags = page.locator(".notice-text .ev-tag")
    texts = [t.split("\n")[0] for t in tags.all_inner_texts()]  # the words shown, not the screen reader's separator
    assert "Signature: deficient" in texts and "Contact details: present" in texts, texts
    for tag in tags.all():  # shown, not a tooltip
        box = tag.bounding_box()
        assert box is not None and box["width"] > 0 and box["height"] > 0

    # Without colour: each status is underlined its own way.
    def underline(selector: str) -> str:
        return str(
            page.locator(selector).first.evaluate(
                "m => getComputedStyle(m).textDecorationLine + ' ' + getComputedStyle(m).textDecorationStyle"
            )
        )

    present, deficient = underline("mark.ev-present"), underline("mark.ev-deficient")
    assert present.startswith("underline") and deficient.startswith("underline") and present != deficient, (present, deficient)
    # The element list links to the highlight, whose label names it.
    page.locator('[data-element="signature"] a').first.click()
    assert page.url.endswith("#ev-signature-0") and page.locator("#ev-signature-0").inner_text().startswith("Signature: deficient")
    found = {v["id"] for v in axe_violations(page, ("minor", "moderate", "serious", "critical"))}
    assert "landmark-unique" not in found, found
    shots(page, "staff-notice-reading-labels")  # axe and no sideways scrolling at 1280 and 390 px
