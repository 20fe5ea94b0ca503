"""One bot replica for the PostgreSQL alert test: leader loop, digest tick with alerts, Slack sender.

Run as: python alerts_pg_worker.py DATABASE_URL LOCK_NAME SLACK_API_URL OWNER KNOWLEDGE_DIR
Prints LEADING when it holds the lock and runs the scheduler; runs until killed.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import sys

from apscheduler.triggers.cron import CronTrigger

from bot.db.engine import make_engine
from bot.digest.alerts import AlertDelivery
from bot.digest.delivery import DigestDelivery
from bot.digest.leader import PostgresLeaderLock
from bot.digest.scheduler import DigestRuntime
from bot.slack.digest_sender import SlackSender
from knowledge.reload import KnowledgeHolder


async def run(url: str, lock_name: str, slack_url: str, owner: str, folder: str) -> None:
    """Follow or lead until killed."""
    engine = make_engine(url)
    holder = KnowledgeHolder(folder)
    sender = SlackSender("xoxb-pg", slack_url, backoff=0.01, timeout=60)
    delivery = DigestDelivery(
        engine, lambda: holder.store, {"slack": sender}, owner=owner, concurrency=4
    )
    runtime = DigestRuntime(
        delivery,
        PostgresLeaderLock(engine, lock_name),
        lock_poll_seconds=0.2,
        tick=CronTrigger(second="*", timezone=dt.UTC),
    )
    runtime.after_tick.append(AlertDelivery(delivery).run_once)
    await runtime.start()
    await runtime.leading.wait()
    print("LEADING", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    asyncio.run(run(*sys.argv[1:6]))
