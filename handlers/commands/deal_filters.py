"""Deal filters as typed (`country:Korea has:money sort:amount`): read them, then select deals.

`find_deals(store, filters)` in `deal_list` is the public entry; this module holds the parts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from handlers.memo import remember
from handlers.parse import BadNumber, read_number, shorten
from handlers.resolve import family_of, newest_first, resolve, unique
from knowledge import KnowledgeStore
from knowledge.geography import place_key, region_countries
from knowledge.models import Deal, DealType, Organisation, Topic

FILTER_HELP = (
    "modality:ADC, partner:Bayer, year:2024, type:newco, topic:NewCo, area:oncology,"
    " country:Korea, region:Asia, has:money, sort:amount"
)
FILTER_NAMES = frozenset(
    {"modality", "partner", "party", "company", "year", "type", "topic", "area"}
    | {"country", "region", "city", "has", "sort"}
)
_TYPE_ALIASES = {"license": "licence", "licensing": "licence", "equity": "equity-investment"}
_HAS = {"money": "money", "terms": "money", "amount": "money", "amounts": "money"}
_SORTS = {"amount": "amount", "money": "amount", "size": "amount", "date": "date"}
_SORTS |= {"newest": "date", "recent": "date"}


class FilterProblem(ValueError):
    """A filter cannot be read: the message says why, `names` are close values to try."""

    def __init__(self, message: str, names: Iterable[str] = (), key: str = "") -> None:
        super().__init__(message)
        self.names = list(names)
        self.key = key


@dataclass(frozen=True)
class DealQuery:
    """Filters as understood: ids and normalised values, and a description for the title."""

    party_ids: tuple[str, ...] = ()  # any of these as a party (empty: any party)
    place_ids: frozenset[str] | None = None  # a party must be one of these (None: anywhere)
    year: int | None = None
    deal_type: str | None = None
    modality: str | None = None
    area: str | None = None
    topic: str | None = None
    has_money: bool = False
    sort: Literal["date", "amount"] = "date"
    described: list[str] = field(default_factory=list)


def canonical_filters(filters: Mapping[str, str]) -> dict[str, str]:
    """Return filters with synonyms folded: party: and company: are partner:, city: is country:."""
    renamed = {"party": "partner", "company": "partner", "city": "country"}
    return {renamed.get(k.casefold(), k.casefold()): v.strip() for k, v in filters.items()}


def read_query(store: KnowledgeStore, filters: Mapping[str, str]) -> DealQuery:
    """Return what `filters` ask for; raise FilterProblem saying which one is unreadable."""
    unknown = sorted(set(filters) - FILTER_NAMES)
    if unknown:
        raise FilterProblem(f"I don't know the filter “{shorten(unknown[0], 30)}:”.")
    wanted = canonical_filters(filters)
    described: list[str] = []
    values: dict[str, object] = {}
    if "year" in wanted:
        try:
            year = read_number(wanted["year"], "year:", low=1000, high=9999, example="year:2024")
        except BadNumber as exc:
            raise FilterProblem(str(exc)) from None
        values["year"] = year
        described.append(f"in {year}")
    if "type" in wanted:
        kind = _TYPE_ALIASES.get(wanted["type"].casefold(), wanted["type"].casefold())
        if kind not in {t.value for t in DealType}:
            raise FilterProblem("type: is one of " + ", ".join(t.value for t in DealType) + ".")
        values["deal_type"] = kind
        described.append(f"of type {kind}")
    for key in ("modality", "area"):
        if key in wanted:
            values[key] = wanted[key]
            described.append(f"{key} {wanted[key]}")
    if "topic" in wanted:
        topic = resolve(store, wanted["topic"], [Topic])
        if not topic.entities:
            raise FilterProblem(
                f"No topic is called “{shorten(wanted['topic'], 30)}”.", topic.suggestions, "topic"
            )
        values["topic"] = topic.entities[0].id
        described.append(f"on {topic.entities[0].label()}")
    party_ids: list[str] = []
    if "partner" in wanted:
        partner = resolve(store, wanted["partner"], [Organisation])
        if not partner.entities:
            raise FilterProblem(
                f"No company is called “{shorten(wanted['partner'], 30)}”.",
                partner.suggestions,
                "partner",
            )
        party_ids = [i for e in partner.entities for i in family_of(store, e.id)]
        described.append("with " + " or ".join(e.label() for e in partner.entities))
    place_ids = _place_ids(store, wanted, described)
    has_money = _has_money(wanted, described)
    sort = _sort(wanted, described)
    return DealQuery(
        party_ids=tuple(dict.fromkeys(party_ids)),
        place_ids=place_ids,
        has_money=has_money,
        sort=sort,
        described=described,
        **values,  # type: ignore[arg-type]
    )


def _place_ids(
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


def _has_money(wanted: Mapping[str, str], described: list[str]) -> bool:
    if "has" not in wanted:
        return False
    if _HAS.get(wanted["has"].casefold()) != "money":
        raise FilterProblem("has: takes money (deals whose amounts the source gives).")
    described.append("with an amount stated")
    return True


def _sort(wanted: Mapping[str, str], described: list[str]) -> Literal["date", "amount"]:
    if "sort" not in wanted:
        return "date"
    sort = _SORTS.get(wanted["sort"].casefold())
    if sort is None:
        raise FilterProblem("sort: is amount (largest stated amount first) or date (newest first).")
    if sort == "amount":
        described.append("largest amount first")
        return "amount"
    return "date"


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


def select(store: KnowledgeStore, query: DealQuery) -> list[Deal]:
    """Return the deals matching every filter of `query`, in its order."""
    if query.place_ids is not None and not query.place_ids:
        return []
    parties: list[str | None]
    if query.party_ids:
        parties = list(query.party_ids)
    elif query.place_ids is not None:
        parties = [*sorted(query.place_ids)]
    else:
        parties = [None]
    found: list[Deal] = []
    for party in parties:
        found += store.filter_deals(
            party=party,
            year=query.year,
            modality=query.modality,
            deal_type=query.deal_type,
            topic=query.topic,
            area=query.area,
        )
    deals = unique(found)
    if query.place_ids is not None and query.party_ids:
        deals = [d for d in deals if not query.place_ids.isdisjoint(d.party_ids())]
    if query.has_money:
        deals = [d for d in deals if d.money]
    return by_amount(deals) if query.sort == "amount" else newest_first(deals)


def largest_amount(deal: Deal) -> float | None:
    """Return the largest single amount the source gives for a deal (never a sum)."""
    return max((m.amount for m in deal.money), default=None)


def by_amount(deals: Iterable[Deal]) -> list[Deal]:
    """Return deals largest stated amount first; deals without one after, newest first."""
    ordered = newest_first(deals)
    with_money = [d for d in ordered if d.money]
    with_money.sort(key=lambda d: -(largest_amount(d) or 0.0))
    return with_money + [d for d in ordered if not d.money]
