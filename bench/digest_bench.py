"""Digest benchmark: 1,000 channels due at the same minute, posted to a rate-limiting fake Slack.

Run: .venv/bin/python -m bench.digest_bench [--channels 1000] [--concurrency 50] [--postgres]

Checks: every digest composed within 2 s; every channel gets exactly one digest (none lost,
none twice) although the fake Slack allows one message per second per channel and answers
some requests with 429 + Retry-After: 1; the total time is bounded by that rate limit. The fake
Slack runs in its own process, as Slack would, so it does not compete with the bot for the loop.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import multiprocessing
import random
import sys
import tempfile
import time
import urllib.request
import uuid
from multiprocessing.connection import Connection as Pipe

from sqlalchemy import Engine, func, insert, select, text

import bot.schema  # noqa: F401
from bot.db.engine import make_engine, metadata
from bot.digest.delivery import DigestDelivery
from bot.digest.tables import deliveries, subscriptions
from bot.slack.digest_sender import SlackSender
from knowledge import load_store
from tests.digest.digest_fakes import FakeClock, FakeSlack

DUE = dt.datetime(2026, 3, 30, 9, 0, tzinfo=dt.UTC)  # a Monday 09:00 UTC
TOPICS: list[list[str]] = [[], ["adc"], ["oncology"], ["newco"]]


def _engine(postgres: bool) -> tuple[Engine, str | None]:
    if not postgres:
        folder = tempfile.mkdtemp(prefix="digest-bench-")
        return make_engine(f"sqlite:///{folder}/bench.db"), None
    schema = f"digest_bench_{uuid.uuid4().hex[:8]}"
    admin = make_engine("postgresql://root@127.0.0.1:5432/test")
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    admin.dispose()
    url = f"postgresql://root@127.0.0.1:5432/test?options=-csearch_path%3D{schema}"
    return make_engine(url), schema


def _subscribe(engine: Engine, channels: list[str]) -> None:
    """Subscribe every channel to Monday 09:00 UTC, a week before the run, in one statement."""
    since = DUE - dt.timedelta(days=7)
    rows = [
        {
            "platform": "slack",
            "channel": channel,
            "subscriber": f"U{i}",
            "weekday": 0,
            "hour": 9,
            "minute": 0,
            "tz": "UTC",
            "topics": TOPICS[i % len(TOPICS)],
            "active_since": since,
            "created_at": since,
        }
        for i, channel in enumerate(channels)
    ]
    with engine.begin() as conn:
        conn.execute(insert(subscriptions), rows)


def _serve_fake_slack(pipe: Pipe, rate_limited_channels: list[str], retry_after: int = 1) -> None:
    """Child process: run the fake Slack until told to stop; send its URL first."""

    async def serve() -> None:
        fake = FakeSlack(per_channel_interval=1.0, retry_after=retry_after)
        for channel in rate_limited_channels:
            fake.script[channel] = [429]
        pipe.send(await fake.start())
        await asyncio.get_running_loop().run_in_executor(None, pipe.recv)
        await fake.stop()

    asyncio.run(serve())


async def run(
    channels_count: int, concurrency: int, postgres: bool, share_429: float, retry_after: int = 1
) -> int:
    """Run the benchmark; return 0 when every check passes."""
    engine, schema = _engine(postgres)
    metadata.create_all(engine)
    channels = [f"C{i:05d}" for i in range(channels_count)]
    _subscribe(engine, channels)
    store = load_store()
    rate_limited = random.Random(5).sample(channels, int(channels_count * share_429))

    parent, child = multiprocessing.Pipe()
    fake = multiprocessing.get_context("spawn").Process(
        target=_serve_fake_slack, args=(child, rate_limited, retry_after), daemon=True
    )
    fake.start()
    url = parent.recv()
    sender = SlackSender("xoxb-bench", url)
    clock = FakeClock(DUE + dt.timedelta(seconds=5))
    delivery = DigestDelivery(
        engine, lambda: store, {"slack": sender}, clock=clock, concurrency=concurrency
    )
    started = time.perf_counter()
    report = await delivery.run_once()
    total = time.perf_counter() - started
    await sender.aclose()
    stats_url = url.removesuffix("api/") + "stats"
    stats = json.loads(urllib.request.urlopen(stats_url, timeout=10).read())  # loopback only
    parent.send("stop")
    fake.join(10)

    with engine.connect() as conn:
        sent = conn.execute(
            select(func.count()).select_from(deliveries).where(deliveries.c.status == "sent")
        ).scalar()
    firsts: dict[str, int] = stats["first_parts"]
    exactly_once = sorted(firsts) == channels and set(firsts.values()) == {1}
    print(f"database            {'PostgreSQL' if postgres else 'SQLite'}")
    print(f"channels            {channels_count} (topic filters: {len(TOPICS)} kinds)")
    print(f"concurrency         {concurrency}")
    print(f"compose             {report.compose_seconds:.2f} s for {len(report.outcomes)} digests")
    print(
        f"messages posted     {stats['messages']} ({stats['messages'] - channels_count} continuation parts)"
    )
    print(f"429 answered        {stats['rate_limited']} (Retry-After: {retry_after})")
    print(f"sent in the log     {sent}")
    print(f"exactly once        {exactly_once}")
    print(f"total               {total:.2f} s")
    if schema:
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    engine.dispose()
    ok = exactly_once and sent == channels_count and report.compose_seconds <= 2.0
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


def main() -> int:
    """Parse arguments and run."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--channels", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--postgres", action="store_true", help="use the local PostgreSQL")
    parser.add_argument("--share-429", type=float, default=0.1, help="channels answered 429 first")
    parser.add_argument("--retry-after", type=int, default=1, help="seconds Slack asks to wait")
    args = parser.parse_args()
    return asyncio.run(
        run(args.channels, args.concurrency, args.postgres, args.share_429, args.retry_after)
    )


if __name__ == "__main__":
    sys.exit(main())
