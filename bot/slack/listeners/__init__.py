"""Slack listeners grouped by surface, as in Slack's starter template."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.asking import Asker
from bot.deps import Deps
from bot.slack.listeners import actions, commands, events, shortcuts, views


def register_listeners(app: AsyncApp, deps: Deps, asker: Asker) -> None:
    """Register every listener; events first so the catch-all message listener comes last."""
    commands.register(app, deps, asker)
    events.register(app, deps, asker)
    actions.register(app, deps, asker)
    views.register(app, deps, asker)
    shortcuts.register(app, deps, asker)
