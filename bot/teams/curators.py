"""Who may curate on Teams: a user CURATORS lists, or a member of the curators' conversation.

The members come from the Bot Connector (GET {serviceUrl}/v3/conversations/{id}/pagedmembers),
read in a proactive turn of CURATORS_CHANNEL and kept for five minutes, as on Slack. A connector
that fails or does not answer in time makes nobody a curator through the channel (one log line).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Protocol

from microsoft_agents.hosting.core import TurnContext
from microsoft_agents.hosting.core.connector import ConnectorClientBase

from bot.curation.desk import CurationDesk
from bot.digest.sender import DeliveryError
from handlers.context import StoreUnavailable
from handlers.curation_replies import summary_reply
from handlers.reply import Reply, ReplyKind

log = logging.getLogger(__name__)
#: Seconds the curators' conversation's member list is kept before it is asked again.
MEMBERS_TTL = 300.0
#: Seconds reading the member list may take, all pages together.
MEMBERS_WAIT = 3.0
#: Pages of members read at most (the connector's largest page is 500 members).
MAX_PAGES = 10
PAGE_SIZE = 500
#: What a Teams user types to see the curators' summary (Slack shows it in the Home tab).
SUMMARY_WORDS = frozenset({"curation", "curation summary"})


class Conversations(Protocol):
    """Runs work in a proactive turn of a known conversation (TeamsSender does)."""

    async def in_conversation(
        self, channel: str, work: Callable[[TurnContext], Awaitable[None]]
    ) -> None:
        """Run `work` inside a turn of `channel`."""


class TeamsCurators:
    """Answers "may this user curate?", caching the curators' conversation's members."""

    def __init__(
        self,
        desk: CurationDesk,
        conversations: Conversations | None,
        ttl: float = MEMBERS_TTL,
        wait: float | None = None,
    ) -> None:
        self._desk = desk
        self._conversations = conversations
        self._ttl = ttl
        self._wait = wait  # None: MEMBERS_WAIT
        self._members: dict[str, tuple[float, frozenset[str]]] = {}

    async def is_curator(self, user_ids: Iterable[str]) -> bool:
        """Return True when CURATORS lists one of the user's ids or they are in CURATORS_CHANNEL."""
        ids = {i for i in user_ids if i}
        if any(self._desk.is_listed_curator(i) for i in ids):
            return True
        channel = self._desk.curators_channel
        if not channel or self._conversations is None:
            return False
        return not ids.isdisjoint(await self._channel_members(channel))

    async def summary(self, user_ids: Iterable[str], shown_id: str, private: bool) -> Reply:
        """Return the week's curation summary for a curator; everyone else is told how to be one.

        `private`: the conversation is a 1:1 chat or the curators' own, where nobody else reads it.
        """
        if not await self.is_curator(user_ids):
            return not_a_curator(shown_id, self._desk.curators_channel)
        if not private:
            return _curation_note(
                "Ask for the curation summary in your 1:1 chat with the bot or in the curators' "
                "conversation: everyone here would read other people's reports."
            )
        try:
            found = await self._desk.summary()
        except StoreUnavailable as exc:
            log.warning("teams: curation summary not read: %s", exc)
            return _curation_note("The curation summary cannot be read right now; try again soon.")
        if found is None:
            return _curation_note("No database is configured, so no signals are stored.")
        return summary_reply(found, self._desk.store)

    async def _channel_members(self, channel: str) -> frozenset[str]:
        cached = self._members.get(channel)
        if cached is not None and time.monotonic() - cached[0] < self._ttl:
            return cached[1]
        found: set[str] = set()
        failure: list[Exception] = []

        async def read(context: TurnContext) -> None:
            try:
                await _read_members(context, channel, found)
            except Exception as exc:  # the SDK's pipeline would swallow it: kept for the log
                failure.append(exc)

        assert self._conversations is not None
        try:
            async with asyncio.timeout(self._wait or MEMBERS_WAIT):
                await self._conversations.in_conversation(channel, read)
        except (TimeoutError, DeliveryError, OSError, ValueError) as exc:
            failure.append(exc)
        if failure:
            log.warning(
                "teams: cannot read the curators' conversation members: %s",
                type(failure[0]).__name__ + (f": {failure[0]}" if str(failure[0]) else ""),
            )
            return frozenset()
        members = frozenset(found)
        self._members[channel] = (time.monotonic(), members)
        return members


async def _read_members(context: TurnContext, channel: str, found: set[str]) -> None:
    """Add every member's ids (Entra object id and Teams id) of `channel` to `found`."""
    connector = context.services.get(ConnectorClientBase)  # type: ignore[type-abstract]
    if connector is None:
        raise RuntimeError("no connector client in the turn")
    token: str | None = None
    for _ in range(MAX_PAGES):
        page = await connector.conversations.get_conversation_paged_members(
            channel, page_size=PAGE_SIZE, continuation_token=token
        )
        for member in page.members or []:
            found.update(i for i in (member.aad_object_id, member.id) if i)
        token = page.continuation_token or None
        if not token:
            return


def not_a_curator(user_id: str, channel: str | None) -> Reply:
    """Return what a Teams user who may not curate is told: how to become a curator."""
    ways = f"add your Microsoft Entra object id ({user_id}) to CURATORS"
    if channel:
        ways += ", or add you to the curators' conversation (CURATORS_CHANNEL)"
    return _curation_note(
        "The curation summary shows what other people reported, so only curators see it. "
        f"To become a curator, ask whoever runs the bot to {ways}.",
        title="Only curators see this",
    )


def _curation_note(text: str, title: str = "Curation") -> Reply:
    return Reply(kind=ReplyKind.CURATION, title=title, text=text, shareable=False)
