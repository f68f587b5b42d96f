"""CSRF: one token per session, sent back as the form field `csrf_token` or the header `X-CSRF-Token` (htmx and
scripted requests). Every page route runs `csrf_protect` (the web router's own dependency): a request that is not
GET/HEAD/OPTIONS without the session's token is 403, before the handler does anything."""

from __future__ import annotations

import hmac
from collections.abc import AsyncIterator

from fastapi import Request

from ipclaims.errors import NotPermitted
from ipclaims.web.session import get_page_session

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FIELD = "csrf_token"
HEADER = "x-csrf-token"


class CsrfRejected(NotPermitted):
    code, title = "csrf", "Form expired or not sent from this site"


async def csrf_protect(request: Request) -> AsyncIterator[None]:
    if request.method in SAFE_METHODS:
        yield
        return
    expected = get_page_session(request.scope).get("csrf")
    sent: object = request.headers.get(HEADER)
    form = None
    if not sent and request.headers.get("content-type", "").startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()  # Starlette keeps the parsed form: the handler reads it again for free
        sent = form.get(FIELD)
    try:
        if not isinstance(expected, str) or not isinstance(sent, str) or not hmac.compare_digest(expected.encode(), sent.encode()):
            raise CsrfRejected("the form had no valid CSRF token; reload the page and send it again")
        yield
    finally:
        if form is not None:
            await form.close()  # uploaded parts spooled to temporary files go now, whatever the handler did
