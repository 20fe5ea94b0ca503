"""`/chinabio …`: answered in the acknowledgement itself, visible only to the asker."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.asking import Asker, Question
from bot.deps import Deps
from bot.slack.errors import guarded
from bot.slack.export import upload_export
from bot.slack.render import Audience, render_message
from bot.slack.text import plain_text
from bot.slack.workspace import workspace_of
from handlers.calendar import is_calendar_file
from handlers.commands.comps import is_export
from handlers.reply import ReplyKind

COMMAND = "/chinabio"


def register(app: AsyncApp, deps: Deps, asker: Asker) -> None:
    """Register the /chinabio listener."""

    def question(command: dict[str, Any], context: AsyncBoltContext) -> Question:
        return Question(
            plain_text(command.get("text") or ""),
            user_id=command["user_id"],
            conversation_id=command["channel_id"],
            workspace=workspace_of(context),
        )

    async def answer_command(
        ack: AsyncAck, command: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        reply = await asker.ask(question(command, context))
        await ack(response_type="ephemeral", **render_message(reply, Audience.PRIVATE))

    async def upload_files(
        command: dict[str, Any],
        context: AsyncBoltContext,
        client: AsyncWebClient,
        respond: AsyncRespond,
    ) -> None:
        """After the ack: `export` and `calendar file` upload their files (others: nothing)."""
        asked = question(command, context)
        if not (is_export(asked.text) or is_calendar_file(asked.text)):
            return
        reply = await asker.ask(asked)
        if reply.kind is not ReplyKind.EXPORT:
            return  # a bad filter: the ack already said so
        problem = await upload_export(client, command["channel_id"], reply, asked_by=asked.user_id)
        if problem:
            await respond(response_type="ephemeral", replace_original=False, text=problem)

    app.command(COMMAND)(ack=answer_command, lazy=[guarded(upload_files)])
