"""Deliver an `export` reply in Teams: a card with short-lived download links our app serves.

Teams bots can upload files only in personal chats and only through the file consent card,
which puts the file in the user's OneDrive (docs/teams.md says why we don't). Instead the card
links to `GET /exports/{token}/{file}` on this app. The token is signed (HMAC-SHA256 with
EXPORT_LINK_SECRET) and carries the command and an expiry, so any replica can rebuild the file
from the knowledge without storing it; a wrong, altered or expired token gets a bare 404.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import hmac
import json
import logging
import secrets
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from aiohttp import web
from aiohttp.typedefs import Handler
from microsoft_agents.activity import Activity

from bot.answering import answer_in_time
from bot.deps import Deps
from bot.export_files import ExportFile, export_files
from bot.teams.messages import card_activity
from bot.teams.render import render_card
from handlers import AskContext, ReplyKind, answer, needs_store
from handlers.reply import Reply

log = logging.getLogger(__name__)
ROUTE = "/exports/{token}/{name}"
#: How long a download link works.
LINK_SECONDS = 3600
_NOT_FOUND = "404: Not Found"
NO_PUBLIC_URL = (
    "Exports in Teams are download links, and this bot does not know its public address: "
    "ask your admin to set PUBLIC_URL."
)


class ExportLinks:
    """Signs and checks download tokens: `command` + expiry, HMAC-SHA256 with one secret."""

    def __init__(self, secret: str | None, clock: Callable[[], float] = time.time) -> None:
        # Without EXPORT_LINK_SECRET the links only work on the replica that made them.
        self._key = (secret or secrets.token_urlsafe(32)).encode()
        self._clock = clock

    def token(self, command: str, channel: str | None = None) -> str:
        """Return a token for `command` (asked in `channel`) that works for LINK_SECONDS."""
        grant: dict[str, Any] = {"c": command, "x": int(self._clock()) + LINK_SECONDS}
        if channel:
            grant["ch"] = channel  # the channel's own data (team reminders) goes in its file
        body = _b64(json.dumps(grant).encode())
        return f"{body}.{_b64(self._sign(body))}"

    def command(self, token: str) -> str | None:
        """Return the command a valid, unexpired token carries; None for anything else."""
        grant = self.grant(token)
        return grant[0] if grant is not None else None

    def grant(self, token: str) -> tuple[str, str | None] | None:
        """Return the command and channel a valid, unexpired token carries; None otherwise."""
        body, _, signature = token.partition(".")
        try:
            if not hmac.compare_digest(_unb64(signature), self._sign(body)):
                return None
            payload = json.loads(_unb64(body))
        except (ValueError, binascii.Error):
            return None
        if not isinstance(payload, dict) or not isinstance(payload.get("c"), str):
            return None
        expires = payload.get("x")
        if not isinstance(expires, int) or expires < self._clock():
            return None
        channel = payload.get("ch")
        return str(payload["c"]), channel if isinstance(channel, str) else None

    def _sign(self, body: str) -> bytes:
        return hmac.new(self._key, body.encode(), hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def export_card(
    reply: Reply, links: ExportLinks, public_url: str | None, channel: str | None = None
) -> dict[str, Any]:
    """Return the export's card: what it holds, and a download button per file."""
    card = render_card(reply)
    if not public_url:
        card["body"].append(_note(NO_PUBLIC_URL))
        return card
    token = links.token(reply.command or "export", channel)
    actions = [
        {
            "type": "Action.OpenUrl",
            "title": f"Download {f.label} ({f.name})",
            "url": f"{public_url}/exports/{token}/{quote(f.name)}",
        }
        for f in export_files(reply)
    ]
    card["body"].append(_note(f"The links work for {LINK_SECONDS // 60} minutes."))
    card["actions"] = actions + card.get("actions", [])
    return card


def export_activities(
    reply: Reply, links: ExportLinks, public_url: str | None, channel: str | None = None
) -> list[Activity]:
    """Return the message that carries an export's download links."""
    return [card_activity(export_card(reply, links, public_url, channel), reply.title)]


def _note(text: str) -> dict[str, Any]:
    run = {"type": "TextRun", "text": text, "isSubtle": True, "size": "Small"}
    return {"type": "RichTextBlock", "inlines": [run]}


def download_handler(deps: Deps, links: ExportLinks) -> Handler:
    """Return the handler of GET /exports/{token}/{name}: the file, rebuilt from the knowledge."""

    async def serve_export(request: web.Request) -> web.StreamResponse:
        grant = links.grant(request.match_info["token"])
        if grant is None:
            return web.Response(status=404, text=_NOT_FOUND)
        files = await _rebuild(deps, *grant)
        wanted = request.match_info["name"]
        found = [f for f in files if f.name == wanted]
        if not found:
            return web.Response(status=404, text=_NOT_FOUND)
        file = found[0]
        log.info("teams: export downloaded: %s (%d bytes)", file.name, len(file.data))
        return web.Response(
            body=file.data,
            content_type=file.media_type,
            headers={
                "Content-Disposition": f'attachment; filename="{file.name}"',
                "Cache-Control": "private, no-store",
            },
        )

    return serve_export


async def _rebuild(deps: Deps, command: str, channel: str | None) -> list[ExportFile]:
    """Return the files of an export command, answered from the current knowledge.

    A command that reads the channel's data (`calendar file`) waits for the database on a
    database thread, bounded; the files are built off the event loop.
    """
    ctx = AskContext(platform="teams", conversation_id=channel or "teams")
    if channel:
        ctx.reminders = deps.reminders
    store = deps.knowledge.store
    if needs_store(command):
        reply = await answer_in_time(command, store, ctx)
    else:  # the knowledge only: a table of thousands of deals takes a moment
        reply = await asyncio.to_thread(answer, command, store, ctx)
    if reply.kind is not ReplyKind.EXPORT:
        return []
    return await asyncio.to_thread(export_files, reply)


def install(app: web.Application, deps: Deps, links: ExportLinks) -> None:
    """Serve the download links on `app`."""
    app.router.add_get(ROUTE, download_handler(deps, links))
