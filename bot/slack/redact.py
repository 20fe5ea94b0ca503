"""Keep Slack tokens and the app's secrets out of the log, even at DEBUG.

slack_sdk logs whole request and response bodies at DEBUG (oauth.v2.access returns tokens), so
the loggers Slack code writes to get a filter that rewrites such records before any handler.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

#: Bot, user, app-level, refresh and configuration tokens: xoxb-…, xoxp-…, xapp-…, xoxe.xoxp-…
TOKEN = re.compile(r"\b(?:xox[a-z](?:\.xox[a-z])?|xapp)-[A-Za-z0-9-]+")
REDACTED = "[redacted]"
#: Loggers the Slack adapter and the libraries under it write bodies or credentials to.
SLACK_LOGGERS = (
    "bot.slack",
    "bot.slack.bolt",
    "bot.slack.web",
    "bot.slack.oauth",
    "slack_sdk.web.async_base_client",
    "slack_sdk.web.base_client",
    "slack_sdk.webhook.async_client",
    "slack_sdk.socket_mode.aiohttp",
    "slack_sdk.oauth.installation_store.sqlalchemy",
    "slack_bolt.oauth.async_oauth_flow",
)


class RedactSecrets(logging.Filter):
    """Replace Slack tokens and the given secrets in a record's message with [redacted]."""

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        super().__init__()
        self.secrets = sorted({s for s in secrets if s and len(s) >= 6}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        """Return `text` without tokens or secrets."""
        text = TOKEN.sub(REDACTED, text)
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = self.redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


#: Bolt's signature check logs the whole rejected body (user text, the legacy `token=`) at INFO.
VERIFICATION_LOGGERS = ("slack_bolt.AsyncRequestVerification", "slack_bolt.RequestVerification")


class DropRejectedBodies(logging.Filter):
    """Keep the fact that a signature was refused, drop the signature, timestamp and body."""

    def filter(self, record: logging.LogRecord) -> bool:
        if "Invalid request signature" in str(record.msg):
            record.msg, record.args = (
                "Invalid request signature detected (request refused: 401)",
                (),
            )
        return True


def install_redaction(secrets: Iterable[str | None]) -> RedactSecrets:
    """Attach one redacting filter (knowing `secrets`) to every Slack logger; return it."""
    redactor = RedactSecrets(secrets)
    for name in SLACK_LOGGERS:
        target = logging.getLogger(name)
        for old in [f for f in target.filters if isinstance(f, RedactSecrets)]:
            target.removeFilter(old)
        target.addFilter(redactor)
    for name in VERIFICATION_LOGGERS:
        target = logging.getLogger(name)
        if not any(isinstance(f, DropRejectedBodies) for f in target.filters):
            target.addFilter(DropRejectedBodies())
    return redactor
