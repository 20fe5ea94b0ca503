"""Malformed Slack bodies get 400 and one log line when signed, 401 when not; never a 500."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from bot.app import build_app, build_deps
from tests.fakes.http import serve
from tests.fakes.slack_api import FakeSlackApi
from tests.slack.slack_driver import (
    FORM,
    JSON,
    SlackDriver,
    button_payload,
    dm,
    event_body,
    make_settings,
    mention,
)


def _view_submission(view: dict[str, Any]) -> str:
    payload = {"type": "view_submission", "user": {"id": "U0ASKER"}, "view": view}
    return urlencode({"payload": json.dumps(payload)})


def _button() -> dict[str, Any]:
    return {
        "type": "block_actions",
        "user": {"id": "U0ASKER"},
        "actions": [{"action_id": "chinabio_run", "value": "help"}],
    }


def _event(event: dict[str, Any], **envelope: Any) -> str:
    return json.dumps({**event_body(event), **envelope})


MALFORMED: dict[str, tuple[str, str]] = {
    "form sent as JSON": ("command=%2Fchinabio&text=deal+Puhe", JSON),
    "payload not JSON": ("payload={not json", FORM),
    "payload an array": ("payload=[1,2,3]", FORM),
    "payload a string": ('payload="block_actions"', FORM),
    "event an array": ("[1, 2]", JSON),
    "deep nesting": ("[" * 100_000, JSON),
    "nesting past the bound": ("[" * 70 + "]" * 70, JSON),
    "empty body": ("", FORM),
    "view_submission without state.values": (
        _view_submission({"type": "modal", "callback_id": "chinabio_ask", "state": {}}),
        FORM,
    ),
    "view_submission values not objects": (
        _view_submission(
            {"type": "modal", "callback_id": "chinabio_ask", "state": {"values": {"q": 5}}}
        ),
        FORM,
    ),
    "view_submission without view.type": (
        _view_submission({"callback_id": "chinabio_ask", "state": {"values": {}}}),
        FORM,
    ),
    "block_actions without actions": (
        urlencode({"payload": json.dumps({"type": "block_actions", "user": {"id": "U1"}})}),
        FORM,
    ),
    "action_id a number": (
        urlencode(
            {
                "payload": json.dumps(
                    {"type": "block_actions", "user": {"id": "U1"}, "actions": [{"action_id": 7}]}
                )
            }
        ),
        FORM,
    ),
    "response_url not a URL": (
        urlencode({"payload": json.dumps({**_button(), "response_url": "http:///%none/x"})}),
        FORM,
    ),
    "mention without channel": (_event({"type": "app_mention", "ts": "1.2"}), JSON),
    "DM text a number": (_event({**dm("deal Puhe"), "text": 1.0}), JSON),
    "DM channel a number": (_event({**dm("deal Puhe"), "channel": 42}), JSON),
    "event not an object": (json.dumps({"type": "event_callback", "event": "app_mention"}), JSON),
    "authorizations a string": (_event(mention("hi"), authorizations="T0TEAM001"), JSON),
    "team a number": (_event(mention("hi"), team=5), JSON),
    "command without user_id": ("command=%2Fchinabio&text=deal&channel_id=C1", FORM),
}


@pytest.mark.parametrize(("body", "content_type"), MALFORMED.values(), ids=MALFORMED.keys())
async def test_signed_malformed_body_gets_400_and_one_log_line(
    slack: SlackDriver, caplog: pytest.LogCaptureFixture, body: str, content_type: str
) -> None:
    """A correctly signed body Bolt could not read gets 400 with a reason, logged once, no trace."""
    with caplog.at_level(logging.INFO):
        response = await slack.post(body, content_type)
    assert response.status == 400
    assert "malformed Slack request" in await response.text()
    (line,) = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert line.name == "bot.slack.verify"
    assert line.exc_info is None
    assert "Sorry" not in caplog.text
    assert "Traceback" not in caplog.text
    assert slack.fake.calls == []


@pytest.mark.parametrize(("body", "content_type"), MALFORMED.values(), ids=MALFORMED.keys())
async def test_unsigned_malformed_body_gets_401(
    slack: SlackDriver, body: str, content_type: str
) -> None:
    """The same bodies without a valid signature get 401: they are never parsed."""
    response = await slack.post(body, content_type, signature="v0=" + "0" * 64)
    assert response.status == 401


async def test_undecodable_body_gets_401(slack: SlackDriver) -> None:
    """Bytes that are not UTF-8 cannot carry a signature slack_sdk accepts: 401, not 500."""
    headers = {
        "Content-Type": FORM,
        "X-Slack-Request-Timestamp": str(int(time.time())),
        "X-Slack-Signature": "v0=" + "0" * 64,
    }
    url = f"{slack.url}/slack/events"
    async with slack.session.post(url, data=b"payload=\xff\xfe\x00", headers=headers) as response:
        assert response.status == 401


async def test_well_formed_requests_still_answer(slack: SlackDriver) -> None:
    """The check lets Slack's real payloads through: a command, a mention and a button click."""
    command = await slack.command("deal Puhe")
    mentioned = await slack.event(mention("<@UCHINABIO> deal Puhe"))
    clicked = await slack.action(button_payload(slack.fake, "chinabio_run", "deal Puhe"))
    assert (command.status, mentioned.status, clicked.status) == (200, 200, 200)
    assert "Puhe" in await command.text()
    await slack.fake.wait_for("chat.postMessage")
    await slack.fake.wait_for("response_url")


async def test_socket_mode_malformed_envelope_is_acked_and_dropped(
    fake_slack: FakeSlackApi, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """In Socket Mode a malformed payload is acknowledged, logged once and the next still works."""
    settings = make_settings(fake_slack, tmp_path, slack_app_token="xapp-1-test")
    async with serve(build_app(build_deps(settings))):
        with caplog.at_level(logging.INFO):
            ack = await fake_slack.send_envelope(
                "events_api", {"type": "event_callback", "event": "not an object"}
            )
        assert "payload" not in ack  # acknowledged, nothing answered
        await fake_slack.send_envelope("events_api", event_body(mention("<@UCHINABIO> deal Puhe")))
        await fake_slack.wait_for("chat.postMessage")
    (line,) = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert "dropped" in line.getMessage()
    assert line.exc_info is None
