"""Answer a figure question: the figure as stated, its period and source first, then the context."""

from __future__ import annotations

from handlers.commands.stat import figure_line, same_figure, stat_card, stat_list
from handlers.format import name_of
from handlers.memo import remember
from handlers.parse import tokens
from handlers.question.entities import Found, typed_forms
from handlers.question.intent import Intent
from handlers.question.overlap import covered, stems
from handlers.reply import Reply
from handlers.words import words_of
from knowledge import KnowledgeStore
from knowledge.models import Statistic, Topic

#: Share of the question's own words a figure's description must hold to be its answer.
_COVERAGE = 0.6
_NOT_COUNTS = {"percent", "years", "months", "USD", "CNY"}
#: Words of a figure question that say nothing about which figure.
FIGURE_NOISE = words_of(
    "how many much far long big what which whats what's is are was were did does do there "
    "percent percentage % number compare versus vs"
)


#: Up to this many figures, every one is compared with the question (faster than a search).
_SCANNED = 5000


def _candidates(store: KnowledgeStore, words: list[str]) -> list[Statistic]:
    """Return the figures to compare with the question: all of them, or a search's best."""
    stats = store.all(Statistic)
    if len(stats) <= _SCANNED:
        return list(stats)
    hits = store.search(" ".join(words), [Statistic], limit=50) if words else []
    return [h.entity for h in hits if isinstance(h.entity, Statistic)]


def _stems_of(store: KnowledgeStore) -> dict[str, set[str]]:
    """Return each figure's described stems, built once per store snapshot."""

    def build() -> dict[str, set[str]]:
        stats = store.all(Statistic)
        return {s.id: _described(store, s) for s in stats} if len(stats) <= _SCANNED else {}

    return remember(store, "question-figure-stems", build)


def _counted(words: list[str]) -> str | None:
    """Return the thing a 'how many' question counts: its first word after the question words."""
    return typed_forms(words[0]).casefold() if words else None


def _words(stat: Statistic) -> set[str]:
    """Return a figure's own words (title, measure, as stated), folded."""
    text = typed_forms(f"{stat.title} {stat.measure} {stat.as_stated}")
    return {w.casefold() for w in tokens(text)}


def _described(store: KnowledgeStore, stat: Statistic) -> set[str]:
    """Return the stems of a figure's words, period, place and topics."""
    topics = [name_of(store, t) for t in stat.topics]
    text = " ".join(
        [stat.title, stat.measure, stat.as_stated, stat.period or "", stat.geography or "", *topics]
    )
    return stems(text)


def matching_figures(
    store: KnowledgeStore,
    found: Found,
    intent: Intent,
    words: list[str],
    coverage: float = _COVERAGE,
    by_topics: bool = True,
) -> list[Statistic]:
    """Return the figures that answer the question: its words covered, its year and topic kept."""
    topic_ids = {t.id for t in found.of(Topic)}
    named = {e.id for e in found.entities}
    year = intent.filters.year
    wanted = [w for w in words if not w.isdigit()]
    pool = _candidates(store, wanted)
    counted = _counted(wanted) if intent.asks_count else None
    asked = stems(" ".join(wanted))
    described_of = _stems_of(store)
    ranked: list[tuple[float, Statistic]] = []
    for stat in pool:
        if year is not None and str(year) not in (stat.period or "") + stat.title:
            continue
        if intent.asks_count and stat.unit in _NOT_COUNTS and counted != stat.unit:
            continue  # "how many" is not answered by a share, a duration or an amount
        if counted and counted not in _words(stat):
            continue  # "how many biotechs": the figure must count biotechs
        if by_topics:
            share = covered(asked, described_of.get(stat.id) or _described(store, stat))
        else:  # only the figure's own words, not the names of its topics
            share = covered(asked, stems(" ".join(_words(stat))))
        if stat.topics and topic_ids and not topic_ids & set(stat.topics) and not named:
            continue
        if share >= coverage:
            ranked.append((share, stat))
    ranked.sort(key=lambda pair: -pair[0])
    return [stat for _, stat in ranked]


def figure_reply(
    store: KnowledgeStore, stats: list[Statistic], question: str, side_by_side: bool = False
) -> Reply:
    """Return the figure in one line (as stated, what, period, source), then its card or list.

    Side by side (a comparison), the first line holds every figure compared. The same figure
    stated twice in the sources is one answer (its card says where else it is stated).
    """
    best = stats[0]
    twins = {t.id for t in same_figure(store, best)}
    stats = [best, *(s for s in stats[1:] if s.id not in twins)]
    shown = stats if side_by_side else [best]
    line = " ".join(figure_line(store, s) for s in shown)
    if len(stats) == 1:
        card = stat_card(store, best)
        text = f"{best.title}."
    else:
        card = stat_list(store, stats, f"Figures on “{question}”", "stats", 1)
        card = card.model_copy(update={"entity_ids": [s.id for s in stats]})
        text = "Also: " + " ".join(figure_line(store, s) for s in stats[1:4])
    if side_by_side:
        text = "You asked to compare them: " + "; ".join(s.title for s in shown) + "."
    restated = [t.id for s in shown for t in same_figure(store, s)]  # one figure, stated twice
    ids = [*card.entity_ids, *(i for i in restated if i not in card.entity_ids)]
    return card.model_copy(update={"title": line, "text": text, "entity_ids": ids})
