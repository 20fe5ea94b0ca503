"""Digests in Teams end to end: `@ChinaBio subscribe` in a channel, then exactly one digest there."""

from __future__ import annotations

import datetime as dt

import jsonschema

from bot.digest.delivery import DigestDelivery
from tests.teams.conftest import TeamsHarness
from tests.teams.teams_activities import (
    GENERAL_CHANNEL,
    OTHER_CHANNEL,
    PERSONAL_CHAT,
    USER,
    bot_added_to_team,
    bot_removed_from_team,
    channel_mention,
    personal_message,
)


async def test_channel_subscription_gets_exactly_one_digest(
    teams: TeamsHarness, card_validator: jsonschema.Draft6Validator
) -> None:
    """Subscribing from a channel thread stores the channel; the weekly run posts there once."""
    status, _ = await teams.send(channel_mention(teams.connector.url, "subscribe"))
    assert status == 202
    subscription = teams.deps.subscriptions.get("teams", OTHER_CHANNEL)
    assert subscription is not None
    assert subscription.next_digest is not None
    assert subscription.subscriber == USER["aadObjectId"]
    teams.connector.posted.clear()
    due = subscription.next_digest.astimezone(dt.UTC) + dt.timedelta(minutes=1)
    delivery = DigestDelivery(
        teams.deps.engine,
        lambda: teams.deps.knowledge.store,
        {"teams": teams.bot.sender},
        clock=lambda: due,
    )

    first = await delivery.run_once()
    second = await delivery.run_once()

    assert first.count("sent") == 1
    assert second.count("sent") == 0
    [posted] = teams.connector.messages()
    assert posted.conversation_id == OTHER_CHANNEL
    assert posted.reply_to_id is None
    for card in posted.cards:
        card_validator.validate(card)


async def test_removed_bot_pauses_the_subscription_and_tells_the_subscriber(
    teams: TeamsHarness,
) -> None:
    """A 403 from Teams pauses the channel's digest; the subscriber hears of it in their 1:1 chat."""
    await teams.send(personal_message(teams.connector.url, "help"))
    await teams.send(channel_mention(teams.connector.url, "subscribe"))
    book = teams.deps.subscriptions
    subscription = book.get("teams", OTHER_CHANNEL)
    assert subscription is not None
    assert subscription.next_digest is not None
    due = subscription.next_digest.astimezone(dt.UTC) + dt.timedelta(minutes=1)
    delivery = DigestDelivery(
        teams.deps.engine,
        lambda: teams.deps.knowledge.store,
        {"teams": teams.bot.sender},
        clock=lambda: due,
    )
    teams.connector.posted.clear()
    teams.connector.fail_next(403)

    report = await delivery.run_once()

    assert report.count("unavailable") == 1
    paused = book.get("teams", OTHER_CHANNEL)
    assert paused is not None
    assert paused.paused_reason
    [notice] = teams.connector.messages()
    assert notice.conversation_id == PERSONAL_CHAT
    assert "paused" in notice.cards[0]["fallbackText"]


async def test_removing_the_bot_drops_the_channel_subscription(teams: TeamsHarness) -> None:
    """When the bot is removed from the team, its channels' subscriptions are deleted."""
    url = teams.connector.url
    await teams.send(bot_added_to_team(url))
    await teams.send(channel_mention(url, "subscribe", channel=GENERAL_CHANNEL))
    book = teams.deps.subscriptions
    assert book.get("teams", GENERAL_CHANNEL) is not None

    await teams.send(bot_removed_from_team(url))

    assert book.get("teams", GENERAL_CHANNEL) is None
