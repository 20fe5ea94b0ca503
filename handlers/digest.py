"""Compose a channel's weekly digest: a pure function of the store, the date and the channel's history."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from handlers.digest_reminders import anniversary_reminders, upcoming_reminders
from handlers.digest_topics import matching_ids, resolve_topic, topic_label
from handlers.format import cite, quote_block
from handlers.reply import (
    Action,
    ActionKind,
    Fact,
    ListItem,
    Reply,
    ReplyKind,
    Section,
    SourceCitation,
)
from knowledge import KnowledgeStore
from knowledge.models import (
    AnyEntity,
    Deal,
    Quote,
    Statistic,
    Trend,
    to_json,
)

__all__ = [
    "ChannelHistory",
    "DigestLead",
    "LeadProvider",
    "compose_digest",
    "fingerprints",
    "resolve_topic",
    "topic_label",
]

RECENT_WEEKS = 8  # a quote or trend featured within this many weeks is not repeated
QUOTES_PER_DIGEST = 2
MAX_CHANGES = 8
_CHANGE_KINDS = ("deal", "quote", "trend", "statistic", "event", "organisation", "person", "asset")


@dataclass(frozen=True)
class ChannelHistory:
    """What a channel already had: featured quote/trend ids by date, and the last digest's knowledge."""

    featured: Mapping[str, dt.date] = field(default_factory=dict)
    last_digest: dt.date | None = None
    fingerprints: Mapping[str, str] | None = None  # entity id -> fingerprint at the last digest


@dataclass(frozen=True)
class DigestLead:
    """Sections a caller puts at the top of a digest: what is new, and what the channel follows.

    `news` replaces the digest's own "New or changed since your last digest" when given.
    """

    news: Section | None = None
    followed: Section | None = None


class LeadProvider(Protocol):
    """Returns a channel's lead sections for its digest on `today` (called off the event loop)."""

    def __call__(
        self,
        key: tuple[str, str],
        store: KnowledgeStore,
        today: dt.date,
        history: ChannelHistory,
    ) -> DigestLead: ...


_FINGERPRINTS: dict[int, tuple[KnowledgeStore, dict[str, str]]] = {}


def fingerprints(store: KnowledgeStore) -> dict[str, str]:
    """Return a short content hash per entity id (cached per store snapshot)."""
    cached = _FINGERPRINTS.get(id(store))
    if cached is not None and cached[0] is store:
        return cached[1]
    result = {
        entity_id: hashlib.sha256(to_json(entity)).hexdigest()[:16]
        for entity_id, entity in store.entities.items()
    }
    if len(_FINGERPRINTS) >= 4:
        _FINGERPRINTS.clear()
    _FINGERPRINTS[id(store)] = (store, result)
    return result


def _rotation_key(entity_id: str, today: dt.date) -> str:
    """Order candidates differently each week, but the same way for the same week."""
    year, week, _ = today.isocalendar()
    return hashlib.sha256(f"{entity_id}:{year}-W{week}".encode()).hexdigest()


def _pick(
    candidates: Sequence[AnyEntity], count: int, history: ChannelHistory, today: dt.date
) -> list[AnyEntity]:
    """Pick `count` entities not featured in recent weeks; else the least recently featured."""
    cutoff = today - dt.timedelta(weeks=RECENT_WEEKS)

    def key(entity: AnyEntity) -> tuple[bool, dt.date, str]:
        seen = history.featured.get(entity.id)
        recent = seen is not None and seen > cutoff
        return (recent, seen or dt.date.min, _rotation_key(entity.id, today))

    return sorted(candidates, key=key)[:count]


def _trend_section(trend: Trend, store: KnowledgeStore) -> Section:
    facts = []
    for stat_id in trend.statistics[:3]:
        stat = store.get(stat_id)
        if isinstance(stat, Statistic):
            facts.append(Fact(label=stat.title, value=stat.as_stated))
    items = []
    for deal_id in trend.deals[:3]:
        deal = store.get(deal_id)
        if isinstance(deal, Deal):
            action = Action(kind=ActionKind.RUN, label="Open deal", command=f"deal {deal.id}")
            items.append(ListItem(title=deal.title, action=action))
    return Section(
        heading=f"Trend of the week: {trend.title}", text=trend.summary, facts=facts, items=items
    )


def _changes_section(
    store: KnowledgeStore, previous: Mapping[str, str], keep: _Keep
) -> Section | None:
    current = fingerprints(store)
    lines: list[ListItem] = []
    for entity_id, fingerprint in current.items():
        before = previous.get(entity_id)
        if before == fingerprint:
            continue
        entity = store.entities[entity_id]
        if entity.kind not in _CHANGE_KINDS or not keep(entity):
            continue
        what = "New" if before is None else "Updated"
        command = f"{entity.kind} {entity.id}" if entity.kind in ("deal", "event") else entity.id
        lines.append(
            ListItem(
                title=f"{what} {entity.kind}: {entity.label()}",
                action=Action(kind=ActionKind.RUN, label="Open", command=command),
            )
        )
    if not lines:
        return None
    extra = len(lines) - MAX_CHANGES
    return Section(
        heading="New or changed since your last digest",
        text=f"…and {extra} more." if extra > 0 else None,
        items=lines[:MAX_CHANGES],
    )


class _Keep:
    """The channel's topic filter as a callable over entities."""

    def __init__(self, store: KnowledgeStore, topics: Sequence[str]) -> None:
        self._ids = matching_ids(store, topics)

    def __call__(self, entity: AnyEntity) -> bool:
        return self._ids is None or entity.id in self._ids


def _fallback(store: KnowledgeStore, today: dt.date, topics: Sequence[str]) -> Section:
    """Return something worth reading from the whole store, so a digest is never empty."""
    note = (
        f"Nothing new on {', '.join(topic_label(t, store) for t in topics)} this week; "
        "from the wider knowledge:"
        if topics
        else "From the knowledge:"
    )
    stats = _pick(list(store.all(Statistic)), 2, ChannelHistory(), today)
    if stats:
        facts = [Fact(label=s.title, value=s.as_stated) for s in stats if isinstance(s, Statistic)]
        return Section(heading="Figures to know", text=note, facts=facts)
    deals = _pick(list(store.all(Deal)), 3, ChannelHistory(), today)
    if deals:
        items = [
            ListItem(
                title=d.label(),
                action=Action(kind=ActionKind.RUN, label="Open deal", command=f"deal {d.id}"),
            )
            for d in deals
        ]
        return Section(heading="Deals to know", text=note, items=items)
    return Section(
        heading="Nothing to report",
        text="The knowledge store has no trends, quotes, figures or deals yet.",
    )


def compose_digest(
    store: KnowledgeStore,
    today: dt.date,
    history: ChannelHistory | None = None,
    topics: Sequence[str] = (),
    lead: DigestLead | None = None,
) -> Reply:
    """Return the digest for a channel on `today`: lead sections, trend, quotes, reminders, changes."""
    history = history or ChannelHistory()
    lead = lead or DigestLead()
    keep = _Keep(store, topics)
    sections: list[Section] = [s for s in (lead.news, lead.followed) if s is not None]
    sources: list[SourceCitation] = []
    featured: list[str] = []

    trends = _pick([t for t in store.all(Trend) if keep(t)], 1, history, today)
    for trend in trends:
        assert isinstance(trend, Trend)
        sections.append(_trend_section(trend, store))
        sources.append(cite(store, trend.sources[0]))
        featured.append(trend.id)

    quotes = _pick([q for q in store.all(Quote) if keep(q)], QUOTES_PER_DIGEST, history, today)
    if quotes:
        blocks = [quote_block(store, q) for q in quotes if isinstance(q, Quote)]
        sections.append(Section(heading="Quotes", quotes=blocks))
        sources.extend(b.source for b in blocks if b.source)
        featured.extend(q.id for q in quotes)

    upcoming = upcoming_reminders(store, today, keep)
    anniversaries = anniversary_reminders(store, today, keep)
    if upcoming:
        sections.append(
            Section(heading="Coming up in the next 30 days", items=[r.item() for r in upcoming])
        )
    if anniversaries:
        sections.append(Section(heading="Anniversaries", items=[r.item() for r in anniversaries]))

    if lead.news is None and history.fingerprints is not None:
        changes = _changes_section(store, history.fingerprints, keep)
        if changes:
            sections.append(changes)

    if not sections:
        sections.append(_fallback(store, today, topics))

    scope = ", ".join(topic_label(t, store) for t in topics)
    return Reply(
        kind=ReplyKind.DIGEST,
        title=f"ChinaBio weekly digest — week of {_human(_monday(today))}",
        text=f"Topics: {scope}." if scope else None,
        sections=sections,
        sources=list({s.title: s.model_copy(update={"locator": None}) for s in sources}.values()),
        shareable=False,
        entity_ids=featured,
    )


def _human(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _monday(today: dt.date) -> dt.date:
    return today - dt.timedelta(days=today.weekday())
