"""Topic filters for digests: resolve what a user typed, and test entities against it."""

from __future__ import annotations

from collections.abc import Sequence

from knowledge import KnowledgeStore, normalise
from knowledge.models import AnyEntity, Asset, Deal, Topic


def _subjects(entity: AnyEntity) -> list[str]:
    """Return the free-text subject fields a topic word may match (areas, modalities…)."""
    if isinstance(entity, Deal):
        return [*entity.therapeutic_areas, *entity.modalities, *entity.indications]
    if isinstance(entity, Asset):
        return [*entity.therapeutic_areas, *entity.indications, entity.modality or ""]
    return []


def resolve_topic(text: str, store: KnowledgeStore) -> str | None:
    """Return a topic id for `text`, or the subject word itself if some deal uses it, else None."""
    found = store.lookup(text, [Topic])
    if found:
        return found[0].id
    key = normalise(text)
    if len(key) < 2:
        return None
    entities: list[AnyEntity] = [*store.all(Deal), *store.all(Asset)]
    for entity in entities:
        if any(key in normalise(subject) for subject in _subjects(entity) if subject):
            return text.strip().lower()
    return None


def topic_label(term: str, store: KnowledgeStore) -> str:
    """Return a topic's display name, or the subject word as typed."""
    entity = store.get(term)
    return entity.name if isinstance(entity, Topic) else term


def topic_keys(topics: Sequence[str], store: KnowledgeStore) -> tuple[set[str], set[str]]:
    """Return (topic ids, normalised words) that a filter of `topics` accepts."""
    ids: set[str] = set()
    words: set[str] = set()
    for term in topics:
        entity = store.get(term)
        if isinstance(entity, Topic):
            ids.add(entity.id)
            words.update(normalise(name) for name in entity.names())
        else:
            ids.add(term)
            words.add(normalise(term))
    words.discard("")
    return ids, words


_MATCHES: dict[int, tuple[KnowledgeStore, dict[tuple[str, ...], frozenset[str]]]] = {}


def matching_ids(store: KnowledgeStore, topics: Sequence[str]) -> frozenset[str] | None:
    """Return the ids of entities about `topics` (None: no filter), computed once per store and filter."""
    if not topics:
        return None
    cached = _MATCHES.get(id(store))
    if cached is None or cached[0] is not store:
        if len(_MATCHES) >= 4:
            _MATCHES.clear()
        cached = _MATCHES[id(store)] = (store, {})
    key = tuple(topics)
    found = cached[1].get(key)
    if found is None:
        keys = topic_keys(topics, store)
        found = frozenset(e.id for e in store.entities.values() if matches_topics(e, keys, store))
        cached[1][key] = found
    return found


def matches_topics(
    entity: AnyEntity, keys: tuple[set[str], set[str]] | None, store: KnowledgeStore
) -> bool:
    """Return True when `entity` is about one of the filter's topics (or there is no filter)."""
    if keys is None:
        return True
    ids, words = keys
    own_topics: list[str] = list(getattr(entity, "topics", []))
    if ids.intersection(own_topics):
        return True
    subjects = [normalise(s) for s in _subjects(entity) if s]
    for topic_id in own_topics:
        topic = store.get(topic_id)
        if isinstance(topic, Topic):
            subjects.extend(normalise(n) for n in topic.names())
    return any(
        word == subject or (len(word) >= 3 and word in subject)
        for word in words
        for subject in subjects
    )
