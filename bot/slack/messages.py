"""Shape a rendered Reply for where it goes: private to the asker, public in a channel, or shared."""

from __future__ import annotations

import copy
from typing import Any

from bot.slack.render import escape, render_message
from handlers.reply import Reply

try:
    from bot.slack.render import render_messages
except ImportError:  # until the renderer splits long replies itself: one message

    def render_messages(reply: Reply) -> list[dict[str, Any]]:
        """Return the reply as a single message."""
        return [render_message(reply)]


SHARE_ACTION = "chinabio_share"
RUN_ACTION = "chinabio_run"
OPEN_ASK_ACTION = "chinabio_ask_open"
SHARE_LABEL = "Share to channel"
MAX_VALUE = 2000  # Slack's limit for a button value
MAX_BLOCKS = 50  # Slack's limit for blocks in a message


def _is_share(element: dict[str, Any]) -> bool:
    return str(element.get("action_id", "")).startswith(SHARE_ACTION)


def _share_button(command: str) -> dict[str, Any]:
    return {
        "type": "button",
        "action_id": SHARE_ACTION,
        "text": {"type": "plain_text", "text": SHARE_LABEL},
        "value": escape(command)[:MAX_VALUE],
    }


def private_message(reply: Reply, command: str) -> dict[str, Any]:
    """Render `reply` for the asker alone; its Share button re-posts the answer to `command`."""
    message = render_message(reply)
    if not reply.shareable:
        return without_share(message)
    found = False
    for block in message.get("blocks", []):
        for element in _buttons(block):
            if _is_share(element):
                element["value"] = escape(command)[:MAX_VALUE]
                found = True
    if not found:
        message.setdefault("blocks", []).append(
            {"type": "actions", "elements": [_share_button(command)]}
        )
    return message


def public_messages(reply: Reply) -> list[dict[str, Any]]:
    """Render `reply` for everyone in a conversation, split as Slack needs (no Share: it is public)."""
    return [without_share(message) for message in render_messages(reply)]


def shared_messages(reply: Reply, user_id: str) -> list[dict[str, Any]]:
    """Render `reply` as the Share button posts it to the channel, naming who shared it."""
    messages = public_messages(reply)
    attribution = {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": f"Shared by <@{user_id}>"}],
    }
    last = messages[-1].setdefault("blocks", [])
    if len(last) >= MAX_BLOCKS:
        messages.append({"text": f"Shared by <@{user_id}>", "blocks": []})
        last = messages[-1]["blocks"]
    last.append(attribution)
    return messages


def without_share(message: dict[str, Any]) -> dict[str, Any]:
    """Return a copy of `message` with every Share button (and any block left empty) removed."""
    message = copy.deepcopy(message)
    blocks: list[dict[str, Any]] = []
    for block in message.get("blocks", []):
        if block.get("type") == "actions":
            block["elements"] = [e for e in block.get("elements", []) if not _is_share(e)]
            if not block["elements"]:
                continue
        accessory = block.get("accessory")
        if isinstance(accessory, dict) and _is_share(accessory):
            del block["accessory"]
        blocks.append(block)
    if "blocks" in message:
        message["blocks"] = blocks
    return message


def _buttons(block: dict[str, Any]) -> list[dict[str, Any]]:
    elements = list(block.get("elements", [])) if block.get("type") == "actions" else []
    accessory = block.get("accessory")
    if isinstance(accessory, dict):
        elements.append(accessory)
    return [e for e in elements if isinstance(e, dict) and e.get("type") == "button"]
