"""Who is calling, remembered for about a second: API key hash → account, per process.

Every request authenticates; without this each one queries `api_key ⋈ account` first. The staleness is bounded:

* in this process, revoking a key or changing an account (`auth.service`) drops its entries at once and again
  when that transaction commits, so the very next request sees the change;
* in another process (another `serve` worker, the CLI) an entry lives at most `TTL_SECONDS`, after which the
  next request reads the database again.

A lookup that began before an invalidation never stores its (possibly stale) answer: `generation()` is taken before
reading and `put` refuses it once anything was invalidated since (`ttlcache.TTLCache`). Unknown keys are not
remembered, so a key issued a moment ago works at once. Entries are keyed by database URL as well, and dropped with the engines
(`db.dispose_engines`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from ipclaims.db import on_dispose
from ipclaims.models import Account
from ipclaims.ttlcache import TTLCache

TTL_SECONDS = 1.0
MAX_ENTRIES = 10_000


@dataclass(frozen=True)
class Caller:
    """A detached snapshot of the key's account, shared read-only by the requests that present the key."""

    account: Account
    key_id: str
    last_used_at: datetime | None


callers: TTLCache[tuple[str, str], Caller] = TTLCache(TTL_SECONDS, MAX_ENTRIES)


def generation() -> int:
    return callers.generation()


def get(url: str, key_hash: str) -> Caller | None:
    return callers.get((url, key_hash))


def put(url: str, key_hash: str, account: Account, key_id: str, last_used_at: datetime | None, seen: int) -> Caller:
    caller = Caller(account, key_id, last_used_at)
    callers.put((url, key_hash), caller, seen)
    return caller


def mark_used(url: str, key_hash: str, at: datetime) -> None:
    callers.replace((url, key_hash), lambda caller: replace(caller, last_used_at=at))


def forget_key(key_hash: str) -> None:
    callers.invalidate(lambda key, _caller: key[1] == key_hash)


def forget_account(account_id: str) -> None:
    callers.invalidate(lambda _key, caller: caller.account.id == account_id)


def clear() -> None:
    callers.clear()


on_dispose(clear)
