"""Compose a channel's weekly digest: a pure function of the store, the date and the channel's history."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from handlers.context import TeamReminder
from handlers.digest_picks import SEASON_WEEKS, pick_sections
from handlers.digest_reminders import reminders_section
from handlers.digest_topics import matching_ids, resolve_topic, topic_label
from handlers.reply import Action, ActionKind, ListItem, Reply, ReplyKind, Section
from knowledge import KnowledgeStore
from knowledge.models import AnyEntity, to_json

__all__ = [
    "SEASON_WEEKS",
    "ChannelHistory",
    "DigestLead",
    "LeadProvider",
    "compose_digest",
    "fingerprints",
    "resolve_topic",
    "topic_label",
]

MAX_CHANGES = 8
WIDEN_TO = 3  # related topics a narrow topic filter widens to
_CHANGE_KINDS = ("deal", "quote", "trend", "statistic", "event", "organisation", "person", "asset")


@dataclass(frozen=True)
class ChannelHistory:
    """What a channel already had: what it was shown and when, its team reminders, its last knowledge."""

    featured: Mapping[str, dt.date] = field(default_factory=dict)  # memory key -> last shown
    team: Sequence[TeamReminder] = ()  # the channel's open team reminders
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
        self.ids = matching_ids(store, topics)

    def __call__(self, entity: AnyEntity) -> bool:
        return self.ids is None or entity.id in self.ids


def _related_topics(store: KnowledgeStore, keep: _Keep, topics: Sequence[str]) -> list[str]:
    """Return the topics most often found beside the filter's, most shared first."""
    counts: Counter[str] = Counter()
    for entity in store.entities.values():
        if keep.ids is not None and entity.id in keep.ids:
            counts.update(t for t in getattr(entity, "topics", ()) if t not in topics)
    return [topic for topic, _ in counts.most_common(WIDEN_TO)]


def _nothing_new(exhausted: Sequence[str], scope: str) -> Section:
    kinds = " and ".join(exhausted)
    more = ", ".join(k for k in exhausted)
    return Section(
        heading="Nothing new in the knowledge",
        text=(
            f"Every one of the {kinds}{scope} has been in this channel's digest in the last "
            f"{SEASON_WEEKS} weeks; they come round again when the season turns."
        ),
        items=[
            ListItem(
                title=f"Browse them any time: type {more}",
                action=Action(kind=ActionKind.RUN, label="Browse", command=exhausted[0]),
            )
        ],
    )


def compose_digest(
    store: KnowledgeStore,
    today: dt.date,
    history: ChannelHistory | None = None,
    topics: Sequence[str] = (),
    lead: DigestLead | None = None,
) -> Reply:
    """Return a channel's digest: what's new, followed items, deal reminders, trend, deal, quote."""
    history = history or ChannelHistory()
    lead = lead or DigestLead()
    keep = _Keep(store, topics)
    sections: list[Section] = [s for s in (lead.news, lead.followed) if s is not None]
    if lead.news is None and history.fingerprints is not None:
        changes = _changes_section(store, history.fingerprints, keep)
        sections[:0] = [changes] if changes else []
    reminders, remembered = reminders_section(store, today, keep, history.featured, history.team)
    sections.append(reminders)
    filters: list[_Keep] = [keep]
    related = _related_topics(store, keep, topics) if topics else []
    if topics:
        filters += [_Keep(store, [*topics, *related])] if related else []
        filters.append(_Keep(store, ()))
    picks = pick_sections(store, today, filters, history.featured)
    note = None
    if topics:
        names = ", ".join(topic_label(t, store) for t in topics)
        note = f"Topics: {names}."
        if picks.widest:
            wider = (
                f"related topics ({', '.join(topic_label(t, store) for t in related)})"
                if related and picks.widest == 1
                else "the wider knowledge"
            )
            note += f" Little on {names} is new this week, so this digest also draws on {wider}."
    sections += picks.sections
    if picks.exhausted:
        scope = f" on {', '.join(topic_label(t, store) for t in topics)}" if topics else ""
        sections.append(_nothing_new(picks.exhausted, scope))
    sources = picks.sources
    return Reply(
        kind=ReplyKind.DIGEST,
        title=f"ChinaBio weekly digest — week of {_human(_monday(today))}",
        text=note,
        sections=sections,
        sources=list({s.title: s.model_copy(update={"locator": None}) for s in sources}.values()),
        shareable=False,
        entity_ids=[*picks.featured, *remembered],
    )


def _human(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _monday(today: dt.date) -> dt.date:
    return today - dt.timedelta(days=today.weekday())
