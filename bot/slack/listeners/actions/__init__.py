"""Buttons: run a command, share an answer, open the Ask dialog."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.deps import Deps
from bot.slack.listeners.actions import ask, run, share


def register(app: AsyncApp, deps: Deps) -> None:
    """Register the action listeners."""
    run.register(app, deps)
    share.register(app, deps)
    ask.register(app, deps)
