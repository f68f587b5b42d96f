"""Who is signed in, as page dependencies: signed out → a redirect to `/login?next=`; a role that may never see
the page → the 403 page (CONTRACT.md "Web pages"). Ownership is not checked here: the services' own visibility
queries make another holder's claim a 404, as in the API.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request

from ipclaims.auth.passwords import stamp_matches
from ipclaims.db import run_read
from ipclaims.errors import NotPermitted
from ipclaims.models import Account, Role
from ipclaims.web.session import get_page_session

STAFF = frozenset({Role.SPECIALIST, Role.LEGAL, Role.ADMIN})


class SignInRequired(Exception):
    """Raised by a page dependency when nobody (or an ended session) is signed in; answered with a redirect."""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url

    @property
    def location(self) -> str:
        return "/login?next=" + quote(self.next_url, safe="/")


def _next_of(request: Request) -> str:
    # Only a GET page is worth coming back to; after a POST the form's page is.
    if request.method == "GET":
        return request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return request.headers.get("hx-current-url", "").partition(str(request.base_url).rstrip("/"))[2] or "/"


async def optional_user(request: Request) -> Account | None:
    """The signed-in account, if its session is still good: active, and signed in with its current password."""
    cached = getattr(request.state, "page_user", None)
    if cached is not None:
        return cached if isinstance(cached, Account) else None
    session = get_page_session(request.scope)
    account_id = session.get("account")
    account: Account | None = None
    if isinstance(account_id, str):
        account = await run_read(lambda s: s.get(Account, account_id))
        if account is None or not account.active or not stamp_matches(account, session.get("stamp")):
            # Deactivated, or the password changed since: this session is over.
            session.clear()
            account = None
    request.state.page_user = account if account is not None else False
    return account


OptionalUser = Annotated[Account | None, Depends(optional_user)]


async def current_user(request: Request, account: Annotated[Account | None, Depends(optional_user)]) -> Account:
    if account is None:
        raise SignInRequired(_next_of(request))
    return account


CurrentUser = Annotated[Account, Depends(current_user)]


def require_role(*roles: Role) -> Callable[[Account], Awaitable[Account]]:
    allowed = frozenset(roles)

    async def dependency(account: CurrentUser) -> Account:
        if account.role not in allowed:
            raise NotPermitted("this page is for another role: " + ", ".join(sorted(r.value for r in allowed)))
        return account

    return dependency


HolderUser = Annotated[Account, Depends(require_role(Role.RIGHTS_HOLDER))]
StaffUser = Annotated[Account, Depends(require_role(*STAFF))]
ReviewerUser = Annotated[Account, Depends(require_role(Role.SPECIALIST, Role.LEGAL))]
LegalUser = Annotated[Account, Depends(require_role(Role.LEGAL))]
AdminUser = Annotated[Account, Depends(require_role(Role.ADMIN))]


def home_for(account: Account | None) -> str:
    """Where `/` sends each role."""
    if account is None:
        return "/login"
    if account.role is Role.RIGHTS_HOLDER:
        return "/claims"
    if account.role is Role.ADMIN:
        return "/reports"
    return "/queue"


def safe_next(value: str | None) -> str | None:
    """A `next` that stays on this site: a path, never `//host` or a scheme."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return None
    return value
