"""A database that hangs (PostgreSQL behind a proxy that stops relaying) never freezes the bot."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import re
import time
from collections.abc import AsyncIterator, Awaitable, Iterator
from pathlib import Path
from typing import TypeVar

import aiohttp
import pytest

from bot.app import build_app, build_deps
from bot.settings import Settings
from tests.fakes.http import serve
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.stalling_proxy import StallingProxy
from tests.pg_schema import SERVER, empty_schema
from tests.slack.slack_driver import BOT_TOKEN, KNOWLEDGE, SIGNING_SECRET, SlackDriver, mention

pytestmark = [pytest.mark.postgres, pytest.mark.timeout(30)]

UNAVAILABLE = "subscriptions are unavailable right now, try again in a minute"
#: Slack wants a slash command answered, and an event acknowledged, within 3 seconds.
SLACK_WINDOW = 3.0
T = TypeVar("T")


@pytest.fixture
def proxy() -> Iterator[StallingProxy]:
    """A proxy in front of the local PostgreSQL, relaying until the test stalls it."""
    with StallingProxy() as running:
        yield running


@pytest.fixture
def database_url(proxy: StallingProxy) -> Iterator[str]:
    """A URL that reaches a throw-away schema of the local PostgreSQL through the proxy."""
    with empty_schema("outage_test") as url:
        yield url.replace(SERVER, f"127.0.0.1:{proxy.port}")


@pytest.fixture
async def slack(
    fake_slack: FakeSlackApi, database_url: str, tmp_path: Path, proxy: StallingProxy
) -> AsyncIterator[SlackDriver]:
    """The bot on loopback, its database behind the proxy (timeouts set as operators set them)."""
    settings = Settings.from_env(
        {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": fake_slack.api_url,
            "KNOWLEDGE_DIR": str(KNOWLEDGE),
            "DATA_DIR": str(tmp_path),
            "DATABASE_URL": database_url,
            "DATABASE_CONNECT_TIMEOUT": "2",
            "DATABASE_STATEMENT_TIMEOUT": "2",
            "PUBLIC_URL": "https://chinabio.example.com",
        },
        dotenv=None,
    )
    deps = build_deps(settings)
    try:
        async with serve(build_app(deps)) as url, aiohttp.ClientSession() as session:
            driver = SlackDriver(url, fake_slack, session)
            # Healthy first, so the pool holds connections that will hang once the proxy stalls.
            warm = await driver.command("subscriptions")
            assert "No digest subscription" in await warm.text()
            yield driver
            proxy.close()  # let threads stuck on the stalled sockets fail and finish
    finally:
        proxy.close()
        deps.engine.dispose()


async def timed(awaitable: Awaitable[T]) -> tuple[T, float]:
    """Await `awaitable` (at most 10 s); return its result and the seconds it took."""
    started = time.perf_counter()
    result = await asyncio.wait_for(awaitable, 10)
    return result, time.perf_counter() - started


async def command_text(slack: SlackDriver, text: str) -> str:
    """Send `/chinabio text`; return the acknowledgement's body."""
    response = await slack.command(text)
    assert response.status == 200
    return json.dumps(json.loads(await response.text()), ensure_ascii=False)


async def healthz(slack: SlackDriver) -> int:
    """GET /healthz; return its status."""
    async with slack.session.get(f"{slack.url}/healthz") as response:
        return response.status


async def test_subscription_commands_say_unavailable_while_others_answer(
    slack: SlackDriver, proxy: StallingProxy
) -> None:
    """With the database hung, subscription commands say so in time; /healthz and deals answer."""
    proxy.stall()
    subscriptions = asyncio.create_task(timed(command_text(slack, "subscriptions")))
    prefixed = asyncio.create_task(timed(command_text(slack, "chinabio: subscriptions")))
    await asyncio.sleep(0.3)  # both are now waiting on the database
    health, health_seconds = await timed(healthz(slack))
    deal, deal_seconds = await timed(command_text(slack, "deal Puhe"))
    assert health == 200
    assert health_seconds < 1
    assert "Puhe" in deal
    assert deal_seconds < 1
    for answer, seconds in (await subscriptions, await prefixed):
        assert UNAVAILABLE in answer
        assert seconds < SLACK_WINDOW


async def test_mention_subscribe_says_unavailable_while_database_hangs(
    slack: SlackDriver, proxy: StallingProxy
) -> None:
    """`@chinabio subscribe …` is acknowledged at once and answered with the unavailable message."""
    proxy.stall()
    started = time.perf_counter()
    ack, ack_seconds = await timed(
        slack.event(mention("<@UCHINABIO> @chinabio subscribe weekly tue 08:30"))
    )
    health, health_seconds = await timed(healthz(slack))
    (post,) = await slack.fake.wait_for("chat.postMessage", timeout=10)
    answered = time.perf_counter() - started
    assert ack.status == 200
    assert ack_seconds < SLACK_WINDOW
    assert health == 200
    assert health_seconds < 1
    assert UNAVAILABLE in json.dumps(post.args, ensure_ascii=False)
    assert answered < SLACK_WINDOW


async def test_database_answers_again_after_the_outage(
    slack: SlackDriver, proxy: StallingProxy
) -> None:
    """Once the database answers again, so do the subscription commands."""
    proxy.stall()
    during, _ = await timed(command_text(slack, "subscriptions"))
    proxy.resume()
    after, seconds = await timed(command_text(slack, "subscribe weekly tue 08:30"))
    assert UNAVAILABLE in during
    assert "Subscribed to the weekly digest" in after
    assert seconds < SLACK_WINDOW


async def test_calendar_feeds_say_unavailable_while_the_calendar_answers(
    slack: SlackDriver, proxy: StallingProxy
) -> None:
    """With the database hung, `calendar subscribe` says so, a feed is a 503, and `calendar`
    answers from the knowledge in time, saying the team reminders could not be read."""
    issued = await command_text(slack, "calendar subscribe")
    found = re.search(r"https://chinabio\.example\.com(/calendar/[\w-]+\.ics)", issued)
    assert found is not None
    day = dt.date.today() + dt.timedelta(days=30)
    assert "set for" in await command_text(slack, f"remind deal Puhe {day} ask for the data")
    assert "ask for the data" in await command_text(slack, "calendar")
    proxy.stall()
    answer, seconds = await timed(command_text(slack, "calendar subscribe"))
    assert "calendar feeds are unavailable right now" in answer
    assert seconds < SLACK_WINDOW
    listing, listing_seconds = await timed(command_text(slack, "calendar"))
    assert "Calendar" in listing
    assert "The knowledge has no event or milestone dated" in listing  # answered from it
    assert "team reminders could not be read right now" in listing
    assert "ask for the data" not in listing
    assert listing_seconds < SLACK_WINDOW

    async def feed() -> int:
        async with slack.session.get(slack.url + found.group(1)) as response:
            return response.status

    status, feed_seconds = await timed(feed())
    assert status == 503
    assert feed_seconds < 5


async def test_follow_commands_say_unavailable_while_the_database_hangs(
    slack: SlackDriver, proxy: StallingProxy
) -> None:
    """With the database hung, `follow` and `following` say following is unavailable, in time."""
    proxy.stall()
    follow = asyncio.create_task(timed(command_text(slack, "follow company Bayer")))
    following = asyncio.create_task(timed(command_text(slack, "following")))
    deal, deal_seconds = await timed(command_text(slack, "deal Puhe"))
    assert "Puhe" in deal
    assert deal_seconds < 1
    for answer, seconds in (await follow, await following):
        assert "following is unavailable right now, try again in a minute" in answer
        assert seconds < SLACK_WINDOW


async def test_reminder_commands_say_unavailable_while_the_database_hangs(
    slack: SlackDriver, proxy: StallingProxy
) -> None:
    """`reminders` and `remind deal …` wait on the database off the loop and say it is away."""
    proxy.stall()
    listed = asyncio.create_task(timed(command_text(slack, "reminders")))
    setting = asyncio.create_task(timed(command_text(slack, "remind deal Puhe 2099-03-01 x")))
    await asyncio.sleep(0.3)
    deal, deal_seconds = await timed(command_text(slack, "deal Puhe"))
    assert "Puhe" in deal
    assert deal_seconds < 1
    for answer, seconds in (await listed, await setting):
        assert "reminders are unavailable right now" in answer
        assert seconds < SLACK_WINDOW
