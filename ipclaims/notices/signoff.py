"""A sign-off written on one line, split into the claim's name, organisation, email and phone.

Letters close with "Katrin Vogel, Rheinklang Musikverlag GmbH, k.vogel@rheinklang.example" or carry the signer's own
line "Dana Reyes, Counsel, Harbour Films LLC" above the address: the intake form has a field for each part (`fields.py`
fills them; `extract.py` and the EU_DSA notifier judge read the same parts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ipclaims.notices.doc import EMAIL, Doc
from ipclaims.notices.phones import PHONE
from ipclaims.notices.signing import VALEDICTION, is_org, is_person, line_parts
from ipclaims.notices.text import REDACTED, lines_with_offsets

_ORG_MORE = re.compile(r"\b(?:engineering|partners|security|semiconductor|school|llp|gmbh|ltd|limited|inc)\b\.?", re.IGNORECASE)
_ADDRESS_LABEL_ONLY = re.compile(r"^\W*(?:tel|phone|fax|email|e-mail|web|attn|registered office|office|address)\b", re.IGNORECASE)


def org_like(line: str) -> bool:
    value = line.strip(" \t\r*_,")
    if not value or len(value) > 80 or REDACTED.search(value) or "@" in value or _ADDRESS_LABEL_ONLY.match(value):
        return False
    if re.match(r"(?i)(?:https?://|www\.)", value):  # the company's website, not its name
        return False
    if value.endswith((".", ":")) and not (is_org(value) or _ORG_MORE.search(value)):
        return False
    return is_org(value) or bool(_ORG_MORE.search(value))


# A part that is only a telephone number, perhaps after its label ("+44 20 7946 0000", "Tel. 030 1234567").
_PHONE_ONLY = re.compile(r"^(?:(?:tel(?:ephone)?|phone|mobile|cell|fax|t|m)\.?[ \t]*:?[ \t]*)?(?:\+|00)?[\d ()./-]{7,22}$", re.IGNORECASE)
_LABEL_ONLY_LEAD = re.compile(
    r"^[ \t*_>]*(?:contact(?: person| details| information)?|kontakt|attn|attention)[ \t]*[:.][ \t]*", re.IGNORECASE
)


@dataclass(frozen=True)
class SignOff:
    """A closing line's parts: "Katrin Vogel, Rheinklang Musikverlag GmbH, k.vogel@rheinklang.example"."""

    name: str | None
    organization: str | None
    email: str | None
    phone: str | None
    start: int
    end: int


def phone_part(part: str) -> bool:
    return bool(_PHONE_ONLY.match(part)) and len(re.sub(r"\D", "", part)) >= 7


def split_signoff(line: str) -> tuple[str | None, str | None, str | None, str | None]:
    """(name, organisation, email, phone) of a line that opens with a person's name and gives, after commas, their
    organisation, title, email or phone ("Dana Reyes, Counsel, Harbour Films LLC"); all None for any other line."""
    parts = line_parts(_LABEL_ONLY_LEAD.sub("", line.strip()))
    if len(parts) < 2 or len(parts) > 6 or any(len(p.split()) > 6 for p in parts):
        return None, None, None, None
    first = parts[0]
    if not is_person(first) or is_org(first) or (len(first.split()) < 2 and not REDACTED.fullmatch(first)):
        return None, None, None, None  # one word first is as often a partner of a firm ("Paul, Weiss, Rifkind, ... LLP")
    email = next((m.group(0) for p in parts[1:] if (m := EMAIL.search(p))), None)
    phone = next((m.group(0) for p in parts[1:] if phone_part(p) and (m := PHONE.search(p))), None)
    orgs = [p for p in parts[1:] if "@" not in p and not phone_part(p) and (is_org(p) or org_like(p))]
    if not (email or orgs):
        return None, None, None, None  # "Jo Doe, Counsel": a name and a title, nothing this splits off
    return first, (orgs[-1] if orgs else None), email, phone


def signoff(doc: Doc) -> SignOff | None:
    """The sender's one-line sign-off among the notice's last lines (under a closing word, or ending the text): its
    name, organisation, email and phone. The line the signing block already reads as a name is not looked at twice."""
    found = doc.memo.get("signoff", False)
    if found is False:
        found = doc.memo["signoff"] = _signoff(doc)
    return found  # type: ignore[return-value]


def _signoff(doc: Doc) -> SignOff | None:
    lines = [(a, b, line) for a, b, line in lines_with_offsets(doc.text, doc.start) if line.strip(" \t\r*_-")]
    closings = [a for a, _, line in lines if VALEDICTION.match(line)]
    after = closings[-1] if closings else None
    candidates = [x for x in lines if x[0] > after][:4] if after is not None else lines[-4:]
    for a, b, line in candidates:
        name, org, email, phone = split_signoff(line)
        if name and (email or phone):  # without a channel on it, the line is the signing block's to read
            return SignOff(name, org, email, phone, a, b)
    return None
