"""`read_notice`: a notice's text → its regime, kind, intake-shaped fields and a judgement of every element.

The element codes are `ipclaims.legal`'s (DOMAIN.md §2): every code of the regime and kind is judged, in that order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from ipclaims.legal import REGIMES, counter_element_codes, counter_notice_regime, element_codes
from ipclaims.notices.doc import Doc
from ipclaims.notices.fields import claim_fields, counter_fields
from ipclaims.notices.judges import Judgement
from ipclaims.notices.message import MAX_TEXT_CHARS, TooLong, Unreadable
from ipclaims.notices.pasted import as_text
from ipclaims.notices.regimes import COUNTER_JUDGES, NOTICE_JUDGES, detect_kind, detect_regime

Kind = Literal["claim", "counter_notice"]
KINDS: tuple[str, ...] = ("claim", "counter_notice")
_LONE_CR = re.compile(r"\r(?!\n)")


@dataclass(frozen=True)
class Reading:
    regime: str
    kind: Kind
    text: str
    fields: dict[str, Any]
    judgements: tuple[Judgement, ...]

    def judgement(self, code: str) -> Judgement:
        for item in self.judgements:
            if item.code == code:
                return item
        raise KeyError(code)


def _addresses(values: Iterable[str]) -> frozenset[str]:
    return frozenset(a.strip().lower() for a in values if a and "@" in a)


def read_notice(
    text: str,
    *,
    regime: str | None = None,
    kind: str | None = None,
    platform_hosts: Iterable[str] = (),
    agent_addresses: Iterable[str] = (),
    recipients: Iterable[str] = (),
    subject: str | None = None,
) -> Reading:
    """Judge every element of the notice's regime and kind, as NOTICES.md reads a notice's text.

    `platform_hosts`: the host names of the platform the notice is sent to (IPCLAIMS_PLATFORM_HOSTS), which tell the
    reported material from the sender's own pages; none given, the built-in list of github/dmca's hosts.
    `agent_addresses`: the designated agent's own mailboxes (IPCLAIMS_INBOX_ADDRESSES): never the sender's contact.
    `recipients`: the carrying message's To and Cc (`Message.recipients`): not the sender's contact when the text
    shows the sender another email address.
    `subject`: the carrying message's Subject (`Message.subject`), not part of `text`: its words tell the regime as the
    text's own first line would ("Meldung nach Art. 16 DSA"); nothing else is read from it, no evidence quotes it."""
    if not isinstance(text, str) or not text.strip():
        raise Unreadable("the notice has no text")
    if len(text) > MAX_TEXT_CHARS:
        raise TooLong(f"the notice text is longer than {MAX_TEXT_CHARS:,} characters")
    if regime is not None and regime not in REGIMES:
        raise ValueError(f"unknown regime {regime!r}; expected one of {', '.join(REGIMES)}")
    if kind is not None and kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; expected claim or counter_notice")
    # A pasted HTML document is read as its text (`pasted.py`); a lone carriage return ends a line (old Mac mail).
    # What the reading quotes indexes the text it returns.
    text = _LONE_CR.sub("\n", as_text(text))
    if not text.strip():
        raise Unreadable("the notice has no text")
    doc = Doc(
        text,
        platform_hosts=frozenset(h.strip().lower().rstrip(".") for h in platform_hosts if h.strip()),
        agent_addresses=_addresses(agent_addresses),
        recipients=_addresses(recipients),
    )
    chosen_kind: Kind = "counter_notice" if (kind or detect_kind(doc)) == "counter_notice" else "claim"
    chosen_regime = regime or detect_regime(doc, subject or "")
    if chosen_kind == "counter_notice" and counter_notice_regime(chosen_regime) is None:
        if regime is not None and kind is not None:
            raise ValueError(f"regime {regime!r} has no statutory counter-notice")
        if regime is not None:
            chosen_kind = "claim"
        else:
            chosen_regime = "US_DMCA"
    if chosen_kind == "counter_notice":
        table = COUNTER_JUDGES[chosen_regime]
        codes = counter_element_codes(chosen_regime)
    else:
        table = NOTICE_JUDGES[chosen_regime]
        codes = element_codes(chosen_regime)
    judgements = tuple(table[code](doc) for code in codes)
    if chosen_kind == "counter_notice":
        fields = counter_fields(doc, chosen_regime, judgements)
    else:
        fields = claim_fields(doc, chosen_regime, judgements)
    return Reading(chosen_regime, chosen_kind, text, fields, judgements)
