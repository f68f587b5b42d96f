"""The import page in staff words, and the designated agent's own address never shown as the sender's contact.

A reviewer found element and field names made from codes ("Sg address for service", "Corrected: complainant") and the
agent's mailbox highlighted as the sender's contact. Synthetic notices in our own words."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape

import pytest
from fastapi.testclient import TestClient

from ipclaims import legal
from tests.mailroom.helpers import notice_text
from tests.web.conftest import WebUser, csrf_of
from tests.web.test_notice_import import fields_of, read_page


def _shown(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html.split("<main", 1)[1])))


def _read(client: TestClient, text: str, regime: str) -> str:
    token = csrf_of(client.get("/notices/import").text)
    r = client.post("/notices/import", data={"csrf_token": token, "text": text, "regime": regime}, files={"file": ("", b"", "text/plain")})
    assert r.status_code == 200, r.text
    return r.text


# Per regime: the element names staff read, and the words the correction form uses for the party.
EXPECTED = {
    "US_DMCA": (["Signature", "Work identified", "Material located", "Contact details", "Accuracy and authority"], "The sender"),
    "EU_DSA": (["Substantiated explanation", "Exact location", "Notifier's identity", "Bona fide statement"], "The notifier"),
    "SG_CA2021": (
        ["Complainant's identity", "Address for service", "Contact details", "Removal requested", "Signature"],
        "The complainant",
    ),
    "TM_POLICY": (["Mark", "Registration", "Goods and services", "How it infringes", "Reporter's identity", "Signature"], "The reporter"),
}


REGIME_NAMES = {"US_DMCA": "US DMCA", "EU_DSA": "EU DSA", "SG_CA2021": "Singapore CA 2021", "TM_POLICY": "Trademark policy"}


@pytest.mark.parametrize("regime", sorted(EXPECTED))
def test_every_element_and_field_has_a_staff_name_in_each_regime(
    regime: str, make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]
) -> None:
    staff = signed_in(make_web_user("specialist"))
    html = _read(staff, notice_text(), regime)
    page = _shown(html)
    names, party = EXPECTED[regime]
    strong = [unescape(s) for s in re.findall(r"<strong>([^<]*)</strong>", html)]
    for name in names:
        assert name in strong, (name, strong)
    for code in legal.element_codes(regime):
        from_code = code.replace("_", " ").capitalize()
        if from_code not in names:  # "Signature", "Mark", "Registration" are the names themselves
            assert from_code not in page, from_code
    # The highlighted words say which elements they stand for by name, never by code.
    labels = re.findall(r'<span id="ev-[^"]*" class="ev-tag [^"]*">([^<]*)<', html)
    assert labels and not any("_" in t for t in labels)
    assert f"<legend>{party}</legend>" in html
    assert f"Read as a {REGIME_NAMES[regime]} notice" in page

    # What staff corrected is said in words too.
    form = fields_of(html) | {"complainant.phone": "+1 207 555 0199", "action": "check"}
    checked = _shown(staff.post("/notices/import/create", data=form).text)
    assert f"Corrected: the {party.split()[-1]}'s details." in checked


def test_a_counter_notice_names_its_own_elements(make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]) -> None:
    staff = signed_in(make_web_user("specialist"))
    text = (
        "Counter-notification\n"
        "The repository https://platform.example/u/moss/tilesets was removed by mistake or misidentification; I swear so "
        "under penalty of perjury and have a good faith belief it was.\n"
        "I consent to the jurisdiction of the Federal District Court for the judicial district in which my address is "
        "located, and I will accept service of process from the person who provided the notification.\n"
        "Ilse Moss, 7 Fern Street, Bergen 5003, Norway, +47 5555 0100\n/s/ Ilse Moss\n"
    )
    page = _shown(_read(staff, text, ""))
    assert "This reads as a counter-notice" in page
    for name in ("Material identified", "Mistake or misidentification", "Subscriber's contact details", "Consent to jurisdiction"):
        assert name in page, name
    assert "Subscriber contact" not in page and "Jurisdiction consent" not in page and "Mistake statement" not in page


AGENT = "dmca-desk@platform.example"
# The letter shows the address it was sent to above the sender's own.
TO_AGENT = notice_text().replace("\n\nI own", f"\n\nTo: Copyright Agent <{AGENT}>\n\nI own", 1)


def test_the_agents_address_is_not_highlighted_or_taken_as_the_senders(
    make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient], set_env: Callable[..., None]
) -> None:
    set_env(IPCLAIMS_INBOX_ADDRESSES=AGENT)
    staff = signed_in(make_web_user("specialist"))
    html = read_page(staff, TO_AGENT).text
    assert AGENT in html  # shown as text
    marked = re.findall(r'<mark class="ev [^"]*" data-elements="([^"]*)"[^>]*>([^<]*)</mark>', html)
    assert not [m for m in marked if AGENT in m[1]], marked
    assert any("contact_information" in codes and "dana.reyes@lumenphoto.example" in words for codes, words in marked)
    assert fields_of(html)["complainant.email"] == "dana.reyes@lumenphoto.example"


def test_without_the_setting_the_agents_address_gives_way_to_the_senders_own_in_the_text(
    make_web_user: Callable[..., WebUser], signed_in: Callable[[WebUser], TestClient]
) -> None:
    """No inbox address configured: the message's To says where it went, and the text shows the sender's own."""
    staff = signed_in(make_web_user("specialist"))
    message = TO_AGENT.replace("Subject:", f"To: <{AGENT}>\nSubject:", 1)
    html = read_page(staff, message).text
    assert fields_of(html)["complainant.email"] == "dana.reyes@lumenphoto.example"
    assert not re.search(rf'<mark class="ev [^"]*" data-elements="[^"]*contact_information[^"]*"[^>]*>[^<]*{re.escape(AGENT)}', html)
