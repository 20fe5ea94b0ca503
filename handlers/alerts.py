"""Tell a conversation what changed in the knowledge: an alert, or two digest sections."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from handlers.changes import EntityState, KnowledgeChange
from handlers.context import Follow
from handlers.digest_topics import matching_ids
from handlers.follow_targets import follow_matcher
from handlers.format import open_command
from handlers.reply import Action, ActionKind, ListItem, Reply, ReplyKind, Section
from knowledge import KnowledgeStore

#: Lines an alert or a digest section lists before saying how many more there are.
MAX_LINES = 8
_KIND_NAMES = {"organisation": "company", "statistic": "figure"}
_FIELD_NAMES = {
    "therapeutic_areas": "therapeutic areas",
    "value_high": "upper value",
    "as_stated": "wording",
    "part_of": "parent event",
    "virtual_start": "virtual start",
    "virtual_end": "virtual end",
}


@dataclass(frozen=True)
class ChangeLine:
    """One change as a reader sees it, with the follows it concerns."""

    what: str  # "added" | "changed" | "removed"
    state: EntityState
    fields: tuple[str, ...] = ()

    def title(self) -> str:
        """Return 'New deal: Bayer–Puhe', 'Changed: Bayer–Puhe status' or 'Removed quote: …'."""
        kind = _KIND_NAMES.get(self.state.kind, self.state.kind)
        if self.what == "added":
            return f"New {kind}: {self.state.label}"
        if self.what == "removed":
            return f"Removed {kind}: {self.state.label}"
        shown = [_FIELD_NAMES.get(f, f) for f in self.fields if f not in ("sources", "id")]
        return f"Changed: {self.state.label}" + (f" {', '.join(shown[:3])}" if shown else "")


def change_lines(change: KnowledgeChange) -> list[ChangeLine]:
    """Return a line per change: new first, then changed, then removed."""
    return [
        *(ChangeLine("added", s) for s in change.added),
        *(ChangeLine("changed", c.after, tuple(c.fields)) for c in change.changed),
        *(ChangeLine("removed", s) for s in change.removed),
    ]


def lines_touching(change: KnowledgeChange, follows: Sequence[Follow]) -> list[ChangeLine]:
    """Return the changes that concern at least one of `follows`."""
    tests = [follow_matcher(f) for f in follows]
    return [
        line
        for line in change_lines(change)
        if any(test(key) for key in line.state.touches for test in tests)
    ]


def _item(line: ChangeLine, store: KnowledgeStore) -> ListItem:
    entity = store.get(line.state.entity_id) if line.what != "removed" else None
    command = open_command(entity) if entity is not None else None
    action = Action(kind=ActionKind.RUN, label="Open", command=command) if command else None
    return ListItem(title=line.title(), action=action)


def _items(lines: Sequence[ChangeLine], store: KnowledgeStore) -> tuple[list[ListItem], str | None]:
    extra = len(lines) - MAX_LINES
    return [_item(line, store) for line in lines[:MAX_LINES]], (
        f"…and {extra} more." if extra > 0 else None
    )


def alert_reply(
    change: KnowledgeChange, follows: Sequence[Follow], store: KnowledgeStore
) -> Reply | None:
    """Return the alert for a conversation following `follows`, or None if the change misses them."""
    lines = lines_touching(change, follows)
    if not lines:
        return None
    items, more = _items(lines, store)
    concerned = [f.label for f in follows if _concerns(f, lines)]
    summary = " · ".join(line.title() for line in lines[:3]) + (" · …" if len(lines) > 3 else "")
    text = f"{summary}\nBecause this conversation follows {', '.join(concerned)}."
    return Reply(
        kind=ReplyKind.ALERT,
        title=f"Knowledge update: {_count(len(lines))} to what you follow",
        text=text + (f" {more}" if more else ""),
        items=items,
        suggestions=["following", "alerts in digest"],
        shareable=False,
    )


def _concerns(follow: Follow, lines: Sequence[ChangeLine]) -> bool:
    test = follow_matcher(follow)
    return any(test(key) for line in lines for key in line.state.touches)


def _count(n: int) -> str:
    return "1 change" if n == 1 else f"{n} changes"


def whats_new_section(
    change: KnowledgeChange, store: KnowledgeStore, topics: Sequence[str] = ()
) -> Section | None:
    """Return the digest section "What's new in the knowledge" for `change`, or None if nothing is.

    With `topics` (a digest's topic filter), only what is about them is listed.
    """
    lines = change_lines(change)
    about = matching_ids(store, topics)
    if about is not None:
        lines = [line for line in lines if line.state.entity_id in about]
    if not lines:
        return None
    items, more = _items(lines, store)
    return Section(heading="What's new in the knowledge", text=more, items=items)


def followed_section(
    change: KnowledgeChange, follows: Sequence[Follow], store: KnowledgeStore
) -> Section | None:
    """Return the digest section "What you follow": the changes touching `follows`, or None."""
    lines = lines_touching(change, follows)
    if not lines:
        return None
    items, more = _items(lines, store)
    names = ", ".join(f.label for f in follows if _concerns(f, lines))
    text = f"Changes to what this channel follows: {names}." + (f" {more}" if more else "")
    return Section(heading="What you follow", text=text, items=items)
