"""`chinabio serve`: run the aiohttp app (Slack HTTP or Socket Mode, Teams, health, metrics)."""

from __future__ import annotations

from aiohttp import web

from bot.deps import build_deps
from bot.server import build_app
from bot.settings import Settings


def run_server(settings: Settings, host: str | None = None, port: int | None = None) -> None:
    """Build everything and serve until SIGINT or SIGTERM."""
    deps = build_deps(settings)
    app = build_app(deps)
    web.run_app(app, host=host or settings.host, port=port or settings.port)
