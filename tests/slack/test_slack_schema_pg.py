"""Started against an empty PostgreSQL schema, the bot creates its tables and answers Slack."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect

import bot.schema  # noqa: F401  (registers every table on the metadata)
from bot.db.engine import metadata
from bot.deps import Deps
from bot.settings import Settings
from tests.fakes.slack_api import FakeSlackApi
from tests.pg_schema import empty_schema
from tests.slack.slack_driver import SlackDriver, make_settings, mention

pytestmark = [pytest.mark.postgres]


@pytest.fixture
def pg_url() -> Iterator[str]:
    """An empty throw-away schema in the local PostgreSQL."""
    with empty_schema("slack_schema") as url:
        yield url


@pytest.fixture
def settings(fake_slack: FakeSlackApi, tmp_path: Path, pg_url: str) -> Settings:
    """Single-workspace HTTP settings against the fake, with the empty schema as DATABASE_URL."""
    return make_settings(fake_slack, tmp_path, database_url=pg_url)


async def test_an_empty_schema_gets_its_tables_and_slack_is_answered(
    slack: SlackDriver, deps: Deps
) -> None:
    """Start-up creates every table; a mention and a slash command are then answered."""
    assert set(metadata.tables) <= set(inspect(deps.engine).get_table_names())
    response = await slack.event(mention("<@UCHINABIO> deal Puhe"))
    assert response.status == 200
    (post,) = await slack.fake.wait_for("chat.postMessage")
    assert "Puhe" in json.dumps(post.args["blocks"])
    command = await slack.command("deal Puhe")
    assert command.status == 200
    assert "Puhe" in json.dumps((await command.json())["blocks"])
