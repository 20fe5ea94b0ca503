"""Socket Mode: with SLACK_APP_TOKEN the bot connects out, answers envelopes, closes cleanly."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from urllib.parse import parse_qsl

import aiohttp

from bot.app import build_app, build_deps
from tests.fakes.http import serve
from tests.fakes.slack_api import FakeSlackApi
from tests.slack.slack_driver import command_body, event_body, make_settings, mention


async def test_socket_mode_answers_a_slash_command_in_the_ack_envelope(
    fake_slack: FakeSlackApi, tmp_path: Path
) -> None:
    """The ack envelope of a slash_commands envelope carries the ephemeral Block Kit answer."""
    settings = make_settings(
        fake_slack, tmp_path, slack_app_token="xapp-1-test", slack_signing_secret=None
    )
    app = build_app(build_deps(settings))
    async with serve(app) as url, aiohttp.ClientSession() as session:
        async with session.get(f"{url}/healthz") as health:
            assert health.status == 200  # health is served while Socket Mode runs
        async with session.post(f"{url}/slack/events", data=b"") as http:
            assert http.status in (404, 405)  # no HTTP route in Socket Mode
        payload = dict(parse_qsl(command_body("deal Puhe", "U0ASKER", "C0GENERAL", fake_slack)))
        ack = await fake_slack.send_envelope("slash_commands", payload)
        (opened,) = fake_slack.calls_to("apps.connections.open")
        assert opened.headers["Authorization"] == "Bearer xapp-1-test"
    assert ack["payload"]["response_type"] == "ephemeral"
    assert "Puhe" in json.dumps(ack["payload"]["blocks"])
    socket = fake_slack.sockets[-1]
    await asyncio.wait_for(_closed(socket), 5)
    assert socket.closed  # the app closed its connection on cleanup


async def _closed(socket: aiohttp.web.WebSocketResponse) -> None:
    while not socket.closed:
        await asyncio.sleep(0.02)


async def test_socket_mode_event_is_answered_by_the_web_api(
    fake_slack: FakeSlackApi, tmp_path: Path
) -> None:
    """An events_api envelope (app_mention) is acked and answered in a thread."""
    settings = make_settings(fake_slack, tmp_path, slack_app_token="xapp-1-test")
    async with serve(build_app(build_deps(settings))):
        ack = await fake_slack.send_envelope(
            "events_api", event_body(mention("<@UCHINABIO> deal Puhe", ts="5.1"))
        )
        assert "envelope_id" in ack
        (post,) = await fake_slack.wait_for("chat.postMessage")
    assert post.args["thread_ts"] == "5.1"
