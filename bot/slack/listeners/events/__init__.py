"""Events API events: mentions, direct messages, the Home tab, uninstalls and revoked tokens."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.deps import Deps
from bot.slack.listeners.events import app_home_opened, app_mention, direct_message, uninstalled


def register(app: AsyncApp, deps: Deps) -> None:
    """Register the event listeners."""
    app_mention.register(app, deps)
    app_home_opened.register(app, deps)
    direct_message.register(app, deps)
    uninstalled.register(app, deps)
