"""Work that outlives the request that started it (answers posted after Slack's ack), drained at shutdown.

On SIGTERM the server first waits for this work, up to the shutdown limit, before the database
closes; whatever is still running then is cancelled and logged one line each (never silently).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Coroutine
from typing import Any

from aiohttp import web

log = logging.getLogger("bot.background")


class BackgroundTasks:
    """Tasks started outside any request's lifetime, each with labels that identify it in logs."""

    def __init__(self) -> None:
        self._tasks: dict[asyncio.Task[Any], dict[str, str]] = {}

    def __len__(self) -> int:
        return len(self._tasks)

    def start(self, work: Coroutine[Any, Any, Any], name: str, **labels: str) -> asyncio.Task[Any]:
        """Run `work` as a task tracked until it ends; `labels` name it (ids only, no content)."""
        task = asyncio.create_task(work, name=name)
        self._tasks[task] = labels
        task.add_done_callback(self._forget)
        return task

    def _forget(self, task: asyncio.Task[Any]) -> None:
        self._tasks.pop(task, None)
        if not task.cancelled() and task.exception() is not None:
            log.error("background task %s failed", task.get_name(), exc_info=task.exception())

    async def wait(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for every task, those started meanwhile too; True if none is left."""
        deadline = time.monotonic() + timeout
        while self._tasks and (left := deadline - time.monotonic()) > 0:
            await asyncio.wait(list(self._tasks), timeout=left)
        return not self._tasks

    async def drop_all(self, reason: str) -> int:
        """Cancel every task still running, logging each one with its labels; return how many."""
        dropped = dict(self._tasks)
        for task, labels in dropped.items():
            described = " ".join(f"{key}={value}" for key, value in labels.items())
            log.warning("dropped at shutdown: %s %s reason=%s", task.get_name(), described, reason)
            task.cancel()
        if dropped:
            await asyncio.wait(list(dropped), timeout=1.0)
        return len(dropped)


BACKGROUND_KEY = web.AppKey("background", BackgroundTasks)


def drain_at_shutdown(app: web.Application, limit: float) -> None:
    """Wait for `app`'s background tasks at shutdown (up to `limit` s in all), then drop the rest.

    The wait starts in on_shutdown, while requests in flight also finish; a second pass in
    on_cleanup catches tasks those requests started, within what is left of `limit`. Register
    it before the hook that closes the database.
    """
    background = app[BACKGROUND_KEY]
    deadline = 0.0

    async def wait_for_background(_app: web.Application) -> None:
        nonlocal deadline
        deadline = time.monotonic() + limit
        if background:
            log.info("shutting down: waiting for %d answer(s) still being sent", len(background))
        await background.wait(limit)

    async def drop_what_is_left(_app: web.Application) -> None:
        if not await background.wait(max(0.0, deadline - time.monotonic())):
            await background.drop_all(f"still running after the {limit:.0f} s shutdown limit")

    app.on_shutdown.append(wait_for_background)
    app.on_cleanup.append(drop_what_is_left)
