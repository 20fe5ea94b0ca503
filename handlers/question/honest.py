"""Say plainly what the knowledge does not hold, then offer the nearest useful thing."""

from __future__ import annotations

from handlers.notfound import close_note, missing_title
from handlers.parse import shorten
from handlers.reply import Reply, ReplyKind
from knowledge import KnowledgeStore

NO_ANSWER_TRIES = ["help", "quote", "deals", "trends", "search PRMT5"]


def not_in_knowledge(
    subject: str,
    nearest: Reply | None = None,
    understood: str = "",
    close: list[str] | None = None,
    typed: bool = False,
) -> Reply:
    """Return '<subject> is not in the knowledge' first, with the nearest answer below if any.

    A `typed` subject is a name as the user typed it, shown in quotes: “Moderna”.
    """
    title = missing_title(subject, typed)
    text = "I only answer from the curated report, and it does not cover that."
    if understood:
        text = f"{understood} {text}"
    if nearest is None:
        if typed:
            text += close_note(close or [])
        return Reply(
            kind=ReplyKind.NOT_FOUND,
            title=title,
            text=text,
            suggestions=[f"search {n}" for n in close or []]
            + ([f"search {shorten(subject, 40)}", "help"] if typed else NO_ANSWER_TRIES),
            shareable=False,
        )
    return first_line(nearest, title, f"{text} Closest in the knowledge: {nearest.title}.")


def first_line(reply: Reply, title: str, note: str) -> Reply:
    """Return `reply` under a new first line, its old title and text kept below the note."""
    body = " ".join(t for t in (note, reply.text) if t)
    if reply.title and reply.title not in note:
        body = f"{note} {reply.title}: {reply.text or ''}".strip()
    return reply.model_copy(update={"title": title, "text": body})


def name_not_found(store: KnowledgeStore, reply: Reply, text: str, words: list[str]) -> str | None:
    """Return a capitalised word of the question (not its first) that none of a search's
    results holds as typed: "Innovent" is found only as "innovation", so it is not there."""
    first = text.split()[0] if text.split() else ""
    names = [w for w in words if w[:1].isupper() and len(w) > 3 and w != first]
    if not names:
        return None
    said = " ".join(
        " ".join([*entity.names(), *entity.text_fields()])
        for entity in (store.get(i) for i in reply.entity_ids)
        if entity is not None
    ).casefold()
    return next((w for w in names if w.casefold() not in said), None)
