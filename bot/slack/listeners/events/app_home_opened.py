"""The Home tab: published whenever a user opens it."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.asking import Asker
from bot.curation.desk import CurationDesk
from bot.db.offload import run_db
from bot.deps import Deps
from bot.slack.curators import SlackCurators
from bot.slack.errors import guarded
from bot.slack.home import DigestOverview, curation_blocks, home_view, read_digest_overview
from bot.slack.listeners.acks import ack_now
from handlers.context import StoreUnavailable

log = logging.getLogger(__name__)
#: Seconds the Home tab waits for the digest overview before it is published without it.
OVERVIEW_WAIT = 2.0


def register(app: AsyncApp, deps: Deps, asker: Asker) -> None:
    """Register the app_home_opened listener."""
    desk = CurationDesk(deps, "slack")
    curators = SlackCurators(desk)

    async def curation_part(client: AsyncWebClient, user: str) -> list[dict[str, Any]]:
        """Return the curators' section of the Home tab: empty for everyone else."""
        if not await curators.is_curator(client, user):
            return []
        try:
            summary = await desk.summary()
        except StoreUnavailable as exc:
            log.warning("Home tab published without the curation summary: %s", exc)
            return []
        return curation_blocks(summary, desk.store) if summary is not None else []

    async def publish_home(
        event: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        if event.get("tab", "home") != "home":
            return
        try:
            overview = await run_db(OVERVIEW_WAIT, read_digest_overview, deps)
        except StoreUnavailable as exc:
            log.warning("Home tab published without the digest overview: %s", exc)
            overview = DigestOverview()
        view = home_view(overview)
        view["blocks"] += await curation_part(client, event["user"])
        await client.views_publish(user_id=event["user"], view=view)

    app.event("app_home_opened")(ack=ack_now, lazy=[guarded(publish_home)])
