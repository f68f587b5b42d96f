"""A postal address written on one line, split into the claim's address fields.

Letters often close with "Lumen Photo, 12 Quay Street, Portland, OR 97201, United States": the intake form has a
field for each part, and a specialist should not have to cut the line up by hand. Only shapes that cannot be read
two ways are split — a US "City, ST 12345" (ZIP or ZIP+4), a UK postcode as its own part or after its city
("London EC4A 1AA"), or a continental "12345 City" — each after a street part with a house number; the country only
when it is named in full or as a common short form (ISO 3166-1 alpha-2, as the form asks). Anything else stays one
street line, as read.
"""

from __future__ import annotations

import re

_US_CITY = re.compile(r"^(?P<city>[A-Z][A-Za-z .'-]{1,30}?),?\s+(?P<region>[A-Z]{2})\.?\s+(?P<postal>\d{5}(?:-\d{4})?)$")
_US_REGION_ZIP = re.compile(r"^(?P<region>[A-Z]{2})\.?\s+(?P<postal>\d{5}(?:-\d{4})?)$")
_UK_POSTCODE = re.compile(r"^(?P<postal>[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2})$")
# "London EC4A 1AA": a UK city and its postcode in one part.
_UK_CITY_POSTCODE = re.compile(r"^(?P<city>[A-Z][A-Za-z .'-]{1,30}?)\s+(?P<postal>[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2})$")
_EU_CITY = re.compile(r"^(?P<postal>\d{4,5})\s+(?P<city>[A-ZÄÖÜÉÈ][\w .'-]{1,30})$")
_HOUSE_NUMBER = re.compile(r"\d")
_CITY_NAME = re.compile(r"^[A-Z][A-Za-z .'-]{1,30}$")

COUNTRIES = {
    "united states": "US",
    "united states of america": "US",
    "usa": "US",
    "u.s.a.": "US",
    "us": "US",
    "u.s.": "US",
    "united kingdom": "GB",
    "uk": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "canada": "CA",
    "germany": "DE",
    "deutschland": "DE",
    "france": "FR",
    "netherlands": "NL",
    "the netherlands": "NL",
    "belgium": "BE",
    "spain": "ES",
    "italy": "IT",
    "ireland": "IE",
    "austria": "AT",
    "switzerland": "CH",
    "sweden": "SE",
    "denmark": "DK",
    "norway": "NO",
    "finland": "FI",
    "poland": "PL",
    "portugal": "PT",
    "czech republic": "CZ",
    "australia": "AU",
    "new zealand": "NZ",
    "japan": "JP",
    "singapore": "SG",
    "india": "IN",
    "china": "CN",
    "hong kong": "HK",
    "taiwan": "TW",
    "south korea": "KR",
    "israel": "IL",
    "brazil": "BR",
    "mexico": "MX",
}


def split_one_line(line: str) -> dict[str, str] | None:
    """The parts of a one-line address, or None when the line is not one of the shapes above."""
    parts, country = _without_country(line)
    if len(parts) < 2:
        return None
    found = _place(parts)
    if found is None:
        return None
    street_parts, place = found
    street = ", ".join(street_parts)
    if not street_parts or not _HOUSE_NUMBER.search(street):
        return None
    out = {"street": street, **place}
    if country is None and "region" in place and _US_REGION_ZIP.match(f"{place['region']} {place['postal_code']}"):
        country = "US"  # a two-letter state and a ZIP code
    if country is not None:
        out["country"] = country
    return out


def _country(part: str) -> str | None:
    return COUNTRIES.get(part.lower()) or COUNTRIES.get(part.lower().rstrip("."))


def _without_country(line: str) -> tuple[list[str], str | None]:
    """The line's comma-separated parts without the country, and the country's code: the last part, or the one
    before a trailing postcode ("London, United Kingdom, EC2A 2EX")."""
    parts = [p for p in (p.strip(" \t;") for p in line.split(",")) if p]
    for i in (len(parts) - 1, len(parts) - 2):
        if i >= 0 and (code := _country(parts[i])) is not None and (i == len(parts) - 1 or _UK_POSTCODE.match(parts[-1])):
            return parts[:i] + parts[i + 1 :], code
    return parts, None


def _place(parts: list[str]) -> tuple[list[str], dict[str, str]] | None:
    """The street parts and the city/region/postal code read from the last one or two parts."""
    last = parts[-1]
    us = _US_CITY.match(last)
    if us:
        return parts[:-1], {"city": us["city"].strip(), "region": us["region"], "postal_code": us["postal"]}
    us_split = _US_REGION_ZIP.match(last)
    if us_split and len(parts) >= 3 and _CITY_NAME.match(parts[-2]):
        return parts[:-2], {"city": parts[-2], "region": us_split["region"], "postal_code": us_split["postal"]}
    uk = _UK_POSTCODE.match(last)
    if uk and len(parts) >= 3 and _CITY_NAME.match(parts[-2]):
        return parts[:-2], {"city": parts[-2], "postal_code": uk["postal"]}
    uk_city = _UK_CITY_POSTCODE.match(last)
    if uk_city:
        return parts[:-1], {"city": uk_city["city"].strip(), "postal_code": uk_city["postal"]}
    eu = _EU_CITY.match(last)
    if eu:
        return parts[:-1], {"city": eu["city"].strip(), "postal_code": eu["postal"]}
    return None


def place_of(line: str) -> dict[str, str] | None:
    """The city, region, postal code and country of an address's second line ("Portland, OR 97201[, USA]")."""
    parts, country = _without_country(line)
    if not parts:
        return None
    found = _place(["", *parts]) if len(parts) <= 2 else None
    if found is None or any(found[0][1:]):
        return None
    place = found[1]
    if country is None and "region" in place:
        country = "US"
    return {**place, **({"country": country} if country else {})}
