"""Trends and statistics: find them by title, by a topic they are tagged with, or by words,
and answer with one card or a page of them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from handlers.format import cite_all, entity_item
from handlers.notfound import corrected_note, not_found
from handlers.paging import more_action, page_note, paginate
from handlers.parse import Command, shorten
from handlers.reply import Reply, ReplyKind
from handlers.resolve import resolve
from handlers.words import STOPWORDS
from knowledge import KnowledgeStore
from knowledge.models import Event, Statistic, Topic, Trend

T = TypeVar("T", Trend, Statistic, Event)


@dataclass(frozen=True)
class Found(Generic[T]):
    """Entities of one kind that a query names, and how the query was understood."""

    entities: list[T] = field(default_factory=list)
    corrected_to: str | None = None
    suggestions: list[str] = field(default_factory=list)


def find_tagged(store: KnowledgeStore, query: str, model: type[T]) -> Found[T]:
    """Return entities of `model` named by `query`, tagged with the topic it names, or matching its words."""
    found = resolve(store, query, [model, Topic])
    direct = [e for e in found.entities if isinstance(e, model)]
    topics = {e.id for e in found.entities if isinstance(e, Topic)}
    tagged = [e for e in store.all(model) if topics & set(getattr(e, "topics", []))]
    matches: Sequence[T] = direct or tagged
    if matches:
        return Found(list(matches), found.corrected_to)
    words = " ".join(w for w in query.split() if w.casefold() not in STOPWORDS)
    hits = store.search(words, [model], limit=20) if words else []
    searched = [h.entity for h in hits if isinstance(h.entity, model)]
    return Found(searched, suggestions=[] if searched else found.suggestions)


#: card(store, entity, note) -> one entity's reply
Card = Callable[[KnowledgeStore, T, "str | None"], Reply]
#: listing(store, entities, title, base command, page, note) -> a page of them
Listing = Callable[[KnowledgeStore, list[T], str, str, int, "str | None"], Reply]


def answer_tagged(
    cmd: Command,
    store: KnowledgeStore,
    model: type[T],
    *,
    command: str,
    noun: str,
    plural: str,
    card: Card[T],
    listing: Listing[T],
) -> Reply:
    """Answer `COMMAND WORDS`: the one entity's card, a page of them, or "not found"."""
    found = find_tagged(store, cmd.words, model)
    if not found.entities:
        return not_found(store, noun, cmd.words, command, found.suggestions)
    note = corrected_note(cmd.words, found.corrected_to)
    if len(found.entities) == 1:
        return card(store, found.entities[0], note)
    title = f"{plural} on “{shorten(found.corrected_to or cmd.words)}”"
    return listing(store, found.entities, title, f"{command} {cmd.words}", cmd.page, note)


def entity_page(
    store: KnowledgeStore,
    entities: Sequence[Trend | Statistic],
    *,
    kind: ReplyKind,
    title: str,
    base: str,
    page: int,
    note: str | None,
    cite: bool,
    suggestions: Sequence[str] = (),
) -> Reply:
    """Return one page of trends or statistics, each with a button that opens it."""
    shown, page, pages = paginate(list(entities), page)
    text = " ".join(t for t in (note, page_note(len(entities), page, pages)) if t) or None
    return Reply(
        kind=kind,
        title=title,
        text=text,
        items=[entity_item(store, e) for e in shown],
        more=more_action(base, page, pages),
        sources=cite_all(store, shown) if cite else [],
        suggestions=list(suggestions),
        entity_ids=[e.id for e in shown],
    )
