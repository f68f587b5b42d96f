"""An email address typed as a correction on the import page is held to the rule intake and the outbox hold the
complainant's email to (`legal.fields.email_problem`: email-validator, no DNS).

A probe in Chromium typed "not-an-email" as the sender's email: the form (novalidate) took it with no field error,
the page still said "Complete as a claim" and listed the contact element with the old address as its evidence, and
"Make the claim" made a claim whose acknowledgment was never queued (the outbox takes no unusable address). Now the
field says what is wrong, the elements it feeds are judged again on the corrected value, and the claim is not made
until the address is fixed or cleared; a cleared address is the specialist's choice, and the page says where the
acknowledgment goes then (the claim's owner), or that none is sent."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape

from fastapi.testclient import TestClient
from sqlalchemy import select

from ipclaims.db import session_scope
from ipclaims.models import Claim, OutboxMessage
from tests.mailroom.helpers import notice_text
from tests.web.conftest import WebUser
from tests.web.test_notice_import import fields_of, read_page

SENDER = "dana.reyes@lumenphoto.example"
# The complete notice as pasted text, its address the only way to reach the sender (no phone, no postal address).
EMAIL_ONLY = re.sub(r"Contact: .*\n", f"Contact: Dana Reyes, {SENDER}\n", notice_text().split("\n\n", 1)[1])
# The same without any address at all: no `From`, and no email in the text.
NO_ADDRESS = EMAIL_ONLY.replace(f", {SENDER}", ", phone +1 207 555 0100")


def _shown(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html.split("<main", 1)[-1])))


def _contact(html: str) -> str:
    found = re.search(r'<li data-element="contact_information".*?</li>', html, flags=re.S)
    assert found, "no contact element in the list"
    return found.group(0)


def _acknowledgments(claim_id: str) -> list[str]:
    with session_scope() as s:
        query = select(OutboxMessage.to_addr).where(OutboxMessage.claim_id == claim_id, OutboxMessage.kind == "acknowledgment")
        return list(s.scalars(query))


def _claims() -> int:
    with session_scope() as s:
        return s.query(Claim).count()


def test_an_unusable_email_correction_is_a_field_error_and_makes_no_claim(
    make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]
) -> None:
    staff = signed_in(make_web_user("specialist"))
    form = fields_of(read_page(staff, EMAIL_ONLY).text)
    assert form["complainant.email"] == SENDER
    form["complainant.email"] = "not-an-email"

    checked = staff.post("/notices/import/create", data=form | {"action": "check"})
    assert checked.status_code == 200, checked.text
    html = checked.text
    # The field's own error, tied to the input, in the same words the API's checks give the address.
    error = re.search(r'<p class="error" id="f-complainant-email-error">(.*?)</p>', html, flags=re.S)
    assert error, _shown(html)[:2000]
    assert "not-an-email" in unescape(error.group(1)) and "not usable" in error.group(1)
    assert re.search(r'id="f-complainant-email" name="complainant.email" value="not-an-email"[^>]*aria-invalid="true"', html)
    assert "Complete as a claim" not in html and "Incomplete as a claim" not in html
    assert "Not ready" in _shown(html)
    # The contact element is judged again on the corrected value: the address alone was the way to reach the sender.
    contact = _contact(html)
    assert 'data-status="deficient"' in contact, contact
    assert "not-an-email" in unescape(contact) and "your correction" in _shown(contact)

    before = _claims()
    made = staff.post("/notices/import/create", data=form | {"action": "create"})
    assert made.status_code == 422 and "text/html" in made.headers["content-type"]
    assert re.search(r'id="f-complainant-email-error"', made.text)
    assert _claims() == before


def test_a_usable_correction_is_taken_and_acknowledged_there(
    make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]
) -> None:
    staff = signed_in(make_web_user("specialist"))
    form = fields_of(read_page(staff, EMAIL_ONLY).text) | {"complainant.email": "legal@lumenphoto.example"}
    checked = staff.post("/notices/import/create", data=form | {"action": "check"})
    assert "f-complainant-email-error" not in checked.text and "Complete as a claim" in checked.text
    contact = _contact(checked.text)
    assert 'data-status="present"' in contact and "legal@lumenphoto.example" in contact
    made = staff.post("/notices/import/create", data=form | {"action": "create"})
    assert made.status_code == 303, made.text
    assert _acknowledgments(made.headers["location"].split("/")[2].split("?")[0]) == ["legal@lumenphoto.example"]


def test_a_cleared_email_says_where_the_acknowledgment_goes(
    make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]
) -> None:
    # The owner is chosen by the address the text gives (pasted text has no `From`): cleared from the sender's
    # details, it is still the owner's, and the acknowledgment goes there. The page says so before the claim is made.
    staff = signed_in(make_web_user("specialist"))
    form = fields_of(read_page(staff, EMAIL_ONLY).text) | {"complainant.email": ""}
    checked = staff.post("/notices/import/create", data=form | {"action": "check"})
    assert "f-complainant-email-error" not in checked.text
    said = _shown(checked.text)
    assert f"the acknowledgment goes to the claim's owner, {SENDER}" in said, said[:2500]
    made = staff.post("/notices/import/create", data=form | {"action": "create"})
    assert made.status_code == 303, made.text
    assert _acknowledgments(made.headers["location"].split("/")[2].split("?")[0]) == [SENDER]


def test_with_no_address_anywhere_the_page_says_no_acknowledgment_is_sent(
    make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]
) -> None:
    staff = signed_in(make_web_user("specialist"))
    html = read_page(staff, NO_ADDRESS).text
    assert "No acknowledgment will be sent" in _shown(html)
    form = fields_of(html)
    assert form["complainant.email"] == ""
    made = staff.post("/notices/import/create", data=form | {"action": "create"})
    assert made.status_code == 303, made.text
    assert _acknowledgments(made.headers["location"].split("/")[2].split("?")[0]) == []
