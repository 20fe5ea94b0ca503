"""Open buttons for the entities a card names (a deal's parties and assets, a company's family)."""

from __future__ import annotations

from collections.abc import Iterable

from handlers.format import open_command
from handlers.reply import Action, ActionKind
from knowledge import KnowledgeStore

#: A card carries at most this many Open buttons (Teams shows six actions; Share and More need room).
MAX_OPEN_BUTTONS = 4


def open_actions(
    store: KnowledgeStore, entity_ids: Iterable[str], limit: int = MAX_OPEN_BUTTONS
) -> list[Action]:
    """Return an "Open NAME" button for each known entity id, in order, without repeats."""
    actions: list[Action] = []
    seen: set[str] = set()
    for entity_id in entity_ids:
        entity = store.get(entity_id)
        command = open_command(entity) if entity is not None else None
        if entity is None or command is None or entity_id in seen:
            continue
        seen.add(entity_id)
        actions.append(Action(kind=ActionKind.RUN, label=f"Open {entity.label()}", command=command))
    return actions[:limit]
