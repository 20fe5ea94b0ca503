"""Dialog (modal) submissions."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.asking import Asker
from bot.deps import Deps
from bot.slack.listeners.views import ask, remind


def register(app: AsyncApp, deps: Deps, asker: Asker) -> None:
    """Register the view listeners."""
    ask.register(app, deps, asker)
    remind.register(app, deps, asker)
