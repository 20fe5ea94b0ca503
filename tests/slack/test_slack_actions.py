"""Buttons: Share posts the answer for everyone and removes the private copy; Run runs a command."""

from __future__ import annotations

import json
from typing import Any

import pytest

import bot.answering
from tests.slack.slack_driver import SlackDriver, button_payload


async def test_share_posts_for_everyone_attributed_and_deletes_the_private_copy(
    slack: SlackDriver,
) -> None:
    """Share re-posts the answer with chat.postMessage, says who shared it, deletes the original."""
    response = await slack.action(button_payload(slack.fake, "chinabio_share", "deal Puhe"))
    assert response.status == 200
    (post,) = await slack.fake.wait_for("chat.postMessage")
    assert post.args["channel"] == "C0GENERAL"
    posted = json.dumps(post.args["blocks"])
    assert "Puhe" in posted
    assert "Shared by <@U0ASKER>" in posted
    assert "chinabio_share" not in posted  # a shared answer offers no second Share
    assert post.headers["Authorization"] == "Bearer xoxb-test-bot-token"
    (deleted,) = await slack.fake.wait_for("response_url")
    assert deleted.args["delete_original"] is True


async def test_share_where_the_bot_is_not_a_member_posts_through_response_url(
    slack: SlackDriver,
) -> None:
    """If chat.postMessage says not_in_channel, the answer is posted in_channel via response_url."""
    slack.fake.fail_next("chat.postMessage", status=200, error="not_in_channel")
    await slack.action(button_payload(slack.fake, "chinabio_share", "deal Puhe"))
    posted, deleted = await slack.fake.wait_for("response_url", count=2)
    assert posted.args["response_type"] == "in_channel"
    assert "Shared by <@U0ASKER>" in json.dumps(posted.args["blocks"])
    assert deleted.args["delete_original"] is True


async def test_run_button_answers_its_command_privately(slack: SlackDriver) -> None:
    """A chinabio_run button (any suffix) runs its value and answers the clicker ephemerally."""
    await slack.action(button_payload(slack.fake, "chinabio_run_2", "deal Bayer Puhe"))
    (answer,) = await slack.fake.wait_for("response_url")
    assert answer.args["response_type"] == "ephemeral"
    assert answer.args["replace_original"] is False
    assert "Puhe" in json.dumps(answer.args["blocks"])
    assert slack.fake.calls_to("chat.postMessage") == []


async def test_run_button_in_a_dm_answers_in_the_dm(slack: SlackDriver) -> None:
    """In the bot's DM, a run button's answer is posted in the conversation."""
    await slack.action(button_payload(slack.fake, "chinabio_run", "deal Puhe", channel="D0DM"))
    (post,) = await slack.fake.wait_for("chat.postMessage")
    assert post.args["channel"] == "D0DM"
    assert "Puhe" in json.dumps(post.args["blocks"])


async def test_failing_button_apologises_through_response_url(
    slack: SlackDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure after a click reaches the user as an apology with an error id."""

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(bot.answering, "answer", broken)
    await slack.action(button_payload(slack.fake, "chinabio_run", "deal Puhe"))
    (apology,) = await slack.fake.wait_for("response_url")
    assert "error id" in apology.args["text"]


def _quotes(blocks: list[dict[str, Any]]) -> list[str]:
    """Return the texts of the quote sections (mrkdwn starting with '>') among `blocks`."""
    texts = [str(block.get("text", {}).get("text", "")) for block in blocks]
    return [text for text in texts if text.startswith(">")]


async def test_share_posts_the_quote_the_asker_saw(slack: SlackDriver) -> None:
    """Sharing a private `quote Irene Hong` posts that same quote, not the next one in rotation."""
    body = await (await slack.command("quote Irene Hong")).json()
    shares = [
        element["value"]
        for block in body["blocks"]
        for element in block.get("elements", [])
        if element.get("action_id") == "chinabio_share"
    ]
    assert len(shares) == 1
    await slack.action(button_payload(slack.fake, "chinabio_share", shares[0]))
    (post,) = await slack.fake.wait_for("chat.postMessage")
    assert _quotes(post.args["blocks"]) == _quotes(body["blocks"])
