"""Each person's page settings (models.AccountPreference): for now, whether reported images start blurred.

`POST /account/preferences` is on every signed-in staff member's review page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from ipclaims.db import WriteTransaction
from ipclaims.models import Account, AccountPreference
from ipclaims.web.auth import StaffUser, safe_next

router = APIRouter()


def blur_images(session: Session, account: Account) -> bool:
    row = session.get(AccountPreference, account.id)
    return True if row is None else row.blur_reported_images


def set_blur(session: Session, account: Account, blur: bool) -> None:
    row = session.get(AccountPreference, account.id)
    if row is None:
        session.add(AccountPreference(account_id=account.id, blur_reported_images=blur))
    else:
        row.blur_reported_images = blur


@router.post("/account/preferences", include_in_schema=False)
async def save(request: Request, user: StaffUser, tx: WriteTransaction) -> Response:
    form = await request.form()
    blur = form.get("blur_reported_images") == "true"
    await tx.run(lambda session: set_blur(session, user, blur))
    back = form.get("next")
    return RedirectResponse(safe_next(back if isinstance(back, str) else None) or "/queue", status_code=303)
