"""The letter's recipient block — the platform's agent and its address ("GitHub, Inc." / "Attn: DMCA Agent" / "88 Colin
P Kelly Jr St") — names where the notice went, not who sent it: an address line there is never the sender's. Split from
`doc`, whose address lines are read past it.
"""

from __future__ import annotations

import re

# The platform's name, its agent or its street, their words apart by spaces or tabs ("GitHub,\tInc").
_RECIPIENT = re.compile(
    r"\bgithub,?[ \t]+inc\b|\bdmca[ \t]+agent|\bcopyright[ \t]+agent|designated[ \t]+agent|\battn:?[ \t]*dmca"
    r"|colin[ \t]+p\.?[ \t]+kelly|\b548[ \t]+4th[ \t]+st",
    re.IGNORECASE,
)
# A label that opens the sender's own block in a letter's head ("From:", "Sender", "Submitted by").
_SENDER_LABEL = re.compile(r"[*_>\s]*(?:from|sender|sent by|submitted by|complainant|claimant)\b", re.IGNORECASE)
# A blank line, or a line of spaces between the block's lines ("GitHub, Inc     " / "     " / "Attn: DMCA Agent     ").
_BLANK_LINE = re.compile(r"\n[ \t]*(?=\n)")
_BLOCK_CHARS = 400  # a paragraph longer than this is more than a letter's address block


def in_recipient_block(text: str, start: int, pos: int) -> bool:
    """The line at `pos` is inside a paragraph (lines between blank lines) that addresses the platform, or in the
    letter's head under a line naming its agent; `start`: where the notice's own text starts."""
    lo, hi = max(0, pos - _BLOCK_CHARS), min(len(text), pos + _BLOCK_CHARS)
    breaks = [m.start() for m in _BLANK_LINE.finditer(text, lo, hi)]
    para_start = max((b for b in breaks if b < pos), default=-1)
    para_end = min((b for b in breaks if b >= pos), default=-1)
    if (para_start == -1 and lo > 0) or (para_end == -1 and hi < len(text)):
        return False  # a paragraph longer than a letter's address block
    para = text[para_start + 1 if para_start >= 0 else 0 : hi if para_end == -1 else para_end]
    if len(para) < _BLOCK_CHARS and _RECIPIENT.search(para):
        return True
    # the letter's head, an address block written one line a paragraph ("GitHub, Inc." / "Attn: DMCA Agent" / "88 ..."
    # / "San Francisco"): nothing but short lines above it, one of them naming the platform's agent
    if pos - start > _BLOCK_CHARS:
        return False
    lines = [line.strip() for line in text[start:pos].split("\n") if line.strip()]
    if not lines or any(len(line) > 60 for line in lines):
        return False
    last_recipient = max((i for i, line in enumerate(lines) if _RECIPIENT.search(line)), default=-1)
    # ... and no sender's label ("From:") between that line and this one
    return last_recipient >= 0 and not any(_SENDER_LABEL.match(line) for line in lines[last_recipient:])
