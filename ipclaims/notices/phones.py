"""Telephone numbers on one line of a notice: what `Doc.phones` finds before it sets aside those inside URLs and
quoted or excluded text.

A number is digit groups (7 to 15 digits) with an optional "+"/"00" prefix and parentheses. Without a telephone label on
its line it must open with "+" or "(" or have at least two separators, so that a bare count or year is no telephone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# A full stop or hyphen straight after the last group ends the number when nothing goes on after it ("call +1 310 555
# 0199."); one that joins more characters ("2.10.4.1200.5", "555-0199-x") makes the whole no telephone number.
PHONE = re.compile(r"(?<![\w/.-])(?:\+|00)?\(?\d{1,4}\)?(?:[ .\-/]?\(?\d{2,5}\)?){2,5}(?![\w/]|[.-][\w/.-])")
_PHONE_LABEL = re.compile(r"\b(?:tel(?:ephone)?|phone|mobile|cell|fax|ph|t|m)\b\.?\s*(?:no\.?|number|#)?\s*[:.]", re.IGNORECASE)
# A date written with separators ("2015-06-22", "22.06.2015", "(06/22/2015)") is not a telephone number.
_DATE_LIKE = re.compile(r"\(?(?:(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)\d{2})\)?")
# An IPv4 address ("192.30.252.153") is not one either.
_IP_LIKE = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
# Registration, patent, order or account numbers ("PA 1-917-339", "Reg. No. 4,123,456") are no telephone numbers.
_NUMBER_NOT_PHONE = re.compile(
    r"(?:registration|reg\.|patent|serial|order|invoice|account|case|ticket|isbn|issn|licen[cs]e)\s*(?:no\.?|numbers?|#)?"
    r"[^\n]{0,25}$|\b(?:PA|TX|VA|SR|PAu|TXu|VAu)[ -]?$",
    re.IGNORECASE,
)


def phones_in_line(line: str) -> Iterator[tuple[int, int]]:
    """(start, end) in `line` of each telephone number on it."""
    labelled = _PHONE_LABEL.search(line)
    for m in PHONE.finditer(line):
        value = m.group(0)
        digits = re.sub(r"\D", "", value)
        if len(digits) < 7 or len(digits) > 15 or digits.startswith("000"):
            continue  # no dialling prefix opens with three noughts ("Form CG 00 01 10 01")
        if not labelled and not value.startswith(("+", "(")) and len(re.findall(r"[ .\-/]", value)) < 2:
            continue
        if _DATE_LIKE.fullmatch(value.strip()) or _IP_LIKE.fullmatch(value):
            continue
        if _NUMBER_NOT_PHONE.search(line[max(0, m.start() - 40) : m.start()]):
            continue
        end = m.end()
        if value.endswith(")") and "(" not in value:
            end -= 1  # the bracket closes the sentence's aside ("Law No. 9.609/1998)"), not an area code
        yield m.start(), end
