"""Find trends or statistics by their own title, by a topic they are tagged with, or by words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

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
