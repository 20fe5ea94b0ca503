"""Prebuilt indexes of a snapshot: names (exact and fuzzy), relations, and deal filters."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from knowledge.models import AnyEntity, Deal, Person, Quote
from knowledge.names import NameIndex, normalise

__all__ = ["DealFilters", "NameIndex", "Relations", "normalise"]


class Relations:
    """Which deals and quotes name an entity, and who works where."""

    def __init__(self, entities: Iterable[AnyEntity]) -> None:
        deals: dict[str, list[str]] = defaultdict(list)
        quotes: dict[str, list[str]] = defaultdict(list)
        people: dict[str, list[str]] = defaultdict(list)
        for entity in entities:
            if isinstance(entity, Deal):
                deal_id = entity.id
                for linked in _distinct([*entity.party_ids(), *entity.assets, *entity.topics]):
                    deals[linked].append(deal_id)
            elif isinstance(entity, Quote):
                linked_ids = [entity.speaker, entity.organisation or "", *entity.topics]
                for linked in dict.fromkeys(i for i in linked_ids if i):
                    quotes[linked].append(entity.id)
            elif isinstance(entity, Person):
                for org in dict.fromkeys(r.organisation for r in entity.roles):
                    people[org].append(entity.id)
        self.deals, self.quotes, self.people = dict(deals), dict(quotes), dict(people)


class DealFilters:
    """Inverted indexes over deals (positions in file order) so filters intersect, never scan."""

    def __init__(self, deals: Sequence[Deal]) -> None:
        self.deals = deals
        self.by_party: dict[str, list[int]] = defaultdict(list)
        self.by_topic: dict[str, list[int]] = defaultdict(list)
        self.by_type: dict[str, list[int]] = defaultdict(list)
        self.by_year: dict[int, list[int]] = defaultdict(list)
        self.by_modality: dict[str, list[int]] = defaultdict(list)
        self.by_area: dict[str, list[int]] = defaultdict(list)
        normalised = _Normalised()  # modalities and areas repeat: normalise each text once
        by_party, by_topic, by_type = self.by_party, self.by_topic, self.by_type
        by_year, by_modality, by_area = self.by_year, self.by_modality, self.by_area
        for pos, deal in enumerate(deals):
            for party in _distinct(deal.party_ids()):
                by_party[party].append(pos)
            for topic in _distinct(deal.topics):
                by_topic[topic].append(pos)
            by_type[deal.type.value].append(pos)
            if deal.date is not None:
                by_year[deal.date.year].append(pos)
            if deal.modalities:
                for modality in _distinct([normalised[m] for m in deal.modalities]):
                    by_modality[modality].append(pos)
            if deal.therapeutic_areas:
                for area in _distinct([normalised[a] for a in deal.therapeutic_areas]):
                    by_area[area].append(pos)

    _INDEXES = ("by_party", "by_topic", "by_type", "by_modality", "by_area")

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
        filters.deals = deals
        for name in cls._INDEXES:
            index = {canon.get(k, k): v for k, v in state[name].items()}
            setattr(filters, name, defaultdict(list, index))
        filters.by_year = defaultdict(list, {int(y): p for y, p in state["by_year"].items()})
        return filters

    def select(
        self,
        *,
        modality: str | None = None,
        party: str | None = None,
        year: int | None = None,
        deal_type: str | None = None,
        topic: str | None = None,
        area: str | None = None,
    ) -> list[Deal]:
        """Return deals matching every given filter, in file order."""
        wanted: list[set[int] | list[int]] = []
        if party is not None:
            wanted.append(self.by_party.get(party, []))
        if topic is not None:
            wanted.append(self.by_topic.get(topic, []))
        if deal_type is not None:
            wanted.append(self.by_type.get(str(deal_type), []))
        if year is not None:
            wanted.append(self.by_year.get(year, []))
        if modality is not None:
            wanted.append(_containing(self.by_modality, normalise(modality)))
        if area is not None:
            wanted.append(_containing(self.by_area, normalise(area)))
        if not wanted:
            return list(self.deals)
        wanted.sort(key=len)
        chosen = set(wanted[0])
        for other in wanted[1:]:
            chosen.intersection_update(other)
            if not chosen:
                return []
        return [self.deals[pos] for pos in sorted(chosen)]


class _Normalised(dict[str, str]):
    """`normalise`, remembered per text."""

    def __missing__(self, text: str) -> str:
        self[text] = found = normalise(text)
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
