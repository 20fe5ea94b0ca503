"""What a handler may know about who is asking, without knowing the platform."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Protocol


class QuoteMemory(Protocol):
    """Remembers which quotes a conversation has seen, so repeats are avoided."""

    def recent(self, conversation: str) -> list[str]: ...

    def remember(self, conversation: str, quote_id: str) -> None: ...


class SubscriptionBook(Protocol):
    """The bot's store of digest subscriptions, lent to the subscription handlers.

    Defined by the digest work (bot/digest implements it); handlers only call it.
    """


class InMemoryQuoteMemory:
    """Quote history kept in a dict; enough for the console and tests."""

    def __init__(self, keep: int = 50) -> None:
        self._seen: dict[str, list[str]] = {}
        self._keep = keep

    def recent(self, conversation: str) -> list[str]:
        return list(self._seen.get(conversation, []))

    def remember(self, conversation: str, quote_id: str) -> None:
        seen = self._seen.setdefault(conversation, [])
        seen.append(quote_id)
        del seen[: -self._keep]


@dataclass
class AskContext:
    """Who asks, where, on which platform; plus services the bot layer lends the handlers."""

    platform: str = "console"  # "slack" | "teams" | "console" | "cli"
    user_id: str = "local"
    conversation_id: str = "console"
    is_mention: bool = False
    quote_memory: QuoteMemory = field(default_factory=InMemoryQuoteMemory)
    subscriptions: SubscriptionBook | None = None
    user_tz: str | None = None  # the asker's IANA zone when the platform tells us
    rng: random.Random = field(default_factory=random.Random)  # seed it to make picks repeatable
