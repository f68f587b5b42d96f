"""Request and response shapes of the reference-works API (CONTRACT.md "Reference works and matching")."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

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


class ConflictRef(BaseModel):
    id: str
    status: str
    outcome: str | None


class WorkOut(BaseModel):
    id: str
    title: str
    kind: str
    registration_number: str | None
    description: str | None
    owner_id: str
    images: list[ImageOut]
    created_at: datetime
    conflicts: list[ConflictRef] = Field(
        default_factory=list,
        description="ownership conflicts with another holder's work (issue 21); while one is open the work backs no `match`",
    )


class WorkPage(BaseModel):
    items: list[WorkOut]
    next_cursor: str | None = None


class ConflictWork(BaseModel):
    id: str
    title: str | None
    owner_id: str | None


class ConflictOut(BaseModel):
    id: str
    status: str = Field(description="open or resolved")
    work: ConflictWork = Field(description="the work whose newly registered image matched the other")
    image_id: str
    other_work: ConflictWork
    other_image_id: str | None
    detail: dict[str, Any] = Field(description="the matching pipeline's evidence: score, method, reason")
    outcome: str | None
    winner_work_id: str | None
    reason: str | None
    resolved_by: str | None
    resolved_at: datetime | None
    created_at: datetime


class ConflictPage(BaseModel):
    items: list[ConflictOut]


class ConflictResolveIn(StrictModel):
    outcome: Literal["winner", "both_valid", "neither"] = Field(
        description="winner: only `winner_work_id` backs matches again; both_valid (a licence, co-ownership): both do; neither: none"
    )
    winner_work_id: str | None = Field(default=None, max_length=26)
    reason: str = Field(min_length=1, max_length=5000)

    @field_validator("reason")
    @classmethod
    def _reason(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("reason must not be blank")
        return value.strip()
