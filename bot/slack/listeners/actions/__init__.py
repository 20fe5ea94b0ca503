"""Buttons: run a command, share an answer, open the Ask dialog."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.asking import Asker
from bot.deps import Deps
from bot.slack.listeners.actions import ask, remind, run, share


def register(app: AsyncApp, deps: Deps, asker: Asker) -> None:
    """Register the action listeners."""
    run.register(app, deps, asker)
    share.register(app, deps, asker)
    ask.register(app, deps, asker)
    remind.register(app, deps, asker)
