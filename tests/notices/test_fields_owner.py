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
        ("Address for service in Singapore: 10 Anson Road, #12-01, Singapore 079903", "10 Anson Road, #12-01"),
        ("Address: 7 Orchard Lane, Unit 3, Singapore 238801", "7 Orchard Lane, Unit 3"),
        ("Registered office: 1 Raffles Place, #20-61, Singapore 048616", "1 Raffles Place, #20-61"),
        ("Registered office address: 5 Shenton Way, Singapore 068808", "5 Shenton Way"),
        ("Mailing address: 45 King Street West, Toronto", "45 King Street West, Toronto"),
        ("Postal address: 12 Quay Street, Level 2", "12 Quay Street, Level 2"),
        ("Anschrift: Lindenstraße 14, 50674 Köln", "Lindenstraße 14"),
        ("Adresse : 8 rue des Lilas, 69003 Lyon", "8 rue des Lilas"),
        # whose address a label says: the writer's, the firm's, the complainant's or the owner's
        ("My address: 10 Anson Road, #10-01, Singapore 079903", "10 Anson Road, #10-01"),
        ("Our address: 10 Anson Road, #10-01, Singapore 079903", "10 Anson Road, #10-01"),
        ("Our registered office address: 5 Shenton Way, Singapore 068808", "5 Shenton Way"),
        ("Address of the complainant: 10 Anson Road, #10-01, Singapore 079903", "10 Anson Road, #10-01"),
        ("Address of complainant: 10 Anson Road, #10-01, Singapore 079903", "10 Anson Road, #10-01"),
        ("Complainant's address: 10 Anson Road, #10-01, Singapore 079903", "10 Anson Road, #10-01"),
        ("The complainant’s address: 10 Anson Road, #10-01, Singapore 079903", "10 Anson Road, #10-01"),
        ("Address of the rights owner: 1 Raffles Place, #20-61, Singapore 048616", "1 Raffles Place, #20-61"),
        ("Your address: 12 Quay Street, Level 2", "12 Quay Street, Level 2"),
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


# --- 2. the owner and the sender's relationship to it, in every regime -------------------------------------------------------

LICENSEE = 'We are the exclusive licensee in Singapore of the sound recording "Harbourfront Nights", owned by Lion City Music Pte Ltd.\n'
LICENSEE_OF = 'Kestrel Audio Pte Ltd is the exclusive licensee of Lion City Music Pte Ltd for the recording "Harbourfront Nights".\n'
AGENT = 'I write on behalf of the owner, Lion City Music Pte Ltd, about its recording "Harbourfront Nights".\n'
LABELLED = 'Our firm represents the copyright owner of the recording "Harbourfront Nights".\nRights owner: Lion City Music Pte Ltd\n'
OWNER = 'We own the copyright in the recording "Harbourfront Nights"; it is owned by Kestrel Audio Pte Ltd, our company.\n'
OWNS_OR_LICENSEE = 'Kestrel Audio owns or is the exclusive licensee of the recording "Harbourfront Nights".\n'


@pytest.mark.parametrize("regime", REGIMES)
@pytest.mark.parametrize(
    ("opening", "relationship", "owner"),
    [
        (LICENSEE, "other", "Lion City Music Pte Ltd"),  # an exclusive licensee: intake's `other`
        (LICENSEE_OF, "other", "Lion City Music Pte Ltd"),
        (AGENT, "agent", "Lion City Music Pte Ltd"),
        (LABELLED, "agent", "Lion City Music Pte Ltd"),
        # The sender is the owner: the owner's name is its own, no `rights_owner`.
        (OWNER, "owner", None),
        # Owner or licensee, it does not say which: no licensee's standing read into it.
        (OWNS_OR_LICENSEE, None, None),
    ],
)
def test_the_owner_and_the_senders_relationship_are_read(opening: str, relationship: str | None, owner: str | None, regime: str) -> None:
    text = opening + SG_REQUEST + "Mei Ling Tan\nKestrel Audio Pte Ltd\n10 Anson Road, #12-01, Singapore 079903\n" + SG_CONTACT
    fields = reading(text, regime).fields
    assert (fields.get("complainant") or {}).get("relationship") == relationship
    assert fields.get("rights_owner") == owner


@pytest.mark.parametrize(
    ("sentence", "owner"),
    [
        # The name ends with its sentence, never runs into the next one or across a line.
        ("I act on behalf of Nintendo. This repository copies its game.", "Nintendo"),
        ("I act on behalf of Harbour Films LLC.\nThe copy is below.", "Harbour Films LLC"),
        ("I am authorised to act on behalf of Star India Pvt. Ltd. and its affiliates.", "Star India Pvt. Ltd"),
        ("I am authorized to act on the owner's behalf; the copyright owner is Mistral Data and I work in its legal team.", "Mistral Data"),
        (
            "I am authorized to act on the owner's behalf; the archive is owned by the Instituto de Cultura y Deporte.",
            "Instituto de Cultura y Deporte",
        ),
        # "The Copyright Owner" is a role, not a name.
        ("We act on behalf of The Copyright Owner in this matter.", None),
    ],
)
def test_the_owners_name_is_the_name_only(sentence: str, owner: str | None) -> None:
    text = f"{sentence}\nPlease remove https://github.com/pixhoard/pics/blob/main/harbour.jpg\n\nSigned: Dana Reyes\n"
    assert reading(text, "US_DMCA").fields.get("rights_owner") == owner


# --- 3. reg 78(4)(a): the rights owner's name and address too, when the complainant is not the owner ----------------------

SENDER = "Mei Ling Tan\nKestrel Audio Pte Ltd\n10 Anson Road, #12-01, Singapore 079903\n" + SG_CONTACT + "\nSigned: Mei Ling Tan\n"


@pytest.mark.parametrize(
    ("opening", "closing", "status", "note"),
    [
        # The review's notice: a licensee names the owner but gives only its own address.
        (LICENSEE, SENDER, "deficient", "the rights owner (Lion City Music Pte Ltd) is named, but not its address"),
        (
            'We are the exclusive licensee of the recording "Harbourfront Nights", owned by Lion City Music Pte Ltd, '
            "3 Temasek Avenue, #18-00, Singapore 039190.\n",
            SENDER,
            "present",
            "name and address given, and the rights owner's",
        ),
        # The owner's address on the lines under a line naming it.
        (
            LABELLED + "Address: 3 Temasek Avenue, #18-00, Singapore 039190\n\n",
            SENDER,
            "present",
            "name and address given, and the rights owner's",
        ),
        # reg 78(4)(a) asks for the owner's address, not for one in Singapore: that is the complainant's (b).
        (
            "I write on behalf of the owner, Fjord Sound AS, Akersgata 20, 0158 Oslo, Norway.\n",
            SENDER,
            "present",
            "name and address given, and the rights owner's",
        ),
        # An agent who does not name the owner at all.
        (
            "Our firm represents the copyright owner of the recording.\n",
            SENDER,
            "deficient",
            "the sender is not the rights owner, and the owner's name and address are not given",
        ),
        # The only address is the owner's: the complainant's own is missing.
        (
            "I write on behalf of the owner, Lion City Music Pte Ltd, 3 Temasek Avenue, #18-00, Singapore 039190.\n",
            "Mei Ling Tan\n" + SG_CONTACT + "\nSigned: Mei Ling Tan\n",
            "deficient",
            "the address is missing",
        ),
        # The complainant is the owner: its own name and address are all the element asks.
        (OWNER, SENDER, "present", "name and address given"),
    ],
)
def test_sg_complainant_identity_needs_the_owners_name_and_address_when_different(
    opening: str, closing: str, status: str, note: str
) -> None:
    read = reading(SG_OPENING + opening + SG_REQUEST + closing)
    assert read.regime == "SG_CA2021"
    judged = read.judgement("complainant_identity")
    assert (judged.status, judged.note) == (status, note)


def test_in_a_singapore_notice_the_owners_address_is_not_the_complainants() -> None:
    opening = "Our firm acts for Lion City Music Pte Ltd, 3 Temasek Avenue, #18-00, Singapore 039190, the owner of the recording.\n"
    read = reading(SG_OPENING + opening + SG_REQUEST + SENDER)
    assert read.fields["rights_owner"] == "Lion City Music Pte Ltd"
    assert read.fields["complainant"]["address"]["street"] == "10 Anson Road, #12-01"
    assert read.judgement("complainant_identity").status == "present"
