"""How the digest reaches a platform: a `Sender` per platform, and the errors it may raise."""

from __future__ import annotations

from typing import Protocol

from handlers.reply import Reply


class DeliveryError(Exception):
    """A digest could not be delivered."""


class ChannelUnavailable(DeliveryError):
    """The channel is gone or the bot is not in it (channel_not_found, not_in_channel, is_archived).

    The subscription is paused and the subscriber told; retrying will not help.
    """


class TransientDeliveryError(DeliveryError):
    """A temporary failure (5xx, timeout before sending, 429 past the retry budget): safe to retry."""


class AmbiguousDelivery(DeliveryError):
    """The request may have reached the platform (timeout after sending): never re-post blindly."""


class Sender(Protocol):
    """Posts a reply to a conversation on one platform."""

    platform: str

    async def post(self, channel: str, reply: Reply) -> str:
        """Post `reply` (split into several messages if the platform needs it); return the first message id."""
        ...


class WorkspaceSenders(Protocol):
    """A Sender that may also hand out a sender per workspace (e.g. per Slack install's token).

    The delivery engine asks `sender_for(subscription.workspace)` when a registered sender has it.
    """

    platform: str

    async def post(self, channel: str, reply: Reply) -> str: ...

    async def sender_for(self, workspace: str | None) -> Sender:
        """Return the sender for `workspace`; raise ChannelUnavailable if the bot is not installed."""
        ...
