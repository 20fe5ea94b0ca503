"""`stats` and `stat TOPIC`: figures as the source states them, with what they measure."""

from __future__ import annotations

from handlers.commands.topical import answer_tagged, entity_page
from handlers.context import AskContext
from handlers.format import amount_text, cite, cite_all, number_text
from handlers.memo import remember
from handlers.parse import Command
from handlers.reply import Fact, Reply, ReplyKind
from knowledge import KnowledgeStore
from knowledge.models import Statistic

_QUALIFIERS = {
    "about": "about ",
    "more-than": "more than ",
    "less-than": "less than ",
    "at-least": "at least ",
    "at-most": "at most ",
}


def handle_stats(cmd: Command, store: KnowledgeStore, ctx: AskContext) -> Reply:
    """Answer `stats` with every statistic, a page at a time."""
    del ctx
    stats = list(store.all(Statistic))
    return stat_list(store, stats, f"Statistics ({len(stats)})", "stats", cmd.page)


def handle_stat(cmd: Command, store: KnowledgeStore, ctx: AskContext) -> Reply:
    """Answer `stat TOPIC` with the figure, or the figures on that topic."""
    if not cmd.words:
        return handle_stats(cmd, store, ctx)
    return answer_tagged(
        cmd,
        store,
        Statistic,
        command="stat",
        noun="statistic",
        plural="Statistics",
        card=stat_card,
        listing=stat_list,
    )


def stat_list(
    store: KnowledgeStore,
    stats: list[Statistic],
    title: str,
    base: str,
    page: int,
    note: str | None = None,
) -> Reply:
    """Return one page of statistics, each with a button that opens it."""
    return entity_page(
        store,
        stats,
        kind=ReplyKind.STAT_LIST,
        title=title,
        base=base,
        page=page,
        note=note,
        cite=True,
    )


def stat_card(store: KnowledgeStore, stat: Statistic, note: str | None = None) -> Reply:
    """Return one statistic: the figure as stated, what it measures, period and place."""
    facts = [Fact(label="Figure", value=stat.as_stated)]
    if value_text(stat) != stat.as_stated:
        facts.append(Fact(label="In numbers", value=value_text(stat)))
    facts.append(Fact(label="Measures", value=stat.measure))
    for label, value in (("Period", stat.period), ("Where", stat.geography)):
        if value:
            facts.append(Fact(label=label, value=value))
    twins = same_figure(store, stat)
    if twins:
        facts.append(Fact(label="Also stated as", value="; ".join(_stated(t) for t in twins)))
    return Reply(
        kind=ReplyKind.STAT,
        title=stat.title,
        text=" ".join(t for t in (note, figure_line(store, stat)) if t),
        facts=facts,
        sources=cite_all(store, [stat]),
        suggestions=["stats", "trends"],
        entity_ids=[stat.id],
    )


def figure_line(store: KnowledgeStore, stat: Statistic) -> str:
    """Return the one-line answer: the figure as stated, what it measures, its period, its source.

    '>80%: drop in foreign capital flowing into China's biotech capital markets, 2024
    (ChinaBio, April 2025, I.3 Innovation Amid Funding Constraints).'
    """
    citation = cite(store, stat.sources[0])
    where = ", ".join(p for p in (citation.publisher, citation.date, citation.locator) if p)
    period = f", {stat.period}" if stat.period else ""
    return f"{stat.as_stated}: {stat.measure}{period} ({where or citation.title})."


def same_figure(store: KnowledgeStore, stat: Statistic) -> list[Statistic]:
    """Return the statistics that are this figure stated again elsewhere in the sources."""

    def build() -> dict[str, list[Statistic]]:
        restated: dict[str, list[Statistic]] = {}
        for other in store.all(Statistic):
            if other.same_figure_as:
                restated.setdefault(other.same_figure_as, []).append(other)
        return restated

    linked = list(remember(store, "statistics-restated", build).get(stat.id, []))
    other = store.get(stat.same_figure_as or "")
    if isinstance(other, Statistic):
        linked.insert(0, other)
    return [s for s in linked if s.id != stat.id]


def _stated(stat: Statistic) -> str:
    """Return 'more than one-third (2024; II.3 Servier)'."""
    where = [stat.period or "", *(ref.locator or "" for ref in stat.sources)]
    detail = "; ".join(w for w in where if w)
    return f"{stat.as_stated} ({detail})" if detail else stat.as_stated


def value_text(stat: Statistic) -> str:
    """Return the figure in words from its number: 'more than 80%'."""
    qualifier = _QUALIFIERS.get(stat.qualifier, "")
    if stat.unit in {"USD", "CNY"}:
        value = amount_text(stat.value, stat.unit)
        if stat.value_high is not None:
            value += f"–{amount_text(stat.value_high, stat.unit)}"
        return f"{qualifier}{value}"
    value = number_text(stat.value)
    if stat.value_high is not None:
        value += f"–{number_text(stat.value_high)}"
    return f"{qualifier}{value}{'%' if stat.unit == 'percent' else ''}"
