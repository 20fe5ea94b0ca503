"""Post rendered messages with chat.postMessage, in order, without link previews."""

from __future__ import annotations

from typing import Any

from slack_sdk.web.async_client import AsyncWebClient


async def post_all(
    client: AsyncWebClient,
    channel: str,
    messages: list[dict[str, Any]],
    thread_ts: str | None = None,
) -> None:
    """Post each message to `channel` (in the thread `thread_ts` if given)."""
    for message in messages:
        await client.chat_postMessage(
            channel=channel, thread_ts=thread_ts, unfurl_links=False, unfurl_media=False, **message
        )
