"""What the handlers learn about a Teams question: platform, who, where, mention, time zone."""

from __future__ import annotations

import dataclasses

import jsonschema
import pytest
from microsoft_agents.activity import Activity

from bot.asking import Asker, Question
from bot.settings import Settings, SettingsError
from bot.teams.listeners import _question
from bot.teams.render import render_card
from handlers import AskContext, answer
from tests.teams.conftest import MakeHarness, TeamsHarness
from tests.teams.teams_activities import OTHER_CHANNEL, USER, channel_mention


async def test_question_from_a_channel_mention(teams: TeamsHarness) -> None:
    """A channel mention asks as the user's Entra id, from the channel, as a mention, in their zone."""
    activity = Activity.model_validate(channel_mention(teams.connector.url, "deal Testa"))

    question = _question(activity, "deal Testa", OTHER_CHANNEL)

    assert question == Question(
        text="deal Testa",
        user_id=USER["aadObjectId"],
        conversation_id=OTHER_CHANNEL,
        is_mention=True,
        user_tz="Europe/Paris",
    )


async def test_context_lends_the_subscription_book_and_one_quote_memory(
    teams: TeamsHarness,
) -> None:
    """AskContext says platform teams, carries the digest book, and keeps quote memory across turns."""
    book = object()
    teams.deps.subscriptions = book  # type: ignore[assignment]
    asker: Asker = teams.bot.asker
    question = Question("quote Ada Tester", "u1", OTHER_CHANNEL, is_mention=True, user_tz="UTC")

    first, second = asker.context(question), asker.context(question)

    assert (first.platform, first.conversation_id, first.user_id) == ("teams", OTHER_CHANNEL, "u1")
    assert first.is_mention
    assert first.user_tz == "UTC"
    assert first.subscriptions is book
    assert first.quote_memory is second.quote_memory


async def test_shipped_knowledge_answers_deal_puhe_in_a_channel(
    make_teams: MakeHarness, card_validator: jsonschema.Draft6Validator
) -> None:
    """With the shipped knowledge, `@ChinaBio deal Puhe` gets the handlers' Puhe deal card."""
    teams = await make_teams(knowledge_dir=None)

    status, _ = await teams.send(channel_mention(teams.connector.url, "deal Puhe"))

    assert status == 202
    [posted] = teams.connector.messages()
    [card] = posted.cards
    card_validator.validate(card)
    ctx = AskContext(platform="teams", is_mention=True)
    reply = answer("deal Puhe", teams.deps.knowledge.store, ctx)
    assert card == render_card(reply)
    assert "Puhe" in card["body"][0]["inlines"][0]["text"]


async def test_quote_memory_is_bounded_as_the_settings_say(teams: TeamsHarness) -> None:
    """QUOTE_MEMORY_CONVERSATIONS=1: a quote in a second channel makes the bot forget the first's."""
    read = Settings.from_env({"QUOTE_MEMORY_CONVERSATIONS": "1"}, dotenv=None)
    settings = teams.deps.settings.model_copy(
        update={"quote_memory_conversations": read.quote_memory_conversations}
    )
    asker = Asker("teams", dataclasses.replace(teams.deps, settings=settings))
    await asker.ask(Question("quote Ada Tester", "u1", "C1"))
    assert asker.quote_memory.recent("C1") == ["ada-tester-on-speed"]
    await asker.ask(Question("quote Ada Tester", "u1", "C2"))
    assert asker.quote_memory.recent("C1") == []
    assert asker.quote_memory.recent("C2") == ["ada-tester-on-speed"]


def test_quote_memory_settings_are_read_and_zero_refused() -> None:
    """QUOTE_MEMORY_* are read from the environment; zero is refused naming the variable."""
    env = {"QUOTE_MEMORY_CONVERSATIONS": "500", "QUOTE_MEMORY_TTL_HOURS": "1.5"}
    settings = Settings.from_env(env, dotenv=None)
    assert (settings.quote_memory_conversations, settings.quote_memory_ttl_hours) == (500, 1.5)
    for name in env:
        with pytest.raises(SettingsError, match=f"{name}='0' must be above zero"):
            Settings.from_env({name: "0"}, dotenv=None)
