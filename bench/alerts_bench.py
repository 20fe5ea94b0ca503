"""Alert benchmark: 1,000 channels with follows, one curator's edit, alerts to a rate-limiting fake Slack.

Run: .venv/bin/python -m bench.alerts_bench [--channels 1000] [--concurrency 200] [--postgres]

Checks: the alerts of the edit composed (diff, follows read, one reply per concerned channel)
within 2 s; every concerned channel gets exactly one alert and no other channel any, although
the fake Slack allows one message per second per channel and answers some requests with 429 +
Retry-After first. The fake Slack runs in its own process, as in bench/digest_bench.py.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import multiprocessing
import random
import shutil
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from sqlalchemy import Engine, insert, text

import bot.schema  # noqa: F401
from bench.digest_bench import _engine, _serve_fake_slack
from bot.db.engine import metadata
from bot.digest.alerts import AlertDelivery
from bot.digest.delivery import DigestDelivery
from bot.digest.follow_tables import follows
from bot.digest.versions import record_version
from bot.slack.digest_sender import SlackSender
from handlers.context import Follow
from handlers.follow_targets import WORD_KINDS, entity_follow, subject_words
from knowledge import KnowledgeStore, load_store
from knowledge.loader import default_dir
from knowledge.models import Deal, Organisation, Topic
from tests.digest.digest_fakes import FakeClock

NOW = dt.datetime(2026, 3, 30, 9, 0, tzinfo=dt.UTC)
NEW_DEAL = """
  - id: bench-bayer-adc-deal
    title: Bench-only Bayer ADC collaboration
    type: collaboration
    parties:
      - {organisation: bayer, role: partner}
      - {organisation: puhe, role: partner}
    modalities: [ADC]
    therapeutic_areas: [oncology]
    summary: A made-up deal the benchmark adds, to be announced.
    topics: [adc]
    sources: [{source: chinabio-thought-leadership-2025}]
"""


def _edit(folder: Path) -> None:
    """A curator's edit: the Bayer–Puhe deal gets a status, and a new ADC deal appears."""
    path = folder / "deals.yaml"
    body = path.read_text()
    marker = "    rights: global rights to PH020\n"
    assert marker in body
    body = body.replace(marker, marker + "    status: active\n", 1)
    path.write_text(body.rstrip("\n") + "\n" + NEW_DEAL)


def _targets(store: KnowledgeStore) -> list[Follow]:
    """Return what channels may follow: companies, deals, topics, and subject words."""
    pool = [entity_follow(e) for kind in (Organisation, Deal, Topic) for e in store.all(kind)]
    for kind in WORD_KINDS:
        pool += [Follow(kind, key, label) for key, label in subject_words(store, kind).items()]
    return pool


def _follow(engine: Engine, channels: list[str], pool: list[Follow], everyone: bool) -> int:
    """Give each channel one to four follows (and Bayer, with `everyone`); return how many."""
    pick = random.Random(16)
    bayer = Follow("organisation", "bayer", "Bayer")
    rows = [
        {
            "platform": "slack",
            "channel": channel,
            "kind": f.kind,
            "key": f.key,
            "label": f.label,
            "follower": f"U{i}",
            "created_at": NOW,
        }
        for i, channel in enumerate(channels)
        for f in {*pick.sample(pool, pick.randint(1, 4)), *([bayer] if everyone else [])}
    ]
    with engine.begin() as conn:
        conn.execute(insert(follows), rows)
    return len(rows)


async def run(
    channels_count: int, concurrency: int, postgres: bool, share_429: float, everyone: bool
) -> int:
    """Run the benchmark; return 0 when every check passes."""
    engine, schema = _engine(postgres)
    metadata.create_all(engine)
    folder = Path(tempfile.mkdtemp(prefix="alerts-bench-")) / "knowledge"
    shutil.copytree(default_dir(), folder)
    before = load_store(folder)
    record_version(engine, before, NOW)
    channels = [f"C{i:05d}" for i in range(channels_count)]
    follow_rows = _follow(engine, channels, _targets(before), everyone)
    _edit(folder)
    after = load_store(folder)

    rate_limited = random.Random(5).sample(channels, int(channels_count * share_429))
    parent, child = multiprocessing.Pipe()
    fake = multiprocessing.get_context("spawn").Process(
        target=_serve_fake_slack, args=(child, rate_limited), daemon=True
    )
    fake.start()
    url = parent.recv()
    sender = SlackSender("xoxb-bench", url)
    clock = FakeClock(NOW + dt.timedelta(minutes=1))
    delivery = DigestDelivery(
        engine, lambda: after, {"slack": sender}, clock=clock, concurrency=concurrency
    )
    alerts = AlertDelivery(delivery)
    started = time.perf_counter()
    report = await alerts.run_once()
    total = time.perf_counter() - started
    again = await alerts.run_once()  # the next tick: nothing more
    await sender.aclose()
    stats_url = url.removesuffix("api/") + "stats"
    stats = json.loads(urllib.request.urlopen(stats_url, timeout=10).read())  # loopback only
    parent.send("stop")
    fake.join(10)

    firsts: dict[str, int] = stats["first_parts"]
    concerned = sorted(key[1] for key, outcome in report.outcomes.items() if outcome == "sent")
    exactly_once = sorted(firsts) == concerned and set(firsts.values()) <= {1}
    print(f"database            {'PostgreSQL' if postgres else 'SQLite'}")
    print(f"channels            {channels_count} ({follow_rows} follows)")
    print(f"knowledge           {len(after.entities)} entities; edit: 1 deal changed, 1 added")
    print(f"compose             {alerts.last_compose_seconds:.3f} s for {len(concerned)} alerts")
    print(f"messages posted     {stats['messages']}")
    print(f"429 answered        {stats['rate_limited']}")
    print(f"exactly once        {exactly_once} (second tick sent {len(again.outcomes)})")
    print(f"total               {total:.2f} s")
    if schema:
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    engine.dispose()
    ok = exactly_once and not again.outcomes and concerned and alerts.last_compose_seconds <= 2.0
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


def main() -> int:
    """Parse arguments and run."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--channels", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--postgres", action="store_true", help="use the local PostgreSQL")
    parser.add_argument("--share-429", type=float, default=0.1, help="channels answered 429 first")
    parser.add_argument("--everyone", action="store_true", help="every channel also follows Bayer")
    args = parser.parse_args()
    return asyncio.run(
        run(args.channels, args.concurrency, args.postgres, args.share_429, args.everyone)
    )


if __name__ == "__main__":
    sys.exit(main())
