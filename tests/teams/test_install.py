"""Install and uninstall: conversation references are stored in the database, then forgotten."""

from __future__ import annotations

import jsonschema
from sqlalchemy import select

from bot.teams.conversations import ConversationStore
from bot.teams.tables import teams_conversations
from tests.teams.conftest import TeamsHarness
from tests.teams.teams_activities import (
    GENERAL_CHANNEL,
    GROUP_CHAT,
    OTHER_CHANNEL,
    PERSONAL_CHAT,
    bot_added_to_group_chat,
    bot_added_to_team,
    bot_removed_from_team,
    channel_mention,
    installation_update,
    personal_message,
)


async def test_bot_added_to_team_stores_reference_and_greets(
    teams: TeamsHarness, card_validator: jsonschema.Draft6Validator
) -> None:
    """conversationUpdate (bot added) stores the General channel's reference and posts a welcome card."""
    status, _ = await teams.send(bot_added_to_team(teams.connector.url))

    assert status == 202
    reference = teams.bot.conversations.get(GENERAL_CHANNEL)
    assert reference is not None
    assert reference.service_url == teams.connector.url
    assert reference.conversation.conversation_type == "channel"
    [welcome] = teams.connector.messages()
    assert welcome.conversation_id == GENERAL_CHANNEL
    [card] = welcome.cards
    card_validator.validate(card)


async def test_reference_survives_a_restart(teams: TeamsHarness) -> None:
    """The reference lives in the database: a fresh store on the same engine still finds it."""
    await teams.send(bot_added_to_group_chat(teams.connector.url))

    reopened = ConversationStore(teams.deps.engine)

    reference = reopened.get(GROUP_CHAT)
    assert reference is not None
    assert reference.conversation.conversation_type == "groupChat"


async def test_bot_removed_from_team_forgets_all_its_channels(teams: TeamsHarness) -> None:
    """conversationUpdate (bot removed) forgets every channel of that team."""
    await teams.send(bot_added_to_team(teams.connector.url))
    await teams.send(channel_mention(teams.connector.url, "help", channel=OTHER_CHANNEL))
    assert teams.bot.conversations.get(OTHER_CHANNEL) is not None

    status, _ = await teams.send(bot_removed_from_team(teams.connector.url))

    assert status == 202
    assert teams.bot.conversations.get(GENERAL_CHANNEL) is None
    assert teams.bot.conversations.get(OTHER_CHANNEL) is None


async def test_installation_update_add_then_remove(teams: TeamsHarness) -> None:
    """installationUpdate `add` stores the personal chat; `remove` forgets it."""
    await teams.send(installation_update(teams.connector.url, "add"))
    assert teams.bot.conversations.get(PERSONAL_CHAT) is not None

    await teams.send(installation_update(teams.connector.url, "remove"))

    assert teams.bot.conversations.get(PERSONAL_CHAT) is None


async def test_removal_unsubscribes_the_conversation(teams: TeamsHarness) -> None:
    """When the bot leaves a conversation, its digest subscription is dropped from the book."""

    class RecordingBook:
        def __init__(self) -> None:
            self.dropped: list[tuple[str, str]] = []

        def unsubscribe(self, platform: str, channel: str) -> bool:
            self.dropped.append((platform, channel))
            return True

    book = RecordingBook()
    teams.deps.subscriptions = book  # type: ignore[assignment]
    await teams.send(installation_update(teams.connector.url, "add"))

    await teams.send(installation_update(teams.connector.url, "remove"))

    assert book.dropped == [("teams", PERSONAL_CHAT)]


async def test_unchanged_reference_is_not_rewritten_on_every_message(teams: TeamsHarness) -> None:
    """Repeated messages from one chat write the reference once; forgetting it writes again later."""
    url = teams.connector.url
    await teams.send(personal_message(url, "help"))
    first = stored_at(teams, PERSONAL_CHAT)

    await teams.send(personal_message(url, "help"))
    assert stored_at(teams, PERSONAL_CHAT) == first

    teams.bot.conversations.forget(PERSONAL_CHAT)
    await teams.send(personal_message(url, "help"))
    assert stored_at(teams, PERSONAL_CHAT) is not None


def stored_at(teams: TeamsHarness, conversation: str) -> object:
    """Return when the conversation's row was last written, or None."""
    with teams.deps.engine.connect() as conn:
        return conn.execute(
            select(teams_conversations.c.updated_at).where(
                teams_conversations.c.conversation_id == conversation
            )
        ).scalar_one_or_none()
