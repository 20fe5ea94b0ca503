"""The Remind me dialog: a date picker and a note; submitting sets a team reminder on the deal."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.asking import Asker, Question
from bot.deps import Deps
from bot.slack.errors import guarded
from bot.slack.posting import post_all
from bot.slack.render import Audience, render_messages
from bot.slack.text import plain_text

CALLBACK_ID = "chinabio_remind"
DATE_BLOCK, DATE_INPUT = "due", "date"
NOTE_BLOCK, NOTE_INPUT = "note", "text"


def remind_view(command: str, channel: str, today: dt.date) -> dict[str, Any]:
    """Return the Remind me dialog for views.open; `command` is e.g. 'remind deal bayer-puhe'."""
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "private_metadata": json.dumps({"command": command, "channel": channel}),
        "title": {"type": "plain_text", "text": "Remind the team"},
        "submit": {"type": "plain_text", "text": "Set reminder"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            {
                "type": "input",
                "block_id": DATE_BLOCK,
                "label": {"type": "plain_text", "text": "On which day?"},
                "element": {
                    "type": "datepicker",
                    "action_id": DATE_INPUT,
                    "initial_date": (today + dt.timedelta(days=7)).isoformat(),
                },
            },
            {
                "type": "input",
                "block_id": NOTE_BLOCK,
                "label": {"type": "plain_text", "text": "What to check"},
                "element": {
                    "type": "plain_text_input",
                    "action_id": NOTE_INPUT,
                    "max_length": 300,
                    "placeholder": {"type": "plain_text", "text": "check the IIT readout"},
                },
            },
        ],
    }


def _submitted(view: dict[str, Any]) -> tuple[str, str, str, str]:
    """Return (command, channel, day, note) from a submitted dialog."""
    values = view.get("state", {}).get("values", {})
    day = values.get(DATE_BLOCK, {}).get(DATE_INPUT, {}).get("selected_date") or ""
    note = values.get(NOTE_BLOCK, {}).get(NOTE_INPUT, {}).get("value") or ""
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        meta = {}
    meta = meta if isinstance(meta, dict) else {}
    return str(meta.get("command") or ""), str(meta.get("channel") or ""), str(day), str(note)


def _problem(command: str, day: str) -> dict[str, str] | None:
    """Return the dialog's errors by block, or None when it can be submitted."""
    try:
        dt.date.fromisoformat(day)
    except ValueError:
        return {DATE_BLOCK: "Pick a day."}
    if not command.startswith("remind deal "):
        return {NOTE_BLOCK: "Open this dialog from a deal's Remind me button."}
    return None


def register(app: AsyncApp, deps: Deps, asker: Asker) -> None:
    """Register the Remind me dialog's submission listener."""

    async def check_dialog(ack: AsyncAck, view: dict[str, Any]) -> None:
        command, _, day, _ = _submitted(view)
        errors = _problem(command, day)
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        await ack()

    async def set_reminder(
        body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient
    ) -> None:
        command, channel, day, note = _submitted(view)
        user = body["user"]["id"]
        if _problem(command, day):  # refused in the ack: the dialog stays open
            return
        text = plain_text(f"{command} {day} {note.strip()}".strip())
        reply = await asker.ask(Question(text, user_id=user, conversation_id=channel or user))
        await post_all(client, user, render_messages(reply, Audience.PUBLIC))

    app.view(CALLBACK_ID)(ack=check_dialog, lazy=[guarded(set_reminder)])
