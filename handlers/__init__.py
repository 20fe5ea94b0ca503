"""Platform-neutral answers: text → intent → Reply. Imports knowledge, never bot or a platform SDK."""

from handlers.answer import answer, needs_store
from handlers.context import AskContext, StoreUnavailable
from handlers.reply import Reply, ReplyKind

__all__ = ["AskContext", "Reply", "ReplyKind", "StoreUnavailable", "answer", "needs_store"]
