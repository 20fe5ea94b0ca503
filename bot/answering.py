"""Answer a user's text for any adapter without ever waiting on the database on the event loop."""

from __future__ import annotations

import logging

from bot.db.offload import run_db
from handlers import AskContext, Reply, StoreUnavailable, answer, needs_store
from handlers.answer import unavailable_answer
from knowledge import KnowledgeStore

log = logging.getLogger(__name__)

#: Seconds a command waits for the database before saying it is unavailable: inside Slack's
#: 3-second window for a slash command, with room for the request and the reply.
ANSWER_WAIT = 2.0


async def answer_in_time(
    text: str, store: KnowledgeStore, ctx: AskContext, wait: float = ANSWER_WAIT
) -> Reply:
    """Answer `text`; a command that needs the database runs on a database thread, bounded."""
    if not needs_store(text):
        return answer(text, store, ctx)  # the knowledge only: fast, and safe on the loop
    try:
        return await run_db(wait, answer, text, store, ctx)
    except StoreUnavailable as exc:
        log.warning("%s: %s", ctx.platform, exc)
        return unavailable_answer(text)
