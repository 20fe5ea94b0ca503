"""Real Teams activities POSTed to /api/messages are answered with Adaptive Cards."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from bot.teams.messages import ERROR_TEXT
from bot.teams.render import render_card
from bot.teams.tables import teams_conversations
from handlers import AskContext, answer
from tests.teams.conftest import TeamsHarness
from tests.teams.teams_activities import (
    OTHER_CHANNEL,
    PERSONAL_CHAT,
    card_execute,
    card_submit,
    channel_mention,
    personal_message,
)


def expected_card(teams: TeamsHarness, text: str, *, is_mention: bool = True) -> dict[str, Any]:
    """Return the card the handlers' answer to `text` renders to (1:1 chats count as mentions)."""
    ctx = AskContext(platform="teams", is_mention=is_mention)
    return render_card(answer(text, teams.deps.knowledge.store, ctx))


async def test_personal_message_is_answered_with_the_handlers_card(
    teams: TeamsHarness, card_validator: jsonschema.Draft6Validator
) -> None:
    """A 1:1 `deal Testa` gets one reply in that chat: the deal's card, valid Adaptive Card 1.5."""
    activity = personal_message(teams.connector.url, "deal Testa")

    status, _ = await teams.send(activity)

    assert status == 202
    [posted] = teams.connector.messages()
    assert posted.conversation_id == PERSONAL_CHAT
    assert posted.reply_to_id == activity["id"]
    [card] = posted.cards
    card_validator.validate(card)
    assert card == expected_card(teams, "deal Testa")
    assert card["body"][0]["inlines"][0]["text"] == "Examplar and Testa licence"
    assert posted.activity["summary"] == "Examplar and Testa licence"


async def test_channel_mention_is_stripped_before_parsing(
    teams: TeamsHarness, card_validator: jsonschema.Draft6Validator
) -> None:
    """`<at>ChinaBio</at> deal Testa` in a channel is answered as `deal Testa`, in the thread."""
    activity = channel_mention(teams.connector.url, "deal Testa")

    status, _ = await teams.send(activity)

    assert status == 202
    [posted] = teams.connector.messages()
    assert posted.conversation_id == activity["conversation"]["id"]
    assert posted.reply_to_id == activity["id"]
    [card] = posted.cards
    card_validator.validate(card)
    assert card == expected_card(teams, "deal Testa")


async def test_channel_message_remembers_the_channel_not_the_thread(teams: TeamsHarness) -> None:
    """A mention in a channel thread stores the channel's reference, so digests go to the channel."""
    await teams.send(channel_mention(teams.connector.url, "help"))

    reference = teams.bot.conversations.get(OTHER_CHANNEL)

    assert reference is not None
    assert reference.conversation.id == OTHER_CHANNEL
    assert reference.service_url == teams.connector.url
    assert reference.activity_id is None


async def test_card_submit_button_runs_its_command(
    teams: TeamsHarness, card_validator: jsonschema.Draft6Validator
) -> None:
    """An Action.Submit press (a message with `value` and no text) runs the button's command."""
    status, _ = await teams.send(card_submit(teams.connector.url, "deal Testa"))

    assert status == 202
    [posted] = teams.connector.messages()
    [card] = posted.cards
    card_validator.validate(card)
    assert card == expected_card(teams, "deal Testa")


async def test_card_execute_invoke_answers_with_the_new_card(
    teams: TeamsHarness, card_validator: jsonschema.Draft6Validator
) -> None:
    """An `adaptiveCard/action` invoke gets the answer's card in the HTTP response, nothing posted."""
    status, body = await teams.send(card_execute(teams.connector.url, "deal Testa"))

    assert status == 200
    assert body["statusCode"] == 200
    assert body["type"] == "application/vnd.microsoft.card.adaptive"
    card_validator.validate(body["value"])
    assert body["value"] == expected_card(teams, "deal Testa")
    assert teams.connector.messages() == []


async def test_empty_message_gets_help(teams: TeamsHarness) -> None:
    """A message with no words (only a mention) is answered like `help`."""
    status, _ = await teams.send(channel_mention(teams.connector.url, ""))

    assert status == 202
    [posted] = teams.connector.messages()
    assert posted.cards == [expected_card(teams, "help")]


async def test_unknown_words_still_get_an_answer_card(
    teams: TeamsHarness, card_validator: jsonschema.Draft6Validator
) -> None:
    """Words matching nothing get the handlers' not-found card, never an error."""
    status, _ = await teams.send(personal_message(teams.connector.url, "deal Zzyzx Unknown"))

    assert status == 202
    [posted] = teams.connector.messages()
    [card] = posted.cards
    card_validator.validate(card)
    assert card == expected_card(teams, "deal Zzyzx Unknown")


async def test_handler_failure_is_told_in_plain_words(
    teams: TeamsHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If answering fails, the user gets a short apology, never the exception or a stack trace."""

    def broken_answer(*_args: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr("bot.answering.answer", broken_answer)

    status, _ = await teams.send(personal_message(teams.connector.url, "deal Testa"))

    assert status == 202
    [posted] = teams.connector.messages()
    assert posted.activity["text"] == ERROR_TEXT
    assert "secret" not in str(posted.activity)


async def test_invoke_failure_answers_with_an_error_body(
    teams: TeamsHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failing card invoke answers Teams with an error response, not a crash."""

    def broken_answer(*_args: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr("bot.answering.answer", broken_answer)

    status, body = await teams.send(card_execute(teams.connector.url, "deal Testa"))

    assert status == 200
    assert body["statusCode"] == 500
    assert body["value"]["message"] == ERROR_TEXT


async def test_answer_still_arrives_when_the_database_fails(teams: TeamsHarness) -> None:
    """Storing the conversation reference failing does not stop the answer."""
    teams_conversations.drop(teams.deps.engine)

    status, _ = await teams.send(personal_message(teams.connector.url, "deal Testa"))

    assert status == 202
    [posted] = teams.connector.messages()
    assert posted.cards == [expected_card(teams, "deal Testa")]


async def test_reaction_to_a_card_is_accepted_silently(teams: TeamsHarness) -> None:
    """A messageReaction (someone liked our card) gets 202 and no reply."""
    reaction = {
        **personal_message(teams.connector.url, ""),
        "type": "messageReaction",
        "reactionsAdded": [{"type": "like"}],
        "replyToId": "1699999999999",
    }
    del reaction["text"]

    status, _ = await teams.send(reaction)

    assert status == 202
    assert teams.connector.posted == []
