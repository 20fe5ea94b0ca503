"""The aiohttp application's own routes: health, readiness and metrics (platforms add theirs)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from bot.background import BACKGROUND_KEY, BackgroundTasks
from bot.db.migrate import schema_problem
from bot.db.offload import run_db
from bot.deps import Deps
from bot.http_log import request_id_middleware
from bot.reload import RELOADER_KEY
from knowledge.problems import Problem

DEPS_KEY = web.AppKey("deps", Deps)
DB_PING_TIMEOUT = 3.0


async def healthz(_request: web.Request) -> web.Response:
    """Answer 200 while the process is up."""
    return web.json_response({"status": "ok"})


def _check_database(deps: Deps) -> str | None:
    """Return why the database's schema cannot serve requests, or None; raise if it is unreachable."""
    with deps.engine.connect() as conn:
        conn.execute(text("SELECT 1"))
        return schema_problem(conn)


def _relative_problem(problem: Problem, folder: Path) -> str:
    """Render `problem` with its file relative to the knowledge folder: /readyz is unauthenticated."""
    path, root = Path(problem.file).resolve(), folder.resolve()
    shown = path.relative_to(root) if path.is_relative_to(root) else Path(path.name)
    message = problem.message.replace(f"{root}/", "").replace(f"{folder}/", "")
    return str(Problem(shown.as_posix(), problem.line, message))


async def readyz(request: web.Request) -> web.Response:
    """Answer 200 when the knowledge is loaded and the database has this version's schema, else 503."""
    deps = request.app[DEPS_KEY]
    folder = deps.knowledge.folder
    body: dict[str, object] = {
        "knowledge_version": deps.knowledge.store.version,
        "knowledge_last_error": [_relative_problem(p, folder) for p in deps.knowledge.last_problems]
        or None,
        "knowledge_load": dataclasses.asdict(deps.knowledge.last_load),
    }
    if (reloader := request.app.get(RELOADER_KEY)) is not None:
        body["knowledge_reload"] = reloader.status()
    try:
        # Off the event loop, and bounded: a database outage must not stall live requests.
        problem = await run_db(DB_PING_TIMEOUT, _check_database, deps)
    except Exception as exc:  # any driver error means not ready
        body["database"] = f"unreachable: {type(exc).__name__}"
        return web.json_response({"status": "not ready", **body}, status=503)
    if problem is not None:
        body["database"] = f"schema not ready: {problem}"
        return web.json_response({"status": "not ready", **body}, status=503)
    body["database"] = "ok"
    return web.json_response({"status": "ready", **body})


async def metrics(_request: web.Request) -> web.Response:
    """Expose Prometheus metrics."""
    return web.Response(body=generate_latest(), headers={"Content-Type": CONTENT_TYPE_LATEST})


def base_app(deps: Deps) -> web.Application:
    """Create the aiohttp app with health, readiness and metrics; platforms add their routes."""
    app = web.Application(middlewares=[request_id_middleware])
    app[DEPS_KEY] = deps
    app[BACKGROUND_KEY] = BackgroundTasks()
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics)
    return app
