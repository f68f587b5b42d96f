"""Roles as Annotated dependencies (STYLE.md habit 7).

401 when there is no usable key; 403 when the caller's role may never take the action. Ownership is not checked
here: a rights holder's reads go through one visibility query in each domain's repository, which yields 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request

from ipclaims.auth import service
from ipclaims.db import DbSession
from ipclaims.errors import NotPermitted, Unauthenticated
from ipclaims.models import Account, Role

STAFF = frozenset({Role.SPECIALIST, Role.LEGAL, Role.ADMIN})
REVIEWERS = frozenset({Role.SPECIALIST, Role.LEGAL})


def current_account(request: Request, session: DbSession) -> Account:
    header = request.headers.get("authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise Unauthenticated("send `Authorization: Bearer <api_key>`", headers={"WWW-Authenticate": "Bearer"})
    account = service.authenticate(session, secret.strip(), touch=request.method not in ("GET", "HEAD"))
    if account is None:
        raise Unauthenticated("unknown or revoked API key", headers={"WWW-Authenticate": "Bearer"})
    request.state.account = account
    return account


CurrentAccount = Annotated[Account, Depends(current_account)]


def require(*roles: Role) -> Callable[[Account], Account]:
    allowed = frozenset(roles)
    names = ", ".join(sorted(allowed))

    def dependency(account: CurrentAccount) -> Account:
        if account.role not in allowed:
            raise NotPermitted(f"this action needs one of the roles: {names}")
        return account

    return dependency


StaffUser = Annotated[Account, Depends(require(*STAFF))]
ReviewerUser = Annotated[Account, Depends(require(*REVIEWERS))]
LegalUser = Annotated[Account, Depends(require(Role.LEGAL))]
AdminUser = Annotated[Account, Depends(require(Role.ADMIN))]
RightsHolderUser = Annotated[Account, Depends(require(Role.RIGHTS_HOLDER))]
