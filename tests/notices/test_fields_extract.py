"""Table tests of the claim fields read from a notice's text (fields.py, extract.py), one row per flaw seen on real
notices: short synthetic texts in our own words."""

from __future__ import annotations

import re
from typing import Any

import pytest

from ipclaims.notices import read_notice

GOOD_FAITH = "I have a good faith belief that this use is not authorized by the copyright owner, its agent, or the law.\n"
PERJURY = (
    "I swear, under penalty of perjury, that the information in this notification is accurate and that I am the copyright "
    "owner, or am authorized to act on behalf of the owner, of an exclusive right that is allegedly infringed.\n"
)
STATEMENTS = GOOD_FAITH + PERJURY


def fields(text: str) -> dict[str, Any]:
    return read_notice(text, kind="claim").fields


def street(text: str) -> str | None:
    return ((fields(text).get("complainant") or {}).get("address") or {}).get("street")


def work(text: str) -> dict[str, Any]:
    return (fields(text).get("works") or [{}])[0]


def items(text: str) -> list[str]:
    return [i["url"] for i in fields(text).get("items", [])]


def form(**answers: str) -> str:
    """A notice in the web form's shape: bold questions, each answered below."""
    questions = {
        "owner": "Are you the copyright holder or authorized to act on the copyright owner's behalf?",
        "work": "Please provide a detailed description of the original copyrighted work that has allegedly been infringed.",
        "files": "What files should be taken down? Please provide URLs for each file, or if the entire repository, the repository's URL.",
        "license": "Is the work licensed under an open source license?",
        "contact": "So that we can get back to you, please provide either your telephone number or physical address.",
        "name": "Please type your full legal name below to sign this request.",
    }
    body = "".join(f"**{questions[key]}**\n\n{value}\n\n" for key, value in answers.items())
    return body + STATEMENTS


# --- the street address --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A one-line contact with the sender's name first, and phone and mail after the address.
        (
            "Copies of my song lyrics are at https://github.com/lyric-bin/all/blob/main/rain.txt\n\n"
            + STATEMENTS
            + "Contact: Mira Olsen, 44 Quarry Lane, Bristol, BS1 4QT, phone +44 117 496 0000, mira@olsen-songs.example\n\n/s/ Mira Olsen\n",
            "44 Quarry Lane",  # Bristol and BS1 4QT go to the city and postcode (test_fields_letters.py)
        ),
        # A letterhead whose house number and street name carry no street word ("107 Fenwick").
        (
            "Our tutorial text was copied to https://github.com/copier/tutorials\n\n"
            + STATEMENTS
            + "Best regards,\n\nTomas Ruiz\n\nNorthwind Learning Limited\n\n77 Fenwick\n\nLondon\n\nEC1A 1BB\n",
            "77 Fenwick",
        ),
        # A German street written as one word, and a postcode line after it (not the street).
        (
            "The font files at https://github.com/fontdump/pack infringe our typeface.\n\n"
            + STATEMENTS
            + "Kind regards,\nJana Vogel\nLetterwerk GmbH\nMuehlenstrasse 12\nDE-10115 Berlin\n",
            "Muehlenstrasse 12",
        ),
    ],
)
def test_the_street_is_the_street_line_without_a_lead_in(text: str, expected: str) -> None:
    assert street(text) == expected


def test_a_postcode_alone_is_no_street() -> None:
    text = "Our course notes are copied at https://github.com/notes-copy/x\n\n" + STATEMENTS + "Pat Lin\nSW1A 2AA\n"
    assert street(text) != "SW1A 2AA"


# --- the work's description ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The form's answer: its first paragraph, not the paragraph about the copy that follows.
        (
            form(
                owner="Yes, I am the copyright holder.",
                work="Glasswing, a set of icons we drew and sell: https://glasswing-icons.example/set\n\n"
                "A copy is offered for free on GitHub:\nhttps://github.com/freebies/glasswing",
                files="https://github.com/freebies/glasswing",
                name="Ada Brook",
            ),
            "Glasswing, a set of icons we drew and sell: https://glasswing-icons.example/set",
        ),
        # The older form spelling with underscores; the description is the answer, never the question.
        (
            "__What work was allegedly infringed? If possible, please provide a URL:__\n"
            "A recipe article I wrote and later took off my blog.\n\n"
            "__What files should be taken down? Please provide URLs for each file:__\n"
            "https://gist.github.com/someone/abc123\n\n"
            + STATEMENTS
            + "__Please type your full legal name below to sign this request:__\nLee Park\n",
            "A recipe article I wrote and later took off my blog.",
        ),
        # A letter: the greeting and the label before the work are not part of its description.
        (
            "Dear Sir or Madam,\nThis message is our notice of infringement.\n\n"
            "1. Identify the copyrighted work infringed: The work is our Lumen reporting add-on, sold to subscribers only.\n\n"
            "2. The copies are at https://github.com/leaker/lumen-addon\n\n" + STATEMENTS + "Signed,\nOskar Berg\n",
            "Our Lumen reporting add-on, sold to subscribers only.",  # without "The work is" (tests/notices/test_fields_signing.py)
        ),
    ],
)
def test_the_description_stops_where_the_work_stops(text: str, expected: str) -> None:
    assert work(text).get("description") == expected


def test_a_reported_url_alone_is_no_description_of_the_work() -> None:
    text = "Please remove my drawing from https://github.com/taker/art/blob/main/owl.png\n\n" + STATEMENTS + "Ines Mora\n"
    assert work(text).get("description") != "https://github.com/taker/art/blob/main/owl.png"


# --- the work's own URL is not a reported item ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "work_urls", "reported"),
    [
        # The original on the sender's own site, named as "download a copy to compare".
        (
            "Our work being infringed is Quill 3 (you may download a copy to compare here: http://downloads.quill.example/)\n"
            "The infringing copy is at https://github.com/forker/quill-strip/tree/main/src\n\n" + STATEMENTS + "Rae Quill\n",
            ["http://downloads.quill.example/"],
            ["https://github.com/forker/quill-strip/tree/main/src"],
        ),
        # The original on the sender's mail domain, in a text with no platform URL at all.
        (
            "I own the copyright in the photograph (https://stillwater-photo.example/heron). "
            "A copy is shown without permission at https://board.example/u/x/post/7\n\n"
            + STATEMENTS
            + "Email: kim@stillwater-photo.example\n/s/ Kim Aro\n",
            ["https://stillwater-photo.example/heron"],
            ["https://board.example/u/x/post/7"],
        ),
        # The form's work answer names the original repository; its licence, cited elsewhere, is not reported either.
        (
            form(
                owner="I'm one of the copyright owners.",
                work="The Tern toolkit (https://github.com/tern-org/tern)",
                files="https://github.com/cloner/tern",
                license="Apache 2.0, see https://github.com/tern-org/tern/blob/main/LICENSE",
                name="Ola Tern",
            ),
            ["https://github.com/tern-org/tern"],
            ["https://github.com/cloner/tern"],
        ),
        # A reported copy linked in the work answer as an example stays reported, never the work's.
        (
            form(
                owner="Yes, I am the copyright holder.",
                work="Our font Brisa: https://brisa-type.example/fonts/brisa\n\nIt is given away on GitHub here:\n"
                "https://github.com/fontfree/site/tree/main/fonts/brisa",
                files="https://github.com/fontfree/site/tree/main/fonts/brisa",
                name="Nils Brisa",
            ),
            ["https://brisa-type.example/fonts/brisa"],
            ["https://github.com/fontfree/site/tree/main/fonts/brisa"],
        ),
    ],
)
def test_the_works_own_url_is_not_reported(text: str, work_urls: list[str], reported: list[str]) -> None:
    assert work(text).get("urls") == work_urls
    assert items(text) == reported


@pytest.mark.parametrize(
    ("text", "reported"),
    [
        # The infringer's account given as "who they are" is not an item beside their repository.
        (
            "1. The infringing work appears at:\nhttps://github.com/copycat/engine-clone/\n\n"
            "2. The information of the alleged copyright infringer is:\nhttps://github.com/copycat\n\n"
            + STATEMENTS
            + "Signed,\nVera Holm\n",
            ["https://github.com/copycat/engine-clone/"],
        ),
        # The copyright office cited as proof is not a reported location.
        (
            "Our registered game scripts were leaked to https://github.com/leakz/perp-files\n"
            "Registration can be checked at http://www.copyright.gov/\n\n" + STATEMENTS + "Sam Rowe\n",
            ["https://github.com/leakz/perp-files"],
        ),
        # A repository written without its scheme in the form's answer.
        (
            form(
                owner="Yes, I am authorized to act on the copyright owner's behalf.", files="github.com/someone/printer-fw", name="Wu Lan"
            ),
            ["https://github.com/someone/printer-fw"],
        ),
    ],
)
def test_reported_items_are_the_copies_only(text: str, reported: list[str]) -> None:
    assert items(text) == reported


# --- who sends it --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The statutory statements say "its agent" and "authorized to act on behalf of the owner": not an agent.
        ("It's my work, copied at https://github.com/taker/font\n\n" + STATEMENTS + "Iris Dale\n", "owner"),
        (
            "Our firm represents Northwind Games in copyright matters. The copy: https://github.com/x/y\n\n" + STATEMENTS + "Al Ford\n",
            "agent",
        ),
        (form(owner="Yes, I am the copyright holder.", files="https://github.com/a/b", name="Bo Linn"), "owner"),
        (
            form(owner="Yes, I am authorized to act on the copyright owner's behalf.", files="https://github.com/a/b", name="Bo Linn"),
            "agent",
        ),
        ("Please remove https://github.com/a/b\n\n" + STATEMENTS + "Cy Moss\n", None),
    ],
)
def test_the_relationship_is_what_the_sender_says(text: str, expected: str | None) -> None:
    assert (fields(text).get("complainant") or {}).get("relationship") == expected


@pytest.mark.parametrize(
    ("signed", "name", "organization"),
    [
        ("/s/ Hana Ito", "Hana Ito", None),
        ("/Hana Ito/", "Hana Ito", None),
        ("Amended: Hana Ito", "Hana Ito", None),
        ("- Hana Ito", "Hana Ito", None),
        ("Hana Ito, Kestrel Systems Ltd", "Hana Ito", "Kestrel Systems Ltd"),
    ],
)
def test_a_signed_name_is_tidied(signed: str, name: str, organization: str | None) -> None:
    text = form(owner="Yes, I am the copyright holder.", files="https://github.com/a/b", name=signed)
    read = fields(text)
    assert read["complainant"]["name"] == name and read["signature"]["name"] == name
    assert read["complainant"].get("organization") == organization


@pytest.mark.parametrize(
    ("text", "organization"),
    [
        # The letterhead line just above the street.
        (
            "The copy is at https://github.com/c/d\n\n" + STATEMENTS + "Sincerely,\nRuth Amos\n\nBrightleaf Partners, LLC\n"
            "1200 Harbor Street, Suite 40\nOakland, CA 94607\n",
            "Brightleaf Partners, LLC",
        ),
        # "My name is ... of ..." at the start of a letter.
        (
            "My name is Omar Diaz of Cobalt Semiconductor Inc. and I write about https://github.com/e/f\n\n" + STATEMENTS + "Omar Diaz\n",
            "Cobalt Semiconductor Inc.",
        ),
    ],
)
def test_the_organisation_is_read(text: str, organization: str) -> None:
    assert fields(text)["complainant"].get("organization") == organization


def test_a_date_written_as_the_nth_day_of_a_month_signs_the_notice() -> None:
    text = "The copy: https://github.com/g/h\n\n" + STATEMENTS + "Signed this 3rd day of March, 2015 in Lisbon\n/s/ Rita Sousa\n"
    assert fields(text)["signature"] == {"name": "Rita Sousa", "date": "2015-03-03"}


@pytest.mark.parametrize(
    ("answer", "titles"),
    [
        ("Our two kits:\nNova Kit - https://kits.example/nova\nOrbit Kit - https://kits.example/orbit", ["Nova Kit", "Orbit Kit"]),
        # Two addresses of one book are one work.
        ("The novel Salt Road.\n-Shop url: https://books.example/salt-road\n-Author site: https://author.example/salt-road", [None]),
    ],
)
def test_works_listed_one_a_line_are_separate_works(answer: str, titles: list[str | None]) -> None:
    text = form(owner="Yes, I am the copyright holder.", work=answer, files="https://github.com/copy/kits", name="Eli Shaw")
    works = fields(text)["works"]
    assert [w.get("title") for w in works] == titles
    assert sorted(u for w in works for u in w["urls"]) == sorted(re.findall(r"https://\S+", answer))
