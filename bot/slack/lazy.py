"""Run Bolt's lazy listeners (answers posted after the ack) as tracked background tasks.

Bolt starts each lazy listener with asyncio.ensure_future and forgets it, so on SIGTERM an
answer waiting on Slack (a 429's Retry-After) would be cancelled unseen; here each one is a
BackgroundTask that shutdown waits for, labelled by event id and channel (never the text).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from logging import Logger
from typing import Any

from slack_bolt.lazy_listener.async_internals import to_runnable_function
from slack_bolt.lazy_listener.asyncio_runner import AsyncioLazyListenerRunner
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.background import BackgroundTasks


def labels_of(body: dict[str, Any]) -> dict[str, str]:
    """Return what identifies a request in a log line: its kind, event id and channel."""
    event = body.get("event") or {}
    channel = (
        event.get("channel")
        or (body.get("channel") or {}).get("id")
        or body.get("channel_id")
        or (body.get("user") or {}).get("id")
        or ""
    )
    return {
        "kind": str(event.get("type") or body.get("type") or "unknown"),
        "event_id": str(body.get("event_id") or "-"),
        "channel": str(channel or "-"),
    }


class TrackedLazyRunner(AsyncioLazyListenerRunner):
    """Bolt's asyncio lazy runner, but every lazy listener runs as a tracked background task."""

    def __init__(self, background: BackgroundTasks, logger: Logger) -> None:
        super().__init__(logger=logger)
        self.background = background

    def start(self, function: Callable[..., Awaitable[None]], request: AsyncBoltRequest) -> None:
        # As Bolt's own runner does (its `run` helper cannot be used: it calls a coroutine).
        work = to_runnable_function(internal_func=function, logger=self.logger, request=request)
        self.background.start(work, name="slack-answer", **labels_of(request.body))
