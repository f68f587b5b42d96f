"""Roles as Annotated dependencies (STYLE.md habit 7).

401 when there is no usable key; 403 when the caller's role may never take the action. Ownership is not checked
here: a rights holder's reads go through one visibility query in each domain's repository, which yields 404.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from ipclaims.auth import cache, service
from ipclaims.auth.keys import hash_key
from ipclaims.config import get_settings
from ipclaims.db import defer_write
from ipclaims.errors import NotPermitted, Unauthenticated
from ipclaims.models import Account, Role, utcnow
from ipclaims.models.account import REVIEWER_ROLES

STAFF = frozenset({Role.SPECIALIST, Role.LEGAL, Role.ADMIN})
REVIEWERS = REVIEWER_ROLES


async def current_account(request: Request) -> Account:
    """The caller, from `auth.cache` when its key was seen within the last second, else from the database.

    Async and sessionless: a cache hit costs no thread hand-off and no query, and never waits for the request's
    own session (so a route can do its pure work before it queues for a write turn). The hourly `last_used_at`
    refresh is written by the request's own transaction (`db.defer_write`).
    """
    header = request.headers.get("authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise Unauthenticated("send `Authorization: Bearer <api_key>`", headers={"WWW-Authenticate": "Bearer"})
    url = get_settings().database_url
    key_hash = hash_key(secret.strip())
    caller = cache.get(url, key_hash) or await run_in_threadpool(service.load_caller, url, key_hash)
    if caller is None:
        raise Unauthenticated("unknown or revoked API key", headers={"WWW-Authenticate": "Bearer"})
    if request.method not in ("GET", "HEAD"):
        now = utcnow()
        if service.needs_touch(caller.last_used_at, now):
            defer_write(request, partial(service.touch_key, key_id=caller.key_id, at=now))
            cache.mark_used(url, key_hash, now)
    request.state.account = caller.account
    return caller.account


CurrentAccount = Annotated[Account, Depends(current_account)]


def require(*roles: Role) -> Callable[[Account], Awaitable[Account]]:
    allowed = frozenset(roles)
    names = ", ".join(sorted(allowed))

    async def dependency(account: CurrentAccount) -> Account:  # async: a role check needs no thread
        if account.role not in allowed:
            raise NotPermitted(f"this action needs one of the roles: {names}")
        return account

    return dependency


StaffUser = Annotated[Account, Depends(require(*STAFF))]
ReviewerUser = Annotated[Account, Depends(require(*REVIEWERS))]
LegalUser = Annotated[Account, Depends(require(Role.LEGAL))]
AdminUser = Annotated[Account, Depends(require(Role.ADMIN))]
RightsHolderUser = Annotated[Account, Depends(require(Role.RIGHTS_HOLDER))]
