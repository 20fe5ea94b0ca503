"""The Slack Web API client: the configured base URL, and retries for 429, 5xx and lost connections."""

from __future__ import annotations

import logging

from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.settings import Settings


def retry_handlers() -> list[AsyncRetryHandler]:
    """Return retry handlers: 429 honours Retry-After; 5xx and connection errors retry twice."""
    return [
        AsyncRateLimitErrorRetryHandler(max_retry_count=3),
        AsyncServerErrorRetryHandler(max_retry_count=2),
        AsyncConnectionErrorRetryHandler(max_retry_count=2),
    ]


def make_web_client(settings: Settings, token: str | None = None) -> AsyncWebClient:
    """Return an AsyncWebClient against SLACK_API_URL with the bot's retry handlers."""
    return AsyncWebClient(
        token=token,
        base_url=settings.slack_api_url,
        timeout=10,
        retry_handlers=retry_handlers(),
        logger=logging.getLogger("bot.slack.web"),
    )
