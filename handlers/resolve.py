"""Find the entities a name or a sentence refers to: id, exact name or alias, then close spellings."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from handlers.memo import remember
from handlers.parse import tokens
from handlers.words import STOPWORDS
from knowledge import KnowledgeStore, normalise
from knowledge.models import AnyEntity, Deal, Organisation

#: A fuzzy match at least this good is taken as the user's meaning (a typo), not just a suggestion.
CONFIDENT_SCORE = 86.0
#: A name at least this close is offered as "close"; below it, nothing is (no "NewCo model?"
#: for an unknown company).
CLOSE_SCORE = 72.0
_MAX_NGRAM = 5


@dataclass(frozen=True)
class Resolution:
    """What a name refers to: the entities, the name a typo was corrected to, or suggestions."""

    entities: list[AnyEntity] = field(default_factory=list)
    corrected_to: str | None = None
    suggestions: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Spotted:
    """An entity named inside a sentence, and the words that named it."""

    entity: AnyEntity
    phrase: str


def _wanted(entity: AnyEntity, kinds: Sequence[type[AnyEntity]] | None) -> bool:
    return kinds is None or any(entity.kind == k.kind for k in kinds)


def resolve(
    store: KnowledgeStore, name: str, kinds: Sequence[type[AnyEntity]] | None = None
) -> Resolution:
    """Resolve a name by id, exact name or alias, then by a confident fuzzy match."""
    name = name.strip()
    if not name:
        return Resolution()
    by_id = store.get(name)
    if by_id is not None and _wanted(by_id, kinds):
        return Resolution([by_id])
    found = store.lookup(name, kinds)
    if found:
        return Resolution(found)
    # A much shorter name scoring high is only a word inside the query ("M&A" in "Qwerty
    # Pharma"): not a typo of it. Spotting handles names inside longer text.
    key_length = len(normalise(name))
    matches = [
        m
        for m in store.fuzzy(name, kinds, limit=5, cutoff=CONFIDENT_SCORE)
        if 2 * len(m.matched_name) >= key_length
    ]
    if matches:
        best = matches[0].score
        close = [m for m in matches if m.score >= best - 1.0]
        return Resolution([m.entity for m in close], corrected_to=matches[0].entity.label())
    return Resolution(suggestions=close_names(store, name, kinds))


def close_names(
    store: KnowledgeStore, name: str, kinds: Sequence[type[AnyEntity]] | None = None, limit: int = 3
) -> list[str]:
    """Return display names really close to `name` (a typo away, of a similar length)."""
    key_length = len(normalise(name))
    names = [
        m.entity.label()
        for m in store.fuzzy(name, kinds, limit=limit, cutoff=CLOSE_SCORE)
        if 2 * len(m.matched_name) >= key_length and 2 * key_length >= len(m.matched_name)
    ]
    return list(dict.fromkeys(names))


def spot(
    store: KnowledgeStore, text: str, kinds: Sequence[type[AnyEntity]] | None = None
) -> list[Spotted]:
    """Return entities named in `text`, longest phrases first, without overlapping words."""
    words = tokens(text)
    used = [False] * len(words)
    found: list[Spotted] = []
    seen: set[str] = set()
    for size in range(min(_MAX_NGRAM, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            if any(used[start : start + size]):
                continue
            phrase_words = words[start : start + size]
            if all(w.casefold() in STOPWORDS for w in phrase_words):
                continue
            phrase = " ".join(phrase_words)
            hits = [e for e in store.lookup(phrase, kinds) if e.id not in seen]
            if not hits:
                continue
            for index in range(start, start + size):
                used[index] = True
            for entity in hits:
                seen.add(entity.id)
                found.append(Spotted(entity, phrase))
    return found


def _children(store: KnowledgeStore) -> dict[str, list[str]]:
    """Return organisation id -> subsidiary ids, built once per store snapshot."""

    def build() -> dict[str, list[str]]:
        children: dict[str, list[str]] = {}
        for org in store.all(Organisation):
            if org.parent:
                children.setdefault(org.parent, []).append(org.id)
        return children

    return remember(store, "organisation-children", build)


def family_of(store: KnowledgeStore, organisation_id: str) -> list[str]:
    """Return an organisation id with the ids of its subsidiaries (J&J -> J&J Innovation, ...)."""
    children = _children(store)
    family, queue = [organisation_id], [organisation_id]
    while queue:
        for child in children.get(queue.pop(), []):
            if child not in family:
                family.append(child)
                queue.append(child)
    return family


def deals_for(store: KnowledgeStore, entity: AnyEntity, family: bool = True) -> list[Deal]:
    """Return the deals an entity is part of: itself, or those naming it (or its subsidiaries)."""
    if isinstance(entity, Deal):
        return [entity]
    is_org = isinstance(entity, Organisation)
    ids = family_of(store, entity.id) if is_org and family else [entity.id]
    return unique(d for i in ids for d in store.deals_of(i))


def shared_deals(store: KnowledgeStore, entities: Sequence[AnyEntity]) -> list[Deal]:
    """Return the deals every entity is part of; subsidiaries count only if nothing else matches."""
    for family in (False, True):
        shared: list[Deal] | None = None
        for entity in entities:
            ids = {d.id for d in deals_for(store, entity, family)}
            pool = shared if shared is not None else deals_for(store, entity, family)
            shared = [d for d in pool if d.id in ids]
        if shared:
            return shared
    return []


def unique(deals: Iterable[Deal]) -> list[Deal]:
    """Return deals without repeats, keeping the first order."""
    seen: dict[str, Deal] = {}
    for deal in deals:
        seen.setdefault(deal.id, deal)
    return list(seen.values())


def newest_first(deals: Iterable[Deal]) -> list[Deal]:
    """Return deals newest first; undated deals last, by title."""

    def key(deal: Deal) -> tuple[int, int, str]:
        if deal.date is None:
            return (1, 0, deal.title)
        return (0, -deal.date.earliest().toordinal(), deal.title)

    return sorted(unique(deals), key=key)
