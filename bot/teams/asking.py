"""Ask the platform-neutral handlers a question on behalf of a Teams user, and count it."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from bot.answering import answer_in_time
from bot.deps import Deps, quote_memory
from bot.digest.wiring import build_subscription_book
from bot.metrics import record_answer
from handlers import AskContext, Reply
from handlers.context import QuoteMemory, SubscriptionBook

PLATFORM = "teams"
#: deps.extras key under which a SubscriptionBook may be lent explicitly (tests, other wiring).
SUBSCRIPTIONS_KEY = "subscriptions"


def subscription_book(deps: Deps) -> SubscriptionBook:
    """Return the digest subscription book: one lent in deps.extras, else the digest work's."""
    lent: Any = deps.extras.get(SUBSCRIPTIONS_KEY)
    if lent is None:
        lent = build_subscription_book(deps)
    book: SubscriptionBook = lent
    return book


@dataclass
class Question:
    """Who asks what, where."""

    text: str
    user_id: str
    conversation_id: str
    is_mention: bool = False
    user_tz: str | None = None


@dataclass
class TeamsAsker:
    """Answers questions for the Teams listeners: one per mounted Teams app."""

    deps: Deps
    quote_memory: QuoteMemory = field(init=False)

    def __post_init__(self) -> None:
        self.quote_memory = quote_memory(self.deps.settings)

    @property
    def subscriptions(self) -> SubscriptionBook:
        """Return the digest subscription book."""
        return subscription_book(self.deps)

    def context(self, question: Question) -> AskContext:
        """Return the AskContext for a question."""
        return AskContext(
            platform=PLATFORM,
            user_id=question.user_id,
            conversation_id=question.conversation_id,
            is_mention=question.is_mention,
            quote_memory=self.quote_memory,
            subscriptions=self.subscriptions,
            user_tz=question.user_tz,
        )

    async def ask(self, question: Question) -> Reply:
        """Answer a question; a command that needs the database waits for it off the event loop."""
        started = time.perf_counter()
        ctx = self.context(question)
        store = self.deps.knowledge.store
        kind: str | None = None
        try:
            reply = await answer_in_time(question.text, store, ctx)
            kind = reply.kind.value
        finally:
            record_answer(PLATFORM, kind, time.perf_counter() - started)
        return reply
