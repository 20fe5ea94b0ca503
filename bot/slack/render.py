"""Render a Reply as a Slack message: Block Kit blocks plus a plain `text` fallback."""

from __future__ import annotations

from typing import Any

from handlers.reply import Reply


def escape(text: str) -> str:
    """Escape &, < and > so user text never becomes a mention or link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_message(reply: Reply) -> dict[str, Any]:
    """Return `{"text": ..., "blocks": [...]}` for chat.postMessage or a command ack."""
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": reply.title[:150]}}
    ]
    if reply.text:
        blocks.append(
            {"type": "section", "text": {"type": "mrkdwn", "text": escape(reply.text)[:3000]}}
        )
    return {"text": escape(reply.title), "blocks": blocks}
