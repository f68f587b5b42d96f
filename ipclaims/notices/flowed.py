"""`text/plain; format=flowed` (RFC 3676), as Apple Mail, Thunderbird and many phones send plain text: a line ending
in a space is soft-broken and goes on in the next line; with `DelSp=yes` that space was added by the sender's client
(which may then break anywhere, inside a long word or a URL) and is taken out again. Lines a space was put before
(space-stuffing: " From", " >") lose it; quoted lines (`>`) join only lines of the same depth; the signature
separator "-- " is a hard line. Read as sent, a URL broken this way was a URL cut short: the item the claim reported.
"""

from __future__ import annotations

import re

_QUOTES = re.compile(r"^>+")


def unflow(text: str, *, delsp: bool) -> str:
    """The text as its sender wrote it: each paragraph's soft breaks undone, quote marks kept ("> " a level)."""
    out: list[str] = []
    pending: tuple[int, str] | None = None  # a paragraph still going on: its quote depth and its text so far
    for line in text.split("\n"):
        marks = _QUOTES.match(line)
        depth = len(marks.group()) if marks else 0
        content = line[depth:]
        if content.startswith(" "):
            content = content[1:]  # space-stuffed
        signature = content == "-- "
        if pending is not None and (pending[0] != depth or signature):
            out.append(_line(*pending))  # a paragraph never joins a line of another depth, nor the signature separator
            pending = None
        soft = content.endswith(" ") and not signature
        if soft and delsp:
            content = content[:-1]
        joined = (pending[1] if pending else "") + content
        if soft:
            pending = (depth, joined)
        else:
            out.append(_line(depth, joined))
            pending = None
    if pending is not None:
        out.append(_line(*pending))
    return "\n".join(out)


def _line(depth: int, content: str) -> str:
    if not depth:
        return content
    return ">" * depth + (" " + content if content else "")
