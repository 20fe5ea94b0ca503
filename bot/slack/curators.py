"""Who may curate on Slack: a user CURATORS lists, or a member of the curators' channel."""

from __future__ import annotations

import logging
import time

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.curation.desk import CurationDesk

log = logging.getLogger(__name__)
#: Seconds the curators' channel's member list is kept before it is asked again.
MEMBERS_TTL = 300.0
#: Pages of conversations.members read at most (1,000 members a page).
MAX_PAGES = 5


class SlackCurators:
    """Answers "may this user curate?", caching the curators' channel's members."""

    def __init__(self, desk: CurationDesk, ttl: float = MEMBERS_TTL) -> None:
        self._desk = desk
        self._ttl = ttl
        self._members: dict[str, tuple[float, frozenset[str]]] = {}

    async def is_curator(self, client: AsyncWebClient, user_id: str) -> bool:
        """Return True for a listed curator or a member of CURATORS_CHANNEL."""
        if self._desk.is_listed_curator(user_id):
            return True
        channel = self._desk.curators_channel
        if not channel:
            return False
        return user_id in await self._channel_members(client, channel)

    async def _channel_members(self, client: AsyncWebClient, channel: str) -> frozenset[str]:
        cached = self._members.get(channel)
        if cached is not None and time.monotonic() - cached[0] < self._ttl:
            return cached[1]
        members: set[str] = set()
        cursor: str | None = None
        try:
            for _ in range(MAX_PAGES):
                page = await client.conversations_members(
                    channel=channel, cursor=cursor, limit=1000
                )
                members.update(str(m) for m in page.get("members") or [])
                cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
                if not cursor:
                    break
        except SlackApiError as error:
            log.warning(
                "cannot read the curators' channel members: %s", error.response.get("error")
            )
            return frozenset()
        found = frozenset(members)
        self._members[channel] = (time.monotonic(), found)
        return found
