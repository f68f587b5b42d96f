from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from ipclaims.http import BoundedEmail, StrictModel
from ipclaims.models import Role


class AccountIn(StrictModel):
    name: str = Field(min_length=1, max_length=200)
    role: Role
    email: BoundedEmail | None = None
    trusted_flagger: bool = False


class AccountPatch(StrictModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    email: BoundedEmail | None = None
    trusted_flagger: bool | None = None
    active: bool | None = None


class KeyIn(StrictModel):
    label: str | None = Field(default=None, max_length=200)


class AccountOut(BaseModel):
    id: str
    name: str
    role: Role
    email: str | None
    trusted_flagger: bool
    active: bool
    created_at: datetime


class IssuedKeyOut(BaseModel):
    id: str
    role: Role
    api_key: str = Field(description="shown once; only its SHA-256 is stored")
    key_id: str


class KeyOut(BaseModel):
    id: str
    prefix: str
    label: str | None
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class AccountList(BaseModel):
    items: list[AccountOut]
    next_cursor: str | None = None
