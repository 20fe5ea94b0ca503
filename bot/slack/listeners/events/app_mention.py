"""`@chinabio …` in a channel: answered in a thread under the question."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.asking import Asker, Question
from bot.deps import Deps
from bot.slack.errors import guarded
from bot.slack.export import upload_export
from bot.slack.listeners.acks import ack_now
from bot.slack.posting import post_all
from bot.slack.render import Audience, render_messages
from bot.slack.text import plain_text, without_leading_mention
from bot.slack.workspace import workspace_of
from handlers.reply import ReplyKind


def register(app: AsyncApp, deps: Deps, asker: Asker) -> None:
    """Register the app_mention listener."""

    async def answer_mention(
        event: dict[str, Any],
        client: AsyncWebClient,
        body: dict[str, Any],
        context: AsyncBoltContext,
    ) -> None:
        if event.get("bot_id") or event.get("subtype") or event.get("channel_type") == "im":
            return  # bots and edits are ignored; a mention in a DM is answered as a DM
        text = plain_text(without_leading_mention(event.get("text") or ""))
        reply = await asker.ask(
            Question(
                text,
                user_id=event.get("user", ""),
                conversation_id=event["channel"],
                is_mention=True,
                workspace=workspace_of(context),
            )
        )
        thread_ts = event.get("thread_ts") or event["ts"]
        if reply.kind is ReplyKind.EXPORT:
            problem = await upload_export(client, event["channel"], reply, thread_ts=thread_ts)
            if problem is None:
                return
            reply = reply.model_copy(update={"text": problem, "table": None})
        await post_all(
            client, event["channel"], render_messages(reply, Audience.PUBLIC), thread_ts=thread_ts
        )

    app.event("app_mention")(ack=ack_now, lazy=[guarded(answer_mention)])
