"""The scheduler runtime: APScheduler ticks while leading, stops on losing the lock, wires into aiohttp."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
from collections.abc import Callable

from aiohttp import web
from aiohttp.test_utils import TestServer
from sqlalchemy import Engine

from bot.app import RUNTIME_KEY, SENDERS_KEY, attach_scheduler, console_digest_hook, digest_senders
from bot.console.repl import ConsoleSession
from bot.deps import Deps
from bot.digest.book import SqlSubscriptionBook
from bot.digest.delivery import DigestDelivery
from bot.digest.leader import LocalLeaderLock
from bot.digest.scheduler import DigestRuntime
from bot.settings import Settings
from handlers.context import DigestSchedule
from knowledge.reload import KnowledgeHolder
from tests.digest.digest_fakes import FakeClock, RecordingSender

DATA = __import__("pathlib").Path(__file__).resolve().parent / "data"


async def _until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Wait until `condition()` holds (the scheduler runs on its own time)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.02)


class SwitchLock(LocalLeaderLock):
    """A lock a test can take away, as when the lock connection drops."""

    def __init__(self) -> None:
        super().__init__()
        self.available = True
        self.releases = 0

    def acquire(self) -> bool:
        return super().acquire() if self.available else False

    def held(self) -> bool:
        return self.available and super().held()

    def release(self) -> None:
        self.releases += 1
        super().release()


def _due_subscription(engine: Engine, platform: str = "slack", channel: str = "C1") -> None:
    """Subscribe a channel whose weekly time passed an hour ago (real clock)."""
    now = dt.datetime.now(dt.UTC)
    due = now - dt.timedelta(hours=1)
    book = SqlSubscriptionBook(engine, FakeClock(now - dt.timedelta(days=2)))
    book.subscribe(
        platform, channel, "U1", DigestSchedule(due.weekday(), due.hour, due.minute, "UTC")
    )


async def test_runtime_ticks_at_once_while_leading_and_releases_on_stop(
    delivery: DigestDelivery, book: SqlSubscriptionBook, clock: FakeClock, sender: RecordingSender
) -> None:
    """On start the leader runs a catch-up tick at once; stop shuts APScheduler down and releases the lock."""
    clock.advance(days=-7)
    book.subscribe("slack", "C1", "U1", DigestSchedule())
    clock.advance(days=7)
    lock = SwitchLock()
    runtime = DigestRuntime(delivery, lock, lock_poll_seconds=0.05)
    await runtime.start()
    await _until(lambda: runtime.last_report is not None)
    assert sender.channels() == ["C1"]
    assert runtime.scheduler is not None
    assert runtime.scheduler.get_job("digest-tick") is not None
    await runtime.stop()
    assert runtime.scheduler is None
    assert lock.releases == 1
    assert not lock.held()


async def test_losing_the_lock_stops_the_scheduler_and_regaining_restarts_it(
    delivery: DigestDelivery,
) -> None:
    """When the lock connection drops the scheduler stops; when the lock is free again it restarts."""
    lock = SwitchLock()
    runtime = DigestRuntime(delivery, lock, lock_poll_seconds=0.05)
    await runtime.start()
    await _until(runtime.leading.is_set)
    lock.available = False
    await _until(lambda: not runtime.leading.is_set())
    assert runtime.scheduler is None
    lock.available = True
    await _until(runtime.leading.is_set)
    assert runtime.scheduler is not None
    await runtime.stop()


async def test_a_failing_tick_is_logged_not_fatal(delivery: DigestDelivery) -> None:
    """An exception inside a tick is caught so the next tick still runs."""

    async def broken() -> None:
        raise RuntimeError("database away")

    delivery.run_once = broken  # type: ignore[assignment,method-assign]
    runtime = DigestRuntime(delivery, LocalLeaderLock())
    report = await runtime.tick()
    assert report.outcomes == {}


def _deps(engine: Engine) -> Deps:
    return Deps(
        settings=Settings(),
        knowledge=KnowledgeHolder(DATA),
        engine=engine,
        subscriptions=SqlSubscriptionBook(engine),
    )


async def test_attach_scheduler_runs_with_the_aiohttp_app(engine: Engine) -> None:
    """attach_scheduler starts digests with the app and stops them on cleanup."""
    deps = _deps(engine)
    sender = RecordingSender()
    _due_subscription(engine)
    app = web.Application()
    app[SENDERS_KEY] = {"slack": sender}
    attach_scheduler(app, deps)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    try:
        await _until(lambda: sender.channels() == ["C1"])
        runtime = app[RUNTIME_KEY]
        assert runtime.leading.is_set()
    finally:
        await server.close()
    assert runtime.scheduler is None


async def test_console_scheduler_prints_digests(engine: Engine) -> None:
    """The console variant posts due digests of console subscriptions to its stream."""
    deps = _deps(engine)
    _due_subscription(engine, platform="console", channel="console")
    stream = io.StringIO()
    stop = await console_digest_hook(ConsoleSession(deps, stream))
    try:
        await _until(lambda: "ChinaBio weekly digest" in stream.getvalue())
    finally:
        await stop()
    assert "[digest for console]" in stream.getvalue()


def test_senders_for_the_configured_platforms(engine: Engine) -> None:
    """A Slack bot token adds the Slack sender; a mounted platform's sender is kept."""
    deps = Deps(
        settings=Settings(slack_bot_token="xoxb-1", slack_api_url="http://127.0.0.1:1/api/"),
        knowledge=KnowledgeHolder(DATA),
        engine=engine,
        subscriptions=SqlSubscriptionBook(engine),
    )
    assert set(digest_senders(deps)) == {"slack"}
    assert set(digest_senders(deps, {"teams": RecordingSender("teams")})) == {"slack", "teams"}
