"""Against the real PostgreSQL: two replicas, the leader killed mid-run, one alert per channel."""

from __future__ import annotations

import asyncio
import os
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from bot.db.engine import make_engine
from bot.digest.follows import SqlFollowBook
from bot.digest.tables import deliveries
from bot.digest.versions import record_version
from handlers.context import Follow
from knowledge import load_store
from tests.digest.digest_fakes import FakeClock, FakeSlack
from tests.follow.edits import MONDAY, complete_bayer_deal
from tests.pg_schema import schema_with_tables

pytestmark = [pytest.mark.postgres]
WORKER = Path(__file__).resolve().parent / "alerts_pg_worker.py"
FOLLOWING = [f"C{i:03d}" for i in range(30)]
ELSEWHERE = [f"CX{i:02d}" for i in range(5)]


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A throw-away schema in the local PostgreSQL, with the bot's tables; dropped afterwards."""
    with schema_with_tables("alerts_test") as url:
        yield url


@pytest.fixture
def pg_engine(pg_url: str) -> Iterator[Engine]:
    """An engine on the throw-away schema."""
    engine = make_engine(pg_url)
    yield engine
    engine.dispose()


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    """A fake Slack Web API on loopback."""
    fake = FakeSlack()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def processes() -> AsyncIterator[list[asyncio.subprocess.Process]]:
    """Worker processes started by a test, killed at the end whatever happens."""
    started: list[asyncio.subprocess.Process] = []
    yield started
    for proc in started:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()


async def _spawn(
    url: str, lock: str, slack: str, owner: str, folder: Path
) -> asyncio.subprocess.Process:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    return await asyncio.create_subprocess_exec(
        sys.executable,
        str(WORKER),
        url,
        lock,
        slack,
        owner,
        str(folder),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
        env=env,
    )


async def _until(condition, timeout: float) -> None:  # type: ignore[no-untyped-def]
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.05)


@pytest.mark.slow
async def test_leader_killed_mid_run_every_following_channel_alerted_once(
    pg_url: str,
    pg_engine: Engine,
    folder: Path,
    fake_slack: FakeSlack,
    processes: list[asyncio.subprocess.Process],
) -> None:
    """30 channels follow Bayer, 5 follow Servier; Bayer's deal changes; the leader dies mid-run: each Bayer channel hears once, the others never."""
    record_version(pg_engine, load_store(folder), MONDAY)  # the version served before the edit
    book = SqlFollowBook(pg_engine, FakeClock(MONDAY))
    for channel in FOLLOWING:
        book.follow("slack", channel, "U1", Follow("organisation", "bayer", "Bayer"), None)
    for channel in ELSEWHERE:
        book.follow("slack", channel, "U2", Follow("organisation", "servier", "Servier"), None)
    complete_bayer_deal(folder)
    lock = f"alerts-test-{uuid.uuid4().hex}"
    fake_slack.hang_after = 8  # after 8 alerts, Slack takes messages but stops answering

    leader = await _spawn(pg_url, lock, fake_slack.url, "leader", folder)
    processes.append(leader)
    assert leader.stdout is not None
    assert (await asyncio.wait_for(leader.stdout.readline(), 30)).strip() == b"LEADING"
    follower = await _spawn(pg_url, lock, fake_slack.url, "follower", folder)
    processes.append(follower)

    await _until(lambda: fake_slack.hanging == 4, 30)
    leader.kill()
    await leader.wait()
    fake_slack.release()

    assert follower.stdout is not None
    assert (await asyncio.wait_for(follower.stdout.readline(), 30)).strip() == b"LEADING"
    await _until(lambda: len(fake_slack.first_parts()) == len(FOLLOWING), 60)
    await asyncio.sleep(2.5)  # a few more ticks: nothing may be posted twice

    assert fake_slack.first_parts() == dict.fromkeys(FOLLOWING, 1)
    assert all("Bayer" in str(m["blocks"]) for m in fake_slack.messages)
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
    assert statuses == {"sent": len(FOLLOWING) - 4, "sending": 4}
    assert owners == {"leader": 8, "follower": len(FOLLOWING) - 12}
