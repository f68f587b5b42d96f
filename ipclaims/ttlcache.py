"""A small per-process cache whose entries live a fixed time and never outlive an invalidation.

Used where a hot read is worth remembering for a second or two (who is calling, the SLA table) but a change made in
this process must apply to the very next request. A reader takes `generation()` before it reads the database and
`put` refuses its answer once anything was invalidated since: a read that raced an invalidation answers its own
request but is not remembered. Other processes' changes are seen once the entry's TTL has passed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def clock() -> float:
    """Monotonic seconds; tests replace it to move time."""
    return time.monotonic()


class TTLCache(Generic[K, V]):
    def __init__(self, ttl_seconds: float, max_entries: int = 10_000) -> None:
        self.ttl_seconds = ttl_seconds
        self.max_entries = max_entries
        self._entries: dict[K, tuple[float, V]] = {}
        self._generation = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def generation(self) -> int:
        return self._generation

    def get(self, key: K) -> V | None:
        entry = self._entries.get(key)
        if entry is None or entry[0] <= clock():
            return None
        return entry[1]

    def put(self, key: K, value: V, seen: int) -> None:
        """Remember `value`, read when `generation()` was `seen`, unless something was invalidated since."""
        expires = clock() + self.ttl_seconds
        with self._lock:
            if seen == self._generation:
                if len(self._entries) >= self.max_entries:
                    self._entries.clear()  # a flood of distinct keys: start over rather than track ages
                self._entries[key] = (expires, value)

    def replace(self, key: K, change: Callable[[V], V]) -> None:
        """Change a remembered value in place, keeping its expiry (no-op when the key is not remembered)."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries[key] = (entry[0], change(entry[1]))

    def invalidate(self, stale: Callable[[K, V], bool] | None = None) -> None:
        """Drop the entries `stale` picks (all without it); reads that began before this are not stored."""
        with self._lock:
            self._generation += 1
            if stale is None:
                self._entries.clear()
                return
            for key in [k for k, (_expires, value) in self._entries.items() if stale(k, value)]:
                del self._entries[key]

    def clear(self) -> None:
        self.invalidate()
