"""A subscription book kept in a dict: what the subscription handlers need, without a database."""

from __future__ import annotations

from handlers.context import DigestSchedule, Subscription


class MemoryBook:
    """Holds one subscription per (platform, channel), like the database book."""

    def __init__(self) -> None:
        self.subscriptions: dict[tuple[str, str], Subscription] = {}

    def subscribe(
        self,
        platform: str,
        channel: str,
        subscriber: str,
        schedule: DigestSchedule,
        workspace: str | None = None,
    ) -> Subscription:
        """Create or replace the channel's subscription."""
        sub = Subscription(platform, channel, subscriber, schedule, workspace=workspace)
        self.subscriptions[platform, channel] = sub
        return sub

    def unsubscribe(self, platform: str, channel: str) -> bool:
        """Remove the channel's subscription; return False if there was none."""
        return self.subscriptions.pop((platform, channel), None) is not None

    def get(self, platform: str, channel: str) -> Subscription | None:
        """Return the channel's subscription, or None."""
        return self.subscriptions.get((platform, channel))
