"""Events API events: mentions, direct messages, the Home tab, uninstalls and revoked tokens."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.asking import Asker
from bot.deps import Deps
from bot.slack.listeners.events import app_home_opened, app_mention, direct_message, uninstalled


def register(app: AsyncApp, deps: Deps, asker: Asker) -> None:
    """Register the event listeners."""
    app_mention.register(app, deps, asker)
    app_home_opened.register(app, deps, asker)
    direct_message.register(app, deps, asker)
    uninstalled.register(app, deps, asker)
