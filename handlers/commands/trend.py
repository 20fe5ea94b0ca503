"""`trends` and `trend [TOPIC]`: market patterns with their evidence (deals, figures, quotes)."""

from __future__ import annotations

from handlers.commands.topical import answer_tagged, entity_page
from handlers.context import AskContext
from handlers.format import cite_all, entity_item, quote_block
from handlers.parse import Command
from handlers.reply import Reply, ReplyKind, Section
from knowledge import KnowledgeStore
from knowledge.models import Deal, Quote, Statistic, Trend


def handle_trends(cmd: Command, store: KnowledgeStore, ctx: AskContext) -> Reply:
    """Answer `trends` with every trend, a page at a time."""
    del ctx
    trends = list(store.all(Trend))
    return trend_list(store, trends, f"Trends ({len(trends)})", "trends", cmd.page)


def handle_trend(cmd: Command, store: KnowledgeStore, ctx: AskContext) -> Reply:
    """Answer `trend TOPIC` with the trend's card, or the trends on that topic."""
    if not cmd.words:
        return handle_trends(cmd, store, ctx)
    return answer_tagged(
        cmd,
        store,
        Trend,
        command="trend",
        noun="trend",
        plural="Trends",
        card=trend_card,
        listing=trend_list,
    )


def trend_list(
    store: KnowledgeStore,
    trends: list[Trend],
    title: str,
    base: str,
    page: int,
    note: str | None = None,
) -> Reply:
    """Return one page of trends, each with a button that opens it."""
    return entity_page(
        store,
        trends,
        kind=ReplyKind.TREND_LIST,
        title=title,
        base=base,
        page=page,
        note=note,
        cite=False,
        suggestions=["stats", "deals"],
    )


def trend_card(store: KnowledgeStore, trend: Trend, note: str | None = None) -> Reply:
    """Return a trend with the statistics, deals and quotes that support it."""
    stats = [s for s in (store.get(i) for i in trend.statistics) if isinstance(s, Statistic)]
    deals = [d for d in (store.get(i) for i in trend.deals) if isinstance(d, Deal)]
    quotes = [q for q in (store.get(i) for i in trend.quotes) if isinstance(q, Quote)]
    sections = []
    if stats:
        sections.append(Section(heading="Figures", items=[entity_item(store, s) for s in stats]))
    if deals:
        sections.append(Section(heading="Deals", items=[entity_item(store, d) for d in deals]))
    text = f"{note}\n{trend.summary}" if note else trend.summary
    return Reply(
        kind=ReplyKind.TREND,
        title=trend.title,
        text=text,
        quotes=[quote_block(store, q) for q in quotes],
        sections=sections,
        sources=cite_all(store, [trend, *stats]),
        suggestions=["trends", *(f"quote {t}" for t in trend.topics[:1])],
        entity_ids=[trend.id, *trend.deals, *trend.quotes, *trend.statistics],
    )
