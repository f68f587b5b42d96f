"""The admin's pages, each through the admin services the API uses (auth.service, review.calendar): accounts
(create, set role, trusted flagger, deactivate), API keys (a new key is shown once, on the page that made it;
revoke), closures (the business-day calendars) and SLA hours. A refusal re-renders the page with the reason."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from ipclaims.auth import service as auth_service
from ipclaims.auth.schemas import AccountIn, KeyIn
from ipclaims.config import get_settings
from ipclaims.db import WriteTransaction, run_read
from ipclaims.errors import AppError, Unprocessable
from ipclaims.models import Role
from ipclaims.review import calendar
from ipclaims.review.schemas import ClosureIn, SlaIn
from ipclaims.web import staff
from ipclaims.web.auth import AdminUser
from ipclaims.web.templating import render

router = APIRouter()

ROLES = tuple((r.value, r.value.replace("_", " ").capitalize()) for r in Role)


def _invalid(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg')}" for e in exc.errors())


async def _page(
    request: Request,
    template: str,
    load: Callable[[Session], dict[str, Any]],
    defaults: dict[str, Any],
    extra: dict[str, Any] | None,
    status_code: int,
) -> HTMLResponse:
    """An admin page: what `load` reads, the page's defaults, then what the handler adds (an error, what was typed)."""
    context = await run_read(load) | {"error": None, "typed": {}} | defaults | (extra or {})
    return render(request, template, context, status_code=status_code)


def _load_accounts(session: Session) -> dict[str, Any]:
    return {"accounts": auth_service.list_accounts(session), "key_counts": auth_service.active_key_counts(session)}


async def _accounts(request: Request, extra: dict[str, Any] | None = None, *, status_code: int = 200) -> HTMLResponse:
    return await _page(request, "staff/admin_accounts.html", _load_accounts, {"roles": ROLES, "issued": None}, extra, status_code)


@router.get("/admin/accounts", include_in_schema=False)
async def accounts_page(request: Request, _admin: AdminUser) -> HTMLResponse:
    return await _accounts(request)


@router.post("/admin/accounts", include_in_schema=False)
async def create_account(request: Request, _admin: AdminUser, tx: WriteTransaction) -> Response:
    form = await request.form()
    typed = staff.typed(form)
    try:
        fields = {
            "name": str(form.get("name") or "").strip(),
            "role": form.get("role"),
            "email": staff.blank(form.get("email")),
            "trusted_flagger": form.get("trusted_flagger") == "true",
        }
        body = AccountIn.model_validate_json(json.dumps(fields))
    except ValidationError as exc:
        return await _accounts(request, {"error": _invalid(exc), "typed": typed}, status_code=422)
    issued = await tx.run(
        lambda session: auth_service.create_account(
            session, name=body.name, role=body.role, email=body.email, trusted_flagger=body.trusted_flagger
        )
    )
    # The key is shown here once; it is stored only as a hash.
    return await _accounts(request, {"issued": {"name": issued.account.name, "secret": issued.secret}})


@router.post("/admin/accounts/{account_id}", include_in_schema=False)
async def update_account(request: Request, account_id: str, admin: AdminUser, tx: WriteTransaction) -> Response:
    form = await request.form()
    changes: dict[str, object] = {}
    role = form.get("role")
    if role:
        if role not in {r for r, _ in ROLES}:
            return await _accounts(request, {"error": f"role: {role} is not a role"}, status_code=422)
        changes["role"] = Role(str(role))
    if "active" in form:
        changes["active"] = form.get("active") == "true"
    if "trusted_flagger" in form:
        changes["trusted_flagger"] = form.get("trusted_flagger") == "true"
    if account_id == admin.id and changes.get("active") is False:
        return await _accounts(request, {"error": "You cannot deactivate your own account."}, status_code=409)
    try:
        await tx.run(lambda session: auth_service.update_account(session, admin, account_id, changes))
    except AppError as exc:
        return await _accounts(request, {"error": staff.explain(exc)}, status_code=exc.status)
    return RedirectResponse("/admin/accounts", status_code=303)


async def _keys(request: Request, account_id: str, extra: dict[str, Any] | None = None) -> HTMLResponse:
    def load(session: Session) -> dict[str, Any]:
        account = auth_service.get_account(session, account_id)
        return {"account": account, "keys": auth_service.list_keys(session, account)}

    context = await run_read(load) | {"issued": None} | (extra or {})
    return render(request, "staff/admin_keys.html", context)


@router.get("/admin/accounts/{account_id}/keys", include_in_schema=False)
async def keys_page(request: Request, account_id: str, _admin: AdminUser) -> HTMLResponse:
    return await _keys(request, account_id)


@router.post("/admin/accounts/{account_id}/keys", include_in_schema=False)
async def issue_key(request: Request, account_id: str, _admin: AdminUser, tx: WriteTransaction) -> Response:
    form = await request.form()
    label = KeyIn(label=(staff.blank(form.get("label")) or "")[:200] or None).label
    issued = await tx.run(lambda session: auth_service.issue_key(session, auth_service.get_account(session, account_id), label=label))
    return await _keys(request, account_id, {"issued": issued.secret})


@router.post("/admin/accounts/{account_id}/keys/{key_id}/revoke", include_in_schema=False)
async def revoke_key(account_id: str, key_id: str, _admin: AdminUser, tx: WriteTransaction) -> Response:
    await tx.run(lambda session: auth_service.revoke_key(session, auth_service.get_account(session, account_id), key_id))
    return RedirectResponse(f"/admin/accounts/{account_id}/keys", status_code=303)


def _load_calendar(session: Session) -> dict[str, Any]:
    return {"closures": calendar.list_closures(session), "sla": calendar.list_sla(session)}


async def _calendar(request: Request, extra: dict[str, Any] | None = None, *, status_code: int = 200) -> HTMLResponse:
    defaults = {"regimes": staff.REGIMES, "sources": staff.SOURCES}
    return await _page(request, "staff/admin_calendar.html", _load_calendar, defaults, extra, status_code)


@router.get("/admin/calendar", include_in_schema=False)
async def calendar_page(request: Request, _admin: AdminUser) -> HTMLResponse:
    return await _calendar(request)


@router.post("/admin/closures", include_in_schema=False)
async def add_closure(request: Request, admin: AdminUser, tx: WriteTransaction) -> Response:
    form = await request.form()
    typed = staff.typed(form)
    try:
        fields = {"calendar": form.get("calendar"), "day": form.get("day"), "description": form.get("description")}
        body = ClosureIn.model_validate_json(json.dumps(fields))
        await tx.run(lambda session: calendar.add_closure(session, admin, body, get_settings()))
    except ValidationError as exc:
        return await _calendar(request, {"error": _invalid(exc), "typed": typed}, status_code=422)
    except AppError as exc:
        return await _calendar(request, {"error": staff.explain(exc), "typed": typed}, status_code=exc.status)
    return RedirectResponse("/admin/calendar", status_code=303)


@router.post("/admin/closures/{calendar_code}/{day}/delete", include_in_schema=False)
async def remove_closure(request: Request, calendar_code: str, day: str, admin: AdminUser, tx: WriteTransaction) -> Response:
    try:
        dt.date.fromisoformat(day)
    except ValueError:
        raise Unprocessable(f"day: {day} is not a date (YYYY-MM-DD)") from None
    if calendar_code not in ("US", "SG"):
        raise Unprocessable("calendar: US or SG")
    try:
        await tx.run(lambda session: calendar.remove_closure(session, admin, calendar_code, day, get_settings()))
    except AppError as exc:
        return await _calendar(request, {"error": staff.explain(exc)}, status_code=exc.status)
    return RedirectResponse("/admin/calendar", status_code=303)


@router.post("/admin/sla", include_in_schema=False)
async def set_sla(request: Request, admin: AdminUser, tx: WriteTransaction) -> Response:
    form = await request.form()
    typed = staff.typed(form)
    try:
        hours = str(form.get("hours") or "").strip()
        fields = {"regime": form.get("regime"), "source": form.get("source"), "hours": int(hours) if hours.isdecimal() else hours}
        body = SlaIn.model_validate_json(json.dumps(fields))
    except ValidationError as exc:
        return await _calendar(request, {"error": _invalid(exc), "typed": typed}, status_code=422)
    await tx.run(lambda session: calendar.set_sla(session, admin, body))
    return RedirectResponse("/admin/calendar", status_code=303)
