"""`/chinabio …`: answered in the acknowledgement itself, visible only to the asker."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext

from bot.asking import Asker, Question
from bot.deps import Deps
from bot.slack.render import Audience, render_message
from bot.slack.text import plain_text
from bot.slack.workspace import workspace_of

COMMAND = "/chinabio"


def register(app: AsyncApp, deps: Deps, asker: Asker) -> None:
    """Register the /chinabio listener."""

    @app.command(COMMAND)
    async def answer_command(
        ack: AsyncAck, command: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        text = plain_text(command.get("text") or "")
        reply = await asker.ask(
            Question(
                text,
                user_id=command["user_id"],
                conversation_id=command["channel_id"],
                workspace=workspace_of(context),
            )
        )
        await ack(response_type="ephemeral", **render_message(reply, Audience.PRIVATE))
