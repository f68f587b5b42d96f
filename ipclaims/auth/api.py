"""Accounts and keys (admin), and `GET /api/v1/me` for any caller."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from ipclaims.auth import service
from ipclaims.auth.deps import AdminUser, CurrentAccount
from ipclaims.auth.schemas import AccountIn, AccountList, AccountOut, AccountPatch, IssuedKeyOut, KeyIn, KeyOut
from ipclaims.db import DbSession
from ipclaims.http import Page, body_schema, json_body
from ipclaims.models import Account, Role

router = APIRouter(prefix="/api/v1", tags=["accounts"])


def account_out(a: Account) -> AccountOut:
    return AccountOut(
        id=a.id, name=a.name, role=a.role, email=a.email, trusted_flagger=a.trusted_flagger, active=a.active, created_at=a.created_at
    )


@router.get("/me", response_model=AccountOut)
def me(actor: CurrentAccount) -> AccountOut:
    return account_out(actor)


@router.get("/accounts", response_model=AccountList)
def list_accounts(session: DbSession, _admin: AdminUser, role: Role | None = None) -> AccountList:
    return AccountList(items=[account_out(a) for a in service.list_accounts(session, role=role)])


@router.post("/accounts", status_code=201, response_model=IssuedKeyOut, openapi_extra=body_schema(AccountIn))
def create_account(session: DbSession, _admin: AdminUser, body: Annotated[AccountIn, Depends(json_body(AccountIn))]) -> IssuedKeyOut:
    issued = service.create_account(session, name=body.name, role=body.role, email=body.email, trusted_flagger=body.trusted_flagger)
    return IssuedKeyOut(id=issued.account.id, role=issued.account.role, api_key=issued.secret, key_id=issued.key.id)


@router.patch("/accounts/{account_id}", response_model=AccountOut, openapi_extra=body_schema(AccountPatch))
def update_account(
    account_id: str, session: DbSession, admin: AdminUser, body: Annotated[AccountPatch, Depends(json_body(AccountPatch))]
) -> AccountOut:
    return account_out(service.update_account(session, admin, account_id, body.model_dump(exclude_unset=True)))


@router.get("/accounts/{account_id}/keys", response_model=Page[KeyOut])
def list_keys(account_id: str, session: DbSession, _admin: AdminUser) -> Page[KeyOut]:
    account = service.get_account(session, account_id)
    return Page(
        items=[
            KeyOut(id=k.id, prefix=k.prefix, label=k.label, created_at=k.created_at, last_used_at=k.last_used_at, revoked_at=k.revoked_at)
            for k in service.list_keys(session, account)
        ]
    )


@router.post("/accounts/{account_id}/keys", status_code=201, response_model=IssuedKeyOut, openapi_extra=body_schema(KeyIn))
def issue_key(account_id: str, session: DbSession, _admin: AdminUser, body: Annotated[KeyIn, Depends(json_body(KeyIn))]) -> IssuedKeyOut:
    issued = service.issue_key(session, service.get_account(session, account_id), label=body.label)
    return IssuedKeyOut(id=issued.account.id, role=issued.account.role, api_key=issued.secret, key_id=issued.key.id)


@router.delete("/accounts/{account_id}/keys/{key_id}", response_model=KeyOut)
def revoke_key(account_id: str, key_id: str, session: DbSession, _admin: AdminUser) -> KeyOut:
    k = service.revoke_key(session, service.get_account(session, account_id), key_id)
    return KeyOut(id=k.id, prefix=k.prefix, label=k.label, created_at=k.created_at, last_used_at=k.last_used_at, revoked_at=k.revoked_at)
