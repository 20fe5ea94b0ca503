"""Run digests on a schedule: APScheduler 3.x in the leading replica, a leader loop around it."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Awaitable, Callable

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from bot.db.offload import run_db
from bot.digest.delivery import DigestDelivery, RunReport
from bot.digest.leader import LeaderLock
from handlers.context import StoreUnavailable

log = logging.getLogger("bot.digest")
#: Seconds shutdown waits to give the lock back; closing the process releases it anyway.
RELEASE_WAIT = 5.0


class DigestRuntime:
    """Leads or follows; while leading, an in-memory APScheduler ticks every minute.

    Each tick asks the delivery engine for due digests; subscriptions come from the database,
    so a `subscribe` on any replica is seen by the leader at its next tick, and a start-up tick
    catches up digests missed while no replica was running (within the grace period).
    """

    def __init__(
        self,
        delivery: DigestDelivery,
        lock: LeaderLock,
        *,
        lock_poll_seconds: float = 5.0,
        tick: CronTrigger | None = None,
    ) -> None:
        self.delivery = delivery
        self.lock = lock
        self.lock_poll_seconds = lock_poll_seconds
        self.tick_trigger = tick or CronTrigger(second=0, timezone=dt.UTC)
        self.scheduler: AsyncIOScheduler | None = None
        self.leading = asyncio.Event()
        self.last_report: RunReport | None = None
        self._loop_task: asyncio.Task[None] | None = None
        #: More work for the leader at each tick, after the digests (the knowledge alerts).
        self.after_tick: list[Callable[[], Awaitable[object]]] = []

    async def start(self) -> None:
        """Start following: take the lead when the lock is free."""
        self._loop_task = asyncio.create_task(self._leader_loop(), name="digest-leader")

    async def stop(self) -> None:
        """Stop the scheduler, give the lock back."""
        if self._loop_task is not None:
            self._loop_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._loop_task
            self._loop_task = None
        self._stop_scheduler()
        try:
            await run_db(RELEASE_WAIT, self.lock.release)
        except StoreUnavailable as exc:
            log.warning("could not give the digest scheduler lock back: %s", exc)

    async def tick(self) -> RunReport:
        """Deliver whatever is due now (the scheduled job; callable directly in tests)."""
        try:
            report = await self.delivery.run_once()
        except Exception:  # a failing tick must not kill the scheduler; the next one retries
            log.exception("digest tick failed")
            await self._after_tick()
            return RunReport()
        await self._after_tick()
        self.last_report = report
        if report.outcomes:
            log.info(
                "digest tick: %d sent, %d failed, %d ambiguous, %d unavailable",
                report.count("sent"),
                report.count("failed"),
                report.count("ambiguous"),
                report.count("unavailable"),
            )
        return report

    async def _after_tick(self) -> None:
        for job in self.after_tick:
            try:
                await job()
            except Exception:  # like a failing digest tick: logged, retried at the next tick
                log.exception("tick job %s failed", getattr(job, "__qualname__", job))

    async def _leader_loop(self) -> None:
        while True:
            if self.scheduler is None:
                if await asyncio.to_thread(self.lock.acquire):
                    log.info("this replica (%s) now runs the digest scheduler", self.delivery.owner)
                    self._start_scheduler()
            elif not await asyncio.to_thread(self.lock.held):
                log.warning("lost the digest scheduler lock: stopping the scheduler")
                self._stop_scheduler()
            await asyncio.sleep(self.lock_poll_seconds)

    def _start_scheduler(self) -> None:
        scheduler = AsyncIOScheduler(timezone=dt.UTC)
        scheduler.add_job(
            self.tick,
            self.tick_trigger,
            id="digest-tick",
            max_instances=1,
            coalesce=True,
            misfire_grace_time=30,
            next_run_time=dt.datetime.now(dt.UTC),  # catch up at once after a start or take-over
        )
        scheduler.start()
        self.scheduler = scheduler
        self.leading.set()

    def _stop_scheduler(self) -> None:
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=False)
            self.scheduler = None
        self.leading.clear()
