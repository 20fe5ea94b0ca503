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
    """Posts to conversations on one platform: everything the delivery engine asks of it."""

    platform: str

    async def post(self, channel: str, reply: Reply) -> str:
        """Post `reply` (split into several messages if the platform needs it); return the first message id."""
        ...

    async def notify(self, user_id: str, reply: Reply) -> None:
        """Tell one user `reply` privately (e.g. that their channel's digest is paused)."""
        ...

    async def sender_for(self, workspace: str | None) -> Sender:
        """Return the sender for `workspace` (itself when one sender serves every workspace).

        Raise ChannelUnavailable when the bot is not installed there.
        """
        ...

    async def aclose(self) -> None:
        """Release what the sender holds open (HTTP sessions)."""
        ...
