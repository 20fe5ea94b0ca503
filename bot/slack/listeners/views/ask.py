"""The Ask dialog: a question typed there is answered in the user's Messages tab."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.asking import Asker, Question
from bot.deps import Deps
from bot.slack.errors import guarded
from bot.slack.posting import post_all
from bot.slack.render import Audience, render_messages

CALLBACK_ID = "chinabio_ask"
BLOCK_ID, INPUT_ID = "question", "text"


def ask_view() -> dict[str, Any]:
    """Return the Ask dialog for views.open."""
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "title": {"type": "plain_text", "text": "Ask ChinaBio"},
        "submit": {"type": "plain_text", "text": "Ask"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            {
                "type": "input",
                "block_id": BLOCK_ID,
                "label": {"type": "plain_text", "text": "Your question or command"},
                "element": {
                    "type": "plain_text_input",
                    "action_id": INPUT_ID,
                    "max_length": 500,
                    "placeholder": {"type": "plain_text", "text": "deal Puhe"},
                },
            }
        ],
    }


def question_of(view: dict[str, Any]) -> str:
    """Return the text typed in a submitted Ask dialog."""
    values = view.get("state", {}).get("values", {})
    return str(values.get(BLOCK_ID, {}).get(INPUT_ID, {}).get("value") or "")


def register(app: AsyncApp, deps: Deps, asker: Asker) -> None:
    """Register the Ask dialog's submission listener."""

    async def close_dialog(ack: AsyncAck, view: dict[str, Any]) -> None:
        if not question_of(view).strip():
            await ack(response_action="errors", errors={BLOCK_ID: "Type a question first."})
            return
        await ack()

    async def answer_dialog(
        body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient
    ) -> None:
        text, user = question_of(view).strip(), body["user"]["id"]
        if not text:
            return
        reply = await asker.ask(Question(text, user_id=user, conversation_id=user))
        await post_all(client, user, render_messages(reply, Audience.PUBLIC))

    app.view(CALLBACK_ID)(ack=close_dialog, lazy=[guarded(answer_dialog)])
