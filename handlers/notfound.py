"""Replies for names that match nothing: say so, offer close names and commands, never invent."""

from __future__ import annotations

from handlers.format import open_command
from handlers.parse import shorten
from handlers.reply import Reply, ReplyKind
from knowledge import KnowledgeStore


def not_found(
    store: KnowledgeStore,
    what: str,
    query: str,
    command_word: str,
    suggestions: list[str] | None = None,
) -> Reply:
    """Return a NOT_FOUND reply for `query`, with 'did you mean' names and commands to try."""
    names = suggestions if suggestions is not None else store.suggest(query)
    tries = [f"{command_word} {name}" for name in names]
    # The name may be a real entity of another kind: point at the command that shows it.
    for entity in store.lookup(query)[:2]:
        command = open_command(entity)
        if command and not command.startswith(command_word + " "):
            tries.insert(0, f"{command.split(' ', 1)[0]} {entity.label()}")
    if query:
        tries.append(f"search {shorten(query, 40)}")
    tries.append("help")
    text = (
        "Did you mean " + ", ".join(f"“{n}”" for n in names) + "?"
        if names
        else "Nothing in the knowledge matches that name, and nothing is close."
    )
    return Reply(
        kind=ReplyKind.NOT_FOUND,
        title=f"No {what} matches “{shorten(query)}”" if query else f"Which {what}?",
        text=text,
        suggestions=list(dict.fromkeys(tries)),
        shareable=False,
    )


def corrected_note(typed: str, corrected_to: str | None) -> str | None:
    """Return 'Showing Legochem Biosciences (you typed “Legochen”).' after a typo was corrected."""
    if corrected_to is None:
        return None
    return f"Showing results for “{corrected_to}” (you typed “{shorten(typed, 40)}”)."
