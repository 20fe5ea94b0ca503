"""Fixtures for the calendar feed: the bot served on loopback with PUBLIC_URL, and a fake Slack."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from bot.app import build_app, build_deps
from bot.deps import Deps
from tests.fakes.http import serve
from tests.fakes.slack_api import FakeSlackApi
from tests.slack.slack_driver import SlackDriver, make_settings

PUBLIC_URL = "https://chinabio.example.com"


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlackApi]:
    """A fake Slack Web API on loopback."""
    fake = await FakeSlackApi().start()
    yield fake
    await fake.stop()


@pytest.fixture
def deps(fake_slack: FakeSlackApi, tmp_path: Path) -> Deps:
    """Deps as `chinabio serve` builds them, over the shipped knowledge, with PUBLIC_URL set."""
    settings = make_settings(fake_slack, tmp_path, knowledge_dir=None, public_url=PUBLIC_URL)
    return build_deps(settings)


@pytest.fixture
async def slack(fake_slack: FakeSlackApi, deps: Deps) -> AsyncIterator[SlackDriver]:
    """The bot served on loopback, and a driver that sends it signed Slack requests."""
    async with serve(build_app(deps)) as url, aiohttp.ClientSession() as session:
        yield SlackDriver(url, fake_slack, session)
