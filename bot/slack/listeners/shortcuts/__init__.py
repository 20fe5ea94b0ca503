"""Shortcuts: Ask ChinaBio about a message."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.asking import Asker
from bot.deps import Deps
from bot.slack.listeners.shortcuts import ask_about


def register(app: AsyncApp, deps: Deps, asker: Asker) -> None:
    """Register the shortcut listeners."""
    ask_about.register(app, deps, asker)
