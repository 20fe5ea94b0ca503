"""`deals [filters]`: filtered deal lists; `find_deals(store, filters)` for other callers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from handlers.commands.deal_filters import (
    FILTER_HELP,
    canonical_filters,
    read_query,
    select,
    selection,
)
from handlers.commands.deal_order import DealSelection
from handlers.commands.deal_places import is_place
from handlers.commands.filter_problem import FilterProblem
from handlers.comps_table import comps_reply, export_action
from handlers.context import AskContext
from handlers.format import deal_line, deal_type_name
from handlers.paging import PAGE_SIZE, more_action, page_note, paginate
from handlers.parse import Command, shorten
from handlers.reply import Action, ActionKind, ListItem, Reply, ReplyKind
from knowledge import KnowledgeStore
from knowledge.models import Deal, Organisation

__all__ = [
    "FILTER_HELP",
    "DealChoice",
    "DealSelection",
    "FilterProblem",
    "deal_items",
    "deal_list",
    "find_deals",
    "handle_deals",
    "select_deals",
]


def find_deals(store: KnowledgeStore, filters: Mapping[str, str]) -> list[Deal]:
    """Return the deals matching every filter, as `deals` would list them.

    `filters` are as typed: {"country": "Korea", "area": "oncology", "has": "money",
    "sort": "amount", "partner": "J&J", "year": "2024", ...}. Raises FilterProblem (its message
    says which filter and how to write it) when one cannot be read.
    """
    return select(store, read_query(store, filters))


def deal_list(
    deals: list[Deal],
    title: str,
    base_command: str,
    page: int,
    note: str | None = None,
    *,
    store: KnowledgeStore | None = None,
) -> Reply:
    """Return one page of deals, each with its gist (given the store) and an Open button."""
    shown, page, pages = paginate(deals, page)
    items = deal_items(store, shown)
    text = " ".join(t for t in (note, page_note(len(deals), page, pages)) if t) or None
    return Reply(
        kind=ReplyKind.DEAL_LIST,
        title=title,
        text=text,
        items=items,
        more=more_action(base_command, page, pages),
        entity_ids=[d.id for d in shown],
    )


def deal_items(store: KnowledgeStore | None, deals: list[Deal]) -> list[ListItem]:
    """Return a list line per deal: its title, its gist, and a button that opens its card."""
    return [
        ListItem(
            title=deal.title,
            subtitle=deal_line(store, deal) if store is not None else _subtitle(deal),
            action=Action(kind=ActionKind.RUN, label="Open", command=f"deal {deal.id}"),
        )
        for deal in deals
    ]


def _subtitle(deal: Deal) -> str:
    """Return the compact line without the store: type and date (parties are in the title)."""
    parts = [deal_type_name(deal)]
    if deal.date is not None:
        parts.append(deal.date.human())
    if deal.territory:
        parts.append(deal.territory)
    return " · ".join(parts)


@dataclass(frozen=True)
class DealChoice:
    """The deals a `deals` command's filters match, in order, and how to say and redo it."""

    chosen: DealSelection  # built a page at a time
    title: str  # "Deals with Bayer (5)"
    filters: str  # the filters as typed again: "partner:Bayer year:2024"

    @property
    def deals(self) -> list[Deal]:
        """Return every chosen deal, in order (tables and exports)."""
        return self.chosen.slice(0, len(self.chosen))


def handle_deals(cmd: Command, store: KnowledgeStore, ctx: AskContext) -> Reply:
    """Answer `deals` with every deal matching the filters, newest first, a page at a time."""
    del ctx
    view = cmd.filters.get("as", "").casefold()
    cmd = replace(cmd, filters={k: v for k, v in cmd.filters.items() if k != "as"})
    if view not in {"", "list", "table"}:
        return _bad_filter(f"as: is list or table (not “{shorten(view, 20)}”).")
    selection = select_deals(cmd, store)
    if isinstance(selection, Reply):
        return selection
    if view == "table":
        return comps_reply(store, selection.deals, selection.title, selection.filters, cmd.page)
    base = f"deals {selection.filters}".strip()
    reply = _selection_page(store, selection.chosen, selection.title, base, cmd.page)
    return reply.model_copy(update={"actions": [export_action(selection.filters)]})


def select_deals(cmd: Command, store: KnowledgeStore) -> DealChoice | Reply:
    """Return the deals `cmd`'s filters (and words, as a partner) match, or a Reply saying why not."""
    filters = dict(cmd.filters)
    named = set(canonical_filters(filters))
    if cmd.words and not {"partner", "country", "region"} & named:
        # `deals Bayer` means `deals partner:Bayer`; `deals Korea`, `deals country:Korea`
        place = is_place(store, cmd.words) and not store.lookup(cmd.words, [Organisation])
        filters["country" if place else "partner"] = cmd.words
    try:
        query = read_query(store, filters)
    except FilterProblem as problem:
        return _bad_filter(str(problem), problem.names, problem.key)
    chosen = selection(store, query)
    typed = " ".join(f"{k}:{v}" for k, v in canonical_filters(filters).items())
    described = query.described
    title = ("Deals " + ", ".join(described)) if described else "All deals"
    if not len(chosen):
        return Reply(
            kind=ReplyKind.NOT_FOUND,
            title=f"No deals {', '.join(described)}".strip(),
            text="Nothing in the knowledge matches every filter. Try fewer filters.",
            suggestions=["deals", "deals type:newco", "deals modality:ADC", "help"],
            shareable=False,
        )
    return DealChoice(chosen, f"{title} ({len(chosen)})", typed)


def _selection_page(
    store: KnowledgeStore, deals: DealSelection, title: str, base_command: str, page: int
) -> Reply:
    """Return one page of a selection as `deal_list` would, building only that page's deals."""
    total = len(deals)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    shown = deals.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE)
    return Reply(
        kind=ReplyKind.DEAL_LIST,
        title=title,
        text=page_note(total, page, pages),
        items=deal_items(store, shown),
        more=more_action(base_command, page, pages),
        entity_ids=[d.id for d in shown],
    )


def _bad_filter(message: str, names: list[str] | None = None, key: str = "") -> Reply:
    tries = [f"deals {key}:{n}" for n in (names or [])]
    return Reply(
        kind=ReplyKind.NOT_FOUND,
        title="I couldn't read that filter",
        text=f"{message} Filters: {FILTER_HELP}.",
        suggestions=[*tries, "deals", "help"],
        shareable=False,
    )
