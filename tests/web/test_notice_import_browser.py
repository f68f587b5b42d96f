"""The notice import page in Chromium: a specialist pastes a notice with a missing element, sees each element's
evidence highlighted in the text and the missing one listed, corrects the draft with the keyboard, checks it and
makes the claim, landing on its review page. A notice's script is shown as text and never runs. axe at 1280 and
390 px on each step, with screenshots."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from tests.web.browser import Live, Shots, sign_in
from tests.web.conftest import WebUser
from tests.web.test_notice_import import NO_GOOD_FAITH

HOSTILE = NO_GOOD_FAITH + '<script>window.pwned = 1</script><img src="/nothing.png" onerror="window.pwned = 2">\n'


def test_a_specialist_imports_a_notice_corrects_it_and_makes_the_claim(
    page: Any, live: Live, shots: Shots, make_web_user: Callable[..., WebUser]
) -> None:
    specialist = make_web_user("specialist", name="Sam Specialist")
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    sign_in(page, live, specialist.email, specialist.password)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Import a notice").click()
    page.wait_for_url(live.url("/notices/import"))
    shots(page, "staff-notice-import")

    page.get_by_label("The notice's text").fill(HOSTILE)
    page.get_by_role("button", name="Read the notice").click()
    page.wait_for_load_state("load")
    assert page.get_by_role("heading", name="Check the notice's reading").count() == 1
    # The evidence highlighted in the text: the signature's words, and the missing statement listed with none.
    signature = page.locator('mark[data-elements~="signature"]')
    assert signature.count() >= 1 and signature.first.inner_text() == "/s/ Dana Reyes"
    assert signature.first.evaluate("m => getComputedStyle(m).backgroundColor") != "rgba(0, 0, 0, 0)"
    missing = page.locator('[data-element="good_faith_statement"]')
    assert missing.get_attribute("data-status") == "missing"
    assert "No words of the text were found" in missing.inner_text()
    # The notice's markup is text on the page, never elements, and nothing of it ran.
    text = page.locator(".notice-text pre").inner_text()
    assert '<script>window.pwned = 1</script><img src="/nothing.png"' in text
    assert page.locator(".notice-text script, .notice-text img").count() == 0
    assert page.evaluate("() => window.pwned") is None and not dialogs
    # The quote links to its place in the text.
    page.locator('[data-element="signature"] a').first.click()
    assert page.url.endswith("#ev-signature-0")
    shots(page, "staff-notice-reading")

    # The work's own page is read as the work's, not as a reported URL.
    items = page.get_by_label("Addresses (URLs) of the reported copies")
    assert items.input_value() == "https://platform.example/u/copycat/posts/1001"
    # Correct with the keyboard: tick the missing statement, add the organisation.
    box = page.get_by_label(re.compile("The sender believes in good faith"))
    box.focus()
    page.keyboard.press("Space")
    assert box.is_checked()
    page.get_by_label("Organisation", exact=True).fill("Lumen Photo")
    page.get_by_role("button", name="Check my corrections").click()
    page.wait_for_load_state("load")
    assert "Complete as a claim" in page.locator("#draft-summary").inner_text()
    assert page.get_by_label(re.compile("The sender believes in good faith")).is_checked()
    shots(page, "staff-notice-corrected")

    page.get_by_role("button", name="Make the claim").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/claims/[^/?]+\?imported=1$"))
    assert page.get_by_text("Dana Reyes").count() >= 1
    # The claim page says it was made from the notice and keeps the message and the text's reading beside it.
    assert page.get_by_text("Claim made from the imported notice").count() == 1
    assert page.locator('[data-read-element="good_faith_statement"]').get_attribute("data-status") == "missing"
    assert "Staff corrected: the sender's details, the statements." in page.locator("section.source-message").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the original message (.eml)").click()
    assert download.value.suggested_filename.endswith(".eml")
    shots(page, "staff-notice-imported-claim")
    assert page.evaluate("() => window.pwned") is None and not dialogs
    assert not [e for e in live.console_errors if "Content Security Policy" in e], live.console_errors


def test_a_counter_notice_links_the_claim_it_answers_and_offers_no_claim(
    page: Any, live: Live, shots: Shots, make_web_user: Callable[..., WebUser], client: Any
) -> None:
    from tests.notices.test_counter_elements import counter

    holder, specialist = make_web_user("rights_holder"), make_web_user("specialist")
    body = {"kind": "copyright", "regime": "US_DMCA", "items": [{"url": "https://github.com/quietfox/tilemap-tools"}]}
    claim = client.post("/api/v1/claims", headers=holder.headers, json=body).json()
    sign_in(page, live, specialist.email, specialist.password)
    page.goto(live.url("/notices/import"))
    page.get_by_label("The notice's text").fill(counter())
    page.get_by_role("button", name="Read the notice").click()
    page.wait_for_load_state("load")
    assert "Complete as a counter-notice" in page.locator("#draft-summary").inner_text()
    assert page.get_by_role("button", name="Make the claim").count() == 0
    assert page.get_by_role("heading", name="The claim it makes").count() == 0
    shots(page, "staff-notice-counter")
    page.get_by_role("link", name=re.compile(claim["reference"])).click()
    page.wait_for_url(re.compile(rf".*/claims/{claim['id']}#item-{claim['items'][0]['id']}$"))


def test_a_counter_notice_fills_the_form_of_the_item_it_answers(
    page: Any, live: Live, shots: Shots, make_web_user: Callable[..., WebUser], client: Any
) -> None:
    from tests.legal.notices import complete_claim
    from tests.notices.test_counter_elements import counter

    holder, specialist = make_web_user("rights_holder"), make_web_user("specialist")
    body = complete_claim("US_DMCA") | {"items": [{"url": "https://github.com/quietfox/tilemap-tools"}]}
    claim = client.post("/api/v1/claims", headers=holder.headers, json=body).json()
    item = claim["items"][0]
    decided = client.post(
        f"/api/v1/claims/{claim['id']}/items/{item['id']}/decision", headers=specialist.headers, json={"outcome": "removed"}
    )
    assert decided.status_code == 200, decided.text
    sign_in(page, live, specialist.email, specialist.password)
    page.goto(live.url("/notices/import"))
    page.get_by_label("The notice's text").fill(counter())
    page.get_by_role("button", name="Read the notice").click()
    page.wait_for_load_state("load")
    shots(page, "staff-notice-counter-actioned")
    page.get_by_role("button", name=re.compile(rf"Fill in its counter-notice form \({claim['reference']}, item 1\)")).click()
    page.wait_for_load_state("load")
    form = page.locator(f"#counter-{item['id']}")
    assert form.get_attribute("open") is not None
    assert form.get_by_label("Uploader's name").input_value() == "Ingrid Solberg"
    assert form.get_by_label("Phone").input_value() == "+47 912 34 567"
    assert form.get_by_label("Under penalty of perjury").is_checked()
    shots(page, "staff-counter-notice-filled")
    # Edited before it is recorded: what is recorded is what the specialist corrected.
    form.get_by_label("City").fill("Tromsø")
    form.get_by_label("Country (2 letters)").fill("NO")
    form.get_by_label("Street").fill("4 Birch Lane")
    form.get_by_role("button", name="Record counter-notice").click()
    page.wait_for_url(re.compile(r".*done=counter-notice.*"))
    assert page.locator("[data-counter]").first.get_attribute("data-counter") == "forwarded"


def test_a_specialist_chooses_the_owner_and_the_date_received_before_making_the_claim(
    page: Any, live: Live, shots: Shots, make_web_user: Callable[..., WebUser]
) -> None:
    from tests.mailroom.helpers import notice_text

    films = make_web_user("rights_holder", name="Harbour Films", email="legal@harbourfilms.example")
    specialist = make_web_user("specialist", name="Sam Specialist")
    sign_in(page, live, specialist.email, specialist.password)
    page.goto(live.url("/notices/import"))
    page.get_by_label("The notice's text").fill(notice_text())
    page.get_by_role("button", name="Read the notice").click()
    page.wait_for_load_state("load")
    owner = page.get_by_label("The claim's owner")
    assert owner.locator("option:checked").inner_text() == "As read: a new notifier account for dana.reyes@lumenphoto.example"
    assert page.get_by_label("Date and time received").input_value() == "2026-12-01T09:30"
    assert page.get_by_label("Zone of that date and time").input_value() == "-05:00"
    # Enter in the search box finds accounts (the form's first button), it never makes the claim.
    page.get_by_label("Find a rights holder by name or email").fill("harbourfilms")
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    assert "1 active rights-holder account matches" in page.locator("#owner-found").inner_text()
    page.get_by_label("The claim's owner").select_option(films.id)
    page.get_by_label("Date and time received").fill("2026-11-30T08:15")
    page.get_by_label("Zone of that date and time").fill("Europe/London")
    shots(page, "staff-notice-owner-chosen")
    page.get_by_role("button", name="Make the claim").click()
    page.wait_for_url(re.compile(r".*/claims/[^/?]+\?imported=1$"))
    assert "Staff corrected: the claim's owner, the date received." in page.locator("section.source-message").inner_text()
    assert page.get_by_text(re.compile("intake corrected by Sam Specialist")).count() == 1
    shots(page, "staff-notice-owner-claim")
