"""Who is calling, remembered for about a second: API key hash → account, per process.

Every request authenticates; without this each one queries `api_key ⋈ account` first. The staleness is bounded:

* in this process, revoking a key or changing an account (`auth.service`) drops its entries at once and again
  when that transaction commits, so the very next request sees the change;
* in another process (another `serve` worker, the CLI) an entry lives at most `TTL_SECONDS`, after which the
  next request reads the database again.

A lookup that began before an invalidation never stores its (possibly stale) answer: `generation()` is taken before
reading and `put` refuses it once anything was invalidated since. Unknown keys are not remembered, so a key issued
a moment ago works at once. Entries are keyed by database URL as well, and dropped with the engines
(`db.dispose_engines`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from ipclaims.db import on_dispose
from ipclaims.models import Account

TTL_SECONDS = 1.0
MAX_ENTRIES = 10_000


@dataclass(frozen=True)
class Caller:
    """A detached snapshot of the key's account, shared read-only by the requests that present the key."""

    account: Account
    key_id: str
    last_used_at: datetime | None
    expires: float


_entries: dict[tuple[str, str], Caller] = {}
_generation = 0
_lock = threading.Lock()


def clock() -> float:
    return time.monotonic()


def generation() -> int:
    return _generation


def get(url: str, key_hash: str) -> Caller | None:
    caller = _entries.get((url, key_hash))
    if caller is None or caller.expires <= clock():
        return None
    return caller


def put(url: str, key_hash: str, account: Account, key_id: str, last_used_at: datetime | None, seen: int) -> Caller:
    caller = Caller(account, key_id, last_used_at, clock() + TTL_SECONDS)
    with _lock:
        if seen == _generation:
            if len(_entries) >= MAX_ENTRIES:
                _entries.clear()  # a flood of distinct keys: start over rather than track ages
            _entries[(url, key_hash)] = caller
    return caller


def mark_used(url: str, key_hash: str, at: datetime) -> None:
    with _lock:
        caller = _entries.get((url, key_hash))
        if caller is not None:
            _entries[(url, key_hash)] = replace(caller, last_used_at=at)


def _invalidate(stale: Callable[[str, Caller], bool]) -> None:
    global _generation
    with _lock:
        _generation += 1
        for entry_key in [k for k, caller in _entries.items() if stale(k[1], caller)]:
            del _entries[entry_key]


def forget_key(key_hash: str) -> None:
    _invalidate(lambda hashed, _caller: hashed == key_hash)


def forget_account(account_id: str) -> None:
    _invalidate(lambda _hashed, caller: caller.account.id == account_id)


def clear() -> None:
    _invalidate(lambda _hashed, _caller: True)


on_dispose(clear)
