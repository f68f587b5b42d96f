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
    # a paragraph still going on: its quote depth and its pieces so far (joined once it ends: adding each soft line to
    # a string copied the paragraph every line, quadratic in a long one)
    depth_of: int | None = None
    pieces: list[str] = []
    for line in text.split("\n"):
        marks = _QUOTES.match(line)
        depth = len(marks.group()) if marks else 0
        content = line[depth:]
        if content.startswith(" "):
            content = content[1:]  # space-stuffed
        signature = content == "-- "
        if depth_of is not None and (depth_of != depth or signature):
            out.append(_line(depth_of, "".join(pieces)))  # a paragraph never joins a line of another depth, nor "-- "
            depth_of, pieces = None, []
        soft = content.endswith(" ") and not signature
        if soft and delsp:
            content = content[:-1]
        pieces.append(content)
        if soft:
            depth_of = depth
        else:
            out.append(_line(depth, "".join(pieces)))
            depth_of, pieces = None, []
    if depth_of is not None:
        out.append(_line(depth_of, "".join(pieces)))
    return "\n".join(out)


def _line(depth: int, content: str) -> str:
    if not depth:
        return content
    return ">" * depth + (" " + content if content else "")
