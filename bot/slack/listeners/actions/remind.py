"""`Remind me` buttons: open the dialog with a date picker for a team reminder on the deal."""

from __future__ import annotations

import datetime as dt
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.asking import Asker
from bot.deps import Deps
from bot.slack.errors import guarded
from bot.slack.listeners.acks import ack_now
from bot.slack.listeners.views.remind import remind_view
from bot.slack.render import REMIND_ACTION_ID
from bot.slack.text import plain_text


def register(app: AsyncApp, deps: Deps, asker: Asker) -> None:
    """Register the listener that opens the Remind me dialog."""

    async def open_remind(
        body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient
    ) -> None:
        command = plain_text(action.get("value") or "")
        channel = (body.get("channel") or {}).get("id") or body["user"]["id"]
        today = dt.datetime.now(dt.UTC).date()
        await client.views_open(
            trigger_id=body["trigger_id"], view=remind_view(command, channel, today)
        )

    app.action(REMIND_ACTION_ID)(ack=ack_now, lazy=[guarded(open_remind)])
