"""The one answer a database-backed command gives while the database does not."""

from __future__ import annotations

from handlers.reply import Reply, ReplyKind


def unavailable_reply(title: str, subject: str, suggestion: str) -> Reply:
    """Return '<subject> unavailable right now, try again in a minute' as an unshareable error."""
    return Reply(
        kind=ReplyKind.ERROR,
        title=title,
        text=f"{subject} unavailable right now, try again in a minute",
        suggestions=[suggestion],
        shareable=False,
    )
