"""Table tests of what a review of Singapore notices found: an address's label read as its street, the owner a licensee
or an agent names left unread (`rights_owner`, `complainant.relationship`), and reg 78(4)(a)'s "name and address of the
complainant, and of the rights owner if different" judged present on the complainant's part alone. Short synthetic
notices in our own words."""

from __future__ import annotations

from typing import Any

import pytest

from ipclaims.notices import read_notice

URL = "https://github.com/tapehiss/mixes/blob/main/harbourfront-nights.mp3"
SG_OPENING = "Notice under regulation 78 of the Copyright (Network Service Provider) Regulations 2021.\n\n"
SG_REQUEST = f"The recording is copied without licence at {URL}. We require you to remove the copy or disable access to it.\n\n"
SG_CONTACT = "Tel: +65 6123 4567\nEmail: rights@kestrel-audio.example\n"
REGIMES = ("US_DMCA", "EU_DSA", "SG_CA2021", "TM_POLICY")


def reading(text: str, regime: str | None = None) -> Any:
    return read_notice(text, regime=regime, kind="claim")


def complainant(text: str, regime: str | None = None) -> dict[str, Any]:
    return reading(text, regime).fields.get("complainant") or {}


# --- 1. a label before an address is not part of its street, in every regime -------------------------------------------


@pytest.mark.parametrize("regime", REGIMES)
@pytest.mark.parametrize(
    ("line", "street"),
    [
        ("Address for service in Singapore: 10 Anson Road, #12-01, Singapore 079903", "10 Anson Road, #12-01, Singapore 079903"),
        ("Address: 7 Orchard Lane, Unit 3, Singapore 238801", "7 Orchard Lane, Unit 3, Singapore 238801"),
        ("Registered office: 1 Raffles Place, #20-61, Singapore 048616", "1 Raffles Place, #20-61, Singapore 048616"),
        ("Registered office address: 5 Shenton Way, Singapore 068808", "5 Shenton Way, Singapore 068808"),
        ("Mailing address: 45 King Street West, Toronto", "45 King Street West, Toronto"),
        ("Postal address: 12 Quay Street, Level 2", "12 Quay Street, Level 2"),
        ("Anschrift: Lindenstraße 14, 50674 Köln", "Lindenstraße 14"),
        ("Adresse : 8 rue des Lilas, 69003 Lyon", "8 rue des Lilas"),
    ],
)
def test_the_label_before_an_address_is_not_its_street(line: str, street: str, regime: str) -> None:
    text = (
        'The photograph "Quiet Harbour" is my own work; a copy is posted at https://github.com/pixhoard/pics/blob/main/harbour.jpg '
        "without my permission. Please remove it.\n\n"
        f"Jonas Weber\n{line}\nTel: +49 30 1234567\nEmail: jonas@weber-photo.example\n\nSigned: Jonas Weber\n"
    )
    assert complainant(text, regime)["address"]["street"] == street


def test_a_singapore_address_for_service_is_not_the_senders_own_city_or_country() -> None:
    # The sender lives in Berlin; the Singapore address is where papers reach it (reg 78(4)(b)), written above or below.
    own = "Lindenstraße 14\n50674 Köln\n"
    service = "Address for service in Singapore: c/o Tan & Lim LLP, 1 Raffles Place, #20-61, Singapore 048616\n"
    for block in (own + service, service + own):
        text = SG_OPENING + 'I own the copyright in my photograph "Quiet Harbour". ' + SG_REQUEST + "Jonas Weber\n" + block
        text += "Tel: +49 30 1234567\nEmail: jonas@weber-photo.example\n\nSigned: Jonas Weber\n"
        read = reading(text)
        assert read.fields["complainant"]["address"] == {"street": "Lindenstraße 14", "city": "Köln", "postal_code": "50674"}
        assert read.fields["sg_address_for_service"].startswith("c/o Tan & Lim LLP, 1 Raffles Place")
