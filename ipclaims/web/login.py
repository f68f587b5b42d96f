"""Sign-in and sign-out, and `/`, which sends each role to its start page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from ipclaims.auth import passwords
from ipclaims.db import WriteTransaction, get_transaction, run_read
from ipclaims.errors import AppError
from ipclaims.models import Account
from ipclaims.web import throttle
from ipclaims.web.auth import OptionalUser, home_for, safe_next
from ipclaims.web.session import get_page_session
from ipclaims.web.templating import render

router = APIRouter()


class TooManyAttempts(AppError):
    status, code, title = 429, "too-many-attempts", "Too many failed sign-ins"


@router.get("/", include_in_schema=False)
async def index(user: OptionalUser) -> RedirectResponse:
    return RedirectResponse(home_for(user), status_code=303)


@router.get("/login", include_in_schema=False)
async def login_form(request: Request, user: OptionalUser, next: str | None = None) -> Response:
    if user is not None:
        return RedirectResponse(safe_next(next) or home_for(user), status_code=303)
    return render(request, "login.html", {"next": safe_next(next) or "", "email": "", "error": None})


@router.post("/login", include_in_schema=False)
async def login(
    request: Request,
    tx: WriteTransaction,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=passwords.MAX_LENGTH)] = "",
    next: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    keys = throttle.keys_for(email, request.client.host if request.client else None)
    # Recorded as a failure before the password is checked, so parallel attempts count each other (`throttle`).
    wait, reserved = await tx.run(lambda session: throttle.reserve(session, keys))
    if wait:
        raise TooManyAttempts(f"too many failed sign-ins; try again in {wait // 60 + 1} minutes", headers={"Retry-After": str(wait)})
    # A read, in the threadpool: argon2's deliberate slowness must never hold a write turn or the event loop.
    account: Account | None = await run_read(lambda session: passwords.authenticate(session, email, password))
    if account is None:
        context = {"next": safe_next(next) or "", "email": email, "error": "That email and password do not match an active account."}
        return render(request, "login.html", context, status_code=400)
    # The request's transaction was spent on the reservation: taking it back is a second, short one.
    await (await get_transaction(request)).run(lambda session: throttle.succeeded(session, keys, reserved))
    get_page_session(request.scope).sign_in(account.id, passwords.stamp(account))
    request.state.page_user = account
    return RedirectResponse(safe_next(next) or home_for(account), status_code=303)


@router.post("/logout", include_in_schema=False)
async def logout(request: Request) -> RedirectResponse:
    get_page_session(request.scope).clear()
    return RedirectResponse("/login", status_code=303)
