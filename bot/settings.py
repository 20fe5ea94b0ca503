"""Settings from the environment (and `.env`), as `../shared/interface.md` names them."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from cryptography.fernet import Fernet
from dotenv import dotenv_values

TEAMS_PREFIX = "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__"


N = TypeVar("N", int, float)
#: Seconds before connecting to the database, or one statement, gives up (DATABASE_*_TIMEOUT).
DEFAULT_CONNECT_TIMEOUT = 3.0
DEFAULT_STATEMENT_TIMEOUT = 5.0


class SettingsError(ValueError):
    """An environment variable has a value the bot cannot use; the message says which and why."""


def _number(name: str, raw: str | None, default: N, kind: type[N]) -> N:
    """Parse a numeric variable, or raise SettingsError naming it."""
    if raw is None:
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise SettingsError(
            f"{name}={raw!r} is not a number; unset it or give e.g. {default}"
        ) from None
    if value < 0:
        raise SettingsError(f"{name}={raw!r} must not be negative")
    return value


def _fernet_keys(name: str, raw: str | None) -> tuple[str, ...]:
    """Split a comma-separated list of Fernet keys (newest first), or raise SettingsError naming it."""
    keys = tuple(part.strip() for part in (raw or "").split(",") if part.strip())
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except ValueError:
            raise SettingsError(
                f"{name}: key {position} of {len(keys)} is not a Fernet key (32 url-safe "
                'base64-encoded bytes); see docs/operations.md, "Slack token encryption"'
            ) from None
    return keys


def _seconds(name: str, raw: str | None, default: float) -> float:
    """Parse a timeout in seconds: a number above zero (zero would mean waiting forever)."""
    value = _number(name, raw, default, float)
    if value == 0:
        raise SettingsError(
            f"{name}=0 would wait forever; give a number of seconds, e.g. {default:g}"
        )
    return value


def _api_timeout(raw: str | None) -> int:
    """Parse SLACK_API_TIMEOUT: whole seconds, at least 1 (0 would mean no timeout at all)."""
    seconds = _number("SLACK_API_TIMEOUT", raw, 10, int)
    if seconds < 1:
        raise SettingsError(f"SLACK_API_TIMEOUT={raw!r} must be at least 1 (seconds)")
    return seconds


def _positive(name: str, raw: str | None, default: N, kind: type[N]) -> N:
    """Parse a numeric variable that must be above zero, or raise SettingsError naming it."""
    value = _number(name, raw, default, kind)
    if value <= 0:
        raise SettingsError(f"{name}={raw!r} must be above zero; unset it or give e.g. {default}")
    return value


@dataclass(frozen=True)
class Settings:
    """Everything the bot reads from its environment."""

    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_client_id: str | None = None
    slack_client_secret: str | None = None
    slack_state_secret: str | None = None
    slack_api_url: str = "https://slack.com/api/"
    #: Fernet keys for Slack tokens stored in the database, newest first (TOKEN_ENCRYPTION_KEY).
    token_encryption_keys: tuple[str, ...] = ()
    #: ALLOW_PLAINTEXT_TOKENS=1: let OAuth mode store tokens unencrypted (development only).
    allow_plaintext_tokens: bool = False
    slack_api_timeout: int = 10  # seconds a Slack Web API call may take before it counts as lost
    teams_client_id: str | None = None
    teams_client_secret: str | None = None
    teams_tenant_id: str | None = None
    teams_anonymous: bool = (
        False  # TEAMS_ANONYMOUS=1: accept unauthenticated Teams traffic (local only)
    )
    database_url: str = ""
    knowledge_dir: str | None = None
    data_dir: str = "data"
    host: str = "0.0.0.0"
    port: int = 3000
    log_level: str = "INFO"
    log_format: str = "text"
    digest_grace_hours: float = 24.0
    database_connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    database_statement_timeout: float = DEFAULT_STATEMENT_TIMEOUT
    quote_memory_conversations: int = 10_000  # conversations whose recent quotes are kept
    quote_memory_ttl_hours: float = 24.0  # a conversation's quotes are forgotten after this

    @property
    def slack_enabled(self) -> bool:
        return bool(
            self.slack_signing_secret and (self.slack_bot_token or self.slack_oauth_enabled)
        )

    @property
    def slack_oauth_enabled(self) -> bool:
        return bool(self.slack_client_id and self.slack_client_secret and self.slack_state_secret)

    @property
    def socket_mode(self) -> bool:
        return bool(self.slack_app_token)

    @property
    def teams_enabled(self) -> bool:
        return bool(self.teams_client_id) or self.teams_anonymous

    @property
    def knowledge_cache_dir(self) -> Path:
        """Where a large knowledge folder's snapshot is cached (see knowledge/accel/snapshot_cache.py)."""
        return Path(self.data_dir) / "cache"

    @property
    def resolved_database_url(self) -> str:
        """Return DATABASE_URL, or a SQLite file in the data folder."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{Path(self.data_dir).resolve() / 'chinabio.db'}"

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, dotenv: str | None = ".env"
    ) -> Settings:
        """Read settings from `environ` (default: the process environment over `.env`)."""
        if environ is None:
            merged: dict[str, str] = {}
            if dotenv and Path(dotenv).is_file():
                merged.update({k: v for k, v in dotenv_values(dotenv).items() if v is not None})
            merged.update(os.environ)
            environ = merged
        env = environ

        def get(name: str) -> str | None:
            value = env.get(name)
            return value if value else None

        return cls(
            slack_bot_token=get("SLACK_BOT_TOKEN"),
            slack_signing_secret=get("SLACK_SIGNING_SECRET"),
            slack_app_token=get("SLACK_APP_TOKEN"),
            slack_client_id=get("SLACK_CLIENT_ID"),
            slack_client_secret=get("SLACK_CLIENT_SECRET"),
            slack_state_secret=get("SLACK_STATE_SECRET"),
            slack_api_url=get("SLACK_API_URL") or "https://slack.com/api/",
            token_encryption_keys=_fernet_keys("TOKEN_ENCRYPTION_KEY", get("TOKEN_ENCRYPTION_KEY")),
            allow_plaintext_tokens=(get("ALLOW_PLAINTEXT_TOKENS") or "").lower()
            in ("1", "true", "yes"),
            slack_api_timeout=_api_timeout(get("SLACK_API_TIMEOUT")),
            teams_client_id=get(TEAMS_PREFIX + "CLIENTID"),
            teams_client_secret=get(TEAMS_PREFIX + "CLIENTSECRET"),
            teams_tenant_id=get(TEAMS_PREFIX + "TENANTID"),
            teams_anonymous=(get("TEAMS_ANONYMOUS") or "").lower() in ("1", "true", "yes"),
            database_url=get("DATABASE_URL") or "",
            knowledge_dir=get("KNOWLEDGE_DIR"),
            data_dir=get("DATA_DIR") or "data",
            host=get("HOST") or "0.0.0.0",
            port=_number("PORT", get("PORT"), 3000, int),
            log_level=(get("LOG_LEVEL") or "INFO").upper(),
            log_format=(get("LOG_FORMAT") or "text").lower(),
            digest_grace_hours=_number(
                "DIGEST_GRACE_HOURS", get("DIGEST_GRACE_HOURS"), 24.0, float
            ),
            database_connect_timeout=_seconds(
                "DATABASE_CONNECT_TIMEOUT", get("DATABASE_CONNECT_TIMEOUT"), DEFAULT_CONNECT_TIMEOUT
            ),
            database_statement_timeout=_seconds(
                "DATABASE_STATEMENT_TIMEOUT",
                get("DATABASE_STATEMENT_TIMEOUT"),
                DEFAULT_STATEMENT_TIMEOUT,
            ),
            quote_memory_conversations=_positive(
                "QUOTE_MEMORY_CONVERSATIONS", get("QUOTE_MEMORY_CONVERSATIONS"), 10_000, int
            ),
            quote_memory_ttl_hours=_positive(
                "QUOTE_MEMORY_TTL_HOURS", get("QUOTE_MEMORY_TTL_HOURS"), 24.0, float
            ),
        )
