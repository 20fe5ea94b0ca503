"""The composition root: build the shared services, plug in each platform, run digests through them.

The only module that imports more than one platform package (`bot.cli` aside, for its output
formats); nothing below it imports it. Each platform's `install(app, deps)` adds its routes and
returns its digest `Sender`; the digest service gets those senders and never imports a platform.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Mapping, Sequence
from typing import TextIO

from aiohttp import web

import bot.schema  # noqa: F401  (registers every feature's tables before the schema is migrated)
from bot.calendar import http as calendar_http
from bot.calendar.feeds import SqlCalendarFeeds
from bot.console import repl
from bot.console.sender import ConsoleSender
from bot.curation.book import SqlCurationBook
from bot.db.engine import make_engine
from bot.db.migrate import upgrade_schema
from bot.db.offload import refuse_on_event_loop
from bot.deps import Deps
from bot.digest import cli as digest_cli
from bot.digest.book import SqlSubscriptionBook
from bot.digest.follows import SqlFollowBook
from bot.digest.reminders import SqlReminderBook
from bot.digest.scheduler import DigestRuntime
from bot.digest.sender import Sender
from bot.digest.service import build_runtime, close_senders
from bot.metrics import record_knowledge_load
from bot.plaintext import render_text
from bot.server import base_app
from bot.settings import Settings
from bot.slack import app as slack
from bot.slack.digest_workspaces import digest_sender as slack_digest_sender
from bot.teams import app as teams
from handlers.warm import prepare as prepare_answers
from knowledge import KnowledgeError
from knowledge.reload import KnowledgeHolder

#: The digest senders of the platforms mounted on the app.
SENDERS_KEY = web.AppKey("digest_senders", dict[str, Sender])
RUNTIME_KEY = web.AppKey("digest_runtime", DigestRuntime)


def build_deps(settings: Settings) -> Deps:
    """Load the knowledge, open the database and migrate it to this version's schema."""
    knowledge = KnowledgeHolder(
        settings.knowledge_dir, cache_dir=settings.knowledge_cache_dir, prepare=prepare_answers
    )
    record_knowledge_load(knowledge.last_load.seconds, knowledge.last_load.entities)
    engine = make_engine(
        settings.resolved_database_url,
        connect_timeout=settings.database_connect_timeout,
        statement_timeout=settings.database_statement_timeout,
    )
    try:
        upgrade_schema(engine)
    except BaseException:
        engine.dispose()
        raise
    refuse_on_event_loop(engine)
    return Deps(
        settings=settings,
        knowledge=knowledge,
        engine=engine,
        subscriptions=SqlSubscriptionBook(engine),
        calendar_feeds=SqlCalendarFeeds(engine, settings.public_url)
        if settings.public_url
        else None,
        curation=SqlCurationBook(engine),
        follows=SqlFollowBook(engine),
        reminders=SqlReminderBook(engine),
    )


def build_app(deps: Deps) -> web.Application:
    """Create the aiohttp app: health and metrics, plus every platform the settings configure."""
    app = base_app(deps)
    calendar_http.install(app, deps)
    settings = deps.settings
    mounted: dict[str, Sender] = {}
    if settings.slack_enabled or settings.socket_mode:
        sender = slack.install(app, deps)
        if sender is not None:
            mounted["slack"] = sender
    if settings.teams_enabled:
        mounted["teams"] = teams.install(app, deps)
    app[SENDERS_KEY] = mounted
    return app


def digest_senders(deps: Deps, mounted: Mapping[str, Sender] | None = None) -> dict[str, Sender]:
    """Return a digest sender per configured platform: the mounted ones, else built from settings."""
    senders = dict(mounted or {})
    if "slack" not in senders and (sender := slack_digest_sender(deps)) is not None:
        senders["slack"] = sender
    if "teams" not in senders and deps.settings.teams_enabled:
        senders["teams"] = teams.digest_sender(deps)
    return senders


def attach_scheduler(app: web.Application, deps: Deps) -> None:
    """Run the digest scheduler with the aiohttp app: start on startup, stop and unlock on cleanup."""

    async def start(app: web.Application) -> None:
        runtime = build_runtime(deps, digest_senders(deps, app.get(SENDERS_KEY)))
        app[RUNTIME_KEY] = runtime
        await runtime.start()

    async def stop(app: web.Application) -> None:
        runtime = app.get(RUNTIME_KEY)
        if runtime is not None:
            await runtime.stop()
            await close_senders(runtime.delivery.senders)

    app.on_startup.append(start)
    app.on_cleanup.append(stop)


async def console_digest_hook(session: repl.ConsoleSession) -> repl.Stop:
    """Console hook: lend the chat the subscription book and run digests into the terminal."""
    session.ctx.subscriptions = session.deps.subscriptions
    session.ctx.calendar_feeds = session.deps.calendar_feeds
    session.ctx.follows = session.deps.follows
    senders = digest_senders(session.deps)
    senders.setdefault("console", ConsoleSender(session.out))
    runtime = build_runtime(session.deps, senders)
    await runtime.start()

    async def stop() -> None:
        await runtime.stop()
        await close_senders(senders)

    return stop


def run_console(
    settings: Settings,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    hooks: Sequence[repl.ConsoleHook] = (),
) -> int:
    """Run the terminal chat over this root's services; return the exit code."""
    return repl.run_console(settings, build_deps, stdin=stdin, stdout=stdout, hooks=hooks)


def run_digest_command(args: argparse.Namespace, settings: Settings) -> int:
    """Run `digest preview` or `digest send`; return the exit code."""
    try:
        deps = build_deps(settings)
    except KnowledgeError as exc:
        print(f"the knowledge is invalid; run `chinabio validate`:\n{exc}", file=sys.stderr)
        return 1
    if args.digest_command == "preview":
        return digest_cli.preview(deps, args.channel, args.date, render_text)
    return asyncio.run(_send_digest(deps, args.channel))


async def _send_digest(deps: Deps, channel: str) -> int:
    """Post a digest now through the channel's platform (the console when none is set up)."""
    senders = digest_senders(deps)
    senders.setdefault("console", ConsoleSender())
    return await digest_cli.send(deps, channel, senders)
