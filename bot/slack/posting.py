"""Post rendered messages with chat.postMessage, in order, without link previews, never twice."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.client import may_have_arrived

log = logging.getLogger(__name__)


async def post_all(
    client: AsyncWebClient,
    channel: str,
    messages: list[dict[str, Any]],
    thread_ts: str | None = None,
) -> bool:
    """Post each message to `channel` (in the thread `thread_ts` if given); return True if all were.

    A call lost after it was sent (connection dropped, no answer in time) may have been posted:
    it is logged and not repeated, the rest are not sent, and False is returned. Other failures
    raise.
    """
    for index, message in enumerate(messages):
        try:
            await client.chat_postMessage(
                channel=channel,
                thread_ts=thread_ts,
                unfurl_links=False,
                unfurl_media=False,
                **message,
            )
        except Exception as error:
            if not may_have_arrived(error):
                raise
            log.warning(
                "slack answer may or may not have been posted; not posting it again: "
                "channel=%s thread_ts=%s part=%d/%d reason=%s",
                channel,
                thread_ts,
                index + 1,
                len(messages),
                type(error).__name__,
            )
            return False
    return True
