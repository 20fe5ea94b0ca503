"""Reading the user's command out of Teams activities."""

from __future__ import annotations

import pytest
from microsoft_agents.activity import Activity

from bot.teams.activities import (
    addressed_to_bot,
    button_command,
    clean_text,
    command_of,
    mentions_bot,
)
from bot.teams.conversations import conversation_key
from tests.teams.teams_activities import (
    card_execute,
    card_submit,
    channel_mention,
    installation_update,
    personal_message,
)

URL = "https://smba.trafficmanager.net/emea/"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<at>ChinaBio</at> deal Puhe", "deal Puhe"),
        ("deal   Puhe\n", "deal Puhe"),
        ("/chinabio deal Puhe", "deal Puhe"),
        ("ChinaBio: quote NewCo", "quote NewCo"),
        ("<p>deal <b>Puhe</b></p>", "deal Puhe"),
        ("quote <at>Irene Hong</at>", "quote Irene Hong"),
        ("deal R&amp;D&nbsp;partners", "deal R&D partners"),
        ("", ""),
    ],
)
def test_clean_text(raw: str, expected: str) -> None:
    """The bot's mention, markup, entities and a leading /chinabio are removed."""
    assert clean_text(raw, bot_name="ChinaBio") == expected


def test_clean_text_caps_length() -> None:
    """A pasted essay is cut to a bounded command."""
    assert len(clean_text("deal " + "x" * 10_000)) <= 500


def test_command_of_a_channel_mention() -> None:
    """A channel mention's command is the text after the mention."""
    activity = Activity.model_validate(channel_mention(URL, "quote Ada Tester"))

    assert command_of(activity) == "quote Ada Tester"
    assert mentions_bot(activity)


def test_personal_message_is_addressed_to_the_bot_without_a_mention() -> None:
    """A 1:1 message has no mention, yet it is addressed to the bot (so questions get answers)."""
    activity = Activity.model_validate(personal_message(URL, "help"))

    assert command_of(activity) == "help"
    assert not mentions_bot(activity)
    assert addressed_to_bot(activity)


def test_channel_message_without_mention_is_not_addressed_to_the_bot() -> None:
    """In a channel, only an @-mention of the bot addresses it."""
    raw = channel_mention(URL, "deal Puhe")
    activity = Activity.model_validate({**raw, "entities": [], "text": "deal Puhe"})

    assert not addressed_to_bot(activity)


def test_button_commands_from_submit_and_execute() -> None:
    """Both button flavours yield the button's command."""
    submit = Activity.model_validate(card_submit(URL, "quote NewCo"))
    execute = Activity.model_validate(card_execute(URL, "deal Puhe"))

    assert button_command(submit) == "quote NewCo"
    assert button_command(execute) == "deal Puhe"


def test_value_without_our_key_is_not_a_button() -> None:
    """A `value` that is not one of our buttons is ignored; other activity types too."""
    foreign = Activity.model_validate({**card_submit(URL, "x"), "value": {"other": "thing"}})
    install = Activity.model_validate(installation_update(URL, "add"))

    assert button_command(foreign) is None
    assert button_command(install) is None


def test_conversation_key_drops_the_thread() -> None:
    """A channel thread id maps to its channel; other ids are unchanged."""
    assert conversation_key("19:abc@thread.tacv2;messageid=1700") == "19:abc@thread.tacv2"
    assert conversation_key("a:1personal") == "a:1personal"
