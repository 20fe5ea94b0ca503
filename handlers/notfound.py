"""Replies for names that match nothing: say so, offer close names and commands, never invent."""

from __future__ import annotations

from handlers.format import open_command
from handlers.parse import shorten
from handlers.reply import Reply, ReplyKind
from handlers.resolve import close_names
from knowledge import KnowledgeStore


def not_found(
    store: KnowledgeStore,
    what: str,
    query: str,
    command_word: str,
    suggestions: list[str] | None = None,
) -> Reply:
    """Return a NOT_FOUND reply: '“X” is not in the knowledge' first, then only what is close."""
    names = suggestions if suggestions is not None else close_names(store, query)
    tries = [f"{command_word} {name}" for name in names]
    # The name may be a real entity of another kind: say so, and point at its command.
    elsewhere: list[str] = []
    for entity in store.lookup(query)[:2]:
        command = open_command(entity)
        if command and not command.startswith(command_word + " "):
            word = command.split(" ", 1)[0]
            tries.insert(0, f"{word} {entity.label()}")
            elsewhere.append(f"{entity.label()} is in the knowledge as {_a(entity.kind)}")
    if query:
        tries.append(f"search {shorten(query, 40)}")
    tries.append("help")
    if not query:
        title, first = f"Which {what}?", f"Name the {what} after “{command_word}”."
    elif elsewhere:
        title = f"No {what} is called “{shorten(query)}”"
        first = "; ".join(elsewhere) + "."
    else:
        title = missing_title(query)
        first = f"No {what}, company, asset or topic in the knowledge goes by that name."
    return Reply(
        kind=ReplyKind.NOT_FOUND,
        title=title,
        text=first + (close_note(names) if query and not elsewhere else ""),
        suggestions=list(dict.fromkeys(tries)),
        shareable=False,
    )


def missing_title(subject: str, typed: bool = True) -> str:
    """Return '“X” is not in the knowledge', without the quotes when X is not as typed."""
    shown = f"“{shorten(subject)}”" if typed else shorten(subject)
    return f"{shown} is not in the knowledge"


def close_note(names: list[str]) -> str:
    """Return ' Close names: “A”, “B”.' or, with none, ' Nothing close to it either.'."""
    if not names:
        return " Nothing close to it either."
    return " Close names: " + ", ".join(f"“{n}”" for n in names) + "."


def _a(kind: str) -> str:
    word = {"organisation": "company"}.get(kind, kind)
    return ("an " if word[0] in "aeiou" else "a ") + word


def corrected_note(typed: str, corrected_to: str | None) -> str | None:
    """Return 'Showing Legochem Biosciences (you typed “Legochen”).' after a typo was corrected."""
    if corrected_to is None:
        return None
    return f"Showing results for “{corrected_to}” (you typed “{shorten(typed, 40)}”)."
