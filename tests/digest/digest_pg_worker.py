"""One bot replica for the multi-process PostgreSQL test: leader loop, scheduler, Slack sender.

Run as: python digest_pg_worker.py DATABASE_URL LOCK_NAME SLACK_API_URL OWNER
Prints LEADING when it holds the lock and runs the scheduler; runs until killed.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import sys
from pathlib import Path

from apscheduler.triggers.cron import CronTrigger

from bot.db.engine import make_engine
from bot.digest.delivery import DigestDelivery
from bot.digest.leader import PostgresLeaderLock
from bot.digest.scheduler import DigestRuntime
from bot.slack.digest_sender import SlackSender
from knowledge import load_store


async def run(url: str, lock_name: str, slack_url: str, owner: str) -> None:
    """Follow or lead until killed."""
    engine = make_engine(url)
    store = load_store(Path(__file__).resolve().parent / "data")
    sender = SlackSender("xoxb-pg", slack_url, backoff=0.01, timeout=60)
    delivery = DigestDelivery(engine, lambda: store, {"slack": sender}, owner=owner, concurrency=4)
    runtime = DigestRuntime(
        delivery,
        PostgresLeaderLock(engine, lock_name),
        lock_poll_seconds=0.2,
        tick=CronTrigger(second="*", timezone=dt.UTC),
    )
    await runtime.start()
    await runtime.leading.wait()
    print("LEADING", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    asyncio.run(run(*sys.argv[1:5]))
