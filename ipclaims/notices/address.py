"""A postal address written on one line (or two), split into the claim's address fields.

Letters often close with "Lumen Photo, 12 Quay Street, Portland, OR 97201, United States", a counter-notice with
"Address: 4 Birch Lane, Tromsø 9008, Norway": the form has a field for each part, its check wants street, city and
country, and a specialist should not have to cut the line up by hand. Only the common written shapes are split, and
only where they cannot be read two ways, each after a street part with a house number:

- US "City, ST 12345[-6789]" (a state's code or name, "D.C."), also with the ZIP code after its own comma;
- Canada "City, ON K1A 0B1" and Australia "City NSW 2000" (a province's or state's code or name);
- UK "City EC4A 1AA" or "City, EC4A 1AA";
- continental "12345 City" (also "D-12345", "114 55", "00-950", "1000-001", "1012 AB");
- a city before its postal code ("Tromsø 9008", "Tokyo, 150-8510", "Beijing 100193", "Singapore 079903"), only
  with the country named (or the city being Singapore): alone, "City 9008" could be many things.

The country is the last part (or the words after a postal code, "Nashua NH 03060 USA"), named in English, in its
own language or by its ISO 3166-1 alpha-2 code, and given as that code, as the form asks; a US state, a Canadian
province or an Australian state with its postal code, a continental prefix ("D-") or Singapore imply theirs. A named
country that contradicts the shape leaves the line whole. Anything else stays one street line, as read: a table
here, nothing looked up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# ISO 3166-1 alpha-2 → the names a sender writes: English, the country's own, common short forms.
_NAMES: dict[str, tuple[str, ...]] = {
    "US": ("united states", "united states of america", "usa", "u.s.a", "u.s", "america"),
    "GB": ("united kingdom", "uk", "u.k", "great britain", "britain", "england", "scotland", "wales", "northern ireland"),
    "CA": ("canada",),
    "AU": ("australia",),
    "NZ": ("new zealand", "aotearoa"),
    "IE": ("ireland", "republic of ireland", "éire", "eire"),
    "DE": ("germany", "deutschland", "federal republic of germany"),
    "AT": ("austria", "österreich", "oesterreich"),
    "CH": ("switzerland", "schweiz", "suisse", "svizzera"),
    "LI": ("liechtenstein",),
    "FR": ("france",),
    "BE": ("belgium", "belgië", "belgie", "belgique", "belgien"),
    "NL": ("netherlands", "the netherlands", "nederland", "holland"),
    "LU": ("luxembourg", "luxemburg"),
    "ES": ("spain", "españa", "espana"),
    "PT": ("portugal",),
    "IT": ("italy", "italia"),
    "MT": ("malta",),
    "GR": ("greece", "hellas", "ελλάδα"),
    "CY": ("cyprus",),
    "NO": ("norway", "norge", "noreg"),
    "SE": ("sweden", "sverige"),
    "DK": ("denmark", "danmark"),
    "FI": ("finland", "suomi"),
    "IS": ("iceland", "ísland"),
    "EE": ("estonia", "eesti"),
    "LV": ("latvia", "latvija"),
    "LT": ("lithuania", "lietuva"),
    "PL": ("poland", "polska"),
    "CZ": ("czech republic", "czechia", "česko", "česká republika", "ceska republika"),
    "SK": ("slovakia", "slovensko", "slovak republic"),
    "HU": ("hungary", "magyarország", "magyarorszag"),
    "SI": ("slovenia", "slovenija"),
    "HR": ("croatia", "hrvatska"),
    "RS": ("serbia", "srbija"),
    "RO": ("romania", "românia"),
    "BG": ("bulgaria", "българия"),
    "UA": ("ukraine", "україна"),
    "RU": ("russia", "russian federation", "россия"),
    "TR": ("turkey", "türkiye", "turkiye"),
    "IL": ("israel",),
    "AE": ("united arab emirates", "uae"),
    "IN": ("india", "bharat"),
    "PK": ("pakistan",),
    "CN": ("china", "p.r. china", "pr china", "p.r.china", "prc", "people's republic of china", "中国", "中华人民共和国"),
    "HK": ("hong kong", "hong kong sar", "香港"),
    "TW": ("taiwan", "台灣", "台湾"),
    "JP": ("japan", "nippon", "日本"),
    "KR": ("south korea", "korea", "republic of korea", "대한민국"),
    "SG": ("singapore", "republic of singapore"),
    "MY": ("malaysia",),
    "TH": ("thailand",),
    "VN": ("vietnam", "viet nam"),
    "PH": ("philippines",),
    "ID": ("indonesia",),
    "BR": ("brazil", "brasil"),
    "MX": ("mexico", "méxico"),
    "AR": ("argentina",),
    "CL": ("chile",),
    "CO": ("colombia",),
    "ZA": ("south africa",),
    "NG": ("nigeria",),
    "EG": ("egypt",),
}
COUNTRIES: dict[str, str] = {name: code for code, names in _NAMES.items() for name in names}
# A code alone as the last part ("10115 Berlin, DE"); "UK" is no ISO code but is written as one.
_CODES: dict[str, str] = {code: code for code in _NAMES} | {"UK": "GB"}

US_STATES: dict[str, str] = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California", "CO": "Colorado",
    "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky",
    "LA": "Louisiana", "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire",
    "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York", "NC": "North Carolina", "ND": "North Dakota",
    "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island",
    "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont",
    "VA": "Virginia", "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
    "PR": "Puerto Rico", "GU": "Guam", "VI": "Virgin Islands", "AS": "American Samoa", "MP": "Northern Mariana Islands",
}  # fmt: skip
CA_PROVINCES: dict[str, str] = {
    "AB": "Alberta", "BC": "British Columbia", "MB": "Manitoba", "NB": "New Brunswick", "NL": "Newfoundland and Labrador",
    "NS": "Nova Scotia", "NT": "Northwest Territories", "NU": "Nunavut", "ON": "Ontario", "PE": "Prince Edward Island",
    "QC": "Quebec", "SK": "Saskatchewan", "YT": "Yukon",
}  # fmt: skip
AU_STATES: dict[str, str] = {
    "NSW": "New South Wales", "VIC": "Victoria", "QLD": "Queensland", "SA": "South Australia",
    "WA": "Western Australia", "TAS": "Tasmania", "NT": "Northern Territory", "ACT": "Australian Capital Territory",
}  # fmt: skip
# The letter (or letters) written before a continental postal code ("D-10115 Berlin", "CH-8001 Zürich").
_POSTAL_PREFIX = {"D": "DE", "A": "AT", "F": "FR", "B": "BE", "I": "IT", "L": "LU", "E": "ES", "P": "PT", "S": "SE", "N": "NO"}

_SEP = r"(?:,[ \t]*|[ \t]+)"  # between the parts of a place: a comma, or only a space
_CITY = r"(?P<city>[^\W\d_][^\d,;:()<>@]{0,40}?)"


def _with_region(table: dict[str, str], postal: str) -> re.Pattern[str]:
    """ "City[,] REGION[,] POSTAL", the region by its code (in capitals, perhaps with full stops: "N.Y.") or its name
    (in any case)."""
    codes = "|".join(r"\.?".join(code) for code in sorted(table, key=len, reverse=True))
    names = "|".join(re.escape(n).replace("\\ ", "[ \t]+") for n in sorted(table.values(), key=len, reverse=True))
    return re.compile(rf"{_CITY}{_SEP}(?P<region>{codes}|(?i:{names}))\.?{_SEP}(?P<postal>{postal})")


_US = _with_region(US_STATES, r"\d{5}(?:-\d{4})?")
_CA = _with_region(CA_PROVINCES, r"[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z][ -]?\d[ABCEGHJ-NPRSTV-Z]\d")
_AU = _with_region(AU_STATES, r"\d{4}")
UK_POSTCODE = r"[A-Z]{1,2}\d[A-Z\d]?[ \t]*\d[A-Z]{2}"
_UK = re.compile(rf"{_CITY}{_SEP}(?P<postal>{UK_POSTCODE})")
# "10115 Berlin", "D-10115 Berlin", "114 55 Stockholm", "00-950 Warszawa", "1000-001 Lisboa", "1012 AB Amsterdam"; six
# or seven digits ("119034 Moscow", "4672520 Herzliya") only with the country named.
_EU_POSTAL = r"\d{4}[ \t]?[A-Z]{2}(?![^\W\d_])|\d{4,5}|\d{3}[ \t]\d{2}|\d{2}-\d{3}|\d{4}-\d{3}"
_POSTAL_FIRST = re.compile(rf"(?:(?P<prefix>[A-Z]{{1,2}})-)?(?P<postal>{_EU_POSTAL}|(?P<wide>\d{{6,7}}))[ \t]+{_CITY}")
# "Tromsø 9008", "Tokyo, 150-8510", "Bangalore 560 046", "New Delhi - 110075", "Singapore 079903"
_CITY_FIRST = re.compile(rf"{_CITY}(?:,?[ \t]+|,|[ \t]*[-–][ \t]*)(?P<postal>\d{{4,6}}|\d{{3}}[ \t-]\d{{2,4}}|\d{{2}}-\d{{3}})")

# Words that make a part a street, a building or a label, never a city.
_NOT_CITY = re.compile(
    r"\b(?:street|road|rd|avenue|ave|lane|ln|way|drive|boulevard|blvd|court|ct|place|suite|floor|"
    r"building|bldg|tower|unit|apt|apartment|room|box|po|p\.o|postbox|postfach|highway|hwy|parkway|pkwy|square|sq|"
    r"address|phone|tel|telephone|fax|mobile|e-?mail|zip|postcode|postal|code|attn|c/o|gata|gate|gatan|vei|veien|vej|vegen|"
    r"väg|vägen|tie|katu|straße|strasse|str|weg|gasse|platz|allee|rue|via|calle|avenida|ulica)\b\.?",
    re.IGNORECASE,
)
_HOUSE_NUMBER = re.compile(r"\d")


@dataclass(frozen=True)
class _Place:
    city: str
    postal_code: str
    region: str | None = None
    country: str | None = None  # implied by the shape (a US state with its ZIP code), not named

    def fields(self) -> dict[str, str]:
        out = {"city": self.city}
        if self.region:
            out["region"] = self.region
        out["postal_code"] = self.postal_code
        return out


_REDACTED_PART = re.compile(r"\[(?:private|redacted)\]", re.IGNORECASE)


def split_one_line(line: str) -> dict[str, str] | None:
    """The parts of a one-line address, or None when the line is not one of the shapes above. A part published redacted
    ("161 N. Clark Street, [Private], Chicago, IL 60601, [Private]") holds nothing to keep."""
    line = ",".join(p for p in line.split(",") if not _REDACTED_PART.fullmatch(p.strip()))
    parts, named = _without_country(line)
    if len(parts) < 2:
        return None
    found = _place(parts, named)
    if found is None:
        return None
    used, place = found
    street_parts = parts[:-used]
    street = ", ".join(street_parts)
    if not street_parts or not _HOUSE_NUMBER.search(street):
        return None
    return _with_country({"street": street, **place.fields()}, named, place)


def place_of(line: str) -> dict[str, str] | None:
    """The city, region, postal code and country of an address's second line ("Portland, OR 97201[, USA]")."""
    parts, named = _without_country(line)
    if not parts:
        return None
    found = _place(parts, named)
    if found is None or found[0] != len(parts):
        return None
    return _with_country(found[1].fields(), named, found[1])


def country_code(name: str) -> str | None:
    """ISO 3166-1 alpha-2 of a country as written ("Norway", "Norge", "NO", "U.S.A."), else None."""
    value = name.strip(" \t.")
    return COUNTRIES.get(value.casefold()) or _CODES.get(value)


def _with_country(out: dict[str, str], named: str | None, place: _Place) -> dict[str, str] | None:
    if named and place.country and named != place.country:
        return None  # "Portland, OR 97201, Canada": one of the two is wrong, and the reader cannot tell which
    country = named or place.country
    return {**out, "country": country} if country else out


def _without_country(line: str) -> tuple[list[str], str | None]:
    """The line's comma-separated parts without the country, and the country's code: the last part, the words after a
    postal code in it ("Nashua NH 03060 USA", "Hamburg/Germany"), or the part before a trailing UK postcode
    ("London, United Kingdom, EC2A 2EX")."""
    parts = [p for p in (p.strip(" \t;") for p in line.strip().removesuffix(".").split(",")) if p]
    if not parts:
        return parts, None
    if (code := country_code(parts[-1])) is not None:
        return parts[:-1], code
    if len(parts) >= 2 and re.fullmatch(UK_POSTCODE, parts[-1]) and (code := country_code(parts[-2])) is not None:
        return parts[:-2] + parts[-1:], code
    head, code = _trailing_country(parts[-1])
    if code is not None:
        return [*parts[:-1], head], code
    return parts, None


def _trailing_country(part: str) -> tuple[str, str | None]:
    """ "Nashua NH 03060 USA" → ("Nashua NH 03060", "US"); only after a postal code (or a slash), so that "New Mexico" is
    not Mexico."""
    slash = part.rsplit("/", 1)
    if len(slash) == 2 and (code := country_code(slash[1])) is not None and slash[0].strip():
        return slash[0].strip(), code
    words = part.split()
    for n in (4, 3, 2, 1):
        if len(words) > n and (code := country_code(" ".join(words[-n:]))) is not None:
            head = " ".join(words[:-n])
            if re.search(rf"(?:\d|\b{UK_POSTCODE})$", head):
                return head, code
    return part, None


def _place(parts: list[str], named: str | None) -> tuple[int, _Place] | None:
    """How many of the last parts the city, region and postal code take (one to three), and what they are."""
    if named == "SG" and re.fullmatch(r"\d{6}", parts[-1]):
        return 1, _Place("Singapore", parts[-1], None, "SG")  # "..., 079903 Singapore": the city-state's postal code
    for used in (1, 2, 3):
        if used > len(parts):
            break
        tail = ", ".join(parts[-used:])
        place = _us(tail) or _canada(tail) or _australia(tail) or _uk(tail) or _postal_first(tail, named) or _city_first(tail, named)
        if place is not None:
            return used, place
    return None


def _city(value: str) -> str | None:
    city = value.strip(" \t-–")
    if not 2 <= len(city) <= 30 or not city[0].isupper() or _HOUSE_NUMBER.search(city) or _NOT_CITY.search(city):
        return None
    if len(city.split()) > 4 or (country_code(city) is not None and city.casefold() != "singapore"):
        return None
    if (city.isupper() and len(city) <= 3) or re.search(r"(?:\b[A-Z]\.){2,}$", city):
        return None  # a state's or country's code ("NC, 27518", "Noida U.P. 201301"), not a city
    return city


_REGIONS = {"US": US_STATES, "CA": CA_PROVINCES, "AU": AU_STATES}


def _a_region(city: str, country: str | None) -> bool:
    """ "Victoria 3000, Australia": the state and its postal code, no city."""
    table = _REGIONS.get(country or "", {})
    return city.upper() in table or city.casefold() in {name.casefold() for name in table.values()}


def _written(region: str) -> str:
    """A region as written, a code without its full stops ("D.C." → "DC")."""
    return region if "." not in region or len(region) > 5 else region.replace(".", "")


def _us(tail: str) -> _Place | None:
    m = _US.fullmatch(tail)
    if not m:
        return None
    city = _city(m["city"])
    if city is None:
        return None
    return _Place(city, m["postal"], _written(m["region"]), "US")


def _canada(tail: str) -> _Place | None:
    m = _CA.fullmatch(tail)
    city = _city(m["city"]) if m else None
    if m is None or city is None:
        return None
    postal = re.sub(r"[ -]", "", m["postal"])
    return _Place(city, f"{postal[:3]} {postal[3:]}", _written(m["region"]), "CA")


def _australia(tail: str) -> _Place | None:
    m = _AU.fullmatch(tail)
    city = _city(m["city"]) if m else None
    if m is None or city is None:
        return None
    return _Place(city, m["postal"], _written(m["region"]), "AU")


def _uk(tail: str) -> _Place | None:
    m = _UK.fullmatch(tail)
    city = _city(m["city"]) if m else None
    if m is None or city is None:
        return None
    return _Place(city, m["postal"])


def _postal_first(tail: str, named: str | None) -> _Place | None:
    m = _POSTAL_FIRST.fullmatch(tail)
    city = _city(m["city"]) if m else None
    if m is None or city is None:
        return None
    implied = None
    if m["prefix"]:
        implied = _POSTAL_PREFIX.get(m["prefix"]) or _CODES.get(m["prefix"])
        if implied is None:
            return None
    if city.casefold() == "singapore":
        implied = "SG"
    if (m["wide"] and not (named or implied)) or _a_region(city, named):
        return None
    return _Place(city, m["postal"], None, implied)


def _city_first(tail: str, named: str | None) -> _Place | None:
    m = _CITY_FIRST.fullmatch(tail)
    city = _city(m["city"]) if m else None
    if m is None or city is None:
        return None
    implied = "SG" if city.casefold() == "singapore" else None
    if not (named or implied) or _a_region(city, named):
        return None  # "Springfield 62701": too many things look like this
    return _Place(city, m["postal"], None, implied)


# --- where an address written in a line of prose ends ----------------------------------------------------------------

# A full stop after a place (a postal code and city, a country) before a sentence of its own: a channel's label
# ("…, Lisboa, Portugal. Phone +351 …") or words of prose ("…20357 Hamburg). Wir melden hiermit rechtswidrige Inhalte
# auf Ihrer Plattform.": four words or more, two of them lower-case, no digit). "Main St. Suite 400", "P.O. Box 4612,
# Bangalore 560 046" and "Str. 5, 10115 Berlin" go on with the address.
_FULL_STOP = re.compile(r"\.[ \t]+")
_CHANNEL = re.compile(r"(?:phone|tel|telephone|fax|mobile|cell|e-?mail|web(?:site)?)\b", re.IGNORECASE)
_LOWER_WORD = re.compile(r"(?<![\w'-])[a-zà-öø-ÿß]{2,}\b")


def address_end(line: str, start: int = 0) -> int:
    """Where the address in `line` (found at `start`) ends: the line's end, or the full stop after its place before a
    sentence of its own; a closing bracket it has no opening one for is the aside's around it ("(Acme GmbH, Hafenweg
    3, 20457 Hamburg)"). Each full stop is judged on the words around it only: a line may be long."""
    for stop in _FULL_STOP.finditer(line, start):
        after = line[stop.end() : stop.end() + 160]
        sentence = after.split(". ", 1)[0]
        prose = len(sentence.split()) >= 4 and len(_LOWER_WORD.findall(sentence)) >= 2 and not _HOUSE_NUMBER.search(sentence)
        if not (_CHANNEL.match(after) or prose):
            continue
        end = _aside_closed(line, start, stop.start())
        if _ends_with_place(line[max(start, end - 120) : end]):
            return end
    return _aside_closed(line, start, len(line))


def _aside_closed(line: str, start: int, end: int) -> int:
    """`end`, or before a closing bracket there that no opening one on the line before it goes with."""
    window = max(0, end - 200)
    close = window + len(line[window:end].rstrip())
    if close > start and line[close - 1] == ")" and line.count(")", window, close) > line.count("(", window, close):
        return start + len(line[start : close - 1].rstrip())
    return end


def _ends_with_place(value: str) -> bool:
    parts, named = _without_country(value)
    return named is not None or (bool(parts) and _place(parts, named) is not None)
