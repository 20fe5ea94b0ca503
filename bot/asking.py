"""Ask the platform-neutral handlers a question on behalf of a platform's user, and count it."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field

from bot.answering import answer_in_time
from bot.curation.misses import MissLog, answer_signal
from bot.deps import Deps
from bot.metrics import record_answer
from bot.settings import Settings
from handlers import AskContext, Reply
from handlers.about import about_message
from handlers.context import InMemoryQuoteMemory, QuoteMemory
from handlers.curation import Signal, is_miss


def quote_memory(settings: Settings) -> InMemoryQuoteMemory:
    """Return a quote memory bounded as the settings say (QUOTE_MEMORY_*)."""
    return InMemoryQuoteMemory(
        max_conversations=settings.quote_memory_conversations,
        ttl_seconds=settings.quote_memory_ttl_hours * 3600,
    )


@dataclass
class Question:
    """Who asks what, where."""

    text: str
    user_id: str
    conversation_id: str
    is_mention: bool = False
    user_tz: str | None = None
    workspace: str | None = (
        None  # the install it came through (a Slack team), as subscriptions record it
    )


@dataclass
class Asker:
    """Answers questions for one platform's listeners, with one quote memory across turns.

    The quote memory is bounded as the deps' settings say (QUOTE_MEMORY_*).
    """

    platform: str
    deps: Deps
    quote_memory: QuoteMemory = field(init=False)
    misses: MissLog | None = field(init=False, default=None)
    #: One generator for every question: seeding a new one from os.urandom costs each answer ~10 µs.
    rng: random.Random = field(init=False, default_factory=random.Random)

    def __post_init__(self) -> None:
        self.quote_memory = quote_memory(self.deps.settings)
        if self.deps.curation is not None:
            self.misses = MissLog(self.deps.curation)

    def context(self, question: Question) -> AskContext:
        """Return the AskContext for a question (the digest book is read at each question)."""
        return AskContext(
            platform=self.platform,
            user_id=question.user_id,
            conversation_id=question.conversation_id,
            is_mention=question.is_mention,
            quote_memory=self.quote_memory,
            subscriptions=self.deps.subscriptions,
            reminders=self.deps.reminders,
            workspace=question.workspace,
            user_tz=question.user_tz,
            calendar_feeds=self.deps.calendar_feeds,
            rng=self.rng,
            follows=self.deps.follows,
        )

    async def ask(self, question: Question) -> Reply:
        """Answer a question; a command that needs the database waits for it off the event loop."""
        started = time.perf_counter()
        ctx = self.context(question)
        kind: str | None = None
        try:
            reply = await answer_in_time(question.text, self.deps.knowledge.store, ctx)
            kind = reply.kind.value
        finally:
            record_answer(self.platform, kind, time.perf_counter() - started)
        if self.misses is not None and is_miss(reply) and question.text.strip():
            self.misses.note(self.signal(question, reply))
        return reply

    def ask_about(self, message_text: str) -> Reply:
        """Answer "ask about this message": what the knowledge has on what the text names."""
        started = time.perf_counter()
        kind: str | None = None
        try:
            reply = about_message(message_text, self.deps.knowledge.store)
            kind = reply.kind.value
        finally:
            record_answer(self.platform, kind, time.perf_counter() - started)
        return reply

    def signal(self, question: Question, reply: Reply) -> Signal:
        """Return the curation signal of an answer: what was asked and shown, and where."""
        return answer_signal(
            question.text,
            reply,
            platform=self.platform,
            channel=question.conversation_id,
            workspace=question.workspace,
            knowledge_version=self.deps.knowledge.store.version,
        )
