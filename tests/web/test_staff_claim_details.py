"""The staff review page shows the claim fields the API stores and staff set on import: the explanation, each work's
registration number, the owner the notifier acts for, and the notifier's organisation and relationship.

A probe found them only inside the quoted reading evidence of an imported notice (and not at all for a claim filed
through the API): a reviewer deciding a § 512 notice sent by an agent could not see whom it was sent for. They are
shown in the claim's details, escaped like every value; the rights holder's own page is unchanged, and no staff
note reaches it."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape

from fastapi.testclient import TestClient

from tests.legal.notices import complete_claim
from tests.web.conftest import WebUser, csrf_of

HOSTILE = '<img src=x onerror="alert(1)">'


def _details(html: str) -> dict[str, str]:
    """The claim's details list: each term with its description, as text."""
    found = re.search(r'<section[^>]*aria-labelledby="details-heading".*?</section>', html, flags=re.S)
    assert found, "no claim details on the page"
    pairs = re.findall(r"<dt>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", found.group(0), flags=re.S)
    return {unescape(re.sub(r"<[^>]+>", "", t)).strip(): unescape(re.sub(r"<[^>]+>", "", d)).strip() for t, d in pairs}


def test_staff_see_the_claims_stored_fields_escaped_and_holders_page_is_unchanged(
    client: TestClient, make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]
) -> None:
    holder, specialist = make_web_user("rights_holder"), make_web_user("specialist")
    body = complete_claim("US_DMCA")
    body["complainant"] |= {"organization": f"Rights Co {HOSTILE}", "relationship": "agent"}
    body["rights_owner"] = "Sunset Records Ltd"
    body["explanation"] = f"Both videos copy the whole of our music video.\nSecond paragraph {HOSTILE}."
    body["works"].append({"title": "Sunrise Song", "registration_number": "PA0009999999"})
    r = client.post("/api/v1/claims", headers=holder.headers, json=body)
    assert r.status_code == 201, r.text
    claim = r.json()

    staff = signed_in(specialist)
    page = f"/claims/{claim['id']}"
    noted = staff.post(f"{page}/notes", data={"body": "internal: call the agent", "csrf_token": csrf_of(staff.get(page).text)})
    assert noted.status_code == 303
    html = staff.get(page).text
    assert HOSTILE not in html and "&lt;img src=x onerror=" in html
    details = _details(html)
    assert details["Sender's organisation"] == f"Rights Co {HOSTILE}"
    assert details["The sender is"] == "acting for the owner (an agent)"
    assert details["Owner the sender acts for"] == "Sunset Records Ltd"
    assert details["Explanation"] == f"Both videos copy the whole of our music video.\nSecond paragraph {HOSTILE}."
    assert details["Work 1: registration number"] == "PA0002345678"
    assert details["Work 2: registration number"] == "PA0009999999"

    own = signed_in(holder).get(page)
    assert own.status_code == 200
    assert 'aria-labelledby="details-heading"' not in own.text and "PA0002345678" not in own.text
    assert "call the agent" not in own.text and "Sunset Records Ltd" not in own.text


def test_fields_not_given_are_left_out(
    client: TestClient, make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]
) -> None:
    holder, specialist = make_web_user("rights_holder"), make_web_user("specialist")
    body = complete_claim("EU_DSA")  # no organisation, no owner acted for, no registration number
    claim = client.post("/api/v1/claims", headers=holder.headers, json=body).json()
    details = _details(signed_in(specialist).get(f"/claims/{claim['id']}").text)
    assert details == {"The notifier is": "the owner of the right", "Explanation": body["explanation"]}
