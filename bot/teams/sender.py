"""Post digests proactively to a Teams conversation through its stored conversation reference."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import aiohttp
from microsoft_agents.activity import ConversationReference
from microsoft_agents.hosting.core import AuthenticationConstants, ClaimsIdentity, TurnContext
from microsoft_agents.hosting.core.channel_service_adapter import ChannelServiceAdapter

from bot.digest.sender import (
    AmbiguousDelivery,
    ChannelUnavailable,
    DeliveryError,
    TransientDeliveryError,
)
from bot.teams.activities import PLATFORM
from bot.teams.conversations import ConversationStore
from bot.teams.messages import reply_activities
from handlers.reply import Reply

log = logging.getLogger(__name__)

#: Bot Connector answers meaning the bot can no longer post there (removed, conversation gone).
GONE_STATUSES = frozenset({403, 404, 410})
#: Answers worth retrying later.
RETRY_STATUSES = frozenset({401, 408, 429, 500, 502, 503, 504})


@dataclass
class _Delivery:
    """What happened inside the proactive turn (the SDK's pipeline swallows exceptions)."""

    message_ids: list[str]
    posting: bool = False
    error: Exception | None = None


class TeamsSender:
    """The digest `Sender` for Teams: `post(conversation id, reply) -> first message id`."""

    platform = PLATFORM

    def __init__(
        self,
        adapter: ChannelServiceAdapter,
        conversations: ConversationStore,
        app_id: str | None,
        timeout: float = 30.0,
    ) -> None:
        self._adapter = adapter
        self._conversations = conversations
        self._app_id = app_id
        self._timeout = timeout

    async def post(self, channel: str, reply: Reply) -> str:
        """Post `reply` to the conversation `channel`; raise a DeliveryError subclass on failure."""
        reference = await asyncio.to_thread(self._conversations.get, channel)
        if reference is None:
            raise ChannelUnavailable(
                f"the bot is not in Teams conversation {channel} (never added, or removed)"
            )
        return await self._post(reference, reply, channel)

    async def notify(self, user_id: str, reply: Reply) -> None:
        """Tell a user `reply` in their 1:1 chat with the bot (skipped if there is none)."""
        reference = await asyncio.to_thread(self._conversations.personal_chat_of, user_id)
        if reference is None:
            log.info("teams: %s has no 1:1 chat with the bot; notice not sent", user_id)
            return
        await self._post(reference, reply, reference.conversation.id)

    async def in_conversation(
        self, channel: str, work: Callable[[TurnContext], Awaitable[None]]
    ) -> None:
        """Run `work` in a proactive turn of the conversation `channel` (its connector at hand).

        Raise ChannelUnavailable when the bot does not know the conversation. The SDK's pipeline
        swallows exceptions raised inside the turn: `work` keeps its own outcome.
        """
        reference = await asyncio.to_thread(self._conversations.get, channel)
        if reference is None:
            raise ChannelUnavailable(
                f"the bot is not in Teams conversation {channel} (never added, or removed)"
            )
        async with asyncio.timeout(self._timeout):
            await self._continue(reference, work)

    async def sender_for(self, _workspace: str | None) -> TeamsSender:
        """Return this sender: conversation references say where each channel lives."""
        return self

    async def aclose(self) -> None:
        """Nothing to close: the adapter belongs to the mounted Teams bot."""

    async def _post(self, reference: ConversationReference, reply: Reply, channel: str) -> str:
        delivery = _Delivery(message_ids=[])
        activities = reply_activities(reply)

        async def deliver(context: TurnContext) -> None:
            for activity in activities:
                delivery.posting = True
                try:
                    response = await context.send_activity(activity)
                except Exception as exc:  # kept for classification below
                    delivery.error = exc
                    return
                delivery.posting = False
                delivery.message_ids.append(response.id or "")

        try:
            async with asyncio.timeout(self._timeout):
                await self._continue(reference, deliver)
        except TimeoutError as exc:
            if delivery.posting or delivery.message_ids:
                raise AmbiguousDelivery(f"timed out posting to {channel}") from exc
            raise TransientDeliveryError(f"timed out before posting to {channel}") from exc
        except (aiohttp.ClientError, ValueError, OSError) as exc:  # token or connector set-up
            raise TransientDeliveryError(f"could not reach Teams for {channel}: {exc}") from exc
        if delivery.error is not None:
            raise _classify(delivery.error, channel, partly_sent=bool(delivery.message_ids))
        log.info("teams: posted %d message(s) to %s", len(delivery.message_ids), channel)
        return delivery.message_ids[0] if delivery.message_ids else ""

    async def _continue(
        self, reference: ConversationReference, deliver: Callable[[TurnContext], Awaitable[None]]
    ) -> None:
        continuation = reference.get_continuation_activity()
        continuation.id = None  # no activity to reply to: each message is a new post
        if self._app_id:
            await self._adapter.continue_conversation(self._app_id, continuation, deliver)
        else:  # anonymous local mode: no token on outgoing calls
            await self._adapter.continue_conversation_with_claims(
                ClaimsIdentity(),
                continuation,
                deliver,
                audience=AuthenticationConstants.AGENTS_SDK_SCOPE,
            )


def _classify(error: Exception, channel: str, *, partly_sent: bool) -> DeliveryError:
    """Map a connector failure to the digest engine's delivery errors."""
    if partly_sent:
        return AmbiguousDelivery(f"part of the digest reached {channel}, then: {error!r}")
    if isinstance(error, aiohttp.ClientResponseError):
        if error.status in GONE_STATUSES:
            return ChannelUnavailable(f"Teams refused {channel} ({error.status})")
        if error.status in RETRY_STATUSES:
            return TransientDeliveryError(f"Teams answered {error.status} for {channel}")
        return DeliveryError(f"Teams answered {error.status} for {channel}: {error.message}")
    if isinstance(error, aiohttp.ClientConnectorError):
        return TransientDeliveryError(f"could not connect to Teams for {channel}")
    # The request may have been sent (disconnect, timeout while waiting for the answer).
    return AmbiguousDelivery(f"no answer from Teams for {channel}: {error!r}")
