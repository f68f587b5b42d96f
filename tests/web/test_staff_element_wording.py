"""The review page's "Legal elements" speak to staff, not to the notifier: each element says what it is, its status and
what the claim gives for it (the evidence), never the holder form's instructions ("Sign the notice: type your full
name…") nor the checker's cure addressed to the notifier ("Give at least one way to reach you…"). The holder's own
claim page keeps the holder's wording."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ipclaims import legal
from ipclaims.web import claim_form
from tests.legal.notices import changed, complete_claim
from tests.web.conftest import WebUser

REGIMES = ["US_DMCA", "EU_DSA", "SG_CA2021", "TM_POLICY"]
# How the checkers' cures begin ("Give a telephone number…", "Name the work…", "Confirm it…").
CURE = re.compile(r"(?:^|\. )(?:Give|Sign with|Name the|Confirm|Identify the|Explain why|Say how|Required:) ")
SECOND_PERSON = re.compile(r"\b(?:you|your|yours)\b", re.IGNORECASE)
HOLDER_WORDS = [plain for plain, _ in claim_form.ELEMENTS.values()] + [text for text, _ in claim_form.STATEMENTS.values()]


def section(html: str, heading: str) -> str:
    """The text of the page from `heading` to the next h2, tags stripped."""
    start = html.index(f"<h2>{heading}</h2>")
    end = html.index("<h2", start + 1)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html[start:end])).split())


def statuses(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-element="([a-z_]+)" data-status="([a-z]+)"', html))


def minimal(regime: str) -> dict[str, Any]:
    """A notice with only its items: every other element missing, so each element's cure would be on show."""
    kind = "trademark" if regime == "TM_POLICY" else "copyright"
    return {"kind": kind, "regime": regime, "items": [{"url": "https://video.example.com/watch?v=abc123"}]}


@pytest.mark.parametrize("regime", REGIMES)
@pytest.mark.parametrize("shape", ["complete", "minimal"])
def test_staff_read_each_element_in_staff_words_with_its_evidence(
    regime: str,
    shape: str,
    client: TestClient,
    make_web_user: Callable[..., WebUser],
    signed_in: Callable[[WebUser], TestClient],
) -> None:
    holder = make_web_user("rights_holder")
    body = complete_claim(regime) if shape == "complete" else minimal(regime)
    made = client.post("/api/v1/claims", json=body, headers=holder.headers)
    assert made.status_code == 201, made.text
    claim = made.json()

    html = signed_in(make_web_user("specialist")).get(f"/claims/{claim['id']}").text
    staff_text = section(html, "Legal elements")
    # Nothing in it speaks to the notifier: no holder instructions, no attestation in the first person, no cure.
    assert not SECOND_PERSON.search(staff_text), SECOND_PERSON.findall(staff_text)
    for words in HOLDER_WORDS:
        assert words not in staff_text, words
    assert "I have a good-faith belief" not in staff_text
    for e in claim["completeness"]["elements"]:
        if e["status"] != "present":
            cure = e["detail"].split(". ")[-1]
            assert cure not in staff_text, cure
    # Every element of the regime, with the checker's own status and citation.
    assert statuses(html) == {e["code"]: e["status"] for e in claim["completeness"]["elements"]}
    for e in claim["completeness"]["elements"]:
        assert e["citation"] in staff_text
    # The evidence is the claim's own values; what it lacks reads as not given.
    assert body["items"][0]["url"] in staff_text
    if shape == "complete" and regime in ("US_DMCA", "SG_CA2021", "TM_POLICY"):
        assert body["signature"]["name"] in staff_text
    if shape == "minimal":
        assert "not given" in staff_text or "not stated" in staff_text

    # The holder's own page keeps the holder's wording.
    own = signed_in(holder).get(f"/claims/{claim['id']}").text
    first = claim["completeness"]["elements"][0]["code"]
    assert claim_form.ELEMENTS[first][0] in unescape(own)


def test_a_deficient_element_shows_what_the_claim_gave_and_why_it_falls_short(
    client: TestClient, make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]
) -> None:
    holder = make_web_user("rights_holder")
    body = changed(
        complete_claim("US_DMCA"),
        [
            (("complainant", "email"), "not-an-address"),
            (("complainant", "phone"), None),
            (("complainant", "address"), None),
            (("statements", "authority_under_penalty_of_perjury"), False),
        ],
    )
    made = client.post("/api/v1/claims", json=body, headers=holder.headers)
    assert made.status_code == 201, made.text
    claim = made.json()
    html = signed_in(make_web_user("specialist")).get(f"/claims/{claim['id']}").text
    assert statuses(html)["contact_information"] == "deficient"
    assert statuses(html)["accuracy_authority_statement"] == "deficient"
    staff_text = section(html, "Legal elements")
    assert "Email not-an-address" in staff_text and "Telephone not given" in staff_text
    assert "the email address 'not-an-address' is not usable" in staff_text  # the checker's finding, without its cure
    assert "The information is accurate stated" in staff_text
    assert "Authorised to act for the owner, under penalty of perjury not stated" in staff_text
    assert not SECOND_PERSON.search(staff_text), SECOND_PERSON.findall(staff_text)


NOTICES = (
    [minimal(r) for r in REGIMES]
    + [complete_claim(r) for r in REGIMES]
    + [
        changed(
            complete_claim("US_DMCA"), [(("complainant", "email"), "x@"), (("complainant", "phone"), "12"), (("signature", "name"), " ")]
        ),
        changed(complete_claim("US_DMCA"), [(("statements", "accuracy"), False)]),
        changed(complete_claim("US_DMCA"), [(("items",), [{"url": "https://video.example.com/"}, {"url": "not a url"}])]),
        changed(complete_claim("SG_CA2021"), [(("complainant", "address", "country"), "MY"), (("sg_address_for_service",), " ")]),
        changed(complete_claim("SG_CA2021"), [(("complainant", "fax"), "1")]),
        changed(complete_claim("TM_POLICY"), [(("trademark", "nice_classes"), [0, 99]), (("trademark", "registry"), None)]),
        changed(complete_claim("EU_DSA"), [(("complainant", "email"), "agathe"), (("explanation",), "  ")]),
    ]
)


@pytest.mark.parametrize("body", NOTICES)
def test_the_finding_keeps_no_sentence_addressed_to_the_notifier(body: dict[str, Any]) -> None:
    from ipclaims.web import staff_elements  # here, so the page tests above run (and fail) on a tree without it

    report = legal.check_claim(body["regime"], body, legal.CheckContext(platform_hosts=frozenset({"video.example.com"})))
    for e in report.elements:
        kept = staff_elements.finding(e.detail)
        assert not SECOND_PERSON.search(kept), (e.code, kept)
        assert not CURE.search(kept), (e.code, kept)
        if e.status is legal.ElementStatus.DEFICIENT:
            assert kept, (e.code, e.detail)  # a shortfall keeps its reason
        if not SECOND_PERSON.search(e.detail) and not CURE.search(e.detail):
            assert kept == e.detail, (e.code, e.detail)  # a finding with no cure in it is kept whole
