"""The rights holder's claim pages through the TestClient: the form per regime with the law's own elements, the
dry run, filing through intake (one claim per form token), supplementing a needs_info claim, and 404 for another
holder (CONTRACT.md "Web pages")."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import WebUser, csrf_of

DMCA = "/claims/new?regime=US_DMCA&kind=copyright"


def dmca_form(**overrides: str) -> dict[str, str]:
    """A complete DMCA claim as the form sends it."""
    values = {
        "regime": "US_DMCA",
        "kind": "copyright",
        "complainant.name": "Ada Rights",
        "complainant.email": "ada@rights.example",
        "works.0.title": "Launch Day (photograph, 2024)",
        "items": "https://platform.example/p/123\nhttps://platform.example/p/456",
        "statements.good_faith": "true",
        "statements.accuracy": "true",
        "statements.authority_under_penalty_of_perjury": "true",
        "signature.name": "/s/ Ada Rights",
        "signature.date": "2026-12-05",
    }
    values.update(overrides)
    return {k: v for k, v in values.items() if v != ""}


def statuses(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-element="([a-z_]+)" data-status="([a-z]+)"', html))


@pytest.fixture
def holder(make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]) -> tuple[WebUser, TestClient]:
    user = make_web_user("rights_holder", name="Ada Rights")
    return user, signed_in(user)


def test_each_regime_has_a_form_listing_the_law_s_elements(holder: tuple[WebUser, TestClient]) -> None:
    from ipclaims import legal

    _, client = holder
    choose = client.get("/claims/new")
    assert choose.status_code == 200
    for regime, kind in (
        ("US_DMCA", "copyright"),
        ("EU_DSA", "copyright"),
        ("EU_DSA", "trademark"),
        ("SG_CA2021", "copyright"),
        ("TM_POLICY", "trademark"),
    ):
        assert f"/claims/new?regime={regime}&amp;kind={kind}" in choose.text
        page = client.get(f"/claims/new?regime={regime}&kind={kind}")
        assert page.status_code == 200
        assert list(statuses(page.text)) == list(legal.element_codes(regime))
        for e in legal.check_claim(regime, {}, legal.CheckContext()).elements:
            assert e.citation.replace("§", "&sect;") in page.text or e.citation in page.text, (regime, e.code)
    assert client.get("/claims/new?regime=US_DMCA&kind=trademark").text.count("data-element=") == 0  # back to choosing


def test_the_dry_run_is_intake_s_report_and_stores_nothing(holder: tuple[WebUser, TestClient]) -> None:
    from ipclaims.db import session_scope
    from ipclaims.models import Claim

    _, client = holder
    token = csrf_of(client.get(DMCA).text)
    partial = dmca_form(**{"signature.name": "", "signature.date": "", "statements.accuracy": "", "items": ""})
    r = client.post("/claims/new/check", data=partial | {"csrf_token": token})
    assert r.status_code == 200
    assert statuses(r.text) == {
        "signature": "missing",
        "work_identification": "present",
        "material_location": "missing",
        "contact_information": "present",
        "good_faith_statement": "present",
        "accuracy_authority_statement": "deficient",
    }
    whole_site = client.post("/claims/new/check", data=dmca_form(items="https://platform.example/") | {"csrf_token": token})
    assert statuses(whole_site.text)["material_location"] == "deficient"
    assert statuses(client.post("/claims/new/check", data=dmca_form() | {"csrf_token": token}).text) == dict.fromkeys(
        statuses(r.text), "present"
    )
    assert client.post("/claims/new/check", data=dmca_form()).status_code == 403  # no CSRF token
    with session_scope() as s:
        assert s.query(Claim).count() == 0


def test_filing_an_incomplete_claim_then_supplying_what_is_missing(
    holder: tuple[WebUser, TestClient], make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]
) -> None:
    from ipclaims.db import session_scope
    from ipclaims.models import Claim

    _, client = holder
    page = client.get(DMCA).text
    token, form_token = csrf_of(page), re.search(r'name="form_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    sent = dmca_form(**{"signature.name": ""}) | {"csrf_token": token, "form_token": form_token}
    first = client.post("/claims/new", data=sent)
    again = client.post("/claims/new", data=sent)  # the same form sent twice
    assert first.status_code == again.status_code == 303
    assert first.headers["location"] == again.headers["location"]
    with session_scope() as s:
        assert s.query(Claim).count() == 1
    claim_url = first.headers["location"].split("?")[0]
    detail = client.get(first.headers["location"])
    assert detail.status_code == 200 and "needs info" in detail.text and "What to add" in detail.text
    assert "Sign the notice" in detail.text and "17 U.S.C. § 512(c)(3)(A)(i)" in detail.text
    listing = client.get("/claims")
    assert claim_url in listing.text
    supplement = client.get(claim_url + "/supplement")
    assert supplement.status_code == 200 and 'value="Ada Rights"' in supplement.text  # what was filed is shown
    assert statuses(supplement.text)["signature"] == "deficient"  # dated but not signed
    nothing = client.post(claim_url + "/supplement", data=dmca_form(**{"signature.name": ""}) | {"csrf_token": token})
    assert nothing.status_code == 422 and "Nothing was changed" in nothing.text
    done = client.post(claim_url + "/supplement", data=dmca_form() | {"csrf_token": token})
    assert done.status_code == 303
    after = client.get(done.headers["location"])
    assert "in review" in after.text and "What to add" not in after.text
    assert client.get(claim_url + "/supplement").status_code == 303  # nothing left to supplement
    # Another holder: the claim, its supplement form and its letters are the 404 page.
    other = signed_in(make_web_user("rights_holder"))
    for path in (claim_url, claim_url + "/supplement", claim_url + "/letters/01ABCDEFGHJKMNPQRSTVWXYZ00.pdf"):
        r = other.get(path)
        assert r.status_code == 404 and "text/html" in r.headers["content-type"] and "Launch Day" not in r.text, path
    assert (
        other.post(claim_url + "/supplement", data=dmca_form() | {"csrf_token": csrf_of(other.get("/claims/new").text)}).status_code == 404
    )
    assert claim_url not in other.get("/claims").text


def test_a_malformed_form_is_shown_again_with_everything_typed(holder: tuple[WebUser, TestClient]) -> None:
    _, client = holder
    token = csrf_of(client.get("/claims/new?regime=TM_POLICY&kind=trademark").text)
    form = {
        "regime": "TM_POLICY",
        "kind": "trademark",
        "trademark.mark": "BRIGHTLINE",
        "trademark.nice_classes": "25, shoes",
        "complainant.email": "brand@brightline.example",
        "items": "https://platform.example/listing/9",
        "csrf_token": token,
    }
    r = client.post("/claims/new", data=form)
    assert r.status_code == 422
    assert 'value="BRIGHTLINE"' in r.text and 'value="25, shoes"' in r.text and "whole numbers between 1 and 45" in r.text
    # "²" is a digit to str.isdigit() but no number to int(): a 422 with the form, never a 500
    superscript = client.post("/claims/new", data=form | {"trademark.nice_classes": "25, \u00b2"})
    assert superscript.status_code == 422 and "whole numbers between 1 and 45" in superscript.text
    no_url = client.post("/claims/new", data=dmca_form(items="") | {"csrf_token": token})
    assert no_url.status_code == 422 and "at least one copy" in no_url.text and 'value="Ada Rights"' in no_url.text


def test_staff_cannot_file_through_the_holder_form(
    make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]
) -> None:
    specialist = signed_in(make_web_user("specialist"))
    r = specialist.get(DMCA)
    assert r.status_code == 403 and "text/html" in r.headers["content-type"]


def test_letters_the_holder_may_read_download_as_pdf(holder: tuple[WebUser, TestClient], env: dict[str, str]) -> Any:
    from ipclaims.jobs.worker import run_once

    _, client = holder
    token = csrf_of(client.get(DMCA).text)
    r = client.post("/claims/new", data=dmca_form() | {"csrf_token": token, "form_token": "t1"})
    claim_url = r.headers["location"].split("?")[0]
    run_once()  # renders the owed acknowledgment
    page = client.get(claim_url).text
    links = re.findall(r'href="(/claims/[^"]+/letters/[^"]+\.pdf)"', page)
    assert len(links) == 1 and "Acknowledgment" in page
    pdf = client.get(links[0])
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
