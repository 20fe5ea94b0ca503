"""`chinabio_share`: post the private answer for everyone, attributed, and remove the private copy."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.asking import Asker, Question
from bot.deps import Deps
from bot.slack.errors import guarded
from bot.slack.listeners.acks import ack_now
from bot.slack.posting import post_all
from bot.slack.render import SHARE_ACTION_ID, Audience, render_messages
from bot.slack.text import plain_text
from bot.slack.workspace import workspace_of

#: chat.postMessage errors after which the answer is posted through response_url instead.
NOT_A_MEMBER = {"not_in_channel", "channel_not_found"}


def register(app: AsyncApp, deps: Deps, asker: Asker) -> None:
    """Register the share-button listener."""

    async def share_answer(
        body: dict[str, Any],
        action: dict[str, Any],
        respond: AsyncRespond,
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        command, user = plain_text(action.get("value") or ""), body["user"]["id"]
        channel = body["channel"]["id"]
        reply = await asker.ask(
            Question(
                command, user_id=user, conversation_id=channel, workspace=workspace_of(context)
            )
        )
        messages = render_messages(reply, Audience.SHARED, shared_by=user)
        try:
            if not await post_all(client, channel, messages):
                return  # it may be in the channel: keep the private copy, post nothing more
        except SlackApiError as error:
            if error.response.get("error") not in NOT_A_MEMBER:
                raise
            # The bot is not in this channel; the command's response_url may still post here.
            for message in messages:
                await respond(response_type="in_channel", replace_original=False, **message)
        await respond(delete_original=True)

    app.action(re.compile(f"^{SHARE_ACTION_ID}"))(ack=ack_now, lazy=[guarded(share_answer)])
