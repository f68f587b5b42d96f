"""Notices in free text and email (CONTRACT.md): a message or pasted text → claim fields and element judgements.

Pure: the standard library, pypdf for a PDF attachment's text, and `ipclaims.legal` for the element codes. Nothing
is fetched, stored or imported from the web or database layers.
"""

from __future__ import annotations

from ipclaims.notices.judges import Judgement
from ipclaims.notices.message import Message, Unreadable, parse_message
from ipclaims.notices.reader import Reading, read_notice
from ipclaims.notices.text import Span

__all__ = ["Judgement", "Message", "Reading", "Span", "Unreadable", "parse_message", "read_notice"]
