"""Fixtures for the Slack tests: a fake Slack, the bot served on loopback, signed requests."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.app import build_app, build_deps
from bot.deps import Deps
from bot.settings import Settings
from tests.fakes.http import serve
from tests.fakes.slack_api import FakeSlackApi
from tests.pg_schema import empty_schema
from tests.slack.slack_driver import SlackDriver, make_settings


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlackApi]:
    """A fake Slack Web API, response_url and Socket Mode server on loopback."""
    fake = await FakeSlackApi().start()
    yield fake
    await fake.stop()


@pytest.fixture
def settings(fake_slack: FakeSlackApi, tmp_path: Path) -> Settings:
    """Single-workspace HTTP settings against the fake."""
    return make_settings(fake_slack, tmp_path)


@pytest.fixture
def deps(settings: Settings) -> Deps:
    """Deps built the way `chinabio serve` builds them."""
    return build_deps(settings)


@pytest.fixture
async def slack(fake_slack: FakeSlackApi, deps: Deps) -> AsyncIterator[SlackDriver]:
    """The bot served on loopback, and a driver that sends it signed Slack requests."""
    async with serve(build_app(deps)) as url, aiohttp.ClientSession() as session:
        yield SlackDriver(url, fake_slack, session)


@pytest.fixture
def blocks_text() -> Callable[[dict[str, Any]], str]:
    """Return every text in a message's blocks, joined, for assertions."""

    def collect(message: dict[str, Any]) -> str:
        return json.dumps(message.get("blocks", []), ensure_ascii=False)

    return collect


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh schema in the local PostgreSQL (skipped when it is not reachable)."""
    with empty_schema("slack_test") as url:
        yield url
