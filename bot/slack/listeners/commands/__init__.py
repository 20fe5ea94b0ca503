"""Slash commands."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.asking import Asker
from bot.deps import Deps
from bot.slack.listeners.commands import chinabio


def register(app: AsyncApp, deps: Deps, asker: Asker) -> None:
    """Register the slash command listeners."""
    chinabio.register(app, deps, asker)
