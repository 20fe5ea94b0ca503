"""Logging for operators: text or JSON lines, a request id on every line, secrets scrubbed.

Every module logs through the standard library (`logging.getLogger(__name__)`) or structlog;
both end in one handler. Extra fields travel with `extra=`, e.g.
`log.info("answered", extra={"command": "deal", "latency_ms": 12.5, "outcome": "ok"})`.
Users' message texts and tokens are never logged at INFO; the redaction below is defence in
depth for the day someone forgets.
"""

from __future__ import annotations

import contextlib
import logging
import re
import sys
from collections.abc import Iterable, Mapping
from typing import IO, Any

import structlog
from structlog.typing import EventDict, Processor, WrappedLogger

from bot.settings import Settings

#: Keys every JSON line carries, present or null, in this order.
CORE_FIELDS = ("time", "level", "logger", "message", "request_id")
REDACTED = "***"
_MIN_SECRET_LENGTH = 6

#: Token-shaped text, each with the replacement that keeps only its harmless prefix.
_SECRET_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(xox[abeoprs]-)[A-Za-z0-9-]+"), rf"\g<1>{REDACTED}"),  # Slack tokens
    (re.compile(r"\b(xapp-)[A-Za-z0-9-]+"), rf"\g<1>{REDACTED}"),  # Socket Mode tokens
    (re.compile(r"(?i)\b(bearer\s+)[A-Za-z0-9._~+/=-]+"), rf"\g<1>{REDACTED}"),
    (re.compile(r"(://[^:/@\s]+:)[^@\s/]+@"), rf"\g<1>{REDACTED}@"),  # passwords in URLs
)


class Redactor:
    """Replace known secret values and token-shaped strings with `***`."""

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        values = {s for s in secrets if s and len(s) >= _MIN_SECRET_LENGTH}
        # Longest first, so a secret that contains another is removed whole.
        self.secrets = sorted(values, key=len, reverse=True)

    def scrub(self, text: str) -> str:
        """Return `text` with every secret replaced."""
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, REDACTED)
        for pattern, replacement in _SECRET_PATTERNS:
            text = pattern.sub(replacement, text)
        return text

    def scrub_value(self, value: Any) -> Any:
        """Scrub strings inside `value`, recursing into mappings and sequences."""
        if isinstance(value, str):
            return self.scrub(value)
        if isinstance(value, Mapping):
            return {key: self.scrub_value(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [self.scrub_value(item) for item in value]
        return value

    def __call__(self, _logger: WrappedLogger, _name: str, event_dict: EventDict) -> EventDict:
        """Act as a structlog processor."""
        return {key: self.scrub_value(value) for key, value in event_dict.items()}


class RedactingFormatter(structlog.stdlib.ProcessorFormatter):
    """Render a record, then scrub the finished line (tracebacks included)."""

    def __init__(self, redactor: Redactor, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.redactor = redactor

    def format(self, record: logging.LogRecord) -> str:
        """Format the record as one scrubbed line."""
        return self.redactor.scrub(super().format(record))


def _drop_private_keys(_logger: WrappedLogger, _name: str, event_dict: EventDict) -> EventDict:
    return {k: v for k, v in event_dict.items() if not k.startswith("_")}


def _order_core_fields(_logger: WrappedLogger, _name: str, event_dict: EventDict) -> EventDict:
    ordered: EventDict = {key: event_dict.get(key) for key in CORE_FIELDS}
    ordered.update((k, v) for k, v in event_dict.items() if k not in ordered)
    return ordered


def settings_secrets(settings: Settings) -> list[str | None]:
    """Return every secret value the settings hold, for the redactor."""
    from sqlalchemy.engine import make_url

    secrets: list[str | None] = [
        settings.slack_bot_token,
        settings.slack_signing_secret,
        settings.slack_app_token,
        settings.slack_client_secret,
        settings.slack_state_secret,
        settings.teams_client_secret,
        *settings.token_encryption_keys,
    ]
    if settings.database_url:
        # A malformed URL fails later, with its own message.
        with contextlib.suppress(Exception):
            secrets.append(make_url(settings.database_url).password)
    return secrets


def configure_logging(
    level: str = "INFO",
    fmt: str = "text",
    secrets: Iterable[str | None] = (),
    stream: IO[str] | None = None,
) -> logging.Handler:
    """Send every log record to one handler on `stream` (stderr), as text or JSON lines."""
    redactor = Redactor(secrets)
    shared: list[Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.ExtraAdder(),
        structlog.processors.TimeStamper(fmt="iso", utc=True, key="time"),
    ]
    renderer: Processor
    if fmt == "json":
        renderer = structlog.processors.JSONRenderer(default=str)
        tail: list[Processor] = [
            structlog.processors.format_exc_info,
            structlog.processors.EventRenamer("message"),
            _order_core_fields,
        ]
    else:
        renderer = structlog.dev.ConsoleRenderer(
            colors=False, timestamp_key="time", exception_formatter=structlog.dev.plain_traceback
        )
        tail = []
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(
        RedactingFormatter(
            redactor,
            foreign_pre_chain=shared,
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                _drop_private_keys,
                *tail,
                redactor,
                renderer,
            ],
        )
    )
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    # watchfiles announces every batch of changes at INFO; the reloader logs what matters.
    logging.getLogger("watchfiles").setLevel(max(logging.WARNING, root.level))
    structlog.configure(
        processors=[
            *(p for p in shared if not isinstance(p, structlog.stdlib.ExtraAdder)),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )
    return handler


def configure_from_settings(settings: Settings, stream: IO[str] | None = None) -> logging.Handler:
    """Configure logging as LOG_LEVEL and LOG_FORMAT say, scrubbing the settings' secrets."""
    return configure_logging(
        settings.log_level, settings.log_format, settings_secrets(settings), stream
    )
