"""Failed sign-ins, one row each, kept in the database so every process and worker shares the throttle
(`ipclaims.web.throttle`); rows older than the window are pruned as new failures arrive."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ipclaims.models.base import Base


class SignInFailure(Base):
    __tablename__ = "sign_in_failure"
    __table_args__ = (Index("ix_sign_in_failure_key_at", "key", "at"), Index("ix_sign_in_failure_at", "at"))

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(400))  # `email:…` or `ip:…`
    at: Mapped[datetime]
