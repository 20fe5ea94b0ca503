"""The Slack Web API client and the one retry policy every Slack caller uses (answers and digests).

Retried: 429 (after Retry-After), 5xx, and connection failures where the request surely never
reached Slack (no connection could be made). Never retried: a connection lost or a timeout
after the request was sent. Slack may have acted on it, so a retry could post twice.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable

import aiohttp
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.jitter import Jitter
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient

from bot.settings import Settings

Sleep = Callable[[float], Awaitable[None]]
#: Failures before anything was sent: safe to retry.
NOT_SENT_ERRORS: tuple[type[Exception], ...] = (
    aiohttp.ClientConnectorError,
    aiohttp.ConnectionTimeoutError,
)


def may_have_arrived(error: BaseException) -> bool:
    """Return True if a failed call may still have reached Slack (sent, then no answer came back)."""
    return isinstance(error, TimeoutError | aiohttp.ClientError) and not isinstance(
        error, NOT_SENT_ERRORS
    )


class RateLimitRetry(AsyncRateLimitErrorRetryHandler):
    """slack_sdk's 429 handler, waiting exactly Retry-After (plus a little jitter) via `sleep`."""

    def __init__(self, max_retry_count: int = 5, sleep: Sleep = asyncio.sleep) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self._sleep = sleep

    async def prepare_for_next_attempt_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        if response is None:
            raise error or RuntimeError("rate limited without a response")
        state.next_attempt_requested = True
        values = {k.lower(): v for k, v in response.headers.items()}.get("retry-after") or ["1"]
        try:
            wait = float(values[0])
        except ValueError:
            wait = 1.0
        await self._sleep(wait + random.uniform(0, 0.25))
        state.increment_current_attempt()


class ProportionalJitter(Jitter):
    """Spread retries by up to a quarter of the interval (slack_sdk's default adds up to 1 s)."""

    def recalculate(self, duration: float) -> float:
        return duration * random.uniform(1.0, 1.25)


def retry_handlers(
    sleep: Sleep = asyncio.sleep, rate_limit_retries: int = 3, backoff: float = 0.5
) -> list[AsyncRetryHandler]:
    """Return the retry policy: 429s, 5xx, and connection failures that happened before sending."""
    interval = BackoffRetryIntervalCalculator(backoff_factor=backoff, jitter=ProportionalJitter())
    return [
        RateLimitRetry(rate_limit_retries, sleep),
        AsyncServerErrorRetryHandler(max_retry_count=2, interval_calculator=interval),
        AsyncConnectionErrorRetryHandler(
            max_retry_count=2, interval_calculator=interval, error_types=list(NOT_SENT_ERRORS)
        ),
    ]


def make_web_client(settings: Settings, token: str | None = None) -> AsyncWebClient:
    """Return an AsyncWebClient against SLACK_API_URL with the bot's retry policy."""
    return AsyncWebClient(
        token=token,
        base_url=settings.slack_api_url,
        timeout=settings.slack_api_timeout,
        retry_handlers=retry_handlers(),
        logger=logging.getLogger("bot.slack.web"),
    )
