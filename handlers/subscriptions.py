"""`subscribe`, `unsubscribe` and `subscriptions`: parse the command, then ask the bot's subscription book."""

from __future__ import annotations

from handlers.context import AskContext
from handlers.reply import Reply, ReplyKind
from knowledge import KnowledgeStore

SUBSCRIPTION_WORDS = ("subscribe", "unsubscribe", "subscriptions")


def handle_subscription_command(text: str, store: KnowledgeStore, ctx: AskContext) -> Reply:
    """Answer a subscription command (first version: not wired to a database yet)."""
    del store
    if ctx.subscriptions is None:
        return Reply(
            kind=ReplyKind.SUBSCRIPTION,
            title="Digests are not available here",
            text="Subscribe from a Slack or Teams channel to receive the weekly digest.",
            shareable=False,
        )
    return Reply(kind=ReplyKind.SUBSCRIPTION, title=f"Not yet supported: {text}", shareable=False)
