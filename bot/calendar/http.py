"""`GET /calendar/{token}.ics`: a channel's calendar and team reminders; anything unknown: a bare 404."""

from __future__ import annotations

import datetime as dt
import logging

from aiohttp import web
from aiohttp.typedefs import Handler

from bot.calendar.feeds import feed_channel
from bot.db.offload import run_db
from bot.deps import Deps
from handlers.calendar_ics import MEDIA_TYPE, calendar_ics
from handlers.calendar_team import channel_calendar
from handlers.context import StoreUnavailable, TeamReminder

log = logging.getLogger(__name__)
ROUTE = "/calendar/{name}"
#: Seconds the feed waits for the database before answering 503.
FEED_DB_WAIT = 3.0
_NOT_FOUND = "404: Not Found"


def feed_handler(deps: Deps) -> Handler:
    """Return the route's handler over `deps` (the knowledge is read at each request)."""

    async def serve_feed(request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        token = name.removesuffix(".ics")
        if token == name:
            return web.Response(status=404, text=_NOT_FOUND)
        try:
            channel = await run_db(FEED_DB_WAIT, feed_channel, deps.engine, token)
            if channel is None:
                return web.Response(status=404, text=_NOT_FOUND)
            reminders = await run_db(FEED_DB_WAIT, _open_reminders, deps, *channel)
        except StoreUnavailable as exc:
            log.warning("calendar feed: %s", exc)
            return web.Response(status=503, text="503: the calendar is unavailable right now")
        entries = channel_calendar(deps.knowledge.store, reminders)
        body = calendar_ics(entries, dt.datetime.now(dt.UTC))
        return web.Response(
            body=body,
            content_type=MEDIA_TYPE,
            charset="utf-8",
            headers={"Cache-Control": "private, max-age=300"},
        )

    return serve_feed


def _open_reminders(deps: Deps, platform: str, channel: str) -> list[TeamReminder]:
    """Return the channel's open team reminders (none where the bot keeps no reminders)."""
    return deps.reminders.open(platform, channel) if deps.reminders is not None else []


def install(app: web.Application, deps: Deps) -> None:
    """Serve the channel feeds on `app`."""
    app.router.add_get(ROUTE, feed_handler(deps))
