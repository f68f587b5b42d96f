"""Look-alike sender domains (DOMAIN.md §6, "impersonated rights holder"): pure, no database.

A sender domain is a look-alike of a known one (a domain verified on an account, or a well-known rights holder or
law firm) when it is not that domain nor under it, and its name — the label before the public suffix — reads the
same once confusable characters are folded (Cyrillic `а` for Latin `a`, `0` for `o`, `1` for `l`, `rn` for `m`),
or differs by one edit, or carries the known name as one of its hyphenated words (`micros0ft-legal`), or is the
same name under another TLD (`paypal.co`). Confusables come from Unicode's table (`confusable-homoglyphs`).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from confusable_homoglyphs import confusables

# Digits and symbols read as letters in a domain name; multi-letter shapes read as one letter.
_SHAPES = str.maketrans({"0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g", "$": "s", "@": "a", "_": "-"})
_PAIRS = (("rn", "m"), ("vv", "w"), ("cl", "d"))
# Second-level suffixes under which the registrable name is one label further left.
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "ac", "gov", "edu", "ltd", "plc"})
MIN_EDIT_LENGTH = 5  # one edit away from a short name is too often another real name


def normalise(domain: str) -> str:
    domain = domain.strip().strip(".").lower()
    try:
        return ".".join(label.encode().decode("idna") if label.startswith("xn--") else label for label in domain.split("."))
    except UnicodeError:
        return domain


def name_and_suffix(domain: str) -> tuple[str, str]:
    labels = domain.split(".")
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        return labels[-3], ".".join(labels[-2:])
    if len(labels) >= 2:
        return labels[-2], labels[-1]
    return domain, ""


@functools.lru_cache(maxsize=4096)
def _fold(char: str) -> str:
    if char.isascii():
        return char
    found = confusables.is_confusable(char, preferred_aliases=["latin"], greedy=True) or []
    for entry in found:
        for glyph in entry["homoglyphs"]:
            if glyph["c"].isascii():
                return str(glyph["c"]).lower()
    return char


def skeleton(name: str) -> str:
    folded = "".join(_fold(c) for c in name.lower()).translate(_SHAPES)
    for shape, letter in _PAIRS:
        folded = folded.replace(shape, letter)
    return folded


def _one_edit(a: str, b: str) -> bool:
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diffs) == 1 or (
            len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]]
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def resembles(sender: str, known: str) -> bool:
    """Whether `sender` imitates `known` (both domains) without being it or under it."""
    sender, known = normalise(sender), normalise(known)
    if not sender or not known or sender == known or sender.endswith("." + known):
        return False
    s_name, _ = name_and_suffix(sender)
    k_name, _ = name_and_suffix(known)
    s, k = skeleton(s_name), skeleton(k_name)
    if len(k) < 3:
        return False
    if s == k:
        return True  # the same name once folded: confusables, digits for letters, or another TLD
    if len(k) >= MIN_EDIT_LENGTH and _one_edit(s, k):
        return True
    return k in s.split("-")  # the known name as one word of a longer one: micros0ft-legal


def imitated(sender: str, known: Iterable[str]) -> str | None:
    """The first known domain `sender` imitates, if any."""
    return next((k for k in known if resembles(sender, k)), None)


def sender_domain(email: str | None) -> str | None:
    if not email or "@" not in email:
        return None
    domain = normalise(email.rsplit("@", 1)[1])
    return domain or None
