"""A message in the bot's Messages tab (message.im): answered in the DM. Other messages are ignored."""

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


async def is_user_dm(event: dict[str, Any]) -> bool:
    """Match a person's new message in a DM with the bot (no bots, edits or other subtypes)."""
    return (
        event.get("channel_type") == "im"
        and not event.get("subtype")
        and not event.get("bot_id")
        and bool(event.get("user"))
    )


def register(app: AsyncApp, deps: Deps, asker: Asker) -> None:
    """Register the DM listener, then a catch-all so other message events are acked quietly."""

    async def answer_dm(
        event: dict[str, Any],
        client: AsyncWebClient,
        body: dict[str, Any],
        context: AsyncBoltContext,
    ) -> None:
        text = plain_text(without_leading_mention(event.get("text") or ""))
        reply = await asker.ask(
            Question(
                text,
                user_id=event["user"],
                conversation_id=event["channel"],
                workspace=workspace_of(context),
            )
        )
        if reply.kind is ReplyKind.EXPORT:
            problem = await upload_export(client, event["channel"], reply)
            if problem is None:
                return
            reply = reply.model_copy(update={"text": problem, "table": None})
        await post_all(client, event["channel"], render_messages(reply, Audience.PUBLIC))

    app.event("message", matchers=[is_user_dm])(ack=ack_now, lazy=[guarded(answer_dm)])
    app.event("message")(ack_now)
