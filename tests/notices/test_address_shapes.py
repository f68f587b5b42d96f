"""Postal addresses as senders write them on one line (or two), split into the form's street, city, region, postal
code and country (ISO 3166-1 alpha-2). Each row an address made up for the test; the shapes are the common written
ones, and a line in no shape the reader can be sure of stays one street line."""

from __future__ import annotations

import pytest

from ipclaims.notices import read_notice
from ipclaims.notices.address import country_code, place_of, split_one_line

Parts = tuple[str | None, str | None, str | None, str | None, str | None]


def parts(found: dict[str, str] | None) -> Parts | None:
    if found is None:
        return None
    return (found.get("street"), found.get("city"), found.get("region"), found.get("postal_code"), found.get("country"))


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # United States: a state's code or name, ZIP or ZIP+4, the country named or implied
        ("77 Orchard Row, Dayton, OH 45402", ("77 Orchard Row", "Dayton", "OH", "45402", "US")),
        ("9 Kettle Pond Rd, Apt 2B, Burlington, VT 05401-2211, USA", ("9 Kettle Pond Rd, Apt 2B", "Burlington", "VT", "05401-2211", "US")),
        ("310 Pine Street, Boise Idaho 83702", ("310 Pine Street", "Boise", "Idaho", "83702", "US")),
        ("41 Marsh Lane, Tulsa, OK, 74103.", ("41 Marsh Lane", "Tulsa", "OK", "74103", "US")),
        ("18 Lantern Court, Mesa AZ 85201 United States", ("18 Lantern Court", "Mesa", "AZ", "85201", "US")),
        ("500 K Street NW, Washington, D.C. 20005", ("500 K Street NW", "Washington", "DC", "20005", "US")),
        ("62 Cedar Ave, Albany, N.Y., 12207 U.S.A.", ("62 Cedar Ave", "Albany", "NY", "12207", "US")),
        ("3 Foundry Way, St. Paul, MN 55101", ("3 Foundry Way", "St. Paul", "MN", "55101", "US")),
        # United Kingdom: the postcode after its city, with or without a comma; the country only when named
        ("14 Rook Street, Leeds LS1 4AP", ("14 Rook Street", "Leeds", None, "LS1 4AP", None)),
        ("Flat 3, 22 Mill Road, Bristol, BS3 1QT, England", ("Flat 3, 22 Mill Road", "Bristol", None, "BS3 1QT", "GB")),
        # Continental Europe: the postal code before the city, in each country's form
        ("Lindenweg 12, 80331 München, Deutschland", ("Lindenweg 12", "München", None, "80331", "DE")),
        ("Gartenstrasse 4, CH-3011 Bern", ("Gartenstrasse 4", "Bern", None, "3011", "CH")),
        ("Prinsengracht 90, 1015 DX Amsterdam, Netherlands", ("Prinsengracht 90", "Amsterdam", None, "1015 DX", "NL")),
        ("ul. Polna 7, 31-155 Kraków, Poland", ("ul. Polna 7", "Kraków", None, "31-155", "PL")),
        ("Storgatan 8, 411 38 Göteborg, SE", ("Storgatan 8", "Göteborg", None, "411 38", "SE")),
        ("Rua das Flores 20, 4050-262 Porto, Portugal", ("Rua das Flores 20", "Porto", None, "4050-262", "PT")),
        ("5 rue du Moulin, 69002 Lyon", ("5 rue du Moulin", "Lyon", None, "69002", None)),
        ("Via Roma 3, 10121 Torino, Italia", ("Via Roma 3", "Torino", None, "10121", "IT")),
        # The Nordic way of the complaint: the city before its postal code, the country named (here in its own name)
        ("4 Birch Lane, Tromsø 9008, Norway", ("4 Birch Lane", "Tromsø", None, "9008", "NO")),
        ("Havnegade 11, Aarhus 8000, Danmark", ("Havnegade 11", "Aarhus", None, "8000", "DK")),
        ("Kauppakatu 5, Tampere 33200, Suomi", ("Kauppakatu 5", "Tampere", None, "33200", "FI")),
        # Singapore: the city-state and its six-digit code
        ("8 Jurong Crescent, #04-12, Singapore 609871", ("8 Jurong Crescent, #04-12", "Singapore", None, "609871", "SG")),
        ("8 Jurong Crescent, 609871 Singapore", ("8 Jurong Crescent", "Singapore", None, "609871", "SG")),
        # Canada and Australia: the province or state with its postal code implies the country
        ("220 Spruce Road, Halifax, NS B3H 1Y6", ("220 Spruce Road", "Halifax", "NS", "B3H 1Y6", "CA")),
        ("7 Maple Cres, Kingston ON K7L3N6, Canada", ("7 Maple Cres", "Kingston", "ON", "K7L 3N6", "CA")),
        ("15 Wattle Street, Geelong VIC 3220", ("15 Wattle Street", "Geelong", "VIC", "3220", "AU")),
        ("Unit 4, 9 Reef Parade, Cairns, Queensland 4870, Australia", ("Unit 4, 9 Reef Parade", "Cairns", "Queensland", "4870", "AU")),
        # Japan and China where the English form is simple: the city, its postal code, the country
        ("12F, 3-4-5 Minato, Chuo-ku, Osaka, 540-0001 Japan", ("12F, 3-4-5 Minato, Chuo-ku", "Osaka", None, "540-0001", "JP")),
        (
            "Room 808, 66 Lotus Road, Xuhui District, Shanghai 200030, P.R. China",
            ("Room 808, 66 Lotus Road, Xuhui District", "Shanghai", None, "200030", "CN"),
        ),
        ("No. 9, Lane 12, Dongmen Road, Taichung 40401, Taiwan", ("No. 9, Lane 12, Dongmen Road", "Taichung", None, "40401", "TW")),
    ],
)
def test_a_written_address_is_split_into_the_forms_parts(line: str, expected: Parts) -> None:
    assert parts(split_one_line(line)) == expected


@pytest.mark.parametrize(
    "line",
    [
        "4 Birch Lane, Tromsø 9008",  # a city before four digits, no country: could be many things
        "19 Quarry Road, Springfield 62701",
        "12 Bay Street, Portland, OR 97201, Canada",  # the state says one country, the last part another
        "6 Pier Street, Lyon, FR 69002",  # FR is no US state
        "2/10 River Road Ballarat, Victoria 3350, Australia",  # a state and its code, the city not set apart
        "31 Hill Street, Fairview Business Park, Cork, Ireland",  # no postal code
        "Lotus Tower, Hi-tech Park, Nanshan District, Shenzhen, Guangdong, China",
        "Block C, Sector 9, Lucknow U.P. 226001, India",  # the state's initials, not a city
        "Dayton, OH 45402",  # no street with a house number
        "Ferry Terminal Building, Leeds LS1 4AP",
    ],
)
def test_a_line_in_no_shape_the_reader_is_sure_of_is_left_whole(line: str) -> None:
    assert split_one_line(line) is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Tromsø 9008, Norway", ("Tromsø", None, "9008", "NO")),
        ("Halifax, NS, B3H 1Y6", ("Halifax", "NS", "B3H 1Y6", "CA")),
        ("Dayton OH 45402", ("Dayton", "OH", "45402", "US")),
        ("Singapore 609871", ("Singapore", None, "609871", "SG")),
        ("Norway", None),
        ("Tromsø", None),
        ("Tasmania 7000, Australia", None),  # the state, no city
    ],
)
def test_an_addresss_second_line_gives_its_place(line: str, expected: tuple[str | None, ...] | None) -> None:
    found = place_of(line)
    got = None if found is None else (found.get("city"), found.get("region"), found.get("postal_code"), found.get("country"))
    assert got == expected


@pytest.mark.parametrize(
    ("name", "code"),
    [("Norway", "NO"), ("Norge", "NO"), ("NO", "NO"), ("Deutschland", "DE"), ("Österreich", "AT"), ("Sverige", "SE"),
     ("U.S.A.", "US"), ("UK", "GB"), ("Schweiz", "CH"), ("España", "ES"), ("日本", "JP"), ("PRC", "CN"),
     ("Atlantis", None), ("no", None)],
)  # fmt: skip
def test_a_country_as_written_is_its_iso_code(name: str, code: str | None) -> None:
    assert country_code(name) == code


COUNTER = (
    "To the designated agent,\n\n"
    "The repository https://github.com/quietfox/harbour-maps was disabled. I swear, under penalty of perjury, that I have a "
    "good faith belief that the material was removed or disabled as a result of mistake or misidentification of the "
    "material to be removed or disabled.\n\n"
    "I consent to the jurisdiction of the Federal District Court for the judicial district in which my address is located, "
    "or if my address is outside of the United States, any judicial district in which the service provider may be found, "
    "and I will accept service of process from the person who provided notification or an agent of such person.\n\n"
    "Name: Sigrid Lunde\n{contact}\nPhone: +47 400 12 345\n\n/s/ Sigrid Lunde\n"
)


TROMSO = {"street": "4 Birch Lane", "city": "Tromsø", "postal_code": "9008", "country": "NO"}


@pytest.mark.parametrize(
    ("contact", "address"),
    [
        ("Address: 4 Birch Lane, Tromsø 9008, Norway", TROMSO),
        ("Address: 4 Birch Lane\nTromsø 9008, Norway", TROMSO),
        ("Address: 4 Birch Lane\n\nTromsø 9008\n\nNorway", TROMSO),  # a double-spaced letter
        ("Address: 4 Birch Lane\n\n\nTromsø 9008, Norway", {"street": "4 Birch Lane"}),  # a paragraph apart: not its place
        (
            "Address: 220 Spruce Road\nHalifax, NS\nB3H 1Y6",
            {"street": "220 Spruce Road", "city": "Halifax", "region": "NS", "postal_code": "B3H 1Y6", "country": "CA"},
        ),
        (
            "Address: 77 Orchard Row\nDayton OH 45402\nUSA",
            {"street": "77 Orchard Row", "city": "Dayton", "region": "OH", "postal_code": "45402", "country": "US"},
        ),
        ("Address: 4 Birch Lane, Tromsø, Norway", {"street": "4 Birch Lane, Tromsø, Norway"}),  # no postal code: as written
    ],
)
def test_a_counter_notices_address_fills_the_subscribers_parts(contact: str, address: dict[str, str]) -> None:
    reading = read_notice(COUNTER.format(contact=contact), kind="counter_notice")
    assert reading.fields["subscriber"]["address"] == address
