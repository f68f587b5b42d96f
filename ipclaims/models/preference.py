"""A signed-in person's own settings for the web pages (one row per account, made on first change)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ipclaims.models.base import Base, utcnow


class AccountPreference(Base):
    __tablename__ = "account_preference"

    account_id: Mapped[str] = mapped_column(String(26), ForeignKey("account.id", ondelete="CASCADE"), primary_key=True)
    # Reviewer wellness: reported images are blurred and greyscale until revealed, unless the reviewer turns it off.
    blur_reported_images: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
