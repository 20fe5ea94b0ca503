"""The "Ask ChinaBio about this" message shortcut: answered privately, to whoever used it."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.asking import Asker
from bot.deps import Deps
from bot.slack.errors import guarded
from bot.slack.listeners.acks import ack_now
from bot.slack.posting import post_all
from bot.slack.render import Audience, render_message, render_messages
from bot.slack.text import plain_text

#: The shortcut's callback id, as the app manifest (deploy/slack/manifest.yaml) declares it.
CALLBACK_ID = "ask_about_message"


def message_text(message: dict[str, Any]) -> str:
    """Return a message's readable text: its text, else its attachments' (bots often use those)."""
    parts = [message.get("text") or ""]
    if not parts[0].strip():
        for attachment in message.get("attachments") or []:
            if isinstance(attachment, dict):
                parts += [str(attachment.get(k) or "") for k in ("pretext", "title", "text")]
    return plain_text("\n".join(p for p in parts if p))


def register(app: AsyncApp, deps: Deps, asker: Asker) -> None:
    """Register the message shortcut's listener."""

    async def ask_about(
        body: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient
    ) -> None:
        reply = asker.ask_about(message_text(body.get("message") or {}))
        if body.get("response_url"):
            # Ephemeral: only the person who used the shortcut sees it, in that conversation.
            await respond(
                response_type="ephemeral",
                replace_original=False,
                **render_message(reply, Audience.PRIVATE),
            )
        else:
            await post_all(client, body["user"]["id"], render_messages(reply, Audience.PUBLIC))

    app.shortcut(CALLBACK_ID)(ack=ack_now, lazy=[guarded(ask_about)])
