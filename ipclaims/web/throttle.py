"""Failed sign-ins, throttled per email and per client address: at most `LIMIT` in `WINDOW_S`, then 429 until
the oldest failure leaves the window. In memory, per process: with `--workers N` an attacker gets N times the
budget, which still turns an online guess rate into a handful per quarter hour."""

from __future__ import annotations

import threading
import time
from collections import deque

LIMIT = 5
WINDOW_S = 15 * 60
_MAX_KEYS = 100_000  # a flood of distinct emails must not grow memory without bound

_lock = threading.Lock()
_failures: dict[str, deque[float]] = {}


def _recent(key: str, now: float) -> deque[float]:
    times = _failures.get(key)
    if times is None:
        return deque()
    while times and now - times[0] >= WINDOW_S:
        times.popleft()
    if not times:
        _failures.pop(key, None)
    return times


def retry_after(keys: list[str], now: float | None = None) -> int:
    """Seconds until a sign-in for these keys may be tried again; 0 when it may be tried now."""
    now = time.monotonic() if now is None else now
    wait = 0.0
    with _lock:
        for key in keys:
            times = _recent(key, now)
            if len(times) >= LIMIT:
                wait = max(wait, WINDOW_S - (now - times[-LIMIT]))
    return int(wait) + (1 if wait else 0)


def record_failure(keys: list[str], now: float | None = None) -> None:
    now = time.monotonic() if now is None else now
    with _lock:
        if len(_failures) > _MAX_KEYS:
            _failures.clear()
        for key in keys:
            _recent(key, now)
            _failures.setdefault(key, deque(maxlen=LIMIT * 2)).append(now)


def forget(keys: list[str]) -> None:
    with _lock:
        for key in keys:
            _failures.pop(key, None)


def reset() -> None:
    with _lock:
        _failures.clear()


def keys_for(email: str, client: str | None) -> list[str]:
    return [f"email:{email.strip().lower()}", f"ip:{client or '?'}"]
