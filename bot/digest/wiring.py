"""Wire digests into the bot: the subscription book for handlers, senders, and the scheduler."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, TextIO

from aiohttp import web
from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator

from bot.deps import Deps
from bot.digest.book import SqlSubscriptionBook
from bot.digest.delivery import DigestDelivery
from bot.digest.leader import make_leader_lock
from bot.digest.schedule import Clock, utc_now
from bot.digest.scheduler import DigestRuntime
from bot.digest.sender import Sender
from bot.digest.slack_sender import SlackSender
from bot.digest.slack_workspaces import SlackWorkspaceSenders
from bot.digest.text import ConsoleSender
from bot.slack.client import make_web_client
from bot.slack.oauth import TOKEN_ROTATION_MINUTES, installation_store

if TYPE_CHECKING:
    from bot.console.repl import ConsoleSession

BOOK = "digest_book"
SENDERS = "digest_senders"
RUNTIME_KEY = web.AppKey("digest_runtime", DigestRuntime)


def build_subscription_book(deps: Deps) -> SqlSubscriptionBook:
    """Return the subscription book to lend handlers as AskContext.subscriptions (one per deps)."""
    book = deps.extras.get(BOOK)
    if not isinstance(book, SqlSubscriptionBook):
        book = SqlSubscriptionBook(deps.engine)
        deps.extras[BOOK] = book
    return book


def register_sender(deps: Deps, sender: Sender) -> None:
    """Let digests reach a platform (the Teams adapter registers its sender here)."""
    senders = deps.extras.setdefault(SENDERS, {})
    assert isinstance(senders, dict)
    senders[sender.platform] = sender


def senders_from_deps(deps: Deps) -> dict[str, Sender]:
    """Return the registered senders, plus Slack's and Teams' when their credentials are set."""
    registered = deps.extras.get(SENDERS)
    senders: dict[str, Sender] = dict(registered) if isinstance(registered, dict) else {}
    settings = deps.settings
    if "slack" not in senders and settings.slack_oauth_enabled:
        senders["slack"] = slack_workspace_senders(deps)
    elif "slack" not in senders and settings.slack_bot_token:
        senders["slack"] = SlackSender(settings.slack_bot_token, settings.slack_api_url)
    if "teams" not in senders and settings.teams_enabled:
        from bot.teams.app import teams_sender  # the Teams adapter imports this module

        senders["teams"] = teams_sender(deps)
    return senders


def slack_workspace_senders(deps: Deps) -> SlackWorkspaceSenders:
    """Return the Slack sender for a multi-workspace install: tokens from the installation store."""
    settings = deps.settings
    assert settings.slack_client_id and settings.slack_client_secret
    rotator = AsyncTokenRotator(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        client=make_web_client(settings),  # refreshes at SLACK_API_URL, like the Bolt app
    )
    return SlackWorkspaceSenders(
        SlackSender(None, settings.slack_api_url),
        installation_store(settings, deps.engine),
        rotator,
        fallback_token=settings.slack_bot_token,
        rotate_minutes=TOKEN_ROTATION_MINUTES,
    )


def build_delivery(
    deps: Deps, senders: Mapping[str, Sender] | None = None, clock: Clock = utc_now
) -> DigestDelivery:
    """Return the delivery engine over the deps' database and knowledge."""
    from datetime import timedelta

    return DigestDelivery(
        deps.engine,
        lambda: deps.knowledge.store,
        senders if senders is not None else senders_from_deps(deps),
        clock=clock,
        grace=timedelta(hours=deps.settings.digest_grace_hours),
    )


def build_runtime(deps: Deps, senders: Mapping[str, Sender] | None = None) -> DigestRuntime:
    """Return a digest runtime (not started) for these deps."""
    return DigestRuntime(build_delivery(deps, senders), make_leader_lock(deps.engine))


def attach_scheduler(
    app: web.Application, deps: Deps, senders: Mapping[str, Sender] | None = None
) -> None:
    """Run the digest scheduler with the aiohttp app: start on startup, stop and unlock on cleanup."""

    async def start(app: web.Application) -> None:
        runtime = build_runtime(deps, senders)
        app[RUNTIME_KEY] = runtime
        await runtime.start()

    async def stop(app: web.Application) -> None:
        runtime = app.get(RUNTIME_KEY)
        if runtime is not None:
            await runtime.stop()
            await close_senders(runtime.delivery.senders)

    app.on_startup.append(start)
    app.on_cleanup.append(stop)


async def start_console_scheduler(deps: Deps, stream: TextIO | None = None) -> DigestRuntime:
    """Start digests for the console adapter (they print to `stream`); `await runtime.stop()` to end."""
    senders = senders_from_deps(deps)
    senders.setdefault("console", ConsoleSender(stream))
    runtime = build_runtime(deps, senders)
    await runtime.start()
    return runtime


async def console_digest_hook(session: ConsoleSession) -> Callable[[], Awaitable[None]]:
    """Console hook: lend the chat the subscription book and run digests into the terminal."""
    session.ctx.subscriptions = build_subscription_book(session.deps)
    runtime = await start_console_scheduler(session.deps, session.out)
    return runtime.stop


async def close_senders(senders: Mapping[str, Sender]) -> None:
    """Close the HTTP sessions senders hold."""
    for sender in senders.values():
        close = getattr(sender, "aclose", None)
        if close is not None:
            await close()
