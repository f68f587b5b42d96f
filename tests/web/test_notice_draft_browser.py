"""The notice import page in Chromium shows the draft's fields as read from a letter: the work's description
without its lead-in, the signing date from the closing block (not a publication date in the letter), and a
company that closes the letter in the organisation field with the signer's fields left empty, not filled with
the company's name. Screenshots at 1280 and 390 px."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.web.browser import Live, Shots, sign_in
from tests.web.conftest import WebUser

LETTER = """Dear designated agent,

The copyrighted work is a set of harbour watercolours, first published on 5 May 2011 in our catalogue.

The copies are at https://platform.example/u/borrower/posts/77

I have a good faith belief that this use is not authorized by the copyright owner, its agent, or the law.
I swear, under penalty of perjury, that the information in this notification is accurate and that I am
authorized to act on behalf of the owner of an exclusive right that is allegedly infringed.
Email: rights@harbour-prints.example

Sincerely,

Harbour Prints Ltd.
Date: 2024-03-02
"""


def test_the_draft_shows_the_description_the_signing_date_and_the_company_apart(
    page: Any, live: Live, shots: Shots, make_web_user: Callable[..., WebUser]
) -> None:
    specialist = make_web_user("specialist", name="Sam Specialist")
    sign_in(page, live, specialist.email, specialist.password)
    page.goto(live.url("/notices/import"))
    page.get_by_label("The notice's text").fill(LETTER)
    page.get_by_role("button", name="Read the notice").click()
    page.wait_for_load_state("load")
    assert page.get_by_role("heading", name="Check the notice's reading").count() == 1

    def value(name: str) -> str:
        return str(page.locator(f'[name="{name}"]').first.input_value())

    assert value("works.0.description") == "A set of harbour watercolours, first published on 5 May 2011 in our catalogue."
    assert value("complainant.organization").rstrip(".") == "Harbour Prints Ltd"
    assert value("complainant.name") == "" and value("signature.name") == ""
    assert value("signature.date") == "2024-03-02"
    page.locator("#section-signature").scroll_into_view_if_needed()
    shots(page, "staff-notice-draft-company-closing")
