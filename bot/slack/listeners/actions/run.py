"""`chinabio_run` buttons (another quote, open a deal from a list, next page): run their command."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.asking import Asker, Question
from bot.deps import Deps
from bot.slack.errors import guarded
from bot.slack.export import upload_export
from bot.slack.listeners.acks import ack_now
from bot.slack.posting import post_all
from bot.slack.render import RUN_ACTION_ID, Audience, render_message, render_messages
from bot.slack.text import plain_text
from bot.slack.workspace import workspace_of
from handlers.reply import ReplyKind


def register(app: AsyncApp, deps: Deps, asker: Asker) -> None:
    """Register the run-button listener (any action_id starting with chinabio_run)."""

    async def run_command(
        body: dict[str, Any],
        action: dict[str, Any],
        respond: AsyncRespond,
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        command = plain_text(action.get("value") or "")
        user = body["user"]["id"]
        channel = (body.get("channel") or {}).get("id") or user
        reply = await asker.ask(
            Question(
                command, user_id=user, conversation_id=channel, workspace=workspace_of(context)
            )
        )
        if reply.kind is ReplyKind.EXPORT:
            # Export: the files go to the conversation the button was pressed in (or the DM).
            target = channel if body.get("response_url") else user
            problem = await upload_export(client, target, reply, asked_by=user)
            if problem and body.get("response_url"):
                await respond(response_type="ephemeral", replace_original=False, text=problem)
            elif problem:
                await post_all(client, user, [{"text": problem}])
        elif body.get("response_url") and not channel.startswith("D"):
            # In a channel: the new answer is private to whoever clicked, like the command's.
            await respond(
                response_type="ephemeral",
                replace_original=False,
                **render_message(reply, Audience.PRIVATE),
            )
        else:
            # From the Home tab (no response_url) or in a DM: answer in the DM.
            target = channel if channel.startswith("D") else user
            await post_all(client, target, render_messages(reply, Audience.PUBLIC))

    app.action(re.compile(f"^{RUN_ACTION_ID}"))(ack=ack_now, lazy=[guarded(run_command)])
