"""Follow in Teams: `@ChinaBio follow …` in a channel, the Follow button on a card, and the alert."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema

from bot.digest.alerts import AlertDelivery
from bot.digest.delivery import DigestDelivery
from tests.fixtures import KNOWLEDGE
from tests.teams.conftest import MakeHarness, TeamsHarness
from tests.teams.teams_activities import (
    OTHER_CHANNEL,
    PERSONAL_CHAT,
    card_submit,
    channel_mention,
    personal_message,
)


def _card_text(teams: TeamsHarness) -> str:
    return json.dumps([p.cards for p in teams.connector.messages()])


async def test_follow_and_following_in_a_channel(teams: TeamsHarness) -> None:
    """A channel mention follows for the channel (not the thread); `following` lists it there."""
    status, _ = await teams.send(channel_mention(teams.connector.url, "follow company Testa Bio"))
    assert status == 202
    assert "Following company Testa Bio" in _card_text(teams)
    assert teams.deps.follows is not None
    assert [f.key for f in teams.deps.follows.following("teams", OTHER_CHANNEL)] == ["testa-bio"]
    teams.connector.posted.clear()
    await teams.send(channel_mention(teams.connector.url, "following"))
    assert "This conversation follows 1 thing" in _card_text(teams)
    teams.connector.posted.clear()
    await teams.send(channel_mention(teams.connector.url, "unfollow company Testa Bio"))
    assert "Stopped following company Testa Bio" in _card_text(teams)
    assert teams.deps.follows.following("teams", OTHER_CHANNEL) == []


async def test_follow_button_on_a_card_follows_in_the_personal_chat(
    teams: TeamsHarness, card_validator: jsonschema.Draft6Validator
) -> None:
    """The deal card has a Follow button; pressing it (Action.Submit) follows in the 1:1 chat."""
    await teams.send(personal_message(teams.connector.url, "deal Testa"))
    [card] = teams.connector.messages()[0].cards
    card_validator.validate(card)
    assert "follow deal examplar-testa-licence" in json.dumps(card)
    teams.connector.posted.clear()
    status, _ = await teams.send(
        card_submit(teams.connector.url, "follow deal examplar-testa-licence")
    )
    assert status == 202
    assert "Following deal" in _card_text(teams)
    assert teams.deps.follows is not None
    follows = teams.deps.follows.following("teams", PERSONAL_CHAT)
    assert [f.key for f in follows] == ["examplar-testa-licence"]


async def test_an_edit_reaches_the_following_channel_once_as_a_card(
    make_teams: MakeHarness, tmp_path: Path, card_validator: jsonschema.Draft6Validator
) -> None:
    """Follow in a channel, edit the knowledge, reload: the alert card is posted there once."""
    folder = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, folder)
    teams = await make_teams(knowledge_dir=str(folder))
    await teams.send(channel_mention(teams.connector.url, "follow company Testa Bio"))
    delivery = DigestDelivery(
        teams.deps.engine, lambda: teams.deps.knowledge.store, {"teams": teams.bot.sender}
    )
    alerts = AlertDelivery(delivery)
    await alerts.run_once()  # records the version served at start
    path = folder / "teams-deals.yaml"
    text = path.read_text()
    assert "    summary: " in text
    path.write_text(text.replace("    summary: ", "    status: completed\n    summary: ", 1))
    assert teams.deps.knowledge.reload().ok
    teams.connector.posted.clear()

    await alerts.run_once()
    await alerts.run_once()

    [posted] = teams.connector.messages()
    assert posted.conversation_id == OTHER_CHANNEL
    [card] = posted.cards
    card_validator.validate(card)
    assert "status" in json.dumps(card)
    assert "Knowledge update" in json.dumps(card)
