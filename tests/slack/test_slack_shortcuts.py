"""The "Ask ChinaBio about this" message shortcut: a signed message_action, answered privately."""

from __future__ import annotations

import json
import time
from typing import Any

from tests.fakes.slack_api import TEAM_ID, FakeSlackApi
from tests.slack.slack_driver import SlackDriver


def message_action(fake: FakeSlackApi, message: dict[str, Any]) -> dict[str, Any]:
    """Return the payload Slack sends when the shortcut is used on `message` in #general."""
    return {
        "type": "message_action",
        "token": "legacy-verification-token",
        "action_ts": str(time.time()),
        "team": {"id": TEAM_ID, "domain": "chinabio-test"},
        "user": {"id": "U0ASKER", "username": "asker", "team_id": TEAM_ID},
        "channel": {"id": "C0GENERAL", "name": "general"},
        "is_enterprise_install": False,
        "callback_id": "ask_about_message",
        "trigger_id": "1337.42.abcd",
        "response_url": fake.response_url("shortcut"),
        "message_ts": "1700000000.000500",
        "message": {"type": "message", "user": "U0OTHER", "ts": "1700000000.000500", **message},
    }


async def test_shortcut_answers_privately_on_what_the_message_names(slack: SlackDriver) -> None:
    """A pasted headline naming Testa gets an ephemeral answer listing it with an Open button."""
    headline = (
        "Testa Bio signs with <https://news.example.com|Reuters>: Testa deal expands &amp; more"
    )
    response = await slack.action(message_action(slack.fake, {"text": headline}))
    assert response.status == 200
    (answer,) = await slack.fake.wait_for("response_url")
    assert answer.args["_name"] == "shortcut"
    assert answer.args["response_type"] == "ephemeral"
    blocks = json.dumps(answer.args["blocks"])
    assert "What the knowledge has on this message" in blocks
    assert "chinabio_run" in blocks  # Open buttons
    assert "chinabio_share" not in blocks
    assert slack.fake.answered("chat.postMessage") == []  # nothing in the channel


async def test_a_message_naming_nothing_gets_a_search_not_a_command(slack: SlackDriver) -> None:
    """A message that reads like a command is only read for names: it runs nothing."""
    response = await slack.action(message_action(slack.fake, {"text": "unsubscribe"}))
    assert response.status == 200
    (answer,) = await slack.fake.wait_for("response_url")
    text = json.dumps(answer.args["blocks"])
    assert "names no company, asset or topic" in text
    assert "Unsubscribed" not in text


async def test_a_bot_message_is_read_from_its_attachments(slack: SlackDriver) -> None:
    """A message with no text but an attachment (a news bot's post) is read from the attachment."""
    payload = message_action(
        slack.fake, {"text": "", "attachments": [{"title": "Testa Bio raises a round"}]}
    )
    await slack.action(payload)
    (answer,) = await slack.fake.wait_for("response_url")
    assert "What the knowledge has on this message" in json.dumps(answer.args["blocks"])


async def test_a_forged_shortcut_is_refused(slack: SlackDriver) -> None:
    """An unsigned message_action gets 401 and answers nothing."""
    response = await slack.action(
        message_action(slack.fake, {"text": "Testa"}), signature="v0=forged"
    )
    assert response.status == 401
    assert slack.fake.calls_to("response_url") == []
