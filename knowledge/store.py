"""The knowledge store: an immutable snapshot of every entity, with lookups by name and text."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, Unpack

from knowledge.index import (
    DealFilters,
    DealQuery,
    NameIndex,
    NameIndexBuilder,
    Relations,
    normalise,
)
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
from knowledge.search import TextIndex

E = TypeVar("E", bound=AnyEntity)


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


def _kinds(kinds: Iterable[type[AnyEntity]] | None) -> set[str] | None:
    return {k.kind for k in kinds} if kinds else None


def _grouped(
    entities: Iterable[AnyEntity],
) -> tuple[list[AnyEntity], dict[str, AnyEntity], dict[str, list[AnyEntity]], list[Deal]]:
    """Return the entities in order, by id, by kind, and the deals."""
    ordered = list(entities)
    by_kind: dict[str, list[AnyEntity]] = defaultdict(list)
    for entity in ordered:
        by_kind[entity.kind].append(entity)
    deals: list[Deal] = by_kind.get(Deal.kind, [])  # type: ignore[assignment]
    return ordered, {entity.id: entity for entity in ordered}, dict(by_kind), deals


@dataclass(frozen=True)
class KnowledgeStore:
    """An immutable snapshot of the knowledge. Build it with `KnowledgeStore.build(entities)`."""

    entities: dict[str, AnyEntity]
    version: str
    _by_kind: dict[str, list[AnyEntity]] = field(repr=False)
    _names: NameIndex = field(repr=False)
    _relations: Relations = field(repr=False)
    _deals: DealFilters = field(repr=False)
    _text: TextIndex = field(repr=False)
    #: where the snapshot was loaded from: the YAML files, or the snapshot cache
    loaded_from: str = "YAML files"

    @classmethod
    def build(
        cls,
        entities: Iterable[AnyEntity],
        version: str = "unversioned",
        *,
        text_now: bool = False,
        text: TextIndex | None = None,
    ) -> KnowledgeStore:
        """Index already validated entities (see `SnapshotBuilder.build` for the full text)."""
        builder = SnapshotBuilder()
        builder.add(list(entities))
        return builder.build(version, text_now=text_now, text=text)

    @classmethod
    def from_parts(
        cls,
        entities: Iterable[AnyEntity],
        version: str,
        read_index: Callable[[str], dict[str, Any]],
        text_file: Path,
    ) -> KnowledgeStore:
        """Rebuild a snapshot from entities and the `parts()` of one built from them.

        `read_index(name)` returns one of `parts()`'s indexes; they are read one at a time, so
        each is freed before the next is read.
        """
        ordered, by_id, by_kind, deals = _grouped(entities)
        canon = {entity_id: entity_id for entity_id in by_id}
        names = NameIndex.from_state(read_index("names"), canon)
        relations = Relations(ordered)  # rebuilt: faster than reading it back
        filters = DealFilters.from_state(deals, read_index("deals"), canon)
        return cls(
            by_id,
            version,
            by_kind,
            names,
            relations,
            filters,
            TextIndex.from_file(ordered, text_file),
            loaded_from="snapshot cache",
        )

    def parts(self, text_file: Path) -> dict[str, Any]:
        """Return the indexes as JSON-ready data, writing the full-text index to `text_file`."""
        self._text.save(text_file)
        return {
            "names": self._names.state(),
            "deals": self._deals.state(),
        }

    def warm(self) -> None:
        """Build the full-text index now (reload does this before swapping snapshots)."""
        self._text.warm()

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
        wanted = _kinds(kinds)
        found = [self.entities[i] for i in self._names.ids(name)]
        return [e for e in found if wanted is None or e.kind in wanted]

    def fuzzy(
        self,
        name: str,
        kinds: Iterable[type[AnyEntity]] | None = None,
        limit: int = 5,
        cutoff: float = 80.0,
    ) -> list[Match]:
        """Return entities whose name is close to `name` (typos), best first."""
        return [
            Match(self.entities[entity_id], score, matched)
            for entity_id, score, matched in self._names.close(name, _kinds(kinds), limit, cutoff)
        ]

    def suggest(self, name: str, kinds: Iterable[type[AnyEntity]] | None = None) -> list[str]:
        """Return up to three display names that might be what the user meant."""
        return [m.entity.label() for m in self.fuzzy(name, kinds, limit=3, cutoff=55.0)]

    def search(
        self, text: str, kinds: Iterable[type[AnyEntity]] | None = None, limit: int = 10
    ) -> list[Hit]:
        """Return entities ranked (bm25) by how well their names and prose match `text`."""
        return [Hit(e, score) for e, score in self._text.search(text, _kinds(kinds), limit)]

    def holds(self, text: str) -> bool:
        """Return True when the names or prose of some entity hold every word of `text`."""
        return self._text.holds(text)

    # -- relations ------------------------------------------------------------------------
    def deals_of(self, entity_id: str) -> list[Deal]:
        """Return deals naming this organisation, asset or topic."""
        return self._deals.naming(entity_id)

    def quotes_of(self, entity_id: str) -> list[Quote]:
        """Return quotes by this person, from this organisation, or on this topic."""
        return [self.entities[i] for i in self._relations.quotes.get(entity_id, [])]  # type: ignore[misc]

    def people_at(self, organisation_id: str) -> list[Person]:
        """Return people with a role at this organisation."""
        return [self.entities[i] for i in self._relations.people.get(organisation_id, [])]  # type: ignore[misc]

    def filter_deals(self, **query: Unpack[DealQuery]) -> list[Deal]:
        """Return deals matching every given filter (party and topic are ids; the rest text)."""
        return self._deals.select(**query)

    def deal_positions(self, **query: Unpack[DealQuery]) -> frozenset[int] | None:
        """Return where in `all(Deal)` the deals matching every filter are (None: no filter).

        The same filters as `filter_deals`, without building the deals: a caller that lists a
        page of them, or counts them, builds only what it shows. Do not change the result.
        """
        return self._deals.positions(**query)


class SnapshotBuilder:
    """Indexes entities as they arrive, so a loader indexes each file while the next is parsed.

    `add` the validated entities (in file order, no id twice), then `build` the snapshot:
    only what needs every entity (each kind's fuzzy keys) is left for then.
    """

    def __init__(self) -> None:
        self._ordered: list[AnyEntity] = []
        self._by_id: dict[str, AnyEntity] = {}
        self._by_kind: dict[str, list[AnyEntity]] = defaultdict(list)
        self._names = NameIndexBuilder()
        self._relations = Relations()
        self._deals = DealFilters()

    def add(self, entities: Sequence[AnyEntity]) -> None:
        """Index `entities`, placed after those added before."""
        self._ordered += entities
        by_id, by_kind = self._by_id, self._by_kind
        before = {kind: len(of_kind) for kind, of_kind in by_kind.items()}
        for entity in entities:
            by_id[entity.id] = entity
            by_kind[entity.kind].append(entity)
        added = {kind: of_kind[before.get(kind, 0) :] for kind, of_kind in by_kind.items()}
        self._names.add(entities)
        self._relations.add([*added.get(Quote.kind, ()), *added.get(Person.kind, ())])
        self._deals.add(added.get(Deal.kind, ()))  # type: ignore[arg-type]

    def build(
        self, version: str, *, text_now: bool = False, text: TextIndex | None = None
    ) -> KnowledgeStore:
        """Return the snapshot of every entity added.

        The full-text index waits for the first search or `warm()`; with `text_now` it is built
        in a thread while the name index is finished here. `text` is one already made (and
        maybe started) over the same entities in the same order.
        """
        text = text or TextIndex(self._ordered)
        if text_now:
            text.start()
        return KnowledgeStore(
            self._by_id,
            version,
            dict(self._by_kind),
            self._names.build(),
            self._relations,
            self._deals,
            text,
        )


__all__ = [
    "Asset",
    "Event",
    "Hit",
    "KnowledgeStore",
    "Match",
    "Organisation",
    "SnapshotBuilder",
    "Source",
    "Statistic",
    "Topic",
    "Trend",
    "normalise",
]
