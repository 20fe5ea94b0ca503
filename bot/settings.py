"""Settings from the environment (and `.env`), as `../shared/interface.md` names them."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from dotenv import dotenv_values

TEAMS_PREFIX = "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__"


N = TypeVar("N", int, float)


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
        """Where a large knowledge folder's snapshot is cached (see knowledge/snapshot_cache.py)."""
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
            quote_memory_conversations=_positive(
                "QUOTE_MEMORY_CONVERSATIONS", get("QUOTE_MEMORY_CONVERSATIONS"), 10_000, int
            ),
            quote_memory_ttl_hours=_positive(
                "QUOTE_MEMORY_TTL_HOURS", get("QUOTE_MEMORY_TTL_HOURS"), 24.0, float
            ),
        )
