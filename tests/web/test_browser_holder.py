"""A rights holder in a real browser (issue 18 "Tests"): signs in, files an incomplete DMCA claim through the form
by keyboard, watches the missing elements update live, sends it, completes it, finds it in /claims; registers a
work with an image preview. Another holder gets the 404 page; a post without the CSRF token is 403; signed out,
a page redirects to /login. axe finds no serious or critical violation on any page, at 1280 and 390 px."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PIL import Image

from tests.web.browser import Live, Shots, assert_accessible, new_page, sign_in
from tests.web.conftest import WebUser


def element(page: Any, code: str) -> Any:
    return page.locator(f'#completeness [data-element="{code}"]')


def wait_status(page: Any, code: str, status: str) -> None:
    page.wait_for_selector(f'#completeness [data-element="{code}"][data-status="{status}"]', timeout=15_000)


def test_a_holder_files_and_completes_a_claim_in_the_browser(
    page: Any, live: Live, shots: Shots, chromium: Any, make_web_user: Callable[..., WebUser], tmp_path: Any
) -> None:
    holder = make_web_user("rights_holder", name="Aurora Studios", email="legal@aurora.example")
    # Signed out: a page sends you to sign in, and back afterwards.
    page.goto(live.url("/claims/new"))
    assert page.url == live.url("/login?next=/claims/new")
    page.get_by_label("Email").fill(holder.email)
    page.get_by_label("Password").fill(holder.password)
    page.keyboard.press("Enter")
    page.wait_for_url(live.url("/claims/new"))
    shots(page, "claim-choose")

    page.get_by_role("link", name="US copyright notice (DMCA)").click()
    page.wait_for_url(live.url("/claims/new?regime=US_DMCA&kind=copyright"))
    # Before anything is typed, the panel lists every element with its citation, unchecked.
    assert element(page, "signature").get_attribute("data-status") == "unchecked"
    assert "17 U.S.C. § 512(c)(3)(A)(i)" in element(page, "signature").inner_text()

    # Keyboard only: focus the first field, then type and Tab through the form in order.
    page.get_by_label("Your full name", exact=True).focus()
    page.keyboard.type("Ada Rights")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "complainant.organization"
    page.keyboard.type("Aurora Studios")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "complainant.relationship"
    page.keyboard.press("ArrowDown")  # "the owner of the right"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "complainant.email"
    page.keyboard.type("legal@aurora.example")
    page.get_by_label("Title of the work").focus()
    page.keyboard.type("Launch Day (photograph, 2024)")
    page.get_by_label("Addresses (URLs) of the infringing copies").focus()
    page.keyboard.type("https://platform.example/p/123")
    wait_status(page, "material_location", "present")
    wait_status(page, "contact_information", "present")
    wait_status(page, "work_identification", "present")
    for code in ("signature", "good_faith_statement", "accuracy_authority_statement"):
        assert element(page, code).get_attribute("data-status") == "missing", code
    assert "3 of 6 still to do" in page.locator("#completeness").inner_text()
    # A whole-site address is not enough, and the panel says so as it is typed.
    page.keyboard.press("Enter")
    page.keyboard.type("https://platform.example/")
    wait_status(page, "material_location", "deficient")
    page.keyboard.press("Backspace")
    page.keyboard.type("/p/456")
    wait_status(page, "material_location", "present")
    shots(page, "claim-form-incomplete")

    # Send it incomplete (keyboard: focus the button, Enter): stored as needs_info, and the page says what to add.
    page.get_by_role("button", name="Send the claim").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/claims/*?filed=1")
    claim_url = page.url.split("?")[0]
    assert "needs info" in page.get_by_role("heading", level=1).inner_text()
    todo = page.get_by_role("region", name="What to add").inner_text()
    assert "Sign the notice" in todo and "512(c)(3)(A)(v)" in todo
    shots(page, "claim-needs-info")

    page.get_by_role("link", name="Add what is missing").click()
    page.wait_for_url(claim_url + "/supplement")
    assert page.get_by_label("Your full name", exact=True).input_value() == "Ada Rights"  # what was sent is kept
    for label in (
        "I have a good-faith belief",
        "The information in this notice is accurate.",
        "Under penalty of perjury",
    ):
        page.get_by_label(label).focus()
        page.keyboard.press("Space")
    page.get_by_label("Type your full name to sign").focus()
    page.keyboard.type("/s/ Ada Rights")
    wait_status(page, "signature", "present")
    wait_status(page, "accuracy_authority_statement", "present")
    assert "Complete." in page.locator("#completeness").inner_text()
    shots(page, "claim-supplement-complete")
    page.get_by_role("button", name="Send what I added").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(claim_url + "?added=1")
    assert "in review" in page.get_by_role("heading", level=1).inner_text()
    shots(page, "claim-in-review")

    page.get_by_role("link", name="My claims").click()
    page.wait_for_url(live.url("/claims"))
    assert page.get_by_role("link", name=page.locator("table a").first.inner_text()).get_attribute("href") == claim_url.removeprefix(
        live.base
    )
    shots(page, "claims-list")

    # A post without the CSRF token is refused, signed in or not.
    refused = page.request.post(live.url(claim_url.removeprefix(live.base) + "/supplement"), form={"explanation": "x"})
    assert refused.status == 403

    # Reference works: register one, choose an image and see its preview before uploading.
    page.get_by_role("link", name="Reference works").click()
    shots(page, "works-empty")
    page.get_by_label("Title").fill("Launch Day (photograph, 2024)")
    page.get_by_role("button", name="Register the work").click()
    page.wait_for_url("**/works/*?created=1")
    picture = tmp_path / "launch-day.png"
    Image.new("RGB", (160, 120), (30, 110, 170)).save(picture)
    page.get_by_label("Image files").set_input_files(str(picture))
    page.wait_for_selector('#upload-preview img[alt="Preview of launch-day.png"]')
    shots(page, "work-upload-preview")
    page.get_by_role("button", name="Upload").click()
    page.wait_for_url("**/works/*?added=1")
    assert page.locator("img[alt^='Image 1 of']").evaluate("img => img.naturalWidth") == 160
    shots(page, "work-with-image")
    assert not live.console_errors, live.console_errors

    # Another holder: the claim page is the 404 page, with nothing of the claim on it.
    other = make_web_user("rights_holder", name="Brightline Brands")
    second = new_page(chromium, live)
    sign_in(second, live, other.email, other.password)
    response = second.goto(claim_url)
    assert response is not None and response.status == 404
    assert "Launch Day" not in second.content() and second.get_by_role("heading", level=1).inner_text() == "Page not found"
    assert_accessible(second)
    second.context.close()

    # Signed out: back to the sign-in page.
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(live.url("/login"))
    page.goto(claim_url)
    assert page.url.startswith(live.url("/login?next="))
