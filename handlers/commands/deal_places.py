"""The `country:`, `city:` and `region:` deal filters: which organisations the source places where."""

from __future__ import annotations

from collections.abc import Mapping

from handlers.commands.filter_problem import FilterProblem
from handlers.memo import remember
from handlers.parse import shorten
from knowledge import KnowledgeStore
from knowledge.geography import place_key, region_countries
from knowledge.models import Organisation


def is_place(store: KnowledgeStore, typed: str) -> bool:
    """Return True when `typed` names a region or a country or city the knowledge places a party in."""
    return region_countries(typed) is not None or place_key(typed) in _place_names(store)


def place_ids(
    store: KnowledgeStore, wanted: Mapping[str, str], described: list[str]
) -> frozenset[str] | None:
    """Return the organisations in the country, city or region asked for (None: not asked)."""
    places = organisations_by_place(store)
    chosen: set[str] | None = None
    for key in ("country", "region"):
        if key not in wanted:
            continue
        typed = wanted[key]
        countries = region_countries(typed)
        keys = countries if countries is not None else frozenset({place_key(typed)})
        ids = {i for k in keys for i in places.get(k, ())}
        if not ids and countries is None:
            raise FilterProblem(
                f"The knowledge places no company in “{shorten(typed, 30)}”.",
                sorted({o.place.country for o in store.all(Organisation) if o.place}),
                key,
            )
        chosen = ids if chosen is None else chosen & ids
        described.append(f"with a party in {_place_label(store, typed, countries is not None)}")
    return None if chosen is None else frozenset(chosen)


def _place_label(store: KnowledgeStore, typed: str, region: bool) -> str:
    """Return the place as the knowledge spells it ('korean' -> 'Korea'), a region capitalised."""
    if region:
        return typed[:1].upper() + typed[1:]
    return _place_names(store).get(place_key(typed), typed)


def organisations_by_place(store: KnowledgeStore) -> dict[str, list[str]]:
    """Return place key (country or city) -> ids of organisations the source places there."""

    def build() -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for org in store.all(Organisation):
            if org.place is not None:
                keys = [place_key(org.place.country)]
                if org.place.city:
                    keys.append(place_key(org.place.city))
                for key in keys:
                    found.setdefault(key, []).append(org.id)
        return found

    return remember(store, "organisations-by-place", build)


def _place_names(store: KnowledgeStore) -> dict[str, str]:
    """Return place key -> the country or city as the knowledge spells it."""

    def build() -> dict[str, str]:
        names: dict[str, str] = {}
        for org in store.all(Organisation):
            if org.place is not None:
                names.setdefault(place_key(org.place.country), org.place.country)
                if org.place.city:
                    names.setdefault(place_key(org.place.city), org.place.city)
        return names

    return remember(store, "place-names", build)
