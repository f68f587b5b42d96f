"""The uploader in a real browser: follows the link from the statement-of-reasons mail (and the letter), reads the
decision, files a counter-notice by the form and sees the restore window; an EU uploader's complaint form. axe finds
no serious or critical violation at 1280 and 390 px, and the screenshots are kept for a person to look at."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ipclaims.config import get_settings
from ipclaims.jobs.worker import run_once
from tests.conftest import Actor
from tests.letters.helpers import HAVE_POPPLER, INTERNAL, PUBLIC, decided, pdf_text, save
from tests.web.browser import Live, Shots
from tests.web.test_uploader_pages import LINK, US_FORM, mailed_link


def _on_live(link: str, live: Live) -> str:
    return live.base + link.removeprefix(get_settings().public_url)


def test_the_uploader_follows_the_link_and_files_a_counter_notice(
    page: Any, live: Live, shots: Shots, client: Any, holder: Actor, specialist: Actor, tmp_path: Path
) -> None:
    claim = decided(client, holder, specialist, "US_DMCA")
    run_once()  # the statement of reasons: its mail and its letter
    page.goto(_on_live(mailed_link(claim["id"]), live))
    assert page.get_by_role("heading", level=1).inner_text() == "Decision about your content"
    body = page.inner_text("main")
    assert claim["reference"] in body and PUBLIC in body and INTERNAL not in body
    shots(page, "uploader-decision-us")

    # Keyboard and labels only, as a person fills it.
    labels = {
        "name": "Full name",
        "email": "Email",
        "phone": "Telephone",
        "street": "Street address",
        "city": "City",
        "region": "State or region",
        "postal_code": "Postal code",
        "country": "Country",
        "material": "The material that was removed",
        "signature": "Signature: type your full name",
    }
    for field, label in labels.items():
        page.get_by_label(label, exact=False).first.fill(US_FORM[field])
    page.get_by_label("Date").fill(US_FORM["signature_date"])
    for statement in ("I have a good-faith belief", "I make the statement above", "I consent to the jurisdiction", "I will accept service"):
        page.get_by_label(statement, exact=False).check()
    page.get_by_role("button", name="Send the counter-notice").click()
    page.wait_for_url("**filed=counter-notice**")
    assert "We received your counter-notice" in page.inner_text("main")
    counter = client.get(f"/api/v1/claims/{claim['id']}/counter-notices", headers=specialist.headers).json()["items"][0]
    assert counter["status"] == "forwarded"
    for day in (counter["restore_window"]["earliest"], counter["restore_window"]["latest"], counter["restore_on"]):
        assert page.locator(f'time[datetime="{day}"]').count() >= 1  # earliest and scheduled may be one day
    shots(page, "uploader-counter-notice-forwarded")
    assert not live.console_errors, live.console_errors

    if HAVE_POPPLER:  # the same page from the link printed in the letter
        letters = client.get(f"/api/v1/claims/{claim['id']}/letters", headers=specialist.headers).json()["items"]
        sor = next(x for x in letters if x["kind"] == "statement_of_reasons")
        printed = LINK.search("".join(pdf_text(save(client, specialist, sor, tmp_path / "sor.pdf")).split()))
        assert printed
        page.goto(_on_live(printed.group(0), live))
        assert "forwarded" in page.inner_text("main")


def test_an_eu_uploader_sees_the_complaint_form(page: Any, live: Live, shots: Shots, client: Any, holder: Actor, specialist: Actor) -> None:
    claim = decided(client, holder, specialist, "EU_DSA")
    run_once()
    page.goto(_on_live(mailed_link(claim["id"]), live))
    assert page.get_by_role("button", name="Send the complaint").is_visible()
    shots(page, "uploader-complaint-form-eu")
    page.get_by_role("button", name="Send the complaint").click()  # empty: the form comes back with the error
    page.wait_for_load_state("load")
    assert page.get_by_role("alert").is_visible()
    shots(page, "uploader-complaint-error-eu")
    page.get_by_label("Why the decision is wrong").fill("I took this photograph myself in 2019.")
    page.get_by_role("button", name="Send the complaint").click()
    page.wait_for_url("**filed=complaint**")
    assert "We received your complaint" in page.inner_text("main")
    shots(page, "uploader-complaint-filed-eu")
