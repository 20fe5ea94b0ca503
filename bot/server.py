"""The aiohttp application: health, readiness and metrics, plus the Slack and Teams routes."""

from __future__ import annotations

import asyncio
import dataclasses

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from bot.background import BACKGROUND_KEY, BackgroundTasks
from bot.deps import Deps
from bot.http_log import request_id_middleware
from bot.reload import RELOADER_KEY

DEPS_KEY = web.AppKey("deps", Deps)
DB_PING_TIMEOUT = 3.0


async def healthz(_request: web.Request) -> web.Response:
    """Answer 200 while the process is up."""
    return web.json_response({"status": "ok"})


def _ping_database(deps: Deps) -> None:
    with deps.engine.connect() as conn:
        conn.execute(text("SELECT 1"))


async def readyz(request: web.Request) -> web.Response:
    """Answer 200 when the knowledge is loaded and the database answers, else 503."""
    deps = request.app[DEPS_KEY]
    body: dict[str, object] = {
        "knowledge_version": deps.knowledge.store.version,
        "knowledge_last_error": [str(p) for p in deps.knowledge.last_problems] or None,
        "knowledge_load": dataclasses.asdict(deps.knowledge.last_load),
    }
    if (reloader := request.app.get(RELOADER_KEY)) is not None:
        body["knowledge_reload"] = reloader.status()
    try:
        # Off the event loop, and bounded: a database outage must not stall live requests.
        await asyncio.wait_for(asyncio.to_thread(_ping_database, deps), DB_PING_TIMEOUT)
        body["database"] = "ok"
    except Exception as exc:  # any driver error means not ready
        body["database"] = f"unreachable: {type(exc).__name__}"
        return web.json_response({"status": "not ready", **body}, status=503)
    return web.json_response({"status": "ready", **body})


async def metrics(_request: web.Request) -> web.Response:
    """Expose Prometheus metrics."""
    return web.Response(body=generate_latest(), headers={"Content-Type": CONTENT_TYPE_LATEST})


def build_app(deps: Deps) -> web.Application:
    """Create the aiohttp app with every route the configured platforms need."""
    app = web.Application(middlewares=[request_id_middleware])
    app[DEPS_KEY] = deps
    app[BACKGROUND_KEY] = BackgroundTasks()
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics)
    settings = deps.settings
    if settings.slack_enabled or settings.socket_mode:
        from bot.slack.app import mount_slack

        mount_slack(app, deps)
    if settings.teams_enabled:
        from bot.teams.app import mount_teams

        mount_teams(app, deps)
    return app
