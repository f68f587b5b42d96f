"""A broadcaster's channels or programmes, named or only promised: what `work_identification` makes of a notice that
claims a catalogue of broadcasts (labelling convention: a broadcaster's named channels are a weak present; its channels
or programmes in general, reached by a playlist or an app, name no work).
"""

from __future__ import annotations

import re

# A list of named items under a colon ("Pay TV channels:" then "Sky Cinema HD", "Sky Sport F1 HD"): named works
# (labelling convention: a broadcaster's named channels are a weak present).
NAMED_LIST = re.compile(
    r"^[^\n]{0,60}\b(?i:channels?|works?(?:\(s\))?|titles?|programmes?|shows|films|movies|series|episodes|games|books|songs|albums)"
    # possessive blanks: a long run of them is taken one way only (linear on hostile input)
    r"[ \t*_]*+:[ \t*_]*+\n(?:[ \t]*+\n)*+(?:[ \t]*+(?:[-*•][ \t]*+)?(?!(?:Our|All|The|Its|Their|Any|Every|Various)\b)"
    r"[A-Z0-9][^\n:/@]{1,50}\n(?:[ \t]*+\n)*+){2,}",
    re.MULTILINE,
)


# Channels named in a list ("all DSTV, SuperSport and M-Net television channels"): a broadcaster's named channels
# (labelling convention: a weak present), unlike "its channels" or one broadcaster's channels in general.
_NAMED_CHANNELS = re.compile(
    # possessive: each capitalised word, comma and "and" taken once (linear on a long run of capitalised words)
    r"(?<![\w-])((?:(?!(?i:tv|television|radio|pay|broadcast)\b|(?i:sports?)[ \t]+channels)"
    r"[A-Z][\w&+-]*+,?[ \t]++(?:(?:and|or)[ \t]++)?){2,12}+)"
    r"(?i:television|tv|sports?|pay[ \t]tv|radio|broadcast)[ \t]+channels\b"
)
_NOT_A_NAME = {"The", "Its", "Their", "Our", "All", "These", "Those", "Live", "Premium", "Your", "My", "His", "Her"}


# Or after them: "their television channels, including but not limited to Discovery Channel, TLC, Animal Planet".
_CHANNELS_INCLUDING = re.compile(
    r"(?<![\w-])(?i:(?:television|tv|pay[ \t]tv|sports?|cable|broadcast|satellite)[ \t]+channels?),?[ \t]+"
    r"(?i:including|such as|namely)(?:[ \t]+(?i:but not limited to))?[ \t]*:?[ \t]*"
    r"[A-Z0-9][^,\n]{0,40},[ \t]*[A-Z0-9][^,\n]{0,40}?(?:,[ \t]*|,?[ \t]+(?:and|or)[ \t]+)[A-Z0-9]"
)


def names_channels(text: str) -> bool:
    """A list of two or more channel names before "television channels" (a comma or "and" between them), or three or
    more after "channels, including"."""
    if _CHANNELS_INCLUDING.search(text):
        return True
    for m in _NAMED_CHANNELS.finditer(text):
        words = [w.strip(",") for w in m.group(1).split() if w not in ("and", "or")]
        while words and words[0] in _NOT_A_NAME:
            words.pop(0)
        listed = m.group(1)[m.group(1).find(words[0]) :] if words else ""
        if len(words) >= 2 and ("," in listed or " and " in listed or " or " in listed):
            return True
    return False


# A heading that announces the works and the URLs together, followed at once by a URL: the works' slot is left empty
# ("...the following programme(s) broadcast on the Channel, on the following URLs:" then only links).
EMPTY_WORK_SLOT = re.compile(
    r"\bfollowing (?:programmes?|programme\(s\)|programs?|program\(s\)|shows?|titles?|films?)[^\n:]{0,80}"
    r"\bon the following (?:urls?|links?)[ \t]*:[ \t\r]*\n(?:[ \t\r]*\n)*[ \t]*https?://[^\s]*[ \t\r]*(?:\n|$)",
    re.IGNORECASE,
)
