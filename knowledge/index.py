"""Prebuilt indexes of a snapshot: names (exact and fuzzy), relations, and deal filters."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TypedDict, Unpack

from knowledge.models import AnyEntity, Deal, Person, Quote
from knowledge.names import NameIndex, NameIndexBuilder, normalise

__all__ = ["DealFilters", "NameIndex", "NameIndexBuilder", "Relations", "normalise"]


class Relations:
    """Which quotes name an entity, and who works where (deals: see `DealFilters.naming`)."""

    def __init__(self, entities: Iterable[AnyEntity] = ()) -> None:
        self.quotes: dict[str, list[str]] = defaultdict(list)
        self.people: dict[str, list[str]] = defaultdict(list)
        self.add(entities)

    def add(self, entities: Iterable[AnyEntity]) -> None:
        """Add what `entities` link to (read with `.get`: the lists are default dictionaries)."""
        quotes, people = self.quotes, self.people
        for entity in entities:
            if isinstance(entity, Quote):
                linked_ids = [entity.speaker, entity.organisation or "", *entity.topics]
                for linked in dict.fromkeys(i for i in linked_ids if i):
                    quotes[linked].append(entity.id)
            elif isinstance(entity, Person):
                for org in dict.fromkeys(r.organisation for r in entity.roles):
                    people[org].append(entity.id)


class DealQuery(TypedDict, total=False):
    """The deal filters, each optional: party and topic are ids, the rest text."""

    modality: str | None
    party: str | None
    year: int | None
    deal_type: str | None
    topic: str | None
    area: str | None


class DealFilters:
    """Inverted indexes over deals (positions in file order) so filters intersect, never scan."""

    def __init__(self, deals: Iterable[Deal] = ()) -> None:
        self.deals: list[Deal] = []
        self.by_party: dict[str, list[int]] = defaultdict(list)
        self.by_asset: dict[str, list[int]] = defaultdict(list)
        self.by_topic: dict[str, list[int]] = defaultdict(list)
        self.by_type: dict[str, list[int]] = defaultdict(list)
        self.by_year: dict[int, list[int]] = defaultdict(list)
        self.by_modality: dict[str, list[int]] = defaultdict(list)
        self.by_area: dict[str, list[int]] = defaultdict(list)
        self._texts = _Normalised()  # modalities and areas repeat: normalise each list once
        self._sets: dict[tuple[str, object], frozenset[int]] = {}  # see `_as_set`
        self.add(deals)

    def add(self, deals: Iterable[Deal]) -> None:
        """Index more deals, placed after those already added."""
        start = len(self.deals)
        self.deals.extend(deals)
        by_party, by_asset, by_topic = self.by_party, self.by_asset, self.by_topic
        by_type, by_year, by_modality, by_area = (
            self.by_type,
            self.by_year,
            self.by_modality,
            self.by_area,
        )
        texts = self._texts
        for pos, deal in enumerate(self.deals[start:], start):
            for party in _distinct([p.organisation for p in deal.parties]):
                by_party[party].append(pos)
            if deal.assets:
                for asset in _distinct(deal.assets):
                    by_asset[asset].append(pos)
            for topic in _distinct(deal.topics):
                by_topic[topic].append(pos)
            by_type[deal.type.value].append(pos)
            if deal.date is not None:
                by_year[deal.date.year].append(pos)
            if deal.modalities:
                for modality in texts[deal.modalities]:
                    by_modality[modality].append(pos)
            if deal.therapeutic_areas or deal.curator_areas:
                areas = tuple(deal.areas()) if deal.curator_areas else deal.therapeutic_areas
                for area in texts[areas]:
                    by_area[area].append(pos)

    _INDEXES = ("by_party", "by_asset", "by_topic", "by_type", "by_modality", "by_area")

    def state(self) -> dict[str, dict[str, list[int]]]:
        """Return the filters (not the deals) as plain JSON-ready data (for the snapshot cache)."""
        state = {name: dict(getattr(self, name)) for name in self._INDEXES}
        state["by_year"] = {str(year): positions for year, positions in self.by_year.items()}
        return state

    @classmethod
    def from_state(
        cls, deals: Sequence[Deal], state: dict[str, dict[str, list[int]]], canon: dict[str, str]
    ) -> DealFilters:
        """Rebuild filters saved by `state()` over the same deals, in the same order.

        Positions are numbers; the party and topic keys are pointed at `canon`'s ids.
        """
        filters = cls.__new__(cls)
        filters.deals = list(deals)
        filters._texts = _Normalised()
        filters._sets = {}
        for name in cls._INDEXES:
            index = {canon.get(k, k): v for k, v in state[name].items()}
            setattr(filters, name, defaultdict(list, index))
        filters.by_year = defaultdict(list, {int(y): p for y, p in state["by_year"].items()})
        return filters

    def naming(self, entity_id: str) -> list[Deal]:
        """Return deals naming `entity_id` as a party, asset or topic, in file order."""
        found = [
            positions
            for index in (self.by_party, self.by_asset, self.by_topic)
            if (positions := index.get(entity_id))
        ]
        if not found:
            return []
        ordered = found[0] if len(found) == 1 else sorted(set().union(*found))
        return [self.deals[pos] for pos in ordered]

    def positions(self, **query: Unpack[DealQuery]) -> frozenset[int] | None:
        """Return the positions of the deals matching every given filter (None: none given).

        Each filter's positions are a set kept per snapshot; several are intersected smallest
        first.
        """
        modality, party, year = query.get("modality"), query.get("party"), query.get("year")
        deal_type, topic, area = query.get("deal_type"), query.get("topic"), query.get("area")
        wanted: list[tuple[str, object]] = []
        if party is not None:
            wanted.append(("by_party", party))
        if topic is not None:
            wanted.append(("by_topic", topic))
        if deal_type is not None:
            wanted.append(("by_type", str(deal_type)))
        if year is not None:
            wanted.append(("by_year", year))
        if modality is not None:
            wanted.append(("by_modality", normalise(modality)))
        if area is not None:
            wanted.append(("by_area", normalise(area)))
        if not wanted:
            return None
        sets = sorted((self._as_set(*key) for key in wanted), key=len)
        chosen = sets[0]
        for other in sets[1:]:
            chosen = chosen & other
            if not chosen:
                break
        return chosen

    def _as_set(self, index: str, key: object) -> frozenset[int]:
        """Return one filter's positions as a set, kept (a bounded number of them) per snapshot."""
        found = self._sets.get((index, key))
        if found is None:
            if len(self._sets) >= _MAX_SETS:
                self._sets.clear()
            if index in ("by_modality", "by_area"):
                found = frozenset(_containing(getattr(self, index), str(key)))
            else:
                found = frozenset(getattr(self, index).get(key, ()))
            self._sets[(index, key)] = found
        return found

    def select(self, **query: Unpack[DealQuery]) -> list[Deal]:
        """Return deals matching every given filter, in file order."""
        chosen = self.positions(**query)
        if chosen is None:
            return list(self.deals)
        return [self.deals[pos] for pos in sorted(chosen)]


#: how many filters' position sets a snapshot keeps (modality: and area: take free text)
_MAX_SETS = 256


class _Normalised(dict[tuple[str, ...], Sequence[str]]):
    """Each list of texts normalised, without repeats: remembered per list."""

    def __missing__(self, texts: tuple[str, ...]) -> Sequence[str]:
        self[texts] = found = _distinct([normalise(text) for text in texts])
        return found


def _distinct(values: Sequence[str]) -> Sequence[str]:
    """The values without repeats, in order (most lists hold one or two)."""
    if len(values) < 2 or (len(values) == 2 and values[0] != values[1]):
        return values
    return list(dict.fromkeys(values))


def _containing(index: dict[str, list[int]], key: str) -> set[int]:
    """Union the positions of every indexed value that contains `key` (few distinct values)."""
    found: set[int] = set()
    for value, positions in index.items():
        if key in value:
            found.update(positions)
    return found
