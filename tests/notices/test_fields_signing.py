"""Table tests of three draft fields staff correct most often: the work's description without the words that only
introduce it, the signing date taken from the signing block (never a date in the account of the work), and a
company closing the letter read as the organisation, not as the signer. Short synthetic texts in our own words."""

from __future__ import annotations

from typing import Any

import pytest

from ipclaims.notices import read_notice

STATEMENTS = (
    "I have a good faith belief that this use is not authorized by the copyright owner, its agent, or the law.\n"
    "I swear, under penalty of perjury, that the information in this notification is accurate and that I am the copyright "
    "owner, or am authorized to act on behalf of the owner, of an exclusive right that is allegedly infringed.\n\n"
)
COPY = "The copies are at https://github.com/borrower/harbour-pack\n\n"


def fields(text: str) -> dict[str, Any]:
    return read_notice(text, kind="claim").fields


def description(text: str) -> str | None:
    return (fields(text).get("works") or [{}])[0].get("description")


# --- 1. the description, not its lead-in ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("opening", "expected"),
    [
        (
            "The copyrighted work is a series of harbour watercolours I painted for a gallery show.",
            "A series of harbour watercolours I painted for a gallery show.",
        ),
        ("Our original work at issue is the Kestrel icon pack, sold on our site.", "The Kestrel icon pack, sold on our site."),
        ("Our work being infringed is Tidewater 2.", "Tidewater 2."),
        (
            "Our work: the Marlin typeface family, sold at https://marlin-type.example/",
            "the Marlin typeface family, sold at https://marlin-type.example/",  # not its URL alone
        ),
        ("Description of the original work: a recipe planner app our team wrote.", "a recipe planner app our team wrote."),
        (
            "Description of the original work:\n\nA recipe planner app our team wrote in 2021.",
            "A recipe planner app our team wrote in 2021.",
        ),
        ("Copyrighted work - Harbour Pack, a set of 3D boat models\nType of work: models", "Harbour Pack, a set of 3D boat models"),
        ("2. Identify the copyrighted work:Our Harbour Pack of boat models.", "Our Harbour Pack of boat models."),
        ("List of copyrighted works alleged to be infringed:\nHarbour Pack, boat models", "Harbour Pack, boat models"),
        ("The copyrighted work consists of original models of fishing boats.", "Original models of fishing boats."),
        ("--Our models of fishing boats, made in 2020.", "Our models of fishing boats, made in 2020."),
    ],
)
def test_a_description_drops_the_words_that_introduce_it(opening: str, expected: str) -> None:
    text = "Hello,\n\n" + opening + "\n\n" + COPY + STATEMENTS + "Regards,\nMarta Quell\n"
    assert description(text) == expected


@pytest.mark.parametrize(
    "opening",
    [
        # What follows says where the work is, not what it is: the sentence stays whole.
        "Our work is copied at https://github.com/borrower/harbour-pack without permission.",
        # A sentence that wraps onto a line reading "copyrighted work:" is no label of the work.
        "Below is the material that infringes the\ncopyrighted work:\n\nhttps://github.com/borrower/harbour-pack",
    ],
)
def test_words_that_are_not_a_lead_in_stay(opening: str) -> None:
    text = "Hello,\n\n" + opening + "\n\n" + STATEMENTS + "Regards,\nMarta Quell\n"
    got = description(text) or ""
    assert not got.startswith(("https://", "copied at"))


def test_a_work_label_over_the_copys_url_is_no_description() -> None:
    text = (
        "The infringed work:\nhttps://github.com/borrower/harbour-pack\n\nIt is a copy of our Harbour Pack models.\n\n"
        + STATEMENTS
        + "Marta Quell\n"
    )
    assert description(text) != "https://github.com/borrower/harbour-pack"


# --- 2. the signing date comes from the signing block --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date"),
    [
        # Registration and publication dates in the account of the work are not the signing date.
        (
            "Our novel Salt Road was registered with the Copyright Office on March 3, 2012 and first published on 5 May 2011.\n\n"
            + COPY
            + STATEMENTS
            + "Sincerely,\nLena Fisk\n",
            None,
        ),
        (
            "Our novel Salt Road was first published on 5 May 2011.\n\n" + COPY + STATEMENTS + "Sincerely,\nLena Fisk\nDate: 2019-10-02\n",
            "2019-10-02",
        ),
        # The letter's own date line at the top, a body date nearer the signature.
        (
            "Lisbon, 14 February 2017\n\nDear Sir or Madam,\n\n"
            + COPY
            + "The game was released on 1 June 2016.\n\n"
            + STATEMENTS
            + "Best regards,\nRita Sousa\n",
            "2017-02-14",
        ),
        # A message's own date line ("Notice Date:") is the notice's date.
        ("Notice Date: September 7, 2023\n\nDear Sir,\n\n" + COPY + STATEMENTS + "Regards,\nOlaf Berg\n", "2023-09-07"),
        # A date written on the signature's line.
        ("Dear Sir,\n\n" + COPY + STATEMENTS + "/s/ Olaf Berg, 2 April 2021\n", "2021-04-02"),
        ("Dear Sir,\n\n" + COPY + STATEMENTS + "Signed on 12/01/2020\n/s/ Olaf Berg\n", "2020-12-01"),
        # Day, month and year with dots, as written in much of Europe.
        ("To: the designated agent\nDate: 22.06.2015\n\n" + COPY + STATEMENTS + "Olaf Berg\n", "2015-06-22"),
    ],
)
def test_the_signing_date_is_the_signing_blocks(text: str, date: str | None) -> None:
    assert (fields(text).get("signature") or {}).get("date") == date


# --- 3. a company closing the notice is the organisation, not the signer ------------------------------------------


@pytest.mark.parametrize(
    "closing",
    [
        "Sincerely,\n\nBlue Harbor Software Inc.\n",
        "Signature: Blue Harbor Software Inc.\n",
        "/s/ Blue Harbor Software Inc.\n",
    ],
)
def test_a_company_alone_is_the_organisation_and_no_signer(closing: str) -> None:
    read = fields("Dear Sir,\n\n" + COPY + STATEMENTS + closing)
    complainant = read.get("complainant") or {}
    assert (complainant.get("organization") or "").rstrip(".") == "Blue Harbor Software Inc"
    assert "name" not in complainant
    assert "name" not in (read.get("signature") or {})
    assert description("Dear Sir,\n\n" + COPY + STATEMENTS + closing) != "Blue Harbor Software Inc."


def test_a_person_signing_for_a_company_keeps_both() -> None:
    read = fields("Dear Sir,\n\n" + COPY + STATEMENTS + "Sincerely,\n\nJonas Reed\nBlue Harbor Software Inc.\n")
    assert read["complainant"]["name"] == "Jonas Reed" and read["signature"]["name"] == "Jonas Reed"
    assert read["complainant"]["organization"] == "Blue Harbor Software Inc."


@pytest.mark.parametrize(
    ("closing", "name"),
    [
        # A redacted name between double slashes signs; "//signed//" is a mark, the name is under it.
        ("//[private]//\n\nYours faithfully,\n\nHarbor Brand Services Company\n", "[private]"),
        ("//signed//\nMina Sato\n", "Mina Sato"),
        # A signature heading with words after it ("for the claim") and the name under it.
        ("DIGITAL SIGNATURE FOR THE CLAIM\n[private]\nHarbor Brand Services Company\n", "[private]"),
    ],
)
def test_signature_marks_and_headings(closing: str, name: str) -> None:
    assert (fields("Dear Sir,\n\n" + COPY + STATEMENTS + closing).get("signature") or {}).get("name") == name


# --- the signer's name, tidied; the organisation beside it ----------------------------------------------------------


@pytest.mark.parametrize(
    ("closing", "name", "organization"),
    [
        # "Sincerely" under "My signature follows:" is the closing, not a name.
        ("My electronic signature follows:\nSincerely,\n[private]\nHarbor Watch, Inc.\n", "[private]", "Harbor Watch, Inc."),
        # One redacted signer with a redacted title and company beside the name.
        ("Regards,\n[private] – [private] - [private]\n", "[private]", None),
        # Whom they sign for, or their title after a bar, is not their name.
        ("Kind regards,\nJonas Reed (on behalf of [private], Tidewater Games Ltd.)\n", "Jonas Reed", None),
        ("Kind regards,\nJonas Reed | Counsel | Tidewater Games\n", "Jonas Reed", None),
        # "Submitted by" closes the letter; the contact block under "Contact for enquiries:" does not sign it.
        (
            "Submitted by\nMina Sato\nFor and on behalf of\nHarbour Data Limited\nContact for enquiries:\n[private]\nTel: [private]\n",
            "Mina Sato",
            "Harbour Data Limited",
        ),
    ],
)
def test_the_signers_name_is_tidied_and_the_company_kept_apart(closing: str, name: str, organization: str | None) -> None:
    read = fields("Dear Sir,\n\n" + COPY + STATEMENTS + closing)
    assert read["signature"]["name"] == name and read["complainant"]["name"] == name
    assert read["complainant"].get("organization") == organization


def test_a_labelled_organisation_name_stops_before_as_agent() -> None:
    text = (
        "Dear Sir,\n\nMy contact information is as follows:\n"
        "Organization name: Harbor Watch Corporation as agent for the rights holders listed below\n\n"
        + COPY
        + STATEMENTS
        + "Sincerely,\n[private]\n"
    )
    assert fields(text)["complainant"]["organization"] == "Harbor Watch Corporation"


def test_a_heading_over_the_sentence_about_the_work_is_no_part_of_it() -> None:
    text = (
        "Identification of Copyrighted Work\nThe copyrighted work at issue is the user manual on our site and its pages.\n\n"
        + COPY
        + STATEMENTS
        + "Regards,\nMarta Quell\n"
    )
    assert description(text) == "The user manual on our site and its pages."


FORM_OWNER = "**Are you the copyright holder or authorized to act on the copyright owner's behalf?**\n\n{owner}\n\n"
FORM_WORK = "**Please provide a detailed description of the original copyrighted work that has allegedly been infringed.**\n\n{work}\n\n"
FORM_FILES = "**What files should be taken down? Please provide URLs for each file.**\n\nhttps://github.com/borrower/harbour-pack\n\n"
FORM_NAME = "**Please type your full legal name below to sign this request.**\n\n[private]\n"


def test_a_redacted_role_in_the_first_person_is_the_owner() -> None:
    text = (
        FORM_OWNER.format(owner="Yes - I'm the [private].")
        + FORM_WORK.format(work="Our boat models.")
        + FORM_FILES
        + STATEMENTS
        + FORM_NAME
    )
    assert fields(text)["complainant"]["relationship"] == "owner"


def test_the_works_url_alone_is_its_url_not_its_description() -> None:
    text = (
        FORM_OWNER.format(owner="Yes, I am the copyright holder.")
        + FORM_WORK.format(work="https://harbour-models.example/pack")
        + FORM_FILES
        + STATEMENTS
        + FORM_NAME
    )
    (work,) = fields(text)["works"]
    assert work == {"urls": ["https://harbour-models.example/pack"]}


def test_the_company_over_an_attn_line_is_the_organisation() -> None:
    text = (
        "Dear Sir,\n\n"
        + COPY
        + "Notifying Party\nKestrel Learning Limited\nAttn: [private]\n[private]\n[private]\n\n"
        + STATEMENTS
        + "I have read the guide to notices.\n"
    )
    read = fields(text)
    assert read["complainant"]["organization"] == "Kestrel Learning Limited"
    assert read["signature"]["name"] == "[private]"  # without "Attn:"


@pytest.mark.parametrize(
    ("closing", "name"),
    [
        # A contact line of the closing block is no signer's name.
        (
            "I may be contacted at:\n\n[private]\nHarbour Prints, LLC\n[private]\n[private]\n\nEmail: [private]\nVoice: [private]\n",
            "[private]",
        ),
        # A company with its legal form after a comma is a company, not "Harbour Prints" signing.
        ("Sincerely,\n\nHarbour Prints, LLC\n", None),
        ("Regards,\n\nHarbour Prints SA\n3 rue Claire, 75002 Paris\nTél: +33 (0) 1 40 00 00 00\n", None),
        # "/S/:" and a parenthesis after the name.
        ("Truthfully,\n/S/: [private]\n", "[private]"),
        ("Sincerely,\n\n[private] (authorized by Harbour Prints Co., Ltd.)\n", "[private]"),
    ],
)
def test_a_contact_line_or_a_note_beside_the_name_is_no_part_of_it(closing: str, name: str | None) -> None:
    read = fields("Dear Sir,\n\n" + COPY + STATEMENTS + closing)
    assert (read.get("signature") or {}).get("name") == name


@pytest.mark.parametrize(
    ("lines", "organization"),
    [
        (
            "Name and Title of the author of the Notice: [private], Head of Products\n"
            "Company of the author of the Notice: Harbour Prints Ltd\n",
            "Harbour Prints Ltd",
        ),
        ("Regards,\n\n[private]\n\n--\n[private]\nRights Administrator | Harbour Publishing | harbour.example\n", "Harbour Publishing"),
    ],
)
def test_the_organisation_is_the_companys_name_alone(lines: str, organization: str) -> None:
    assert fields("Dear Sir,\n\n" + COPY + STATEMENTS + lines)["complainant"]["organization"] == organization


def test_a_labelled_company_address_is_the_street_without_its_label() -> None:
    text = "Dear Sir,\n\n" + COPY + STATEMENTS + "Regards,\nMina Sato\n- Company Address: 18 Harbour Road, Wuhan\n"
    assert fields(text)["complainant"]["address"]["street"].startswith("18 Harbour Road")
