"""Conversation references in the real PostgreSQL: shared by replicas, the database is the truth."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from microsoft_agents.activity import Activity
from sqlalchemy import func, select

from bot.db.engine import make_engine
from bot.teams.conversations import ConversationStore
from bot.teams.tables import teams_conversations
from tests.pg_schema import schema_with_tables
from tests.teams.conftest import MakeHarness
from tests.teams.teams_activities import (
    GENERAL_CHANNEL,
    PERSONAL_CHAT,
    bot_added_to_team,
    personal_message,
)
from tests.teams.test_sender import digest

pytestmark = [pytest.mark.postgres]


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A throw-away schema in the local PostgreSQL with the bot's tables; dropped afterwards."""
    with schema_with_tables("teams_test") as url:
        yield url


def test_two_replicas_storing_at_once_keep_one_row(pg_url: str) -> None:
    """Replicas racing to store the same new conversation leave exactly one row, and no error."""
    engines = [make_engine(pg_url) for _ in range(2)]
    stores = [ConversationStore(engine) for engine in engines]
    activities = [
        Activity.model_validate(personal_message(f"https://smba.example/{n}/", "hi"))
        for n in range(40)
    ]
    for n, activity in enumerate(activities):
        activity.conversation.id = f"a:race{n}"

    with ThreadPoolExecutor(max_workers=8) as pool:
        jobs = [pool.submit(store.remember, a) for a in activities for store in stores]
        keys = {job.result() for job in jobs}

    with engines[0].connect() as conn:
        rows = conn.execute(select(func.count()).select_from(teams_conversations)).scalar_one()
    assert rows == len(keys) == 40
    for engine in engines:
        engine.dispose()


def test_a_replica_sees_what_another_forgot(pg_url: str) -> None:
    """One replica forgetting a conversation is seen by the other (no stale memory)."""
    engines = [make_engine(pg_url), make_engine(pg_url)]
    first, second = ConversationStore(engines[0]), ConversationStore(engines[1])
    first.remember(Activity.model_validate(personal_message("https://smba.example/", "hi")))
    assert second.get(PERSONAL_CHAT) is not None

    assert second.forget(PERSONAL_CHAT)

    assert first.get(PERSONAL_CHAT) is None
    for engine in engines:
        engine.dispose()


async def test_install_and_proactive_digest_on_postgres(
    pg_url: str, make_teams: MakeHarness
) -> None:
    """The whole Teams path on PostgreSQL: install stores the reference, a digest reaches it."""
    teams = await make_teams(database_url=pg_url)
    await teams.send(bot_added_to_team(teams.connector.url))
    teams.connector.posted.clear()

    message_id = await teams.bot.sender.post(GENERAL_CHANNEL, digest())

    [posted] = teams.connector.messages()
    assert posted.conversation_id == GENERAL_CHANNEL
    assert message_id == "msg-2"
