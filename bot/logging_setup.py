"""Logging for operators: text or JSON lines, a request id on every line, secrets scrubbed.

Every module logs through the standard library (`logging.getLogger(__name__)`) or structlog;
both end in one handler. Extra fields travel with `extra=`, e.g.
`log.info("answered", extra={"command": "deal", "latency_ms": 12.5, "outcome": "ok"})`.
Users' message texts and tokens are never logged at INFO; the redaction below is defence in
depth for the day someone forgets. Control characters in every field are escaped (a line break becomes
the two characters `\\n`), so text from outside can never forge a line or drive a terminal.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import sys
from collections.abc import Iterable, Mapping
from typing import IO, Any, TextIO

import structlog
from structlog.typing import EventDict, ExcInfo, Processor, WrappedLogger

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
#: C0 and C1 controls (newlines, ESC, DEL) and Unicode's line and paragraph separators.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
#: Fields the logging machinery fills itself: tracebacks keep their lines.
_UNESCAPED_FIELDS = frozenset({"exception", "exc_info", "stack", "stack_info"})


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


def escape_control(text: str) -> str:
    """Return `text` with control characters written as escapes: one line, no terminal codes."""
    return _CONTROL.sub(_escape_one, text) if _CONTROL.search(text) else text


def _escape_one(match: re.Match[str]) -> str:
    char = match[0]
    if char in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[char]
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def _escape_value(value: Any) -> Any:
    if isinstance(value, str):
        return escape_control(value)
    if isinstance(value, Mapping):
        return {key: _escape_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_escape_value(item) for item in value)
    return value


def escape_fields(_logger: WrappedLogger, _name: str, event_dict: EventDict) -> EventDict:
    """Escape control characters in every field but tracebacks (a structlog processor)."""
    return {
        key: value if key in _UNESCAPED_FIELDS else _escape_value(value)
        for key, value in event_dict.items()
    }


def indented_traceback(sio: TextIO, exc_info: ExcInfo) -> None:
    """Write a traceback below its line, every line indented and escaped: none passes for a log line."""
    buffer = io.StringIO()
    structlog.dev.plain_traceback(buffer, exc_info)
    lines = buffer.getvalue().split("\n")
    sio.write("\n".join(f"    {escape_control(line)}" if line else line for line in lines))


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
            colors=False, timestamp_key="time", exception_formatter=indented_traceback
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
                escape_fields,
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
