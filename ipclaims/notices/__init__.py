"""Notices in free text and email (CONTRACT.md): a message or pasted text → claim fields and element judgements.

Pure: the standard library, pypdf for a PDF attachment's text, and `ipclaims.legal` for the element codes. Nothing
is fetched, stored or imported from the web or database layers.

A text may be MAX_TEXT_CHARS (2,000,000) long, a list of 40,000 URL lines or a form repeated a thousand times, so the
reading stays linear in the text's length: what is asked once per item (URL, redaction, sentence, answer) is looked up
by bisection over offsets found once (`line_span`, `redactions_between`, the word hits, `spans.Spans`) or in a set,
never by scanning a list; and a pattern read after an item is matched in place (`pattern.match(text, pos)`), not
searched in a copy of the rest of the sentence (a list of URL lines is one sentence). `bench/notices_speed.py --large`
prints the time per MB at 0.5, 1 and 2 MB.
"""

from __future__ import annotations

from ipclaims.notices.judges import Judgement
from ipclaims.notices.message import Message, Unreadable, parse_message
from ipclaims.notices.own_words import parse_reply
from ipclaims.notices.reader import Reading, read_notice
from ipclaims.notices.substance import nothing_of_a_notice
from ipclaims.notices.text import Span

__all__ = ["Judgement", "Message", "Reading", "Span", "Unreadable", "nothing_of_a_notice", "parse_message", "parse_reply", "read_notice"]
