"""Claim fields a letter (not GitHub's form) gives in its own layout: a one-line postal address split into the
form's parts, the organisation named before the street, and several works numbered one an item. Short synthetic
texts in our own words; the address shapes as table rows."""

from __future__ import annotations

from typing import Any

import pytest

from ipclaims.notices import read_notice
from ipclaims.notices.address import place_of, split_one_line
from tests.notices.test_fields_extract import STATEMENTS

LETTER = """Dear Designated Agent,

I own the copyrights in these works:
1. "Harbour Lights", a photograph, published at https://lumen.example/photos/harbour
2. "Night Ferry", a photograph, published at
   https://lumen.example/photos/ferry
3. "Old Pier", a short video, published at https://lumen.example/videos/pier

The following copies infringe them:
https://platform.example/u/copycat/posts/1001
https://platform.example/u/copycat/posts/1002

{statements}
Dana Reyes
{address}
dana@lumen.example, +1 503 555 0100
/s/ Dana Reyes
"""


def letter(address: str = "Lumen Photo, 12 Quay Street, Portland, OR 97201, United States") -> dict[str, Any]:
    return read_notice(LETTER.format(statements=STATEMENTS, address=address), kind="claim").fields


@pytest.mark.parametrize(
    ("line", "parts"),
    [
        ("12 Quay Street, Portland, OR 97201, United States", ("12 Quay Street", "Portland", "OR", "97201", "US")),
        (
            "Suite 400, 500 Market St., San Francisco, CA 94105-1234, U.S.A.",
            ("Suite 400, 500 Market St.", "San Francisco", "CA", "94105-1234", "US"),
        ),
        ("1 Main Street, New York, NY 10001", ("1 Main Street", "New York", "NY", "10001", "US")),
        ("P.O. Box 466, Lebanon, NH 03766", ("P.O. Box 466", "Lebanon", "NH", "03766", "US")),
        ("Musterstraße 5, 10115 Berlin, Germany", ("Musterstraße 5", "Berlin", None, "10115", "DE")),
        ("1, Primrose St, London, United Kingdom, EC2A 2EX", ("1, Primrose St", "London", None, "EC2A 2EX", "GB")),
        (
            "4 Broadway Avenue, Giffard Park, Milton Keynes, MK14 5QF, United Kingdom",
            ("4 Broadway Avenue, Giffard Park", "Milton Keynes", None, "MK14 5QF", "GB"),
        ),
    ],
)
def test_a_one_line_address_is_split_into_the_forms_parts(line: str, parts: tuple[str | None, ...]) -> None:
    got = split_one_line(line)
    assert got is not None
    assert (got.get("street"), got.get("city"), got.get("region"), got.get("postal_code"), got.get("country")) == parts


@pytest.mark.parametrize(
    "line",
    [
        "2215 Renaissance Drive",  # a street alone
        "33/F, Mingcheng Center, No.98, Furong Middle Road, Furong District, Hunan, China",  # no shape we can be sure of
        "Portland, OR 97201",  # no street with a number before the city
        "Rights Co, Legal Department, New York",
    ],
)
def test_a_line_that_could_be_read_two_ways_is_left_whole(line: str) -> None:
    assert split_one_line(line) is None


@pytest.mark.parametrize(
    ("line", "place"),
    [
        ("Portland, OR 97201", {"city": "Portland", "region": "OR", "postal_code": "97201", "country": "US"}),
        ("Springfield IL 62701", {"city": "Springfield", "region": "IL", "postal_code": "62701", "country": "US"}),
        ("10115 Berlin, Germany", {"city": "Berlin", "postal_code": "10115", "country": "DE"}),
        ("London, SW1A 2AA", {"city": "London", "postal_code": "SW1A 2AA"}),
        ("Berlin", None),
        ("UK, MK14 5QF", None),  # a country is no city
    ],
)
def test_an_addresss_second_line_gives_city_region_and_postal_code(line: str, place: dict[str, str] | None) -> None:
    assert place_of(line) == place


def test_a_letters_closing_address_fills_every_part_and_names_the_organisation() -> None:
    complainant = letter()["complainant"]
    assert complainant["address"] == {
        "street": "12 Quay Street",
        "city": "Portland",
        "region": "OR",
        "postal_code": "97201",
        "country": "US",
    }
    assert complainant["organization"] == "Lumen Photo"


def test_the_signers_own_name_before_the_street_is_no_organisation() -> None:
    complainant = letter("Dana Reyes, 12 Quay Street, Portland, OR 97201")["complainant"]
    assert "organization" not in complainant
    assert complainant["address"]["street"] == "12 Quay Street"


def test_a_two_line_address_splits_its_second_line() -> None:
    address = letter("12 Quay Street\nPortland, OR 97201")["complainant"]["address"]
    assert address == {"street": "12 Quay Street", "city": "Portland", "region": "OR", "postal_code": "97201", "country": "US"}


def test_works_numbered_in_a_letter_are_one_work_each_with_title_and_description() -> None:
    works = letter()["works"]
    assert [(w["title"], w["urls"], w.get("description")) for w in works] == [
        ("Harbour Lights", ["https://lumen.example/photos/harbour"], "a photograph"),
        ("Night Ferry", ["https://lumen.example/photos/ferry"], "a photograph"),
        ("Old Pier", ["https://lumen.example/videos/pier"], "a short video"),
    ]


def test_items_that_pair_a_copy_with_its_original_are_not_a_list_of_works() -> None:
    text = (
        "The copyrighted work is the text of our task pages.\n\n"
        '1) Link: https://platform.example/u/copycat/posts/1001\nText starting from: "Given a set of points"\n'
        "original content: https://rights.example/tasks/points\n\n"
        '2) Link: https://platform.example/u/copycat/posts/1002\nText starting from: "Given a table"\n'
        "original content: https://rights.example/tasks/tables\n\n" + STATEMENTS + "\nRights Co\n/s/ Ada Rights\n"
    )
    works = read_notice(text, kind="claim").fields.get("works") or []
    assert all("title" not in w for w in works)


def test_i_own_the_copyrights_makes_the_sender_the_owner() -> None:
    assert letter()["complainant"]["relationship"] == "owner"
