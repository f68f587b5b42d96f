"""Settings from IPCLAIMS_* environment variables (CONTRACT.md "Setup and CLI")."""

from __future__ import annotations

import functools
import ssl
from enum import StrEnum
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET = "ipclaims-development-secret-do-not-use-in-production"


class Mode(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"
    TEST = "test"


class InsecureSettings(RuntimeError):
    """Production must never run on the development defaults."""


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="IPCLAIMS_", extra="ignore")

    env: Mode = Mode.DEVELOPMENT
    database_url: str = "sqlite:///./ipclaims.db"
    data_dir: Path = Path("./data")
    timezone: str = "America/New_York"
    # A list setting is a plain comma-separated string; set-but-empty means unset (CONTRACT.md).
    platform_hosts: str = ""
    max_body_bytes: int = 1_000_000
    max_upload_bytes: int = 25_000_000
    max_image_pixels: int = 50_000_000
    max_items: int = 1000
    smtp_url: str = ""
    mail_from: str = "ipclaims@localhost"
    secret_key: str = DEV_SECRET
    # How long a notifier has to cure an incomplete notice before it expires to `rejected`, and when to remind.
    needs_info_expiry_days: int = Field(default=14, ge=1)
    needs_info_reminder_days: int = Field(default=7, ge=1)
    # Which business day of the 10–14 window the worker restores on (§ 512(g)(2)(C), s 322(4)(d)); 10 = earliest.
    restore_business_day: int = Field(default=10, ge=10, le=14)
    # Mail the receiving server refused outright (5xx) is given up after this many attempts; mail that could not be
    # handed over at all (server down, 4xx, login refused) is retried until it is this old (Postfix's default
    # queue lifetime). Given-up mail stays in the outbox as `failed` until `ipclaims outbox retry`.
    outbox_max_attempts: int = Field(default=8, ge=1)
    outbox_max_age_hours: int = Field(default=120, ge=1)
    # Where match candidates come from: the in-memory index each process keeps current ("memory"), or PostgreSQL
    # itself ("database", bit_count over the stored hash words) for deployments that keep no index in memory.
    # Platform webhooks (ipclaims.integrations): a measure the platform has not confirmed (`POST /items/{id}/executed`)
    # this long after its event was queued is flagged in the queue; after a secret rotation the old secret keeps
    # signing this long; a delivery the endpoint never accepted is given up when this old (a receiver down for a
    # weekend loses nothing), and each attempt waits at most `webhook_timeout_seconds`.
    execution_overdue_hours: int = Field(default=24, ge=1)
    webhook_secret_grace_hours: int = Field(default=24, ge=0)
    webhook_max_age_hours: int = Field(default=120, ge=1)
    webhook_timeout_seconds: float = Field(default=10.0, gt=0, le=60)
    # Impersonated notifiers (DOMAIN.md §6): notices from look-alikes of these domains, as well as of the domains
    # verified on accounts, are flagged and routed to legal. Comma-separated; set-but-empty means none.
    well_known_notifier_domains: str = (
        "paypal.com,microsoft.com,apple.com,google.com,amazon.com,disney.com,"
        "nintendo.com,sony.com,warnerbros.com,universalmusic.com,riaa.com,mpa.org"
    )
    # Repeat infringers (17 U.S.C. § 512(i)) and strike farming (DOMAIN.md §6): a strike from a notifier whose
    # unfounded rate (items decided no_action over items decided) is above `strike_farming_unfounded_rate`, once it
    # has at least `strike_farming_min_decided` decided items, is marked and does not count toward the
    # `repeat_infringer_strikes` at which a termination review is recommended (to a human; never automatic).
    repeat_infringer_strikes: int = Field(default=3, ge=1)
    strike_farming_unfounded_rate: float = Field(default=0.5, ge=0, le=1)
    strike_farming_min_decided: int = Field(default=5, ge=1)
    # Reported content fetched by the worker (ipclaims.integrations.fetcher): the store's URL per item, with `{url}`
    # (the item URL, percent-encoded whole), `{host}` and `{item_id}`; unset, nothing is fetched. Only the
    # template's host and IPCLAIMS_PLATFORM_HOSTS are ever contacted. `content_allow_private` lets the template's
    # host (only it) resolve to a private or loopback address (an internal store); link-local (cloud metadata),
    # multicast, unspecified and reserved addresses are refused whatever it says.
    content_url_template: str = ""
    content_allow_private: bool = False
    content_fetch_timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    content_fetch_max_redirects: int = Field(default=3, ge=0, le=10)
    content_fetch_max_attempts: int = Field(default=6, ge=1)
    # A PEM file of CA certificates trusted for fetching over https, beside the system's (an internal store signed
    # by a private CA). Certificates and host names are always verified; there is no setting that turns that off.
    content_ca_file: str = ""
    match_index: Literal["memory", "database"] = "memory"
    # Bytes of decoded image pixels one process may hold at once (`matching.imageio.DecodeBudget`): uploads that
    # declare large pictures wait their turn rather than multiply. 512 MB holds two 49 MP RGBA decodes at once.
    decode_memory_bytes: int = Field(default=512_000_000, ge=50_000_000)
    # Production serves the API docs (/docs, its assets) only when asked; development and tests always do.
    public_docs: bool = False
    log_level: str = "INFO"
    # Letterhead of every letter (CONTRACT.md "Letters"): the platform and its designated agent (§ 512(c)(2)).
    platform_name: str = "ipclaims"
    agent_name: str = "Designated Copyright Agent"
    agent_address: str = "Legal Department, 1 Example Plaza, Suite 100, New York, NY 10001, United States"
    agent_email: str = "copyright-agent@ipclaims.invalid"
    # Notices in email (ipclaims.mailroom): the largest message or text read as a notice (an upload, a file
    # imported, an SMTP message: the inbox advertises it as SIZE), and the addresses the inbox accepts mail for
    # (comma-separated; set-but-empty accepts any recipient).
    max_notice_bytes: int = Field(default=5_000_000, ge=10_000)
    inbox_addresses: str = ""
    # The authserv-ids of the platform's own relay (comma-separated): the inbox believes the topmost
    # `Authentication-Results` (RFC 8601) stamped under one of them when it decides whether a `From` may choose a
    # verified rights holder (`mailroom.authenticity`). Empty: no such header is believed.
    inbox_authserv_id: str = ""
    # Where people reach the web pages: the uploader's link in a statement of reasons is built on it.
    public_url: str = "http://127.0.0.1:8000"
    # How long the uploader's link works: DSA Art. 20(1) keeps the complaint open at least six months.
    uploader_link_days: int = Field(default=190, ge=1)

    @field_validator("database_url")
    @classmethod
    def _normalise_url(cls, value: str) -> str:
        # "postgresql://" and "postgres://" would pick psycopg2, which is not installed; psycopg 3 is the driver.
        for prefix in ("postgres://", "postgresql://"):
            if value.startswith(prefix):
                return "postgresql+psycopg://" + value[len(prefix) :]
        return value

    @field_validator("content_ca_file")
    @classmethod
    def _ca_file(cls, value: str) -> str:
        value = value.strip()
        if value and not Path(value).expanduser().is_file():
            raise ValueError(f"IPCLAIMS_CONTENT_CA_FILE: no such file: {value}")
        if value:
            try:  # a file that holds no certificate fails here, at start-up, not at the worker's first fetch
                ssl.create_default_context().load_verify_locations(cafile=str(Path(value).expanduser()))
            except (ssl.SSLError, ValueError) as exc:
                raise ValueError(f"IPCLAIMS_CONTENT_CA_FILE: not PEM certificates: {value} ({exc})") from None
        return value

    @field_validator("content_url_template")
    @classmethod
    def _store_template(cls, value: str) -> str:
        value = value.strip()
        if not value:
            return value
        try:
            probe = urlsplit(value.format(url="u", host="h", item_id="i"))
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(f"IPCLAIMS_CONTENT_URL_TEMPLATE: placeholders are {{url}}, {{host}} and {{item_id}} ({exc})") from None
        if probe.scheme not in ("http", "https") or not probe.hostname or "{" in urlsplit(value).netloc or probe.username:
            raise ValueError("IPCLAIMS_CONTENT_URL_TEMPLATE must be an http(s) URL whose host is literal (no placeholder, no credentials)")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        ZoneInfo(value)  # raises on an unknown zone at start-up rather than on the first legal clock
        return value

    @property
    def platform_host_set(self) -> frozenset[str]:
        return frozenset(h.lower() for h in _split(self.platform_hosts))

    @property
    def well_known_domain_list(self) -> tuple[str, ...]:
        return tuple(d.lower() for d in _split(self.well_known_notifier_domains))

    @property
    def inbox_address_set(self) -> frozenset[str]:
        return frozenset(a.lower() for a in _split(self.inbox_addresses))

    @property
    def inbox_authserv_ids(self) -> frozenset[str]:
        return frozenset(a.lower().rstrip(".") for a in _split(self.inbox_authserv_id))

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @model_validator(mode="after")
    def _database_index_needs_postgres(self) -> Settings:
        if self.match_index == "database" and self.is_sqlite:
            raise ValueError("IPCLAIMS_MATCH_INDEX=database needs PostgreSQL; SQLite uses the in-memory index")
        return self

    @property
    def serves_docs(self) -> bool:
        return self.env is not Mode.PRODUCTION or self.public_docs

    def check_secure(self) -> None:
        if self.env is Mode.PRODUCTION and self.secret_key == DEV_SECRET:
            raise InsecureSettings("IPCLAIMS_ENV=production refuses the default IPCLAIMS_SECRET_KEY; set a secret of your own")


@functools.lru_cache(maxsize=1)
def get_settings() -> Settings:
    settings = Settings()
    settings.check_secure()
    return settings
