"""`chinabio serve`: run the aiohttp app until SIGTERM or SIGINT, then shut down gracefully.

On SIGTERM aiohttp stops listening, lets requests in flight and answers still being sent to
Slack finish (up to SHUTDOWN_TIMEOUT), then runs the cleanup hooks: the knowledge watcher stops, the digest scheduler releases its
lock, and the database connections close last.
"""

from __future__ import annotations

import asyncio
import logging
import os

from aiohttp import web
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.app import attach_scheduler, build_app, build_deps
from bot.background import drain_at_shutdown
from bot.db.engine import DatabaseSetupError
from bot.db.offload import describe_unreachable, run_db
from bot.deps import Deps
from bot.logging_setup import configure_from_settings
from bot.reload import KnowledgeReloader, attach_knowledge_reload
from bot.server import DEPS_KEY
from bot.settings import Settings, SettingsError
from handlers.context import StoreUnavailable
from knowledge import KnowledgeError

log = logging.getLogger("bot.serve")

#: Seconds a request in flight may take to finish after SIGTERM (Kubernetes waits 30 by default).
SHUTDOWN_TIMEOUT = 25.0
#: Set to 1 to add GET /__test__/sleep?seconds=N, a slow route the shutdown tests need.
TEST_HOOKS_ENV = "CHINABIO_TEST_HOOKS"
MAX_TEST_SLEEP = 30.0
#: Seconds shutdown waits for the database connections to close.
DISPOSE_WAIT = 5.0


async def _test_sleep(request: web.Request) -> web.Response:
    """Sleep as long as asked (at most MAX_TEST_SLEEP), then answer: a request kept in flight."""
    try:
        seconds = min(float(request.query.get("seconds", "1")), MAX_TEST_SLEEP)
    except ValueError:
        raise web.HTTPBadRequest(text="seconds must be a number") from None
    await asyncio.sleep(seconds)
    return web.json_response({"slept": seconds})


async def _log_started(app: web.Application) -> None:
    deps = app[DEPS_KEY]
    settings = deps.settings
    log.info(
        "chinabio starting: slack=%s teams=%s knowledge=%s (version %s: %s) database=%s",
        "socket-mode" if settings.socket_mode else ("http" if settings.slack_enabled else "off"),
        "on" if settings.teams_enabled else "off",
        deps.knowledge.folder,
        deps.knowledge.store.version,
        deps.knowledge.last_load,
        make_url(settings.resolved_database_url).render_as_string(hide_password=True),
    )


async def _dispose_engine(app: web.Application) -> None:
    try:
        await run_db(DISPOSE_WAIT, app[DEPS_KEY].engine.dispose)
    except StoreUnavailable as exc:
        log.warning("database connections not closed cleanly: %s", exc)
    log.info("database connections closed; shutdown complete")


async def _log_stopping(_app: web.Application) -> None:
    log.info("shutting down: no new requests; waiting for those in flight")


def assemble_app(deps: Deps, *, test_hooks: bool = False) -> web.Application:
    """Return the served app: routes, knowledge reload, digests, shutdown hooks (and test hooks)."""
    app = build_app(deps)
    attach_knowledge_reload(app, KnowledgeReloader(deps.knowledge))
    # Before the engine disposal below: the scheduler gives its lock back first on cleanup.
    attach_scheduler(app, deps)
    if test_hooks:
        app.router.add_get("/__test__/sleep", _test_sleep)
    app.on_startup.append(_log_started)
    app.on_shutdown.append(_log_stopping)
    # Answers still being sent to Slack finish (or are logged as dropped) before the engine closes.
    drain_at_shutdown(app, SHUTDOWN_TIMEOUT)
    # Appended last so it runs after every other cleanup (the scheduler releases its lock first).
    app.on_cleanup.append(_dispose_engine)
    return app


def run_server(settings: Settings, host: str | None = None, port: int | None = None) -> int:
    """Build everything and serve until SIGINT or SIGTERM; return the exit code."""
    configure_from_settings(settings)
    try:
        deps = build_deps(settings)
    except KnowledgeError as exc:
        for problem in exc.problems:
            log.error("%s", problem)
        log.error(
            "the knowledge is invalid (%d problem(s)); run `chinabio validate`", len(exc.problems)
        )
        return 1
    except DatabaseSetupError as exc:
        log.error("cannot open the database: %s", exc)
        return 1
    except SQLAlchemyError as exc:
        url, timeout = settings.resolved_database_url, settings.database_connect_timeout
        log.error("%s", describe_unreachable(exc, url, timeout))
        return 1
    try:
        app = assemble_app(deps, test_hooks=os.environ.get(TEST_HOOKS_ENV) == "1")
    except SettingsError as exc:
        log.error("configuration error: %s", exc)
        deps.engine.dispose()
        return 1
    try:
        web.run_app(
            app,
            host=host or settings.host,
            port=port or settings.port,
            shutdown_timeout=SHUTDOWN_TIMEOUT,
            access_log=None,
            print=None,
        )
    except OSError as exc:  # the port is taken, or the host is not an address of this machine
        log.error(
            "cannot listen on %s:%s (%s)",
            host or settings.host,
            port or settings.port,
            exc.strerror,
        )
        return 1
    return 0
