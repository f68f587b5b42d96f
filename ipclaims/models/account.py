from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ipclaims.models.base import Base, CreatedMixin, IdMixin, StrEnumType


class Role(StrEnum):
    RIGHTS_HOLDER = "rights_holder"
    SPECIALIST = "specialist"
    LEGAL = "legal"
    ADMIN = "admin"

    @property
    def is_staff(self) -> bool:
        return self is not Role.RIGHTS_HOLDER


# Who decides claims, items and complaints: the transition tables and the route dependencies both read this one set.
REVIEWER_ROLES = frozenset({Role.SPECIALIST, Role.LEGAL})


class Account(IdMixin, CreatedMixin, Base):
    __tablename__ = "account"

    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(StrEnumType(Role, 20), index=True)
    email: Mapped[str | None] = mapped_column(String(320))
    # DSA Art. 22: notices from an awarded trusted flagger are processed with priority.
    trusted_flagger: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    # argon2id (auth.passwords), for the web pages only; API keys stay the API's credential. None: cannot sign in.
    password_hash: Mapped[str | None] = mapped_column(String(200), default=None)

    api_keys: Mapped[list[ApiKey]] = relationship(back_populates="account", lazy="raise")


class ApiKey(IdMixin, CreatedMixin, Base):
    """Only a SHA-256 of the key is stored: keys are 256-bit random, so a fast hash is not brute-forceable."""

    __tablename__ = "api_key"

    account_id: Mapped[str] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    label: Mapped[str | None] = mapped_column(String(200))
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    account: Mapped[Account] = relationship(back_populates="api_keys", lazy="raise")
