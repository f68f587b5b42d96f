"""Response shapes of matching (CONTRACT.md "A match")."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class Region(BaseModel):
    """Where the reference appears in the uploaded image, in its pixels (as a viewer shows it, EXIF applied)."""

    x: int
    y: int
    width: int
    height: int


class MatchOut(BaseModel):
    work_id: str
    image_id: str
    score: float = Field(ge=0, le=1)
    verdict: Literal["match", "possible", "none"]
    method: str
    distance: int | None = Field(description="Hamming distance of the closest perceptual hashes (of `bits`)")
    bits: int | None = None
    region: Region | None = None
    mirrored: bool = False
    inliers: int = Field(0, description="local-feature correspondences agreeing on one geometry")
    reason: str = ""
    work_title: str | None = None
    conflict: dict[str, str] | None = Field(
        default=None,
        description=(
            "set when the work is in an ownership conflict (`id`, `status`, `reason`): a `match` is then shown as "
            "`possible`, since no decision may rest on a disputed reference until staff resolve it"
        ),
    )


class MatchList(BaseModel):
    matches: list[MatchOut]
