"""Table tests of claim fields a review found wrong: the organisation of a signer's own line, a one-line sign-off split
into name, organisation and email, a work's quoted title and the sentence naming it, and a contact line split into
its channels (never the signature). Short synthetic notices in our own words."""

from __future__ import annotations

from typing import Any

import pytest

from ipclaims.notices import read_notice
from ipclaims.notices.address import split_one_line

URL = "https://github.com/filmdump/harbour/blob/main/harbour-lights.mp4"
STATEMENTS = (
    "I have a good faith belief that this use is not authorized by the copyright owner, its agent, or the law.\n"
    "I swear, under penalty of perjury, that the information in this notification is accurate and that I am "
    "authorized to act on behalf of the owner.\n\n"
)
OPENING = f'I write on behalf of Harbour Films LLC, the owner of the feature film "Harbour Lights".\nA full copy is at {URL}\n\n'
CONTACT = "Contact: rights@meridian.example, +44 20 7946 0000, 12 Fleet Lane, London EC4A 1AA\n"


def fields(text: str, regime: str | None = None) -> dict[str, Any]:
    return read_notice(text, regime=regime, kind="claim").fields


# --- 2. the organisation is the organisation only --------------------------------------------------------------------


@pytest.mark.parametrize(
    "closing",
    [
        "Sincerely,\nDana Reyes, Counsel, Harbour Films LLC\n" + CONTACT,
        "/s/ Dana Reyes\nDana Reyes, Counsel, Harbour Films LLC\n12 Fleet Lane\nLondon EC4A 1AA\n",
        "Regards,\n\nDana Reyes, Head of Legal, Harbour Films, LLC\n\n12 Fleet Lane, London EC4A 1AA\n",
    ],
)
def test_the_organisation_of_the_signers_line_is_the_company(closing: str) -> None:
    read = fields(OPENING + STATEMENTS + closing)
    assert read["complainant"]["name"] == "Dana Reyes"
    assert read["complainant"]["organization"] in ("Harbour Films LLC", "Harbour Films, LLC")
    # The owner's own counsel, signing with its name: the owner complaining through its staff (bench/notices_labels.md,
    # "Held-apart sets for the claim fields"), so no owner apart from the complainant.
    assert read["complainant"]["relationship"] == "owner"
    assert "rights_owner" not in read


def test_a_company_name_with_commas_above_the_address_is_kept_whole() -> None:
    # The line does not open with the signer's name: one company's name, not a person and a company.
    text = OPENING + STATEMENTS + "Sincerely,\nLi Wei\n\nChang Sha Ding Cheng, Software Co., Ltd.\n88 Xiangjiang Road\n"
    assert fields(text)["complainant"]["organization"] == "Chang Sha Ding Cheng, Software Co., Ltd."


@pytest.mark.parametrize(
    ("closing", "status", "name", "organization"),
    [
        # the signer's own line, the legal form after its own comma: a typed name signs, the company is theirs
        ("Jane Roe, General Counsel, Quayside Prints, LLC\n", "present", "Jane Roe", "Quayside Prints, LLC"),
        ("Sincerely,\nJane Roe, General Counsel, Quayside Prints, LLC\n", "present", "Jane Roe", "Quayside Prints, LLC"),
        ("Regards,\n\nDana Reyes, Head of Legal, Harbour Films, Inc.\n\n" + CONTACT, "present", "Dana Reyes", "Harbour Films, Inc."),
        # a company's name alone still closes the notice unsigned
        ("Quayside Prints, LLC\n", "deficient", None, "Quayside Prints, LLC"),
        ("Sincerely,\nQuayside Prints, LLC\n", "deficient", None, "Quayside Prints, LLC"),
        ("Sincerely,\nPaul, Weiss, Rifkind, Wharton & Garrison, LLP\n", "deficient", None, "Paul, Weiss, Rifkind, Wharton & Garrison, LLP"),
    ],
)
def test_a_name_title_and_company_on_one_line_signs(closing: str, status: str, name: str | None, organization: str) -> None:
    reading = read_notice(OPENING + STATEMENTS + closing, kind="claim")
    assert reading.judgement("signature").status == status
    complainant = reading.fields["complainant"]
    assert (complainant.get("name"), complainant.get("organization")) == (name, organization)
    assert (reading.fields.get("signature") or {}).get("name") == name


# --- 3. a one-line sign-off --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("closing", "regime"),
    [
        ("Mit freundlichen Grüßen\nKatrin Vogel, Rheinklang Musikverlag GmbH, k.vogel@rheinklang.example\n", "EU_DSA"),
        ("Kind regards,\n\nKatrin Vogel, Rheinklang Musikverlag GmbH, k.vogel@rheinklang.example\n", "EU_DSA"),
        ("Katrin Vogel, Rheinklang Musikverlag GmbH, k.vogel@rheinklang.example\n", "US_DMCA"),
    ],
)
def test_a_one_line_sign_off_gives_name_organisation_and_email(closing: str, regime: str) -> None:
    text = f"The file {URL} copies our score.\n\nI believe in good faith that this notice is accurate and complete.\n\n" + closing
    reading = read_notice(text, regime=regime, kind="claim")
    complainant = reading.fields["complainant"]
    assert (complainant["name"], complainant["organization"], complainant["email"]) == (
        "Katrin Vogel",
        "Rheinklang Musikverlag GmbH",
        "k.vogel@rheinklang.example",
    )
    if regime == "EU_DSA":
        assert reading.judgement("notifier_identity").status == "present"


# --- 4. the work's title and the sentence naming it -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "regime", "title", "description"),
    [
        # The judge's quote is the sentence giving the copy's URL; the work is named in another.
        (
            f'Harbour Films LLC produced the feature film "Harbour Lights" in 2023.\n\nThe film is copied in full at {URL} .\n\n',
            None,
            "Harbour Lights",
            'Harbour Films LLC produced the feature film "Harbour Lights" in 2023.',
        ),
        # A DSA notice (no work element to quote from): the sentence naming the work.
        (
            "Notice under Article 16 of the DSA.\n\n"
            f'The repository below hosts our feature film "Harbour Lights" in full, which infringes our copyright.\n\n{URL}\n\n',
            None,
            "Harbour Lights",
            'The repository below hosts our feature film "Harbour Lights" in full, which infringes our copyright.',
        ),
        (f"A copy of our song titled “Rain on Quay Street” is at {URL}\n\n", None, "Rain on Quay Street", None),
        # Not a title: a quoted phrase, and an app the letter says is the other side's.
        (f'The software is provided "as is" by us. Our film is copied at {URL}\n\n', None, None, None),
        (f'The pirated application "Harbour Stream" plays our films from {URL}\n\n', None, None, None),
    ],
)
def test_a_quoted_title_after_a_work_kind_is_the_title(body: str, regime: str | None, title: str | None, description: str | None) -> None:
    work = (fields(body + STATEMENTS + "Dana Reyes\ndana@harbourfilms.example\n", regime).get("works") or [{}])[0]
    assert work.get("title") == title
    if description is not None:
        assert work.get("description") == description


# --- 5. a contact line -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("closing", [CONTACT, "Sincerely,\nDana Reyes\n\n" + CONTACT])
def test_a_contact_line_is_split_into_its_channels_and_never_signs(closing: str) -> None:
    read = fields(OPENING + STATEMENTS + closing)
    complainant = read["complainant"]
    assert complainant["email"] == "rights@meridian.example"
    assert complainant["phone"] == "+44 20 7946 0000"
    assert complainant["address"] == {"street": "12 Fleet Lane", "city": "London", "postal_code": "EC4A 1AA"}
    assert not (read.get("signature") or {}).get("name", "").lower().startswith("contact")


def test_a_contact_line_alone_is_no_signature() -> None:
    assert "signature" not in fields(OPENING + STATEMENTS + CONTACT)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("12 Fleet Lane, London EC4A 1AA", {"street": "12 Fleet Lane", "city": "London", "postal_code": "EC4A 1AA"}),
        (
            "3 West Way, Oxford OX2 0JB, United Kingdom",
            {"street": "3 West Way", "city": "Oxford", "postal_code": "OX2 0JB", "country": "GB"},
        ),
    ],
)
def test_a_uk_city_and_postcode_in_one_part(line: str, expected: dict[str, str]) -> None:
    assert split_one_line(line) == expected


@pytest.mark.parametrize(
    "firm", ["Paul, Weiss, Rifkind, Wharton & Garrison LLP", "Pattishall, McAuliffe, Newbury, Hilliard & Geraldson, LLP"]
)
def test_a_firm_named_after_its_partners_is_kept_whole(firm: str) -> None:
    text = OPENING + STATEMENTS + f"Sincerely,\nJo Lindqvist\n\n{firm}\n1285 Avenue of the Americas\nNew York, NY 10019\n"
    assert fields(text)["complainant"]["organization"] == firm
