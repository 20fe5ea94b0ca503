"""Deal filters as typed (`area:oncology has:money sort:amount`): read them, then select deals.

`find_deals(store, filters)` in `deal_list` is the public entry; this module holds the parts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from handlers.commands.deal_order import DealSelection, money_positions
from handlers.commands.deal_places import place_ids
from handlers.commands.filter_problem import FilterProblem
from handlers.parse import BadNumber, read_number, shorten
from handlers.resolve import family_of, newest_first, resolve
from knowledge import KnowledgeStore
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
    unknown = sorted({k.casefold() for k in filters} - FILTER_NAMES)
    if unknown:
        raise FilterProblem(f"I don't know the filter “{shorten(unknown[0], 30)}:”.")
    wanted = canonical_filters(filters)
    described: list[str] = []
    year = _year(wanted, described)
    deal_type = _deal_type(wanted, described)
    modality, area = (_words(wanted, key, described) for key in ("modality", "area"))
    topic = _topic(store, wanted, described)
    party_ids = _party_ids(store, wanted, described)
    return DealQuery(
        party_ids=party_ids,
        place_ids=place_ids(store, wanted, described),
        year=year,
        deal_type=deal_type,
        modality=modality,
        area=area,
        topic=topic,
        has_money=_has_money(wanted, described),
        sort=_sort(wanted, described),
        described=described,
    )


def _year(wanted: Mapping[str, str], described: list[str]) -> int | None:
    if "year" not in wanted:
        return None
    try:
        year = read_number(wanted["year"], "year:", low=1000, high=9999, example="year:2024")
    except BadNumber as exc:
        raise FilterProblem(str(exc)) from None
    described.append(f"in {year}")
    return year


def _deal_type(wanted: Mapping[str, str], described: list[str]) -> str | None:
    if "type" not in wanted:
        return None
    kind = _TYPE_ALIASES.get(wanted["type"].casefold(), wanted["type"].casefold())
    if kind not in {t.value for t in DealType}:
        raise FilterProblem("type: is one of " + ", ".join(t.value for t in DealType) + ".")
    described.append(f"of type {kind}")
    return kind


def _words(wanted: Mapping[str, str], key: str, described: list[str]) -> str | None:
    if key not in wanted:
        return None
    described.append(f"{key} {wanted[key]}")
    return wanted[key]


def _topic(store: KnowledgeStore, wanted: Mapping[str, str], described: list[str]) -> str | None:
    if "topic" not in wanted:
        return None
    topic = resolve(store, wanted["topic"], [Topic])
    if not topic.entities:
        raise FilterProblem(
            f"No topic is called “{shorten(wanted['topic'], 30)}”.", topic.suggestions, "topic"
        )
    described.append(f"on {topic.entities[0].label()}")
    return topic.entities[0].id


def _party_ids(
    store: KnowledgeStore, wanted: Mapping[str, str], described: list[str]
) -> tuple[str, ...]:
    if "partner" not in wanted:
        return ()
    partner = resolve(store, wanted["partner"], [Organisation])
    if not partner.entities:
        raise FilterProblem(
            f"No company is called “{shorten(wanted['partner'], 30)}”.",
            partner.suggestions,
            "partner",
        )
    described.append("with " + " or ".join(e.label() for e in partner.entities))
    return tuple(dict.fromkeys(i for e in partner.entities for i in family_of(store, e.id)))


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


def select(store: KnowledgeStore, query: DealQuery) -> list[Deal]:
    """Return the deals matching every filter of `query`, in its order."""
    return selection(store, query).all()


def selection(store: KnowledgeStore, query: DealQuery) -> DealSelection:
    """Return the deals matching every filter of `query` as a selection: counted, paged, ordered."""
    if query.place_ids is not None and not query.place_ids:
        return DealSelection(store, frozenset(), query.sort)
    chosen: frozenset[int] | None = None
    if query != DealQuery(has_money=query.has_money, sort=query.sort, described=query.described):
        chosen = _narrowed(store, query)
    if query.has_money:
        money = money_positions(store)
        chosen = money if chosen is None else chosen & money
    return DealSelection(store, chosen, query.sort)


def _narrowed(store: KnowledgeStore, query: DealQuery) -> frozenset[int]:
    """Return the positions matching the query's narrowing filters (every one but has: and sort:)."""
    parties: list[str | None]
    if query.party_ids:
        parties = list(query.party_ids)
    elif query.place_ids is not None:
        parties = [*sorted(query.place_ids)]
    else:
        parties = [None]
    found: list[frozenset[int]] = []
    for party in parties:
        positions = store.deal_positions(
            party=party,
            year=query.year,
            modality=query.modality,
            deal_type=query.deal_type,
            topic=query.topic,
            area=query.area,
        )
        found.append(positions if positions is not None else frozenset(range(len(store.all(Deal)))))
    chosen = found[0] if len(found) == 1 else frozenset().union(*found)
    if query.place_ids is not None and query.party_ids:
        deals, place_ids = store.all(Deal), query.place_ids
        chosen = frozenset(p for p in chosen if not place_ids.isdisjoint(deals[p].party_ids()))
    return chosen


def largest_amount(deal: Deal) -> float | None:
    """Return the largest single amount the source gives for a deal (never a sum)."""
    return max((m.amount for m in deal.money), default=None)


def by_amount(deals: Iterable[Deal]) -> list[Deal]:
    """Return deals largest stated amount first; deals without one after, newest first."""
    ordered = newest_first(deals)
    with_money = [d for d in ordered if d.money]
    with_money.sort(key=lambda d: -(largest_amount(d) or 0.0))
    return with_money + [d for d in ordered if not d.money]
