"""The staff pages in Chromium: a specialist claims a claim from the queue, reveals the blurred reported image (the
computed CSS filter before and after), sees the matched region, decides; legal escalations, letters and the export
download; the admin's pages. axe on every page at 1280 and 390 px, with screenshots of each."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from tests.legal.notices import complete_claim
from tests.test_access_matrix import textured_png
from tests.web.browser import Live, Shots, new_page, sign_in
from tests.web.conftest import WebUser


def test_a_specialist_reviews_a_claim_and_legal_exports_letters(
    page: Any, chromium: Any, live: Live, shots: Shots, client: TestClient, make_web_user: Callable[..., WebUser], tmp_path: Any
) -> None:
    holder = make_web_user("rights_holder", name="Aurora Studios")
    specialist = make_web_user("specialist", name="Sam Specialist")
    legal = make_web_user("legal", name="Lee Legal")
    admin = make_web_user("admin", name="Ada Admin")
    r = client.post("/api/v1/claims", json=complete_claim("US_DMCA"), headers=holder.headers)
    assert r.status_code == 201, r.text
    claim = r.json()
    work = client.post("/api/v1/works", json={"title": "Launch Day", "kind": "copyright"}, headers=holder.headers).json()
    picture = {"file": ("ref.png", textured_png(), "image/png")}
    assert client.post(f"/api/v1/works/{work['id']}/images", files=picture, headers=holder.headers).status_code == 201
    item = claim["items"][0]["id"]
    assert client.post(f"/api/v1/claims/{claim['id']}/items/{item}/content", files=picture, headers=holder.headers).status_code in (
        200,
        201,
    )
    other = client.post("/api/v1/claims", json=complete_claim("EU_DSA"), headers=holder.headers).json()

    # The specialist: queue → claim-next → the review page.
    sign_in(page, live, specialist.email, specialist.password)
    page.goto(live.url("/queue"))
    assert page.get_by_role("cell", name=claim["reference"]).count() or page.get_by_text(claim["reference"]).count()
    assert page.get_by_text("Aurora Studios").count() >= 1
    shots(page, "staff-queue")
    page.get_by_role("button", name="Claim the next claim").click()
    page.wait_for_url(live.url(f"/claims/{claim['id']}"))
    figure = page.locator(f"#item-{item}-reported")
    img = figure.locator("img[data-reported]")
    img.evaluate("i => i.decode()")
    before = img.evaluate("i => getComputedStyle(i).filter")
    assert "blur" in before and "grayscale" in before, before
    assert page.locator("[data-region]").count() == 1
    assert page.locator("[data-region]").first.evaluate("r => getComputedStyle(r.ownerSVGElement).visibility") == "hidden"
    shots(page, "staff-review")
    page.locator(f'[data-reveal="item-{item}-reported"]').click()
    after = img.evaluate("i => getComputedStyle(i).filter")
    assert after == "none", after
    region = page.locator("[data-region]").first
    assert region.evaluate("r => getComputedStyle(r.ownerSVGElement).visibility") == "visible"
    box = region.bounding_box()
    assert box and box["width"] > 10 and box["height"] > 10
    assert page.get_by_text("Launch Day").count() >= 1
    # Decide the first item on its own, then the rest in bulk.
    section = page.locator(f"#item-{item}")
    section.get_by_label("Outcome").select_option("removed")
    section.get_by_label("Internal reason (staff only)").fill("a full copy of the photograph")
    section.get_by_role("button", name="Decide item 1").click()
    page.wait_for_url(f"**/claims/{claim['id']}?done=decided*")
    assert page.get_by_text("Decision saved.").is_visible()
    page.get_by_label("Select every undecided item").check()
    bulk = page.locator("#bulk-form")
    bulk.get_by_label("Outcome").select_option("no_action")
    bulk.get_by_label("Internal reason (staff only)").fill("not the work")
    page.get_by_role("button", name="Decide selected items").click()
    page.wait_for_url(f"**/claims/{claim['id']}?done=decided*")
    decided = client.get(f"/api/v1/claims/{claim['id']}", headers=specialist.headers).json()
    assert decided["status"] == "decided"
    assert decided["items"][0]["outcome"] == "removed"
    shots(page, "staff-review-decided")
    # Escalate the other claim for legal.
    page.goto(live.url(f"/claims/{other['id']}"))
    page.get_by_label("Why legal should decide").fill("a parody defence to weigh")
    page.get_by_role("button", name="Escalate").click()
    page.wait_for_url(f"**/claims/{other['id']}?done=escalated*")
    assert not live.console_errors, live.console_errors

    # Legal: escalated claims, the letters desk, the export download.
    from ipclaims.jobs.worker import run_once

    run_once()
    lp = new_page(chromium, live)
    sign_in(lp, live, legal.email, legal.password)
    lp.goto(live.url("/escalated"))
    assert lp.get_by_text(other["reference"]).count() >= 1
    shots(lp, "legal-escalated")
    lp.goto(live.url("/letters"))
    shots(lp, "legal-letters")
    lp.get_by_role("link", name="Preview").first.click()
    lp.wait_for_url("**preview=*")
    assert lp.locator("iframe.preview-frame").count() == 1
    shots(lp, "legal-letter-preview")
    lp.goto(live.url("/letters?kind=acknowledgment"))
    assert lp.get_by_label("Kind").input_value() == "acknowledgment"
    assert lp.get_by_role("link", name="Preview").count() == 2  # the two claims' acknowledgments only
    with lp.expect_download() as download:
        lp.get_by_role("link", name="Export these letters (zip)").click()
    path = tmp_path / "letters.zip"
    download.value.save_as(path)
    names = zipfile.ZipFile(path).namelist()
    assert names and any(claim["reference"] in n for n in names), names
    lp.context.close()

    # The admin's pages.
    ap = new_page(chromium, live)
    sign_in(ap, live, admin.email, admin.password)
    ap.goto(live.url("/admin/accounts"))
    shots(ap, "admin-accounts")
    ap.goto(live.url(f"/admin/accounts/{holder.id}/keys"))
    shots(ap, "admin-keys")
    ap.goto(live.url("/admin/calendar"))
    shots(ap, "admin-calendar")
    ap.context.close()
