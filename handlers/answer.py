"""Entry point: turn what a user typed (a command or a question) into a Reply."""

from __future__ import annotations

import logging
import secrets

from handlers.context import AskContext
from handlers.dispatch import dispatch, store_unavailable, uses_store
from handlers.parse import clean
from handlers.reply import Reply, ReplyKind
from knowledge import KnowledgeStore

log = logging.getLogger(__name__)


def needs_store(text: str) -> bool:
    """Return True when answering `text` may wait on the bot's database (run it off the event loop)."""
    return uses_store(clean(text)[0])


def unavailable_answer(text: str) -> Reply:
    """Return what `text` answers while the bot's database does not (subscriptions, follows)."""
    return store_unavailable(clean(text)[0])


def answer(text: str, store: KnowledgeStore, ctx: AskContext | None = None) -> Reply:
    """Answer `text` (a command after /chinabio, or a mention or direct message) from `store`."""
    ctx = ctx or AskContext()
    command, mentioned = clean(text)
    try:
        reply = dispatch(command, store, ctx, mentioned or ctx.is_mention)
    except Exception:  # a bug must never reach the user as a stack trace
        error_id = secrets.token_hex(4)
        # The log gets the detail and the error id, never the user's text.
        first_word = command.split(maxsplit=1)[0][:40] if command.strip() else ""
        log.exception("failed to answer: error_id=%s first_word=%r", error_id, first_word)
        reply = Reply(
            kind=ReplyKind.ERROR,
            title="Sorry, something went wrong",
            text=(
                f"I could not answer that (error id {error_id}). Try again, or type help for"
                " the commands; if it keeps happening, give the error id to your admin."
            ),
            suggestions=["help"],
            shareable=False,
        )
    if reply.command is None and command:
        reply = reply.model_copy(update={"command": command})
    return reply
