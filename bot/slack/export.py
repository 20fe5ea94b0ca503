"""Deliver an export reply in Slack: its files (CSV and Excel, an .ics) uploaded to the chat.

Uses the current upload flow (files.getUploadURLExternal, a POST of the bytes to the URL it
gives, files.completeUploadExternal), as slack_sdk's `files_upload_v2` does it.
"""

from __future__ import annotations

import asyncio
import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.export_files import export_files
from bot.slack.render import escape
from handlers.reply import Reply

log = logging.getLogger(__name__)

#: Slack's errors that mean the bot may not upload here, and what the user can do about it.
_CANNOT_UPLOAD = {
    "not_in_channel": "I'm not in this channel: invite me (/invite @chinabio) and ask again.",
    "channel_not_found": "I can't post files in this conversation: ask me in a channel I'm in, "
    "or in my Messages tab.",
    "missing_scope": "This workspace's install of the app lacks the files:write permission: "
    "ask an admin to reinstall it.",
    "not_allowed_token_type": "I can't upload files with this install: ask an admin to reinstall it.",
}
FAILED = "The files could not be uploaded; please try again in a moment."


async def upload_export(
    client: AsyncWebClient,
    channel: str,
    reply: Reply,
    *,
    thread_ts: str | None = None,
    asked_by: str | None = None,
) -> str | None:
    """Upload the reply's files to `channel`; return None, or what to tell the asker if Slack refused."""
    files = await asyncio.to_thread(export_files, reply)  # an .xlsx takes a moment to build
    comment = escape(f"{reply.title}. {reply.text or ''}".strip())
    if asked_by:
        comment += f" Asked by <@{asked_by}>."
    try:
        await client.files_upload_v2(
            file_uploads=[{"content": f.data, "filename": f.name, "title": f.name} for f in files],
            channel=channel,
            thread_ts=thread_ts,
            initial_comment=comment,
        )
    except SlackApiError as error:
        code = str(error.response.get("error", "")) if error.response is not None else ""
        log.warning("slack export upload refused: channel=%s error=%s", channel, code or "-")
        return _CANNOT_UPLOAD.get(code, FAILED)
    return None
