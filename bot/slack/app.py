"""The Slack adapter: a Bolt AsyncApp served by the bot's aiohttp app, over HTTP or Socket Mode."""

from __future__ import annotations

import asyncio
import gc
import logging
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp

from bot.asking import Asker
from bot.background import BACKGROUND_KEY
from bot.deps import Deps
from bot.digest.sender import Sender
from bot.settings import Settings
from bot.slack.authorize import BotTokenAuthorize
from bot.slack.client import make_web_client
from bot.slack.dedupe import SeenIds, SkipSeenEvents
from bot.slack.digest_workspaces import digest_sender
from bot.slack.direct import DirectCommands
from bot.slack.errors import install_error_handler
from bot.slack.lazy import TrackedLazyRunner
from bot.slack.listeners import register_listeners
from bot.slack.oauth import oauth_settings
from bot.slack.payloads import MalformedPayload
from bot.slack.redact import install_redaction
from bot.slack.verify import (
    CheckedSocketModeHandler,
    SlackRequestCheck,
    Unverified,
    bolt_request_of,
    content_type_of,
    refusal,
)

log = logging.getLogger(__name__)
PLATFORM = "slack"
EVENTS_PATH = "/slack/events"


@dataclass
class SlackRuntime:
    """The Bolt app mounted on the aiohttp app, and its Socket Mode connection when there is one."""

    bolt: AsyncApp
    check: SlackRequestCheck | None = None
    app_token: str | None = None
    socket: CheckedSocketModeHandler | None = None
    direct: DirectCommands | None = None  # /chinabio over HTTP, single workspace
    tasks: set[asyncio.Task[Any]] = field(default_factory=set)


SLACK_KEY = web.AppKey("slack", SlackRuntime)


class SlackConfigError(ValueError):
    """The Slack settings cannot work together; the message says what to set."""


def check_settings(settings: Settings) -> None:
    """Raise SlackConfigError when no bot token can be had (Socket Mode needs one too)."""
    if not (settings.slack_bot_token or settings.slack_oauth_enabled):
        raise SlackConfigError(
            "Slack needs SLACK_BOT_TOKEN (xoxb-…), or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and "
            "SLACK_STATE_SECRET for multi-workspace installs"
        )
    if not settings.socket_mode and not settings.slack_signing_secret:
        raise SlackConfigError("Slack over HTTP needs SLACK_SIGNING_SECRET to verify requests")


def build_bolt_app(deps: Deps, asker: Asker) -> tuple[AsyncApp, BotTokenAuthorize | None]:
    """Create the Bolt app and its single-workspace authorization (None with OAuth)."""
    settings = deps.settings
    check_settings(settings)
    install_redaction(
        (
            settings.slack_bot_token,
            settings.slack_signing_secret,
            settings.slack_app_token,
            settings.slack_client_secret,
            settings.slack_state_secret,
            *settings.token_encryption_keys,
        )
    )
    seen = SeenIds(deps.engine)
    oauth = settings.slack_oauth_enabled
    # No token on the shared client: each request's copy gets the one `authorize` returns.
    client = make_web_client(settings)
    authorize = None
    if not oauth:
        assert settings.slack_bot_token is not None  # check_settings made sure
        authorize = BotTokenAuthorize(settings.slack_bot_token, client)
    app = AsyncApp(
        name="chinabio",
        logger=logging.getLogger("bot.slack.bolt"),
        client=client,
        # handle_events, the one HTTP route into Bolt, verifies every request first with a
        # stricter check around the same SignatureVerifier (bot/slack/verify.py); Socket Mode
        # has no signature. Bolt's second check of the same text would only cost time.
        signing_secret=settings.slack_signing_secret or "",
        request_verification_enabled=False,
        # Commands answer inside their ack; slower work (events, buttons) runs in lazy listeners.
        process_before_response=True,
        # Custom-function tokens and assistant-thread kwargs are unused: skip their middleware.
        attaching_function_token_enabled=False,
        attaching_conversation_kwargs_enabled=False,
        oauth_settings=oauth_settings(settings, deps.engine, seen, client) if oauth else None,
        # Single workspace: the token from settings, no auth.test before answering.
        authorize=authorize,
    )
    if oauth and not settings.token_encryption_keys:  # allowed by ALLOW_PLAINTEXT_TOKENS=1
        log.warning(
            "ALLOW_PLAINTEXT_TOKENS=1: Slack tokens are stored in the database unencrypted; "
            "set TOKEN_ENCRYPTION_KEY anywhere but local development"
        )
    app.use(SkipSeenEvents(seen))
    install_error_handler(app)
    register_listeners(app, deps, asker)
    return app, authorize


async def handle_events(request: web.Request) -> web.Response:
    """POST /slack/events: verified, checked, then /chinabio answered directly and the rest by Bolt."""
    runtime = request.app[SLACK_KEY]
    assert runtime.check is not None
    try:
        text = await runtime.check.verified_text(request)
        if runtime.direct is not None:
            response = await runtime.direct.answer(text, content_type_of(request))
            if response is not None:
                return response
        bolt_request = bolt_request_of(text, request)
    except (Unverified, MalformedPayload) as error:
        return refusal(error)
    return await to_aiohttp_response(await runtime.bolt.async_dispatch(bolt_request))


async def handle_install(request: web.Request) -> web.Response:
    """GET /slack/install: start the OAuth flow (Add to Slack)."""
    flow = request.app[SLACK_KEY].bolt.oauth_flow
    assert flow is not None
    return await to_aiohttp_response(await flow.handle_installation(await to_bolt_request(request)))


async def handle_oauth_redirect(request: web.Request) -> web.Response:
    """GET /slack/oauth_redirect: finish the OAuth flow and store the installation."""
    flow = request.app[SLACK_KEY].bolt.oauth_flow
    assert flow is not None
    return await to_aiohttp_response(await flow.handle_callback(await to_bolt_request(request)))


async def start_socket_mode(app: web.Application) -> None:
    """Connect to Slack by Socket Mode in the background, so health checks answer meanwhile."""
    runtime = app[SLACK_KEY]
    runtime.socket = CheckedSocketModeHandler(runtime.bolt, app_token=runtime.app_token)
    # slack_bolt leaves these two untyped.
    connect = runtime.socket.connect_async()  # type: ignore[no-untyped-call]
    task = asyncio.create_task(connect, name="slack-socket-mode")
    runtime.tasks.add(task)
    task.add_done_callback(runtime.tasks.discard)


async def stop_socket_mode(app: web.Application) -> None:
    """Close the Socket Mode connection."""
    runtime = app[SLACK_KEY]
    for task in list(runtime.tasks):
        task.cancel()
    if runtime.socket is not None:
        await runtime.socket.close_async()  # type: ignore[no-untyped-call]


async def freeze_startup_objects(_app: web.Application) -> None:
    """Move everything built at start-up (knowledge, Bolt, SQLAlchemy) out of the GC's reach.

    A full collection over those ~100k long-lived objects takes tens of milliseconds and lands
    on whichever request triggers it; frozen, they are never scanned (see gc.freeze's docs).
    The knowledge loader freezes a large snapshot too and never unfreezes, so this holds
    across reloads; only `unfreeze_objects` unfreezes.
    """
    gc.freeze()


async def unfreeze_objects(_app: web.Application) -> None:
    """Hand frozen objects back to the GC when the app stops (tests build many apps)."""
    gc.unfreeze()


def install(app: web.Application, deps: Deps) -> Sender | None:
    """Serve Slack on `app`: POST /slack/events (or Socket Mode), plus the OAuth pages if set.

    Return Slack's digest sender (None without a bot token or OAuth credentials).
    """
    asker = Asker(PLATFORM, deps)
    bolt, authorize = build_bolt_app(deps, asker)
    runtime = SlackRuntime(bolt=bolt, app_token=deps.settings.slack_app_token)
    app[SLACK_KEY] = runtime
    # Lazy listeners (answers after the ack) run as tasks that shutdown waits for.
    runner = runtime.bolt.listener_runner
    runner.lazy_listener_runner = TrackedLazyRunner(app[BACKGROUND_KEY], runtime.bolt.logger)
    app.on_startup.append(freeze_startup_objects)
    app.on_cleanup.append(unfreeze_objects)
    if deps.settings.socket_mode:
        app.on_startup.append(start_socket_mode)
        app.on_cleanup.append(stop_socket_mode)
        log.info("Slack: Socket Mode")
    else:
        runtime.check = SlackRequestCheck(deps.settings.slack_signing_secret or "")
        if authorize is not None:  # see bot/slack/direct.py for why, and what it keeps
            runtime.direct = DirectCommands(asker, authorize)
        app.router.add_post(EVENTS_PATH, handle_events)
        log.info("Slack: HTTP at %s", EVENTS_PATH)
    flow = runtime.bolt.oauth_flow
    if flow is not None:
        app.router.add_get(flow.install_path, handle_install)
        app.router.add_get(flow.redirect_uri_path, handle_oauth_redirect)
    return digest_sender(deps)
