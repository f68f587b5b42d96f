"""The pages' Jinja2 environment: templates under `templates/pages/`, found relative to the installed package
(`resources.resource_dir`), always autoescaped. `render` gives every template the signed-in user, the CSRF token
and the navigation for the user's role."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from ipclaims import __version__
from ipclaims.models import Account, Role
from ipclaims.resources import resource_dir
from ipclaims.triage import priority
from ipclaims.web import claim_form
from ipclaims.web.session import get_page_session

STATIC_PREFIX = "/static"


@dataclass(frozen=True)
class NavLink:
    href: str
    label: str


# Each role's navigation; a page for a role that is not built yet is simply not linked.
NAV: dict[Role, tuple[NavLink, ...]] = {
    Role.RIGHTS_HOLDER: (NavLink("/claims", "My claims"), NavLink("/claims/new", "File a claim"), NavLink("/works", "Reference works")),
    Role.SPECIALIST: (NavLink("/queue", "Queue"), NavLink("/notices/import", "Import a notice"), NavLink("/reports", "Reports")),
    Role.LEGAL: (
        NavLink("/queue", "Queue"),
        NavLink("/escalated", "Escalated"),
        NavLink("/notices/import", "Import a notice"),
        NavLink("/letters", "Letters"),
        NavLink("/reports", "Reports"),
    ),
    Role.ADMIN: (
        NavLink("/reports", "Reports"),
        NavLink("/admin/accounts", "Accounts"),
        NavLink("/admin/calendar", "Calendar"),
        NavLink("/letters", "Letters"),
        NavLink("/notices/import", "Import a notice"),
    ),
}


def pages_dir() -> Any:
    return resource_dir("templates") / "pages"


@functools.lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(pages_dir())),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["static"] = lambda path: f"{STATIC_PREFIX}/{path}?v={__version__}"
    env.filters["priority_reason"] = priority.reason_words
    env.globals["registries_offered"] = claim_form.REGISTRIES
    return env


def nav_for(account: Account | None) -> tuple[NavLink, ...]:
    return NAV.get(account.role, ()) if account is not None else ()


def render(request: Request, template: str, context: dict[str, Any] | None = None, *, status_code: int = 200) -> HTMLResponse:
    user = getattr(request.state, "page_user", None)
    user = user if isinstance(user, Account) else None
    values = {
        "request": request,
        "user": user,
        "nav": nav_for(user),
        "current_path": request.url.path,
        "csrf_token": get_page_session(request.scope).csrf_token,
        **(context or {}),
    }
    html = environment().get_template(template).render(values)
    return HTMLResponse(html, status_code=status_code, headers={"cache-control": "no-store"})
