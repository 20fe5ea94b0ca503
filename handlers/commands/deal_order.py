"""Deal lists in order without sorting them: per-snapshot orders, and a page cut from a selection.

Positions are places in `store.all(Deal)`, as `KnowledgeStore.deal_positions` gives them. Each
order (newest first, largest amount first) is sorted once per snapshot; a selection then yields
its count at once and builds only the deals of the page it shows.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice
from operator import attrgetter
from typing import Literal

from handlers.memo import remember
from knowledge import KnowledgeStore
from knowledge.models import Deal

Sort = Literal["date", "amount"]


@dataclass(frozen=True)
class DealOrder:
    """One order of every deal: positions in that order, and each position's rank in it."""

    order: list[int]
    rank: list[int]


def deal_order(store: KnowledgeStore, sort: Sort) -> DealOrder:
    """Return every deal's order for `sort` (as `newest_first` / `by_amount`), kept per snapshot."""

    def build() -> DealOrder:
        deals = store.all(Deal)
        if sort == "amount":
            order = _by_amount(deals, deal_order(store, "date").order)
        else:
            order = _newest_first(deals)
        rank = [0] * len(order)
        for place, position in enumerate(order):
            rank[position] = place
        return DealOrder(order, rank)

    return remember(store, ("deal-order", sort), build)


def warm(store: KnowledgeStore) -> None:
    """Sort the snapshot's deals both ways now (a reload calls this before serving it)."""
    deal_order(store, "date")
    deal_order(store, "amount")


def _newest_first(deals: Sequence[Deal]) -> list[int]:
    """Return positions newest first, undated last, ties by title then file order."""
    by_title = sorted(range(len(deals)), key=list(map(_title, deals)).__getitem__)
    dates = list(map(_date, deals))
    ordinals = {id(d): -d.earliest().toordinal() for d in {id(d): d for d in dates}.values() if d}
    ordinals[id(None)] = 1 << 40  # undated: after every date
    keys = [ordinals[i] for i in map(id, dates)]  # equal dates are one shared object
    return sorted(by_title, key=keys.__getitem__)  # stable: title order kept within a date


def _by_amount(deals: Sequence[Deal], newest: list[int]) -> list[int]:
    """Return positions largest stated amount first; those without one after, newest first."""
    moneys = list(map(_money, deals))
    with_money = [p for p in newest if moneys[p]]
    least = [-max(map(_amount, money)) if money else 0.0 for money in moneys]
    with_money.sort(key=least.__getitem__)
    return with_money + [p for p in newest if not moneys[p]]


_title, _date = attrgetter("title"), attrgetter("date")
_money, _amount = attrgetter("money"), attrgetter("amount")


def money_positions(store: KnowledgeStore) -> frozenset[int]:
    """Return the positions of the deals whose amounts the source gives, kept per snapshot."""

    def build() -> frozenset[int]:
        return frozenset(p for p, deal in enumerate(store.all(Deal)) if deal.money)

    return remember(store, "deal-money-positions", build)


#: selections this large keep their sorted positions (a few per snapshot: 4 bytes a deal)
KEEP_SORTED_FROM = 1_000
KEEP_SORTED = 32


def _sorted_selections(store: KnowledgeStore, sort: Sort) -> dict[frozenset[int], array[int]]:
    """Return this snapshot's table of large selections, each with its positions in order."""
    return remember(store, ("deal-sorted-selections", sort), dict)


@dataclass(frozen=True)
class DealSelection:
    """Deals chosen by filters (`positions`, None for all of them), in one order."""

    store: KnowledgeStore
    positions: frozenset[int] | None
    sort: Sort

    def __len__(self) -> int:
        if self.positions is None:
            return len(self.store.all(Deal))
        return len(self.positions)

    def slice(self, start: int, stop: int) -> list[Deal]:
        """Return the deals from `start` to `stop` in order, building only those."""
        deals, order = self.store.all(Deal), deal_order(self.store, self.sort)
        if self.positions is None:
            return [deals[p] for p in order.order[start:stop]]
        chosen = self.positions
        if not chosen or start >= len(chosen):
            return []
        # A large selection sorted before is kept. Otherwise: walking the order meets about
        # stop * every / chosen positions before the last one wanted, if the chosen are spread
        # evenly; sorting the chosen ranks costs about their number. Walk when that looks
        # cheaper, but no further than twice that many positions (a year's deals sit together
        # in the date order); failing that, sort (and keep the result if large).
        kept = _sorted_selections(self.store, self.sort)
        ordered = kept.get(chosen)
        if ordered is None and stop * len(deals) < 4 * len(chosen) * len(chosen):
            walked = islice(order.order, 2 * len(chosen))
            found = list(islice((p for p in walked if p in chosen), stop))
            if len(found) == stop:
                return [deals[p] for p in found[start:]]
        if ordered is None:
            ranks = sorted(map(order.rank.__getitem__, chosen))
            ordered = array("I", map(order.order.__getitem__, ranks))
            if len(chosen) >= KEEP_SORTED_FROM:
                if len(kept) >= KEEP_SORTED:
                    kept.clear()
                kept[chosen] = ordered
        return [deals[p] for p in ordered[start:stop]]

    def all(self) -> list[Deal]:
        """Return every deal of the selection, in order."""
        return self.slice(0, len(self))
