"""The knowledge store: an immutable snapshot of every entity, with lookups by name and text.

This first version is deliberately simple (dicts and rapidfuzz); the index module replaces
its internals without changing the public methods below.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from rapidfuzz import fuzz, process

from knowledge.models import (
    AnyEntity,
    Asset,
    Deal,
    Event,
    Organisation,
    Person,
    Quote,
    Source,
    Statistic,
    Topic,
    Trend,
)

E = TypeVar("E", bound=AnyEntity)

_PUNCT = re.compile(r"[\W_]+", re.UNICODE)


def normalise(name: str) -> str:
    """Fold case, width, accents, punctuation and spacing: 'J&J' -> 'jj', 'KP-723' -> 'kp723'."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return _PUNCT.sub("", text)


@dataclass(frozen=True)
class Match:
    """An entity found by name, with how sure the match is (100 = exact or alias)."""

    entity: AnyEntity
    score: float
    matched_name: str


@dataclass(frozen=True)
class Hit:
    """A full-text search result."""

    entity: AnyEntity
    score: float


@dataclass(frozen=True)
class KnowledgeStore:
    """An immutable snapshot of the knowledge. Build it with `KnowledgeStore.build(entities)`."""

    entities: dict[str, AnyEntity]
    version: str
    _by_kind: dict[str, list[AnyEntity]] = field(repr=False)
    _names: dict[str, list[str]] = field(repr=False)  # normalised name -> ids
    _deals_by_entity: dict[str, list[str]] = field(repr=False)
    _quotes_by_entity: dict[str, list[str]] = field(repr=False)

    @classmethod
    def build(cls, entities: Iterable[AnyEntity], version: str = "unversioned") -> KnowledgeStore:
        """Index already validated entities."""
        by_id: dict[str, AnyEntity] = {}
        by_kind: dict[str, list[AnyEntity]] = defaultdict(list)
        names: dict[str, list[str]] = defaultdict(list)
        deals_by: dict[str, list[str]] = defaultdict(list)
        quotes_by: dict[str, list[str]] = defaultdict(list)
        for entity in entities:
            by_id[entity.id] = entity
            by_kind[entity.kind].append(entity)
            for name in {normalise(n) for n in entity.names() if normalise(n)}:
                names[name].append(entity.id)
            if isinstance(entity, Deal):
                for linked in {*entity.party_ids(), *entity.assets, *entity.topics}:
                    deals_by[linked].append(entity.id)
            if isinstance(entity, Quote):
                for linked in {entity.speaker, entity.organisation or "", *entity.topics} - {""}:
                    quotes_by[linked].append(entity.id)
        return cls(by_id, version, dict(by_kind), dict(names), dict(deals_by), dict(quotes_by))

    # -- by id and kind -------------------------------------------------------------------
    def get(self, entity_id: str) -> AnyEntity | None:
        """Return the entity with this id, or None."""
        return self.entities.get(entity_id)

    def all(self, kind: type[E]) -> Sequence[E]:
        """Return every entity of a kind, in file order."""
        return self._by_kind.get(kind.kind, [])  # type: ignore[return-value]

    # -- by name --------------------------------------------------------------------------
    def lookup(self, name: str, kinds: Iterable[type[AnyEntity]] | None = None) -> list[AnyEntity]:
        """Return entities whose name or alias equals `name`, ignoring case and punctuation."""
        wanted = {k.kind for k in kinds} if kinds else None
        ids = self._names.get(normalise(name), [])
        found = [self.entities[i] for i in ids]
        return [e for e in found if wanted is None or e.kind in wanted]

    def fuzzy(
        self,
        name: str,
        kinds: Iterable[type[AnyEntity]] | None = None,
        limit: int = 5,
        cutoff: float = 80.0,
    ) -> list[Match]:
        """Return entities whose name is close to `name` (typos), best first."""
        wanted = {k.kind for k in kinds} if kinds else None
        key = normalise(name)
        if not key:
            return []
        results = process.extract(key, self._names.keys(), scorer=fuzz.WRatio, limit=limit * 4)
        matches: dict[str, Match] = {}
        for candidate, score, _ in results:
            if score < cutoff:
                continue
            for entity_id in self._names[candidate]:
                entity = self.entities[entity_id]
                if wanted is not None and entity.kind not in wanted:
                    continue
                if entity_id not in matches or matches[entity_id].score < score:
                    matches[entity_id] = Match(entity, float(score), candidate)
        return sorted(matches.values(), key=lambda m: -m.score)[:limit]

    def suggest(self, name: str, kinds: Iterable[type[AnyEntity]] | None = None) -> list[str]:
        """Return up to three display names that might be what the user meant."""
        return [m.entity.label() for m in self.fuzzy(name, kinds, limit=3, cutoff=55.0)]

    def search(
        self, text: str, kinds: Iterable[type[AnyEntity]] | None = None, limit: int = 10
    ) -> list[Hit]:
        """Return entities ranked by how well their text matches the words of `text`."""
        wanted = {k.kind for k in kinds} if kinds else None
        words = [w for w in re.findall(r"\w+", text.casefold()) if len(w) > 1]
        if not words:
            return []
        hits: list[Hit] = []
        for entity in self.entities.values():
            if wanted is not None and entity.kind not in wanted:
                continue
            body = " ".join(entity.text_fields()).casefold()
            score = float(sum(body.count(w) for w in words))
            if score:
                hits.append(Hit(entity, score))
        hits.sort(key=lambda h: -h.score)
        return hits[:limit]

    # -- relations ------------------------------------------------------------------------
    def deals_of(self, entity_id: str) -> list[Deal]:
        """Return deals naming this organisation, asset or topic."""
        return [self.entities[i] for i in self._deals_by_entity.get(entity_id, [])]  # type: ignore[misc]

    def quotes_of(self, entity_id: str) -> list[Quote]:
        """Return quotes by this person, from this organisation, or on this topic."""
        return [self.entities[i] for i in self._quotes_by_entity.get(entity_id, [])]  # type: ignore[misc]

    def filter_deals(
        self,
        *,
        modality: str | None = None,
        party: str | None = None,
        year: int | None = None,
        deal_type: str | None = None,
        topic: str | None = None,
        area: str | None = None,
    ) -> list[Deal]:
        """Return deals matching every given filter (party and topic are ids; the rest text)."""
        deals: Iterable[Deal] = self.all(Deal)
        if party is not None:
            deals = [d for d in deals if party in d.party_ids()]
        if topic is not None:
            deals = [d for d in deals if topic in d.topics]
        if deal_type is not None:
            deals = [d for d in deals if d.type == deal_type]
        if year is not None:
            deals = [d for d in deals if d.date is not None and d.date.year == year]
        if modality is not None:
            key = normalise(modality)
            deals = [d for d in deals if any(key in normalise(m) for m in d.modalities)]
        if area is not None:
            key = normalise(area)
            deals = [d for d in deals if any(key in normalise(a) for a in d.therapeutic_areas)]
        return list(deals)

    def people_at(self, organisation_id: str) -> list[Person]:
        """Return people with a role at this organisation."""
        return [
            p for p in self.all(Person) if any(r.organisation == organisation_id for r in p.roles)
        ]


__all__ = [
    "Asset",
    "Event",
    "Hit",
    "KnowledgeStore",
    "Match",
    "Organisation",
    "Source",
    "Statistic",
    "Topic",
    "Trend",
    "normalise",
]
