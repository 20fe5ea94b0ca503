"""Settings from the environment (and `.env`), as `../shared/interface.md` names them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated

from cryptography.fernet import Fernet
from pydantic import Field, ValidationError, ValidationInfo, field_validator
from pydantic_settings import (
    BaseSettings,
    DotEnvSettingsSource,
    EnvSettingsSource,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

TEAMS_PREFIX = "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__"

#: Seconds before connecting to the database, or one statement, gives up (DATABASE_*_TIMEOUT).
DEFAULT_CONNECT_TIMEOUT = 3.0
DEFAULT_STATEMENT_TIMEOUT = 5.0
#: Values of a yes/no variable that mean yes (case-insensitive); anything else means no.
YES = ("1", "true", "yes")


class SettingsError(ValueError):
    """An environment variable has a value the bot cannot use; the message says which and why."""


class Settings(BaseSettings):
    """Everything the bot reads from its environment: build it with `Settings.from_env()`."""

    model_config = SettingsConfigDict(
        frozen=True,
        case_sensitive=True,
        env_ignore_empty=True,
        extra="ignore",
        validate_by_name=True,
        validate_by_alias=True,
    )

    slack_bot_token: str | None = Field(None, validation_alias="SLACK_BOT_TOKEN")
    slack_signing_secret: str | None = Field(None, validation_alias="SLACK_SIGNING_SECRET")
    slack_app_token: str | None = Field(None, validation_alias="SLACK_APP_TOKEN")
    slack_client_id: str | None = Field(None, validation_alias="SLACK_CLIENT_ID")
    slack_client_secret: str | None = Field(None, validation_alias="SLACK_CLIENT_SECRET")
    slack_state_secret: str | None = Field(None, validation_alias="SLACK_STATE_SECRET")
    slack_api_url: str = Field("https://slack.com/api/", validation_alias="SLACK_API_URL")
    #: Fernet keys for Slack tokens stored in the database, newest first (comma-separated).
    token_encryption_keys: Annotated[tuple[str, ...], NoDecode] = Field(
        (), validation_alias="TOKEN_ENCRYPTION_KEY"
    )
    #: ALLOW_PLAINTEXT_TOKENS=1: let OAuth mode store tokens unencrypted (development only).
    allow_plaintext_tokens: bool = Field(False, validation_alias="ALLOW_PLAINTEXT_TOKENS")
    #: Seconds a Slack Web API call may take before it counts as lost.
    slack_api_timeout: int = Field(10, validation_alias="SLACK_API_TIMEOUT")
    teams_client_id: str | None = Field(None, validation_alias=TEAMS_PREFIX + "CLIENTID")
    teams_client_secret: str | None = Field(None, validation_alias=TEAMS_PREFIX + "CLIENTSECRET")
    teams_tenant_id: str | None = Field(None, validation_alias=TEAMS_PREFIX + "TENANTID")
    #: TEAMS_ANONYMOUS=1: accept unauthenticated Teams traffic (local only).
    teams_anonymous: bool = Field(False, validation_alias="TEAMS_ANONYMOUS")
    database_url: str = Field("", validation_alias="DATABASE_URL")
    knowledge_dir: str | None = Field(None, validation_alias="KNOWLEDGE_DIR")
    data_dir: str = Field("data", validation_alias="DATA_DIR")
    host: str = Field("0.0.0.0", validation_alias="HOST")
    port: int = Field(3000, validation_alias="PORT")
    log_level: str = Field("INFO", validation_alias="LOG_LEVEL")
    log_format: str = Field("text", validation_alias="LOG_FORMAT")
    digest_grace_hours: float = Field(24.0, validation_alias="DIGEST_GRACE_HOURS")
    database_connect_timeout: float = Field(
        DEFAULT_CONNECT_TIMEOUT, validation_alias="DATABASE_CONNECT_TIMEOUT"
    )
    database_statement_timeout: float = Field(
        DEFAULT_STATEMENT_TIMEOUT, validation_alias="DATABASE_STATEMENT_TIMEOUT"
    )
    #: Conversations whose recent quotes are kept; hours before one's quotes are forgotten.
    quote_memory_conversations: int = Field(10_000, validation_alias="QUOTE_MEMORY_CONVERSATIONS")
    quote_memory_ttl_hours: float = Field(24.0, validation_alias="QUOTE_MEMORY_TTL_HOURS")
    #: The bot's address as the internet reaches it (https://bot.example.com): calendar feed URLs.
    public_url: str | None = Field(None, validation_alias="PUBLIC_URL")
    #: Who may curate: Slack user ids and Teams AAD object ids, comma-separated.
    curators: Annotated[tuple[str, ...], NoDecode] = Field((), validation_alias="CURATORS")
    #: Where outdated reports and proposals are posted (a Slack channel id or Teams conversation).
    curators_channel: str | None = Field(None, validation_alias="CURATORS_CHANNEL")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Build `Settings(...)` from its arguments only; `from_env` reads the environment."""
        return (init_settings,)

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, dotenv: str | None = ".env"
    ) -> Settings:
        """Read settings from `environ` (default: the process environment over `.env`)."""
        process = EnvSettingsSource(cls)
        if environ is not None:
            process.env_vars = {name: value for name, value in environ.items() if value}
            values = process()
        else:
            values = {**DotEnvSettingsSource(cls, env_file=dotenv)(), **process()}
        try:
            return cls(**values)
        except ValidationError as exc:
            raise SettingsError(_first_problem(exc)) from None

    @classmethod
    def variables(cls) -> set[str]:
        """Return the name of every environment variable the settings read."""
        return {str(field.validation_alias) for field in cls.model_fields.values()}

    @field_validator("port", "digest_grace_hours", mode="before")
    @classmethod
    def _non_negative(cls, raw: object, info: ValidationInfo) -> object:
        """Parse a number that must not be negative."""
        return _number(cls._variable(info), raw, cls._default(info))

    @field_validator("database_connect_timeout", "database_statement_timeout", mode="before")
    @classmethod
    def _seconds(cls, raw: object, info: ValidationInfo) -> object:
        """Parse a timeout in seconds: a number above zero (zero would mean waiting forever)."""
        name, default = cls._variable(info), cls._default(info)
        value = _number(name, raw, default)
        if value == 0:
            raise SettingsError(
                f"{name}=0 would wait forever; give a number of seconds, e.g. {default:g}"
            )
        return value

    @field_validator("quote_memory_conversations", "quote_memory_ttl_hours", mode="before")
    @classmethod
    def _positive(cls, raw: object, info: ValidationInfo) -> object:
        """Parse a number that must be above zero."""
        name, default = cls._variable(info), cls._default(info)
        value = _number(name, raw, default)
        if value <= 0:
            raise SettingsError(
                f"{name}={raw!r} must be above zero; unset it or give e.g. {default}"
            )
        return value

    @field_validator("slack_api_timeout", mode="before")
    @classmethod
    def _api_timeout(cls, raw: object) -> object:
        """Parse SLACK_API_TIMEOUT: whole seconds, at least 1 (0 would mean no timeout at all)."""
        seconds = _number("SLACK_API_TIMEOUT", raw, 10)
        if seconds < 1:
            raise SettingsError(f"SLACK_API_TIMEOUT={raw!r} must be at least 1 (seconds)")
        return seconds

    @field_validator("public_url", mode="before")
    @classmethod
    def _public_url(cls, raw: object) -> object:
        """Check PUBLIC_URL: an http(s) address with a host and no query (feed URLs go under it)."""
        if raw is None or raw == "":
            return None
        text = str(raw).strip()
        if not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", text):
            raise SettingsError(
                f"PUBLIC_URL={raw!r} must be the bot's address as users reach it, "
                "e.g. https://chinabio.example.com"
            )
        return text.rstrip("/")

    @field_validator("token_encryption_keys", mode="before")
    @classmethod
    def _fernet_keys(cls, raw: object) -> object:
        """Split a comma-separated list of Fernet keys (newest first) and check each."""
        parts = raw.split(",") if isinstance(raw, str) else raw
        if not isinstance(parts, list | tuple):
            return raw
        keys = tuple(part.strip() for part in parts if part.strip())
        for position, key in enumerate(keys, start=1):
            try:
                Fernet(key)
            except ValueError:
                raise SettingsError(
                    f"TOKEN_ENCRYPTION_KEY: key {position} of {len(keys)} is not a Fernet key "
                    '(32 url-safe base64-encoded bytes); see docs/operations.md, "Slack token '
                    'encryption"'
                ) from None
        return keys

    @field_validator("curators", mode="before")
    @classmethod
    def _id_list(cls, raw: object) -> object:
        """Split a comma- or space-separated list of user ids."""
        if isinstance(raw, str):
            return tuple(part for part in raw.replace(",", " ").split() if part)
        return raw

    @field_validator("allow_plaintext_tokens", "teams_anonymous", mode="before")
    @classmethod
    def _yes(cls, raw: object) -> object:
        """Read 1, true or yes (any case) as yes, any other text as no."""
        return raw.lower() in YES if isinstance(raw, str) else raw

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, raw: object) -> object:
        """Accept a log level in any case."""
        return raw.upper() if isinstance(raw, str) else raw

    @field_validator("log_format", mode="before")
    @classmethod
    def _lower(cls, raw: object) -> object:
        """Accept a log format in any case."""
        return raw.lower() if isinstance(raw, str) else raw

    @classmethod
    def _variable(cls, info: ValidationInfo) -> str:
        """Return the environment variable of the field being validated."""
        return str(cls.model_fields[str(info.field_name)].validation_alias)

    @classmethod
    def _default(cls, info: ValidationInfo) -> int | float:
        """Return the default of the (numeric) field being validated."""
        default = cls.model_fields[str(info.field_name)].default
        assert isinstance(default, int | float)
        return default

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


def _number(name: str, raw: object, default: int | float) -> int | float:
    """Parse a number of the default's kind, or raise SettingsError naming the variable."""
    try:
        value = type(default)(raw) if isinstance(raw, str) else raw
    except ValueError:
        value = None
    if not isinstance(value, int | float):
        raise SettingsError(f"{name}={raw!r} is not a number; unset it or give e.g. {default}")
    if value < 0:
        raise SettingsError(f"{name}={raw!r} must not be negative")
    return value


def _first_problem(exc: ValidationError) -> str:
    """Return the message of the first problem a validation found, naming its variable."""
    error = exc.errors()[0]
    cause = error.get("ctx", {}).get("error")
    if isinstance(cause, SettingsError):
        return str(cause)
    return f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}"
