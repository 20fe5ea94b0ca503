"""Against the real PostgreSQL: two replicas, the leader killed mid-run, every channel posted once."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text

from bot.db.engine import make_engine
from bot.db.migrate import upgrade_schema
from bot.digest.book import SqlSubscriptionBook
from bot.digest.claims import ClaimPolicy, begin_send, claim_due
from bot.digest.leader import PostgresLeaderLock
from bot.digest.tables import deliveries
from handlers.context import DigestSchedule
from tests.digest.digest_fakes import FakeClock, FakeSlack
from tests.pg_schema import schema_with_tables

pytestmark = [pytest.mark.postgres]
WORKER = Path(__file__).resolve().parent / "digest_pg_worker.py"
CHANNELS = [f"C{i:03d}" for i in range(30)]


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A throw-away schema in the local PostgreSQL, with the bot's tables; dropped afterwards."""
    with schema_with_tables("digest_test") as url:
        yield url


@pytest.fixture
def pg_engine(pg_url: str) -> Iterator[Engine]:
    """An engine on the throw-away schema."""
    engine = make_engine(pg_url)
    yield engine
    engine.dispose()


def _subscribe_due(engine: Engine, channels: list[str]) -> None:
    """Subscribe channels whose weekly time (UTC) was an hour ago, subscribed two days ago."""
    now = dt.datetime.now(dt.UTC)
    due = now - dt.timedelta(hours=1)
    book = SqlSubscriptionBook(engine, FakeClock(now - dt.timedelta(days=2)))
    schedule = DigestSchedule(due.weekday(), due.hour, due.minute, "UTC")
    for channel in channels:
        book.subscribe("slack", channel, "U1", schedule)


async def _spawn(url: str, lock: str, slack: str, owner: str) -> asyncio.subprocess.Process:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    return await asyncio.create_subprocess_exec(
        sys.executable,
        str(WORKER),
        url,
        lock,
        slack,
        owner,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
        env=env,
    )


async def _until(condition, timeout: float) -> None:  # type: ignore[no-untyped-def]
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.05)


@pytest.fixture
async def processes() -> AsyncIterator[list[asyncio.subprocess.Process]]:
    """Worker processes started by a test, killed at the end whatever happens."""
    started: list[asyncio.subprocess.Process] = []
    yield started
    for proc in started:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()


@pytest.mark.slow
async def test_leader_killed_mid_run_every_channel_posted_once(
    pg_url: str,
    pg_engine: Engine,
    fake_slack: FakeSlack,
    processes: list[asyncio.subprocess.Process],
) -> None:
    """Two replicas share the subscriptions; the leader dies mid-run; each channel's week is posted exactly once."""
    _subscribe_due(pg_engine, CHANNELS)
    lock = f"digest-test-{uuid.uuid4().hex}"
    fake_slack.hang_after = 8  # after 8 digests, Slack takes messages but stops answering

    leader = await _spawn(pg_url, lock, fake_slack.url, "leader")
    processes.append(leader)
    assert leader.stdout is not None
    assert (await asyncio.wait_for(leader.stdout.readline(), 30)).strip() == b"LEADING"
    follower = await _spawn(pg_url, lock, fake_slack.url, "follower")
    processes.append(follower)

    # The leader's four concurrent posts are now all inside Slack, unanswered: kill it there.
    await _until(lambda: fake_slack.hanging == 4, 30)
    leader.kill()
    await leader.wait()
    fake_slack.release()

    assert follower.stdout is not None
    assert (await asyncio.wait_for(follower.stdout.readline(), 30)).strip() == b"LEADING"
    await _until(lambda: len(fake_slack.first_parts()) == len(CHANNELS), 60)
    await asyncio.sleep(2.5)  # a few more ticks: nothing may be posted twice

    assert fake_slack.first_parts() == dict.fromkeys(CHANNELS, 1)
    with pg_engine.connect() as conn:
        statuses = dict(
            conn.execute(
                select(deliveries.c.status, func.count()).group_by(deliveries.c.status)
            ).all()
        )
        owners = dict(
            conn.execute(
                select(deliveries.c.owner, func.count())
                .where(deliveries.c.status == "sent")
                .group_by(deliveries.c.owner)
            ).all()
        )
    # The four posts cut off by the kill are recorded as in flight, never re-posted.
    assert statuses == {"sent": len(CHANNELS) - 4, "sending": 4}
    assert owners == {"leader": 8, "follower": len(CHANNELS) - 12}


def test_concurrent_claimers_begin_each_send_once(pg_engine: Engine) -> None:
    """Four replicas claiming and starting the same due digests at once: each channel's send begins once."""
    from concurrent.futures import ThreadPoolExecutor

    _subscribe_due(pg_engine, CHANNELS[:10])
    subs = SqlSubscriptionBook(pg_engine).active()
    now = dt.datetime.now(dt.UTC)

    def replica(owner: str) -> list[tuple[str, str]]:
        claims = claim_due(pg_engine, subs, now, ClaimPolicy(owner=owner))
        begun = []
        for claim in claims:
            with pg_engine.begin() as conn:
                if begin_send(conn, claim, owner, now):
                    begun.append(claim.key)
        return begun

    with ThreadPoolExecutor(4) as pool:
        begun = [key for keys in pool.map(replica, ["a", "b", "c", "d"]) for key in keys]
    assert sorted(begun) == sorted(("slack", c) for c in CHANNELS[:10])


def test_advisory_lock_has_one_holder_and_passes_on(pg_engine: Engine) -> None:
    """Only one replica holds the scheduler lock; when it lets go, another takes it."""
    name = f"digest-test-{uuid.uuid4().hex}"
    first, second = PostgresLeaderLock(pg_engine, name), PostgresLeaderLock(pg_engine, name)
    try:
        assert first.acquire()
        assert first.held()
        assert not second.acquire()
        assert not second.held()
        first.release()
        assert second.acquire()
        assert second.held()
    finally:
        first.release()
        second.release()


def test_old_postgres_schema_gains_the_workspace_column(pg_engine: Engine) -> None:
    """On PostgreSQL, start-up adds `workspace` to a subscriptions table made without it."""
    SqlSubscriptionBook(pg_engine).subscribe("slack", "C0OLD", "U1", DigestSchedule())
    with pg_engine.begin() as conn:
        conn.execute(text("ALTER TABLE digest_subscriptions DROP COLUMN workspace"))
    upgrade_schema(pg_engine)  # what build_deps does at start-up
    book = SqlSubscriptionBook(pg_engine)
    assert book.get("slack", "C0OLD").workspace is None  # type: ignore[union-attr]
    book.subscribe("slack", "C0OLD", "U1", DigestSchedule(), workspace="T0PG")
    assert book.get("slack", "C0OLD").workspace == "T0PG"  # type: ignore[union-attr]


def test_team_reminders_and_memory_on_postgres(pg_engine: Engine) -> None:
    """Reminders are numbered, listed per channel and cleared once; memory upserts keep one row."""
    from bot.digest.history import load_histories, memory_statement
    from bot.digest.reminders import SqlReminderBook

    book = SqlReminderBook(pg_engine)
    day = dt.date(2027, 3, 1)
    first = book.add("slack", "C1", "bayer-puhe-ph020", "Bayer and Puhe", day, "IIT readout", "U1")
    book.add("slack", "C2", "bayer-puhe-ph020", "Bayer and Puhe", day, "theirs", "U2")
    assert [r.note for r in book.open("slack", "C1")] == ["IIT readout"]
    assert book.finish("slack", "C2", first.number) is None  # not that channel's
    assert book.finish("slack", "C1", first.number) is not None
    assert book.finish("slack", "C1", first.number) is None  # once
    for shown in (dt.date(2027, 1, 4), dt.date(2027, 4, 5)):
        statement, rows = memory_statement("postgresql", ("slack", "C1"), shown, ["t1", "t1"])
        with pg_engine.begin() as conn:
            conn.execute(statement, rows)
    history = load_histories(pg_engine, [("slack", "C1")], dt.datetime.now(dt.UTC))
    assert history[("slack", "C1")].featured == {"t1": dt.date(2027, 4, 5)}
    assert history[("slack", "C1")].team == ()
