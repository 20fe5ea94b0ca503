"""The digest's rotating picks: trend of the week with figures and a quote, deal of the week, a voice.

A channel's memory (what it was shown, and when) keeps anything from coming back within a season
while unseen items remain; when all of a kind were shown, the digest says so instead of repeating.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from handlers.commands.deal import deal_card
from handlers.format import cite, quote_block
from handlers.reply import (
    Action,
    ActionKind,
    Fact,
    ListItem,
    QuoteBlock,
    Section,
    SourceCitation,
)
from knowledge import KnowledgeStore
from knowledge.models import AnyEntity, Deal, Quote, Statistic, Trend

SEASON_WEEKS = 12  # nothing featured within a season comes back while unseen ones remain
_SEASON_DAYS = SEASON_WEEKS * 7 - 3  # a few days' slack: a channel may move its digest day
MIN_QUOTE_WORDS = 8  # shorter quotes are fragments: never shown on their own
MAX_FIGURES = 3

Filter = Callable[[AnyEntity], bool]


@dataclass
class Picks:
    """The sections picked for one digest, what they featured and cited, and what ran out."""

    sections: list[Section] = field(default_factory=list)
    featured: list[str] = field(default_factory=list)
    sources: list[SourceCitation] = field(default_factory=list)
    exhausted: list[str] = field(default_factory=list)  # "trends", "deals", "quotes"
    widest: int = 0  # the widest filter a pick came from (0: the channel's own)


def _rotation_key(entity_id: str, today: dt.date) -> str:
    """Order candidates differently each week, but the same way for the same week."""
    year, week, _ = today.isocalendar()
    return hashlib.sha256(f"{entity_id}:{year}-W{week}".encode()).hexdigest()


def fresh(
    candidates: Sequence[AnyEntity], shown: Mapping[str, dt.date], today: dt.date
) -> list[AnyEntity]:
    """Return the candidates not shown this season, least recently shown first."""

    def seen_in_season(entity: AnyEntity) -> bool:
        last = shown.get(entity.id)
        return last is not None and (today - last).days < _SEASON_DAYS

    unseen = [c for c in candidates if not seen_in_season(c)]
    return sorted(unseen, key=lambda e: (shown.get(e.id, dt.date.min), _rotation_key(e.id, today)))


def _more(label: str, command: str, title: str) -> ListItem:
    return ListItem(title=title, action=Action(kind=ActionKind.RUN, label=label, command=command))


def figures(store: KnowledgeStore, trend: Trend) -> list[Fact]:
    """Return the trend's own figures on its point: no comparison from outside biotech."""
    found = []
    for stat_id in trend.statistics:
        stat = store.get(stat_id)
        if not isinstance(stat, Statistic) or stat.comparison:
            continue
        if stat.topics and not set(stat.topics) & set(trend.topics):
            continue
        found.append(Fact(label=stat.title, value=stat.as_stated))
    return found[:MAX_FIGURES]


def whole(quote: Quote) -> bool:
    """Return True when a quote says something on its own (not a fragment)."""
    return len(quote.text.split()) >= MIN_QUOTE_WORDS


class _Quotes:
    """Unseen whole quotes, handed out with a different speaker each time, narrowest filter first."""

    def __init__(
        self,
        store: KnowledgeStore,
        filters: Sequence[Filter],
        shown: Mapping[str, dt.date],
        today: dt.date,
    ) -> None:
        self.store = store
        pool = [q for q in fresh(list(store.all(Quote)), shown, today) if isinstance(q, Quote)]
        self.tiers = [[q for q in pool if keep(q) and whole(q)] for keep in filters]
        self.speakers: set[str] = set()
        self.taken: set[str] = set()

    def take(
        self, prefer: Callable[[Quote], bool], *, only: bool = False
    ) -> tuple[QuoteBlock, int] | None:
        """Return an unseen quote by a new speaker (preferring, or `only`, `prefer`) and its tier."""
        for tier, quotes in enumerate(self.tiers):
            ready = [q for q in quotes if q.speaker not in self.speakers and q.id not in self.taken]
            ranked = [q for q in ready if prefer(q)] or ([] if only else ready)
            if ranked:
                quote = ranked[0]
                self.speakers.add(quote.speaker)
                self.taken.add(quote.id)
                return quote_block(self.store, quote), tier
        return None


def _first_fresh(
    store: KnowledgeStore,
    kind: type[Trend] | type[Deal],
    filters: Sequence[Filter],
    shown: Mapping[str, dt.date],
    today: dt.date,
) -> tuple[AnyEntity | None, int]:
    """Return the first unseen entity of `kind` under the narrowest filter that has one."""
    for tier, keep in enumerate(filters):
        found = fresh([e for e in store.all(kind) if keep(e)], shown, today)
        if found:
            return found[0], tier
    return None, 0


def _trend_section(store: KnowledgeStore, trend: Trend, quote: QuoteBlock | None) -> Section:
    items = []
    for deal_id in trend.deals[:3]:
        deal = store.get(deal_id)
        if isinstance(deal, Deal):
            action = Action(kind=ActionKind.RUN, label="Open deal", command=f"deal {deal.id}")
            items.append(ListItem(title=deal.title, action=action))
    items.append(_more("Open trend", f"trend {trend.id}", "More on this trend: type trends"))
    return Section(
        heading=f"Trend of the week: {trend.title}",
        text=trend.summary,
        facts=figures(store, trend),
        quotes=[quote] if quote else [],
        items=items,
    )


def _deal_section(store: KnowledgeStore, deal: Deal) -> Section:
    terms = [f for f in deal_card(store, deal).facts if not f.label.startswith("Milestone")]
    return Section(
        heading=f"Deal of the week: {deal.title}",
        text=deal.summary,
        facts=terms,
        items=[
            _more(
                "Open deal", f"deal {deal.id}", "The whole deal card, and more deals: type deals"
            ),
            ListItem(
                title="Remind the team about this deal on a date",
                action=Action(
                    kind=ActionKind.REMIND, label="Remind me", command=f"remind deal {deal.id}"
                ),
            ),
        ],
    )


def pick_sections(
    store: KnowledgeStore, today: dt.date, filters: Sequence[Filter], shown: Mapping[str, dt.date]
) -> Picks:
    """Return the trend, deal and quote of the week; each from the narrowest filter that has one."""
    picks = Picks()
    quotes = _Quotes(store, filters, shown, today)
    trend, trend_tier = _first_fresh(store, Trend, filters, shown, today)
    deal, deal_tier = _first_fresh(store, Deal, filters, shown, today)
    tiers = []
    if isinstance(trend, Trend):
        about = set(trend.quotes)
        taken = quotes.take(
            lambda q: q.id in about or bool(set(q.topics) & set(trend.topics)), only=True
        )
        block = taken[0] if taken else None
        picks.sections.append(_trend_section(store, trend, block))
        picks.featured += [trend.id, *([block.quote_id] if block else [])]
        picks.sources.append(cite(store, trend.sources[0]))
        tiers.append(trend_tier)
    else:
        picks.exhausted.append("trends")
    if isinstance(deal, Deal):
        picks.sections.append(_deal_section(store, deal))
        picks.featured.append(deal.id)
        picks.sources.append(cite(store, deal.sources[0]))
        tiers.append(deal_tier)
    else:
        picks.exhausted.append("deals")
    parties = set(deal.party_ids()) if isinstance(deal, Deal) else set()
    voice = quotes.take(lambda q: q.organisation in parties)
    if voice is not None:
        block, tier = voice
        more = f"More from {block.speaker}: type quote"
        picks.sections.append(
            Section(
                heading="Quote of the week",
                quotes=[block],
                items=[_more("More quotes", f"quote {block.speaker}", more)],
            )
        )
        picks.featured.append(block.quote_id)
        tiers.append(tier)
    if not any(s.quotes for s in picks.sections):
        picks.exhausted.append("quotes")
    picks.widest = max(tiers, default=0)
    picks.sources += [q.source for s in picks.sections for q in s.quotes if q.source]
    return picks
