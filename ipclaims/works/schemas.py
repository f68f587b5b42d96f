"""Request and response shapes of the reference-works API (CONTRACT.md "Reference works and matching")."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from ipclaims.http import StrictModel


class WorkIn(StrictModel):
    title: str = Field(min_length=1, max_length=500)
    kind: Literal["copyright", "trademark"] = "copyright"
    registration_number: str | None = Field(default=None, max_length=100)
    description: str | None = Field(default=None, max_length=10_000)

    @field_validator("title")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("title must not be blank")
        return value.strip()


class WorkCreate(WorkIn):
    on_behalf_of: str | None = Field(default=None, description="staff only: the rights-holder account that owns it")


class ImageOut(BaseModel):
    id: str
    work_id: str
    sha256: str
    media_type: str
    width: int
    height: int
    size_bytes: int
    hashed: bool
    created_at: datetime


class WorkOut(BaseModel):
    id: str
    title: str
    kind: str
    registration_number: str | None
    description: str | None
    owner_id: str
    images: list[ImageOut]
    created_at: datetime


class WorkPage(BaseModel):
    items: list[WorkOut]
    next_cursor: str | None = None
