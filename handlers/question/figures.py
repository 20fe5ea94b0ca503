"""Answer a figure question: the figure as stated, its period and source first, then the context."""

from __future__ import annotations

from handlers.commands.stat import stat_card, stat_list
from handlers.format import cite_all, name_of
from handlers.parse import tokens
from handlers.question.entities import Found
from handlers.question.intent import Intent
from handlers.reply import Reply
from knowledge import KnowledgeStore
from knowledge.models import Statistic, Topic

#: Share of the question's own words a figure's description must hold to be its answer.
_COVERAGE = 0.6
_STEM = 4  # words are compared by their first letters: "licensed" ~ "licensing"
_NOT_COUNTS = {"percent", "years", "months", "USD", "CNY"}
#: Words of a figure question that say nothing about which figure.
FIGURE_NOISE = frozenset(
    [
        "how",
        "many",
        "much",
        "far",
        "long",
        "big",
        "what",
        "which",
        "whats",
        "what's",
        "is",
        "are",
        "was",
        "were",
        "did",
        "does",
        "do",
        "there",
        "percent",
        "percentage",
        "%",
        "number",
    ]
)


def _stems(text: str) -> set[str]:
    return {w.casefold()[:_STEM] for w in tokens(text)}


def _counted(words: list[str]) -> str | None:
    """Return the thing a 'how many' question counts: its first word after the question words."""
    return words[0].casefold() if words else None


def _words(store: KnowledgeStore, stat: Statistic) -> set[str]:
    return {w.casefold() for w in tokens(f"{stat.title} {stat.measure} {stat.as_stated}")}


def _described(store: KnowledgeStore, stat: Statistic) -> set[str]:
    topics = [name_of(store, t) for t in stat.topics]
    text = " ".join(
        [stat.title, stat.measure, stat.as_stated, stat.period or "", stat.geography or "", *topics]
    )
    return _stems(text)


def matching_figures(
    store: KnowledgeStore,
    found: Found,
    intent: Intent,
    words: list[str],
    coverage: float = _COVERAGE,
) -> list[Statistic]:
    """Return the figures that answer the question: its words covered, its year and topic kept."""
    topic_ids = {t.id for t in found.of(Topic)}
    named = {e.id for e in found.entities}
    year = intent.filters.year
    wanted = [w for w in words if not w.isdigit()]
    pool: dict[str, Statistic] = {}
    if wanted:
        for hit in store.search(" ".join(wanted), [Statistic], limit=20):
            if isinstance(hit.entity, Statistic):
                pool[hit.entity.id] = hit.entity
    for stat in store.all(Statistic):
        if topic_ids & set(stat.topics):
            pool.setdefault(stat.id, stat)
    counted = _counted(words) if intent.asks_count else None
    ranked: list[tuple[float, Statistic]] = []
    for stat in pool.values():
        if year is not None and str(year) not in (stat.period or "") + stat.title:
            continue
        if intent.asks_count and stat.unit in _NOT_COUNTS:
            continue  # "how many" is not answered by a share, a duration or an amount
        described = _described(store, stat)
        if counted and counted not in _words(store, stat):
            continue  # "how many biotechs": the figure must count biotechs
        stems = _stems(" ".join(wanted))
        covered = len(stems & described) / len(stems) if stems else 0.0
        if stat.topics and topic_ids and not topic_ids & set(stat.topics) and not named:
            continue
        if covered >= coverage:
            ranked.append((covered, stat))
    ranked.sort(key=lambda pair: -pair[0])
    return [stat for _, stat in ranked]


def figure_reply(store: KnowledgeStore, stats: list[Statistic], question: str) -> Reply:
    """Return the best figure in one line (as stated, period, source), then its card or the others."""
    best = stats[0]
    source = cite_all(store, [best])
    where = source[0].title if source else "the report"
    period = f" ({best.period})" if best.period else ""
    line = f"{best.as_stated}{period}: {best.title} — {where}"
    if len(stats) == 1:
        card = stat_card(store, best)
    else:
        card = stat_list(store, stats, f"Figures on “{question}”", "stats", 1)
        card = card.model_copy(update={"entity_ids": [s.id for s in stats]})
    others = "; ".join(
        f"{s.as_stated} ({s.period or 'no period given'}): {s.title}" for s in stats[1:4]
    )
    measure = best.measure[:1].upper() + best.measure[1:]
    text = f"{measure}." + (f" Also: {others}." if others else "")
    return card.model_copy(update={"title": line, "text": text})
