"""Slack listeners grouped by surface, as in Slack's starter template."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.deps import Deps
from bot.slack.listeners import actions, commands, events, views


def register_listeners(app: AsyncApp, deps: Deps) -> None:
    """Register every listener; events first so the catch-all message listener comes last."""
    commands.register(app, deps)
    events.register(app, deps)
    actions.register(app, deps)
    views.register(app, deps)
