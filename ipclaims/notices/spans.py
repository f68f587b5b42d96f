"""`Spans`: is a position inside any of many (possibly overlapping) spans, by bisection.

A form repeated over 2 MB holds thousands of answers and of URLs, and asking each URL of each answer was quadratic (a
repeated form of 1.2 MB took 30 s)."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable
from typing import Protocol


class _Span(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


class Spans:
    def __init__(self, spans: Iterable[_Span]) -> None:
        ordered = sorted(spans, key=lambda a: a.start)
        self.starts = [a.start for a in ordered]
        # The furthest end among the spans starting at or before each one: a position is inside some span exactly
        # when that reach, up to the last span starting at or before it, goes past it (overlapping spans included).
        self.reach = list(itertools.accumulate((a.end for a in ordered), max))

    def holds(self, pos: int) -> bool:
        i = bisect.bisect_right(self.starts, pos) - 1
        return i >= 0 and pos < self.reach[i]
