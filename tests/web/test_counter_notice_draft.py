"""A counter-notice imported on the import page reaches its claim's "Record a counter-notice" form filled in from the
reading (`notices.fields.counter_fields`: subscriber, contact, material, statements, signature) and the message's
Date, each field editable before it is recorded; the reading page offers it for each item it answers, and for a
claim staff name by reference when the text names no reported address."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import unescape
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.legal.notices import changed, complete_claim
from tests.notices.test_counter_elements import counter
from tests.web.conftest import WebUser, csrf_of

REPO = "https://github.com/quietfox/tilemap-tools"
SENT = (datetime.now(UTC) - timedelta(days=2)).replace(microsecond=0)


def message(text: str) -> str:
    """The counter-notice as the uploader mailed it: headers, then the text."""
    return f"From: Ingrid Solberg <ingrid@fjord.example>\nDate: {format_datetime(SENT)}\nSubject: Counter notice: tilemap-tools\n\n{text}"


def hidden(html: str, name: str) -> list[str]:
    return re.findall(rf'<input type="hidden" name="{name}" value="([^"]*)"', html)


def kept(html: str) -> dict[str, Any]:
    """The notice as the reading page's counter-notice forms carry it (one form's: each carries the whole notice)."""
    form = next(part for part in html.split("</form>") if 'name="raw"' in part)
    return {
        "csrf_token": csrf_of(html),
        "raw": hidden(form, "raw"),
        "regime": hidden(html, "regime")[0],
        "media_type": hidden(html, "media_type")[0],
        "filename": hidden(html, "filename")[0],
    }


def counter_form(html: str, claim_id: str, item_id: str) -> dict[str, str]:
    """The item's counter-notice form as the browser would send it: every input's value as shown, ticked boxes."""
    action = f'action="/claims/{claim_id}/items/{item_id}/counter-notice"'
    assert action in html, "no counter-notice form for the item"
    form = html.split(action, 1)[1].split("</form>", 1)[0]
    data = {"csrf_token": csrf_of(form)}
    for name, value in re.findall(r'<input type="text" id="[^"]+" name="([^"]+)" value="([^"]*)"', form):
        data[name] = unescape(value)
    for name, value in re.findall(r'<textarea id="[^"]+" name="([^"]+)"[^>]*>([^<]*)</textarea>', form):
        data[name] = unescape(value)
    for name in re.findall(r'<input type="checkbox" id="[^"]+" name="([^"]+)" value="true" checked', form):
        data[name] = "true"
    return data


def read(staff: TestClient, text: str) -> str:
    page = staff.post("/notices/import", data={"csrf_token": csrf_of(staff.get("/notices/import").text), "text": text})
    assert page.status_code == 200, page.text
    return page.text


@pytest.fixture
def desk(client: TestClient, make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]) -> dict[str, Any]:
    """A US claim reporting the repository the counter-notice names, its item removed; a specialist signed in."""
    holder, specialist = make_web_user("rights_holder"), make_web_user("specialist")
    body = changed(complete_claim("US_DMCA"), [(("items",), [{"url": "https://video.example.com/watch?v=abc123"}, {"url": REPO}])])
    claim = client.post("/api/v1/claims", json=body, headers=holder.headers).json()
    item = claim["items"][1]
    decided = client.post(
        f"/api/v1/claims/{claim['id']}/items/{item['id']}/decision", json={"outcome": "removed"}, headers=specialist.headers
    )
    assert decided.status_code == 200, decided.text
    return {"claim": claim, "item": item, "staff": signed_in(specialist), "specialist": specialist}


def test_the_imported_counter_notice_fills_the_item_s_form_to_check_and_record(desk: dict[str, Any], client: TestClient) -> None:
    staff, claim, item = desk["staff"], desk["claim"], desk["item"]
    page = read(staff, message(counter()))
    draft_action = f"/claims/{claim['id']}/items/{item['id']}/counter-notice/draft"
    assert f'formaction="{draft_action}"' in page  # offered on the item the counter-notice answers
    assert f"/items/{claim['items'][0]['id']}/counter-notice/draft" not in page  # not on the item it does not name

    drafted = staff.post(draft_action, data=kept(page))
    assert drafted.status_code == 200, drafted.text
    assert "Filled in from the imported counter-notice" in drafted.text
    assert re.search(rf'<details class="panel" id="counter-{item["id"]}" open>', drafted.text)
    form = counter_form(drafted.text, claim["id"], item["id"])
    assert form["subscriber.name"] == "Ingrid Solberg" and form["signature.name"] == "Ingrid Solberg"
    assert form["subscriber.phone"] == "+47 912 34 567"
    assert form["subscriber.email"] == "ingrid@fjord.example"  # the text gives none: the message's sender
    address = {k.rsplit(".", 1)[1]: v for k, v in form.items() if k.startswith("subscriber.address.") and v}
    assert address == {"street": "4 Birch Lane", "city": "Tromsø", "postal_code": "9008", "country": "NO"}
    assert REPO in form["material"]
    statements = {k.split(".", 1)[1] for k, v in form.items() if k.startswith("statements.") and v == "true"}
    assert statements == {"mistake_or_misidentification", "under_penalty_of_perjury", "jurisdiction_consent", "service_acceptance"}
    assert datetime.fromisoformat(form["received_at"]) == SENT  # the message's Date, not the time it is recorded
    # Beside the form: each element as the text was read; the form's own check of the fields as filled finds no gap.
    box = " ".join(unescape(re.sub(r"<[^>]+>", " ", drafted.text.split("data-drafted=", 1)[1].split("</div>", 1)[0])).split())
    assert "Subscriber's contact details" in box and "As filled in below" not in box, box
    for note in re.findall(r'data-filled-status="[a-z]+">([^<]*)</p>', drafted.text):
        assert not re.search(r"\b(?:you|your)\b", note, re.IGNORECASE), note  # the checker's cure to the sender left out

    # Nothing is stored until the specialist records it; what they correct is what is recorded.
    listed = f"/api/v1/claims/{claim['id']}/counter-notices"
    assert client.get(listed, headers=desk["specialist"].headers).json()["items"] == []
    form["subscriber.phone"] = "+47 912 34 568"
    recorded = staff.post(f"/claims/{claim['id']}/items/{item['id']}/counter-notice", data=form)
    assert recorded.status_code == 303, recorded.text
    stored = client.get(listed, headers=desk["specialist"].headers).json()["items"]
    assert len(stored) == 1 and stored[0]["status"] == "forwarded", stored
    got = client.get(f"/api/v1/counter-notices/{stored[0]['id']}", headers=desk["specialist"].headers)
    subscriber = got.json()["subscriber"]
    assert got.status_code == 200 and subscriber["address"]["city"] == "Tromsø" and subscriber["phone"] == "+47 912 34 568", got.text
    assert subscriber["email"] == "ingrid@fjord.example"
    assert datetime.fromisoformat(stored[0]["received_at"]) == SENT


def test_the_box_beside_the_form_says_what_the_forms_check_finds_in_staff_words(desk: dict[str, Any]) -> None:
    # An address in no shape the reader splits (no postal code) stays one street line: the form's check finds no city.
    staff, claim, item = desk["staff"], desk["claim"], desk["item"]
    page = read(staff, message(counter(contact="Address: 4 Birch Lane, Tromsø, Norway\nPhone: +47 912 34 567")))
    drafted = staff.post(f"/claims/{claim['id']}/items/{item['id']}/counter-notice/draft", data=kept(page))
    assert drafted.status_code == 200, drafted.text
    assert counter_form(drafted.text, claim["id"], item["id"])["subscriber.address.street"] == "4 Birch Lane, Tromsø, Norway"
    box = " ".join(unescape(re.sub(r"<[^>]+>", " ", drafted.text.split("data-drafted=", 1)[1].split("</div>", 1)[0])).split())
    assert "Subscriber's contact details" in box and "As filled in below: deficient. The postal address has no city" in box, box
    for note in re.findall(r'data-filled-status="[a-z]+">([^<]*)</p>', drafted.text):
        assert not re.search(r"\b(?:you|your)\b", note, re.IGNORECASE), note  # the checker's cure to the sender left out


def test_a_counter_notice_naming_no_reported_address_reaches_the_claim_staff_name(desk: dict[str, Any]) -> None:
    staff, claim, item = desk["staff"], desk["claim"], desk["item"]
    elsewhere = counter(material="The removed material was my tile editor, published under my account.")
    page = read(staff, message(elsewhere))
    assert "No claim reports an address this counter-notice names" in page
    by_reference = kept(page) | {"reference": claim["reference"].lower(), "item": str(item["position"] + 1)}
    drafted = staff.post("/notices/import/counter-notice", data=by_reference)
    assert drafted.status_code == 200, drafted.text
    form = counter_form(drafted.text, claim["id"], item["id"])
    assert form["subscriber.name"] == "Ingrid Solberg" and form.get("statements.service_acceptance") == "true"

    unknown = staff.post("/notices/import/counter-notice", data=kept(page) | {"reference": "IPC-1999-000001", "item": "1"})
    assert unknown.status_code == 404
    assert "No item 1 on a claim IPC-1999-000001" in unknown.text and "This reads as a counter-notice" in unknown.text
    assert 'value="IPC-1999-000001"' in unknown.text and "The claim was not made" not in unknown.text  # kept, and no claim was asked for
    assert staff.post("/notices/import/counter-notice", data={"reference": claim["reference"], "item": "2"}).status_code == 403  # CSRF


def test_a_claim_without_a_statutory_counter_notice_is_not_offered_one(
    desk: dict[str, Any], client: TestClient, make_web_user: Callable[..., WebUser]
) -> None:
    holder = make_web_user("rights_holder")
    body = changed(complete_claim("EU_DSA"), [(("items",), [{"url": REPO}])])
    claim = client.post("/api/v1/claims", json=body, headers=holder.headers).json()
    item = claim["items"][0]
    decided = client.post(
        f"/api/v1/claims/{claim['id']}/items/{item['id']}/decision", json={"outcome": "removed"}, headers=desk["specialist"].headers
    )
    assert decided.status_code == 200, decided.text
    page = read(desk["staff"], message(counter()))
    assert claim["reference"] in page and f"/claims/{claim['id']}/items/{item['id']}/counter-notice/draft" not in page
    refused = desk["staff"].post(f"/claims/{claim['id']}/items/{item['id']}/counter-notice/draft", data=kept(page))
    assert refused.status_code == 409 and "no statutory counter-notice" in refused.text
