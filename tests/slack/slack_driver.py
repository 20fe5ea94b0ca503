"""Drive the bot like Slack does: signed commands, events and button clicks to /slack/events."""

from __future__ import annotations

import dataclasses
import json
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
from slack_sdk.signature import SignatureVerifier

from bot.settings import Settings
from tests.fakes.slack_api import TEAM_ID, FakeSlackApi
from tests.fixtures import KNOWLEDGE

SIGNING_SECRET = "test-signing-secret-0123456789abcdef"
BOT_TOKEN = "xoxb-test-bot-token"


@dataclasses.dataclass
class SlackDriver:
    """Sends what Slack would send to the bot's /slack/events, signed like Slack signs it."""

    url: str
    fake: FakeSlackApi
    session: aiohttp.ClientSession
    secret: str = SIGNING_SECRET

    async def post(
        self,
        body: str,
        content_type: str,
        *,
        timestamp: int | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> aiohttp.ClientResponse:
        """POST a raw body to /slack/events, signed unless `signature` is given."""
        ts = str(int(time.time()) if timestamp is None else timestamp)
        signed = SignatureVerifier(self.secret).generate_signature(timestamp=ts, body=body)
        all_headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": signature if signature is not None else signed,
            **(headers or {}),
        }
        async with self.session.post(
            f"{self.url}/slack/events", data=body.encode(), headers=all_headers
        ) as response:
            await response.read()
            return response

    async def command(
        self,
        text: str,
        *,
        user: str = "U0ASKER",
        channel: str = "C0GENERAL",
        team: str = TEAM_ID,
        **kwargs: Any,
    ) -> aiohttp.ClientResponse:
        """Send `/chinabio text` as a slash command."""
        return await self.post(command_body(text, user, channel, self.fake, team), FORM, **kwargs)

    async def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        team: str = TEAM_ID,
        **kwargs: Any,
    ) -> aiohttp.ClientResponse:
        """Send an Events API callback wrapping `event`, from workspace `team`."""
        return await self.post(json.dumps(event_body(event, event_id, team)), JSON, **kwargs)

    async def action(self, payload: dict[str, Any], **kwargs: Any) -> aiohttp.ClientResponse:
        """Send an interactivity payload (block_actions, view_submission)."""
        return await self.post(urlencode({"payload": json.dumps(payload)}), FORM, **kwargs)


FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


def command_body(
    text: str, user: str, channel: str, fake: FakeSlackApi, team: str = TEAM_ID
) -> str:
    """Return the form body Slack posts for `/chinabio text`."""
    return urlencode(
        {
            "token": "legacy-verification-token",
            "team_id": team,
            "team_domain": "chinabio-test",
            "channel_id": channel,
            "channel_name": "general",
            "user_id": user,
            "user_name": "asker",
            "command": "/chinabio",
            "text": text,
            "api_app_id": "A0CHINABIO",
            "is_enterprise_install": "false",
            "response_url": fake.response_url("command"),
            "trigger_id": "1337.42.abcd",
        }
    )


def event_body(
    event: dict[str, Any], event_id: str | None = None, team: str = TEAM_ID
) -> dict[str, Any]:
    """Return the Events API envelope Slack posts for `event`."""
    return {
        "token": "legacy-verification-token",
        "team_id": team,
        "api_app_id": "A0CHINABIO",
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}",
        "event_time": int(time.time()),
        "authorizations": [
            {"team_id": team, "user_id": "UCHINABIO", "is_bot": True, "enterprise_id": None}
        ],
    }


def button_payload(
    fake: FakeSlackApi,
    action_id: str,
    value: str,
    *,
    user: str = "U0ASKER",
    channel: str = "C0GENERAL",
    ephemeral: bool = True,
) -> dict[str, Any]:
    """Return the block_actions payload for clicking a button in a message."""
    return {
        "type": "block_actions",
        "team": {"id": TEAM_ID, "domain": "chinabio-test"},
        "user": {"id": user, "username": "asker", "team_id": TEAM_ID},
        "api_app_id": "A0CHINABIO",
        "token": "legacy-verification-token",
        "container": {
            "type": "message",
            "message_ts": "1700000000.000100",
            "channel_id": channel,
            "is_ephemeral": ephemeral,
        },
        "trigger_id": "1337.42.abcd",
        "channel": {"id": channel, "name": "general"},
        "response_url": fake.response_url("button"),
        "actions": [
            {
                "action_id": action_id,
                "block_id": "b1",
                "text": {"type": "plain_text", "text": "button"},
                "value": value,
                "type": "button",
                "action_ts": str(time.time()),
            }
        ],
    }


def make_settings(fake: FakeSlackApi, tmp_path: Path, **overrides: Any) -> Settings:
    """Return settings for a single-workspace HTTP bot talking to `fake`."""
    base = Settings(
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake.api_url,
        knowledge_dir=str(KNOWLEDGE),
        database_url=f"sqlite:///{tmp_path / 'bot.db'}",
        data_dir=str(tmp_path),
    )
    return base.model_copy(update=overrides)


def mention(text: str, ts: str = "1700000000.000200", **extra: Any) -> dict[str, Any]:
    """Return an app_mention event in #general."""
    return {
        "type": "app_mention",
        "user": "U0ASKER",
        "text": text,
        "ts": ts,
        "channel": "C0GENERAL",
        "event_ts": ts,
        **extra,
    }


def dm(text: str, ts: str = "1700000000.000300", **extra: Any) -> dict[str, Any]:
    """Return a message.im event in the bot's DM."""
    return {
        "type": "message",
        "channel_type": "im",
        "user": "U0ASKER",
        "text": text,
        "ts": ts,
        "channel": "D0DM",
        "event_ts": ts,
        **extra,
    }
