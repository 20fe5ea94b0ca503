"""Ask the platform-neutral handlers a question on behalf of a Slack user, and count it."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import cast

from slack_bolt.context.async_context import AsyncBoltContext

from bot.answering import answer_in_time
from bot.deps import Deps, quote_memory
from bot.metrics import record_answer
from bot.slack.workspace import workspace_key
from handlers import AskContext, Reply
from handlers.context import QuoteMemory, SubscriptionBook

PLATFORM = "slack"


def subscription_book(deps: Deps) -> SubscriptionBook | None:
    """Return the digest work's subscription book, or None where digests are not built in."""
    try:
        from bot.digest.wiring import build_subscription_book
    except ImportError:
        return None
    return cast(SubscriptionBook, build_subscription_book(deps))


@dataclass
class SlackAsker:
    """Answers questions for the Slack listeners: one per Bolt app."""

    deps: Deps
    quote_memory: QuoteMemory = field(init=False)
    subscriptions: SubscriptionBook | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.quote_memory = quote_memory(self.deps.settings)
        self.subscriptions = subscription_book(self.deps)

    def context(
        self,
        user_id: str,
        conversation_id: str,
        *,
        is_mention: bool,
        workspace: str | None = None,
    ) -> AskContext:
        """Return the AskContext for a user in a conversation of a workspace."""
        return AskContext(
            platform=PLATFORM,
            user_id=user_id,
            conversation_id=conversation_id,
            is_mention=is_mention,
            quote_memory=self.quote_memory,
            subscriptions=self.subscriptions,
            workspace=workspace,
        )

    async def ask(
        self,
        text: str,
        *,
        user_id: str,
        conversation_id: str,
        is_mention: bool = False,
        workspace: str | None = None,
    ) -> Reply:
        """Answer `text`; a command that needs the database waits for it off the event loop."""
        started = time.perf_counter()
        ctx = self.context(user_id, conversation_id, is_mention=is_mention, workspace=workspace)
        store = self.deps.knowledge.store
        kind: str | None = None
        try:
            reply = await answer_in_time(text, store, ctx)
            kind = reply.kind.value
        finally:
            record_answer(PLATFORM, kind, time.perf_counter() - started)
        return reply


ASKER_KEY = "slack_asker"


def asker_of(deps: Deps) -> SlackAsker:
    """Return the one SlackAsker of these deps (listeners share its quote memory)."""
    asker = deps.extras.get(ASKER_KEY)
    if not isinstance(asker, SlackAsker):
        asker = deps.extras[ASKER_KEY] = SlackAsker(deps)
    return asker


def workspace_of(context: AsyncBoltContext) -> str | None:
    """Return the workspace a request came from, as subscriptions record it."""
    return workspace_key(context.enterprise_id, context.team_id, context.is_enterprise_install)
