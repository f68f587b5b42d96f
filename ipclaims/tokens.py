"""The uploader's link (issue 18): a signed, expiring token that opens one item of one claim, and nothing else.

The uploader has no account. The statement of reasons (letter and mail) carries `/u/<token>`; the token names the
claim and the item and is signed with `IPCLAIMS_SECRET_KEY` (itsdangerous, its own salt, so neither a session cookie
nor any other signed value can pass for it). Every page behind it reads the claim and the item from the token only,
never from the URL or a form, so a token for one claim can never reach another. A token older than
`IPCLAIMS_UPLOADER_LINK_DAYS` is expired (410); an altered one is no token at all (404).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from ipclaims.config import Settings

SALT = "ipclaims.uploader-link.v1"
PATH = "/u/"


class TokenInvalid(Exception):
    """Altered, truncated, signed with another key or for another purpose."""


class TokenExpired(Exception):
    """Genuine, but older than the link's lifetime."""


@dataclass(frozen=True)
class UploaderGrant:
    claim_id: str
    item_id: str
    issued_at: datetime
    expires_at: datetime


def _serializer(settings: Settings, at: datetime | None = None) -> URLSafeTimedSerializer:
    if at is None:
        return URLSafeTimedSerializer(settings.secret_key, salt=SALT)
    stamp = int(at.timestamp())

    class IssuedAt(TimestampSigner):
        """Signs as of `at`: a letter's link is the same each time its HTML is built (and lasts from its date)."""

        def get_timestamp(self) -> int:
            return stamp

    return URLSafeTimedSerializer(settings.secret_key, salt=SALT, signer=IssuedAt)


def _lifetime(settings: Settings) -> timedelta:
    return timedelta(days=settings.uploader_link_days)


# URL-safe base64 uses "-", which a printed letter may break a line after: the reader (and pdftotext) would take it
# for a hyphenation and drop it. "~" is as safe in a URL and never a break point, so the link carries "~" instead.
PRINTED, SIGNED = "~", "-"


def issue(claim_id: str, item_id: str, settings: Settings, at: datetime | None = None) -> str:
    """`at`: the moment the link is dated (a letter's or an event's); now when None."""
    return str(_serializer(settings, at).dumps({"c": claim_id, "i": item_id})).replace(SIGNED, PRINTED)


def read(token: str, settings: Settings) -> UploaderGrant:
    try:
        max_age = int(_lifetime(settings).total_seconds())
        payload, signed_at = _serializer(settings).loads(token.replace(PRINTED, SIGNED), max_age=max_age, return_timestamp=True)
    except SignatureExpired as exc:
        raise TokenExpired(str(exc)) from None
    except BadSignature as exc:
        raise TokenInvalid(str(exc)) from None
    if not isinstance(payload, dict) or not isinstance(payload.get("c"), str) or not isinstance(payload.get("i"), str):
        raise TokenInvalid("not an uploader link")
    issued = signed_at.astimezone(UTC)
    return UploaderGrant(claim_id=payload["c"], item_id=payload["i"], issued_at=issued, expires_at=issued + _lifetime(settings))


def link(claim_id: str, item_id: str, settings: Settings, at: datetime | None = None) -> str:
    """The absolute URL the uploader follows."""
    return settings.public_url.rstrip("/") + PATH + issue(claim_id, item_id, settings, at)


def expires_on(settings: Settings, now: datetime) -> datetime:
    return now + _lifetime(settings)
