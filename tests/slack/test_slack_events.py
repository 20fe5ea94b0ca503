"""Events: mentions answered in a thread, DMs in the DM, the Home tab published; bots ignored."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest

import bot.answering
from tests.slack.slack_driver import SlackDriver, dm, mention


async def test_mention_is_answered_in_a_thread_under_the_question(slack: SlackDriver) -> None:
    """@chinabio deal Puhe gets its answer as a thread reply to the question."""
    response = await slack.event(mention("<@UCHINABIO> deal Puhe"))
    assert response.status == 200
    (post,) = await slack.fake.wait_for("chat.postMessage")
    assert post.args["channel"] == "C0GENERAL"
    assert post.args["thread_ts"] == "1700000000.000200"
    assert "Puhe" in json.dumps(post.args["blocks"])
    assert "chinabio_share" not in json.dumps(post.args["blocks"])


async def test_labelled_mention_of_the_bot_is_removed_before_answering(slack: SlackDriver) -> None:
    """`<@U…|chinabio> deal Puhe` (a mention with its label) is answered as `deal Puhe`."""
    await slack.event(mention("<@UCHINABIO|chinabio> deal Puhe"))
    (post,) = await slack.fake.wait_for("chat.postMessage")
    assert post.args["text"].startswith("Bayer licenses Puhe")


async def test_direct_message_of_only_the_mention_gets_help(slack: SlackDriver) -> None:
    """A DM holding nothing but `<@BOT>` is answered with help."""
    await slack.event(dm("<@UCHINABIO>"))
    (post,) = await slack.fake.wait_for("chat.postMessage")
    assert "what you can ask" in post.args["text"]


async def test_mention_inside_a_thread_answers_in_that_thread(slack: SlackDriver) -> None:
    """A mention in an existing thread is answered in that thread, not a new one."""
    await slack.event(mention("<@UCHINABIO> deal Puhe", thread_ts="1699999999.000001"))
    (post,) = await slack.fake.wait_for("chat.postMessage")
    assert post.args["thread_ts"] == "1699999999.000001"


async def test_direct_message_is_answered_in_the_dm(slack: SlackDriver) -> None:
    """A message in the bot's DM is answered there, not in a thread."""
    await slack.event(dm("deal Puhe"))
    (post,) = await slack.fake.wait_for("chat.postMessage")
    assert post.args["channel"] == "D0DM"
    assert "thread_ts" not in post.args
    assert "Puhe" in json.dumps(post.args["blocks"])


async def test_bot_messages_and_subtypes_are_ignored(slack: SlackDriver) -> None:
    """Messages from bots and edits are acked but never answered; the next real one is."""
    for ignored in (
        dm("deal Puhe", ts="1.1", bot_id="B0OTHER", subtype="bot_message"),
        dm("deal Puhe", ts="1.2", subtype="message_changed"),
        mention("<@UCHINABIO> deal Puhe", ts="1.3", bot_id="B0OTHER"),
    ):
        assert (await slack.event(ignored)).status == 200
    await slack.event(dm("deal Puhe", ts="1.4"))
    posts = await slack.fake.wait_for("chat.postMessage")
    await asyncio.sleep(0.2)  # let any wrongly started answer reach the fake
    assert len(slack.fake.calls_to("chat.postMessage")) == 1
    assert posts[0].args["channel"] == "D0DM"


async def test_home_tab_is_published_with_examples_and_digest_state(slack: SlackDriver) -> None:
    """Opening the Home tab publishes a home view with examples and 'No digests yet'."""
    await slack.event(
        {"type": "app_home_opened", "user": "U0ASKER", "channel": "D0DM", "tab": "home"}
    )
    (publish,) = await slack.fake.wait_for("views.publish")
    assert publish.args["user_id"] == "U0ASKER"
    view = publish.args["view"]
    text = json.dumps(view)
    assert view["type"] == "home"
    assert "deal Puhe" in text
    assert "No digests yet" in text
    assert "chinabio_ask_open" in text


async def test_same_event_id_is_answered_once(slack: SlackDriver) -> None:
    """Slack's retry of an event (same event_id, X-Slack-Retry-Num) is acked and skipped."""
    event = mention("<@UCHINABIO> deal Puhe", ts="2.1")
    first = await slack.event(event, event_id="Ev0SAME")
    retry = await slack.event(
        event,
        event_id="Ev0SAME",
        headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"},
    )
    assert (first.status, retry.status) == (200, 200)
    await slack.event(mention("<@UCHINABIO> deal Puhe", ts="2.2"))
    posts = await slack.fake.wait_for("chat.postMessage", count=2)
    assert [p.args["thread_ts"] for p in posts] == ["2.1", "2.2"]


async def test_failing_mention_apologises_in_the_thread(
    slack: SlackDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If answering a mention fails, the thread gets a short apology with an error id."""

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(bot.answering, "answer", broken)
    await slack.event(mention("<@UCHINABIO> deal Puhe", ts="6.1"))
    (post,) = await slack.fake.wait_for("chat.postMessage")
    assert post.args["thread_ts"] == "6.1"
    assert "error id" in post.args["text"]
    assert "boom" not in post.args["text"]


async def test_uninstall_with_a_single_token_is_acknowledged_and_logged(
    slack: SlackDriver, caplog: pytest.LogCaptureFixture
) -> None:
    """With SLACK_BOT_TOKEN nothing is stored to forget: the event is logged, never an error."""
    with caplog.at_level(logging.WARNING, logger="bot.slack"):
        response = await slack.event({"type": "app_uninstalled"})
        assert response.status == 200
        for _ in range(100):
            if "uninstalled from Slack workspace" in caplog.text:
                break
            await asyncio.sleep(0.05)
    assert "uninstalled from Slack workspace" in caplog.text
    assert "Traceback" not in caplog.text
