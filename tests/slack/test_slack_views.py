"""The Home tab's Ask dialog: opened by its button, answered in the user's Messages tab."""

from __future__ import annotations

import json
from typing import Any

from tests.fakes.slack_api import TEAM_ID
from tests.slack.slack_driver import SlackDriver, button_payload


def submission(question: str) -> dict[str, Any]:
    """Return the view_submission payload of the Ask dialog."""
    return {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "chinabio-test"},
        "user": {"id": "U0ASKER", "team_id": TEAM_ID},
        "api_app_id": "A0CHINABIO",
        "token": "legacy-verification-token",
        "trigger_id": "1337.42.abcd",
        "view": {
            "id": "V0ASK",
            "type": "modal",
            "callback_id": "chinabio_ask",
            "state": {
                "values": {"question": {"text": {"type": "plain_text_input", "value": question}}}
            },
        },
    }


async def test_ask_button_opens_the_dialog(slack: SlackDriver) -> None:
    """The Home tab's Ask button opens the Ask dialog with the click's trigger_id."""
    payload = button_payload(slack.fake, "chinabio_ask_open", "")
    payload["container"] = {"type": "view", "view_id": "VHOME"}
    del payload["response_url"], payload["channel"]
    assert (await slack.action(payload)).status == 200
    (opened,) = await slack.fake.wait_for("views.open")
    assert opened.args["trigger_id"] == "1337.42.abcd"
    assert opened.args["view"]["callback_id"] == "chinabio_ask"


async def test_submitted_question_is_answered_in_the_messages_tab(slack: SlackDriver) -> None:
    """Submitting the dialog closes it and posts the answer to the user's DM with the bot."""
    response = await slack.action(submission("deal Puhe"))
    assert response.status == 200
    assert await response.text() == ""  # an empty ack closes the dialog
    (post,) = await slack.fake.wait_for("chat.postMessage")
    assert post.args["channel"] == "U0ASKER"
    assert "Puhe" in json.dumps(post.args["blocks"])


async def test_blank_question_keeps_the_dialog_open_with_an_error(slack: SlackDriver) -> None:
    """A blank question is refused in the dialog itself, and nothing is posted."""
    response = await slack.action(submission("   "))
    body = await response.json()
    assert body["response_action"] == "errors"
    assert "question" in body["errors"]
    assert slack.fake.calls_to("chat.postMessage") == []
