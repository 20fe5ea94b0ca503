"""The Home tab: published whenever a user opens it."""

from __future__ import annotations

import asyncio
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.deps import Deps
from bot.slack.errors import guarded
from bot.slack.home import home_view, read_digest_overview
from bot.slack.listeners.acks import ack_now


def register(app: AsyncApp, deps: Deps) -> None:
    """Register the app_home_opened listener."""

    async def publish_home(
        event: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        if event.get("tab", "home") != "home":
            return
        overview = await asyncio.to_thread(read_digest_overview, deps, context.team_id)
        await client.views_publish(user_id=event["user"], view=home_view(overview))

    app.event("app_home_opened")(ack=ack_now, lazy=[guarded(publish_home)])
