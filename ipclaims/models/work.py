"""Reference works, their images, and what matching keeps per image (hashes and local features)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ipclaims.models.base import Base, CreatedMixin, IdMixin, JSONType, StrEnumType
from ipclaims.models.event import BigId


class WorkKind(StrEnum):
    COPYRIGHT = "copyright"
    TRADEMARK = "trademark"


class Work(IdMixin, CreatedMixin, Base):
    __tablename__ = "work"
    __table_args__ = (Index("ix_work_owner_id_id", "owner_id", "id"),)

    owner_id: Mapped[str] = mapped_column(ForeignKey("account.id"))
    title: Mapped[str] = mapped_column(Text)
    kind: Mapped[WorkKind] = mapped_column(StrEnumType(WorkKind, 20))
    registration_number: Mapped[str | None] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text)

    images: Mapped[list[WorkImage]] = relationship(
        back_populates="work", lazy="raise", cascade="all, delete-orphan", order_by="WorkImage.id"
    )


class WorkImage(IdMixin, CreatedMixin, Base):
    """One stored reference image: bytes on disk under IPCLAIMS_DATA_DIR, content-addressed by sha256."""

    __tablename__ = "work_image"
    __table_args__ = (UniqueConstraint("work_id", "sha256"),)

    work_id: Mapped[str] = mapped_column(ForeignKey("work.id", ondelete="CASCADE"), index=True)
    owner_id: Mapped[str] = mapped_column(ForeignKey("account.id"), index=True)  # the work's owner, for scoped search
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    media_type: Mapped[str] = mapped_column(String(40))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    path: Mapped[str] = mapped_column(Text)  # relative to IPCLAIMS_DATA_DIR
    # Bumped when the hashing scheme changes; the worker re-hashes rows below the current version.
    hash_version: Mapped[int] = mapped_column(Integer, default=0)
    hashed_at: Mapped[datetime | None]

    work: Mapped[Work] = relationship(back_populates="images", lazy="raise")


class ImageHash(Base):
    """One perceptual hash of a reference image or of one of its regions.

    The bits are kept as up to four signed 64-bit words so PostgreSQL can rank candidates itself with
    ``bit_count((w0 # :q0)::bit(64)) + …`` when no in-memory index is at hand (several servers, cold start).
    """

    __tablename__ = "image_hash"
    # AUTOINCREMENT on SQLite: ids are never reused after a delete, so the in-memory library's watermark on `id`
    # cannot mistake a re-hashed image's new rows for rows it already holds.
    __table_args__ = (Index("ix_image_hash_kind_id", "kind", "id"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    image_id: Mapped[str] = mapped_column(ForeignKey("work_image.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    region: Mapped[list[float] | None] = mapped_column(JSONType)  # [x, y, w, h] as fractions; null = whole image
    w0: Mapped[int] = mapped_column(BigInteger)
    w1: Mapped[int | None] = mapped_column(BigInteger)
    w2: Mapped[int | None] = mapped_column(BigInteger)
    w3: Mapped[int | None] = mapped_column(BigInteger)


class ImageFeatures(Base):
    """What verification needs of a reference image: its local features (ORB keypoints and descriptors) and a small
    grey thumbnail (PNG) for dense alignment where local features are too few."""

    __tablename__ = "image_features"

    image_id: Mapped[str] = mapped_column(ForeignKey("work_image.id", ondelete="CASCADE"), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    thumb: Mapped[bytes | None] = mapped_column(LargeBinary)
    meta: Mapped[dict[str, Any] | None] = mapped_column(JSONType)


class ItemContent(IdMixin, CreatedMixin, Base):
    """The reported material of a claim item as an image, and the matches found for it."""

    __tablename__ = "item_content"

    item_id: Mapped[str] = mapped_column(ForeignKey("claim_item.id", ondelete="CASCADE"), index=True)
    uploaded_by_id: Mapped[str | None] = mapped_column(ForeignKey("account.id"))  # None: fetched by the worker
    sha256: Mapped[str] = mapped_column(String(64))
    media_type: Mapped[str] = mapped_column(String(40))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    path: Mapped[str] = mapped_column(Text)
    matches: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)


class ItemMatchWork(Base):
    """Which works an item's stored matches name (`claim_item.matches`), one row per item and work: when a conflict
    opens or is resolved, the undecided items to re-stamp are found by the work through an index, not by searching
    the text of every item's matches. Written with the matches (`matching.service.store_content`)."""

    __tablename__ = "item_match_work"
    __table_args__ = (Index("ix_item_match_work_work_id_item_id", "work_id", "item_id"),)

    item_id: Mapped[str] = mapped_column(ForeignKey("claim_item.id", ondelete="CASCADE"), primary_key=True)
    work_id: Mapped[str] = mapped_column(String(26), primary_key=True)
