"""`deals [modality:ADC] [partner:Bayer] [year:2024] [type:newco] [page:N]`: filtered deal lists."""

from __future__ import annotations

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


def handle_deals(cmd: Command, store: KnowledgeStore, ctx: AskContext) -> Reply:
    """Answer `deals` with every deal matching the filters, newest first, a page at a time."""
    del ctx
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
    return deal_list(deals, f"{title} ({len(deals)})", base.strip(), cmd.page)


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
