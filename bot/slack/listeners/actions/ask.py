"""The Home tab's Ask button: open a dialog where a question can be typed."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.asking import Asker
from bot.deps import Deps
from bot.slack.errors import guarded
from bot.slack.home import OPEN_ASK_ACTION
from bot.slack.listeners.acks import ack_now
from bot.slack.listeners.views.ask import ask_view


def register(app: AsyncApp, deps: Deps, asker: Asker) -> None:
    """Register the listener that opens the Ask dialog."""

    async def open_ask(body: dict[str, Any], client: AsyncWebClient) -> None:
        await client.views_open(trigger_id=body["trigger_id"], view=ask_view())

    app.action(OPEN_ASK_ACTION)(ack=ack_now, lazy=[guarded(open_ask)])
