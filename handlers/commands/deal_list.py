"""`deals [modality:ADC] [partner:Bayer] [year:2024] [type:newco] [page:N]`: filtered deal lists."""

from __future__ import annotations

from dataclasses import dataclass, replace

from handlers.comps_table import comps_reply, export_action
from handlers.context import AskContext
from handlers.format import deal_type_name
from handlers.paging import more_action, page_note, paginate
from handlers.parse import BadNumber, Command, read_number, shorten
from handlers.reply import Action, ActionKind, ListItem, Reply, ReplyKind
from handlers.resolve import family_of, newest_first, resolve, unique
from knowledge import KnowledgeStore
from knowledge.models import Deal, DealType, Organisation, Topic

FILTER_HELP = "modality:ADC, partner:Bayer, year:2024, type:newco, topic:NewCo, area:oncology"
_TYPE_ALIASES = {"license": "licence", "licensing": "licence", "equity": "equity-investment"}
_FILTER_NAMES = {"modality", "partner", "party", "company", "year", "type", "topic", "area"}


def deal_list(
    deals: list[Deal], title: str, base_command: str, page: int, note: str | None = None
) -> Reply:
    """Return one page of deals, each with a button that opens its card."""
    shown, page, pages = paginate(deals, page)
    items = [
        ListItem(
            title=deal.title,
            subtitle=_subtitle(deal),
            action=Action(kind=ActionKind.RUN, label="Open", command=f"deal {deal.id}"),
        )
        for deal in shown
    ]
    text = " ".join(t for t in (note, page_note(len(deals), page, pages)) if t) or None
    return Reply(
        kind=ReplyKind.DEAL_LIST,
        title=title,
        text=text,
        items=items,
        more=more_action(base_command, page, pages),
        entity_ids=[d.id for d in shown],
    )


def _subtitle(deal: Deal) -> str:
    """Return the compact line without the store: type and date (parties are in the title)."""
    parts = [deal_type_name(deal)]
    if deal.date is not None:
        parts.append(deal.date.human())
    if deal.territory:
        parts.append(deal.territory)
    return " · ".join(parts)


@dataclass(frozen=True)
class DealSelection:
    """The deals a `deals` command's filters match, newest first, and how to say and redo it."""

    deals: list[Deal]
    title: str  # "Deals with Bayer (5)"
    filters: str  # the filters as typed again: "partner:Bayer year:2024"


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
    reply = deal_list(
        selection.deals, selection.title, f"deals {selection.filters}".strip(), cmd.page
    )
    return reply.model_copy(update={"actions": [export_action(selection.filters)]})


def select_deals(cmd: Command, store: KnowledgeStore) -> DealSelection | Reply:
    """Return the deals `cmd`'s filters (and words, as a partner) match, or a Reply saying why not."""
    unknown = sorted(set(cmd.filters) - _FILTER_NAMES)
    if unknown:
        return _bad_filter(f"I don't know the filter “{shorten(unknown[0], 30)}:”.")
    filters = {("partner" if k in {"party", "company"} else k): v for k, v in cmd.filters.items()}
    if cmd.words and "partner" not in filters:
        filters["partner"] = cmd.words  # `deals Bayer` means `deals partner:Bayer`
    kwargs: dict[str, str | int | None] = {}
    described: list[str] = []
    if "year" in filters:
        try:
            year = read_number(filters["year"], "year:", low=1000, high=9999, example="year:2024")
        except BadNumber as exc:
            return _bad_filter(str(exc))
        kwargs["year"] = year
        described.append(f"in {year}")
    if "type" in filters:
        wanted = _TYPE_ALIASES.get(filters["type"].casefold(), filters["type"].casefold())
        if wanted not in {t.value for t in DealType}:
            kinds = ", ".join(t.value for t in DealType)
            return _bad_filter(f"type: is one of {kinds}.")
        kwargs["deal_type"] = wanted
        described.append(f"of type {wanted}")
    for key in ("modality", "area"):
        if key in filters:
            kwargs[key] = filters[key]
            described.append(f"{key} {filters[key]}")
    if "topic" in filters:
        topic = resolve(store, filters["topic"], [Topic])
        if not topic.entities:
            return _bad_filter(
                f"No topic is called “{shorten(filters['topic'], 30)}”.", topic.suggestions, "topic"
            )
        kwargs["topic"] = topic.entities[0].id
        described.append(f"on {topic.entities[0].label()}")
    party_ids: list[str] = []
    if "partner" in filters:
        partner = resolve(store, filters["partner"], [Organisation])
        if not partner.entities:
            return _bad_filter(
                f"No company is called “{shorten(filters['partner'], 30)}”.",
                partner.suggestions,
                "partner",
            )
        party_ids = [i for e in partner.entities for i in family_of(store, e.id)]
        described.append("with " + " or ".join(e.label() for e in partner.entities))
    deals = _filtered(store, kwargs, party_ids)
    base = "deals " + " ".join(f"{k}:{v}" for k, v in filters.items())
    title = ("Deals " + ", ".join(described)) if described else "All deals"
    if not deals:
        return Reply(
            kind=ReplyKind.NOT_FOUND,
            title=f"No deals {', '.join(described)}".strip(),
            text="Nothing in the knowledge matches every filter. Try fewer filters.",
            suggestions=["deals", "deals type:newco", "deals modality:ADC", "help"],
            shareable=False,
        )
    return DealSelection(deals, f"{title} ({len(deals)})", base.removeprefix("deals").strip())


def _filtered(
    store: KnowledgeStore, kwargs: dict[str, str | int | None], party_ids: list[str]
) -> list[Deal]:
    def text(key: str) -> str | None:
        value = kwargs.get(key)
        return value if isinstance(value, str) else None

    year = kwargs.get("year")
    found: list[Deal] = []
    parties: list[str | None] = [*party_ids] or [None]
    for party in parties:
        found += store.filter_deals(
            party=party,
            year=year if isinstance(year, int) else None,
            modality=text("modality"),
            deal_type=text("deal_type"),
            topic=text("topic"),
            area=text("area"),
        )
    return newest_first(unique(found))


def _bad_filter(message: str, names: list[str] | None = None, key: str = "") -> Reply:
    tries = [f"deals {key}:{n}" for n in (names or [])]
    return Reply(
        kind=ReplyKind.NOT_FOUND,
        title="I couldn't read that filter",
        text=f"{message} Filters: {FILTER_HELP}.",
        suggestions=[*tries, "deals", "help"],
        shareable=False,
    )
