"""/chinabio answered without Bolt's dispatch (single workspace) acks exactly as through Bolt (OAuth)."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import aiohttp
import pytest

from bot.app import build_app, build_deps
from tests.fakes.http import serve
from tests.fakes.slack_api import FakeSlackApi
from tests.slack.slack_driver import FORM, JSON, SlackDriver, command_body, make_settings
from tests.slack.test_slack_oauth import (
    CLIENT_ID,
    CLIENT_SECRET,
    INSTALLED_TEAM,
    STATE_SECRET,
    TOKEN_KEY,
    install,
)

Ack = tuple[int, str, Any]


@pytest.fixture
async def through_bolt(fake_slack: FakeSlackApi, tmp_path: Path) -> AsyncIterator[SlackDriver]:
    """A multi-workspace bot, installed in INSTALLED_TEAM: its commands go through Bolt."""
    oauth_dir = tmp_path / "oauth"
    oauth_dir.mkdir()
    settings = make_settings(
        fake_slack,
        oauth_dir,
        slack_bot_token=None,
        slack_client_id=CLIENT_ID,
        slack_client_secret=CLIENT_SECRET,
        slack_state_secret=STATE_SECRET,
        token_encryption_keys=(TOKEN_KEY,),
    )
    async with serve(build_app(build_deps(settings))) as url, aiohttp.ClientSession() as session:
        driver = SlackDriver(url, fake_slack, session)
        status, page, _state = await install(driver)
        assert status == 200, page
        yield driver


async def ack(slack: SlackDriver, body: str) -> Ack:
    """POST a signed form body; return the status, media type and body (JSON read, error ids masked)."""
    response = await slack.post(body, FORM)
    text = re.sub(r"error id `[0-9a-f]+`", "error id `…`", await response.text())
    content_type = response.headers.get("Content-Type", "")
    return response.status, content_type, json.loads(text) if content_type == JSON else text


def form(slack: SlackDriver, text: str, **changes: str | None) -> str:
    """Return the /chinabio form body for `text` from INSTALLED_TEAM, with fields changed or dropped."""
    body = command_body(text, "U0ASKER", "C0GENERAL", slack.fake)
    decoded = dict(parse_qsl(body, keep_blank_values=True))
    decoded["team_id"] = INSTALLED_TEAM
    decoded["response_url"] = "https://hooks.slack.test/commands/1"
    for key, value in changes.items():
        if value is None:
            decoded.pop(key, None)
        else:
            decoded[key] = value
    return urlencode(decoded)


@pytest.mark.parametrize(
    ("text", "changes"),
    [
        ("deal Puhe", {}),
        ("help", {}),
        ("deal Nosuchcompanyatall", {}),
        ("", {}),
        ("deals", {}),
        ("deal <https://example.com|Puhe> &amp; more", {}),
        ("deal Puhe", {"user_id": None}),  # the listener fails: the same apology
        ("deal Puhe", {"command": "/other"}),  # nobody listens: Bolt's answer in both
        ("deal Puhe", {"ssl_check": "1"}),  # Slack's SSL check
        ("payload", {}),  # Bolt's parser reads a form holding "payload" as empty: 400 in both
        (
            "deal Puhe",
            {"channel_id": None, "enterprise_id": "E0ORG", "is_enterprise_install": "true"},
        ),
    ],
)
async def test_direct_answer_equals_bolts(
    slack: SlackDriver, through_bolt: SlackDriver, text: str, changes: dict[str, str | None]
) -> None:
    """Status, content type and body are the same whichever path answered."""
    direct = await ack(slack, form(slack, text, **changes))
    bolt = await ack(through_bolt, form(through_bolt, text, **changes))
    assert direct == bolt
    assert direct[0] in (200, 400, 404)


async def test_direct_answer_is_still_verified_first(slack: SlackDriver) -> None:
    """A /chinabio body with a wrong signature is refused before anything answers it."""
    response = await slack.post(form(slack, "deal Puhe"), FORM, signature="v0=" + "0" * 64)
    assert response.status == 401
    assert "Puhe" not in await response.text()
