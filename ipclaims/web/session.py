"""The browser session: a signed cookie (itsdangerous, keyed by IPCLAIMS_SECRET_KEY), HttpOnly, SameSite=Lax,
Secure in production. No server-side store: the cookie holds the account id, the password stamp
(`auth.passwords.stamp`: a changed password ends the session) and the CSRF token.

`PageSessionMiddleware` loads it for page paths only (the JSON API never reads or sets it), and writes it back
when a handler changed it; it also puts the security headers on every page.
"""

from __future__ import annotations

import secrets
from collections.abc import MutableMapping
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ipclaims.config import Mode, get_settings

COOKIE = "ipclaims_session"
MAX_AGE_S = 12 * 3600  # a working day; signing in again after that is cheap
API_PREFIXES = ("/api/", "/healthz", "/docs")

# `'self'` only: every script, style and image is served by the app (CONTRACT.md "Web pages"). `img-src blob:` is
# for the upload previews, made in the browser from the chosen file.
CSP = (
    "default-src 'self'; img-src 'self' data: blob:; script-src 'self'; style-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
}


class PageSession(dict[str, Any]):
    """The cookie's contents; `changed` once anything was set, so the cookie is only re-sent when it must be."""

    def __init__(self, data: dict[str, Any] | None = None) -> None:
        super().__init__(data or {})
        self.changed = False

    def __setitem__(self, key: str, value: Any) -> None:
        self.changed = True
        super().__setitem__(key, value)

    def clear(self) -> None:
        self.changed = True
        super().clear()

    @property
    def csrf_token(self) -> str:
        token = self.get("csrf")
        if not isinstance(token, str):
            token = secrets.token_urlsafe(32)
            self["csrf"] = token
        return token

    def sign_in(self, account_id: str, stamp: str) -> None:
        """A fresh session (and CSRF token) at sign-in: a token planted before it is worth nothing after."""
        self.clear()
        self["account"] = account_id
        self["stamp"] = stamp
        self["csrf"] = secrets.token_urlsafe(32)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(get_settings().secret_key, salt="ipclaims.web.session")


def load(cookie: str | None) -> PageSession:
    if not cookie:
        return PageSession()
    try:
        data = _serializer().loads(cookie, max_age=MAX_AGE_S)
    except BadSignature:  # also SignatureExpired: an old or forged cookie is simply no session
        return PageSession()
    return PageSession(data if isinstance(data, dict) else None)


def dump(session: PageSession) -> str:
    return _serializer().dumps(dict(session))


def is_page_path(path: str) -> bool:
    return not path.startswith(API_PREFIXES)


def get_page_session(scope: MutableMapping[str, Any]) -> PageSession:
    session = scope.get("state", {}).get("page_session")
    if not isinstance(session, PageSession):
        session = PageSession()
        scope.setdefault("state", {})["page_session"] = session
    return session


class PageSessionMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_page_path(scope["path"]):
            await self.app(scope, receive, send)
            return
        session = load(HTTPConnection(scope).cookies.get(COOKIE))
        scope.setdefault("state", {})["page_session"] = session
        secure = get_settings().env is Mode.PRODUCTION

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if session.changed:
                    flags = f"Path=/; HttpOnly; SameSite=Lax; Max-Age={MAX_AGE_S}" + ("; Secure" if secure else "")
                    value = dump(session) if session else ""
                    if not session:
                        flags = "Path=/; HttpOnly; SameSite=Lax; Max-Age=0" + ("; Secure" if secure else "")
                    headers.append("set-cookie", f"{COOKIE}={value}; {flags}")
            await send(message)

        await self.app(scope, receive, send_with_cookie)
