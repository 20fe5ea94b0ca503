"""Two replicas sharing one database answer an event delivered to both exactly once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from bot.app import build_app, build_deps
from tests.fakes.http import serve
from tests.fakes.slack_api import FakeSlackApi
from tests.slack.slack_driver import SlackDriver, make_settings, mention


async def _two_replicas(
    fake: FakeSlackApi, tmp_path: Path, database_url: str
) -> AsyncIterator[tuple[SlackDriver, SlackDriver]]:
    settings = make_settings(fake, tmp_path, database_url=database_url)
    async with (
        serve(build_app(build_deps(settings))) as url_a,
        serve(build_app(build_deps(settings))) as url_b,
        aiohttp.ClientSession() as session,
    ):
        yield SlackDriver(url_a, fake, session), SlackDriver(url_b, fake, session)


async def _answered_once(replica_a: SlackDriver, replica_b: SlackDriver) -> None:
    event = mention("<@UCHINABIO> deal Puhe", ts="3.1")
    assert (await replica_a.event(event, event_id="Ev0REPLICA")).status == 200
    assert (await replica_b.event(event, event_id="Ev0REPLICA")).status == 200
    await replica_b.event(mention("<@UCHINABIO> deal Puhe", ts="3.2"))
    posts = await replica_a.fake.wait_for("chat.postMessage", count=2)
    assert sorted(p.args["thread_ts"] for p in posts) == ["3.1", "3.2"]


async def test_replicas_on_one_sqlite_file_answer_once(
    fake_slack: FakeSlackApi, tmp_path: Path
) -> None:
    """The same event_id sent to two app instances on one SQLite file is answered once."""
    async for replica_a, replica_b in _two_replicas(
        fake_slack, tmp_path, f"sqlite:///{tmp_path / 'shared.db'}"
    ):
        await _answered_once(replica_a, replica_b)


@pytest.mark.postgres
async def test_replicas_on_postgres_answer_once(
    fake_slack: FakeSlackApi, tmp_path: Path, postgres_url: str
) -> None:
    """The same event_id sent to two app instances on one PostgreSQL database is answered once."""
    async for replica_a, replica_b in _two_replicas(fake_slack, tmp_path, postgres_url):
        await _answered_once(replica_a, replica_b)
