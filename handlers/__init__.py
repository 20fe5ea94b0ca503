"""Platform-neutral answers: text → intent → Reply. Imports knowledge, never bot or a platform SDK."""

from handlers.answer import answer
from handlers.context import AskContext
from handlers.reply import Reply, ReplyKind

__all__ = ["AskContext", "Reply", "ReplyKind", "answer"]
