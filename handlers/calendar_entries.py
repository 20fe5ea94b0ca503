"""The dated things the knowledge holds: events and deal milestones, each spanning its precision."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from handlers.format import cite, deal_type_name
from handlers.memo import remember
from handlers.reply import SourceCitation
from knowledge import KnowledgeStore
from knowledge.models import Deal, Event, PartialDate, Precision, SourceRef

#: The domain of every UID the calendar writes: stable across rebuilds and reloads.
UID_DOMAIN = "chinabio-bot"
_PRECISION_NOTE = {Precision.MONTH: "date to the month", Precision.YEAR: "date to the year"}


@dataclass(frozen=True)
class CalendarEntry:
    """One all-day calendar item: first day, the day after its last, and what it is."""

    uid: str
    title: str
    start: dt.date
    end: dt.date  # exclusive, as iCalendar's DTEND of an all-day event
    when: str  # the dates for people, at the source's precision
    context: str  # one line: what the event is, or which deal the milestone belongs to
    description: str  # the context, how precise the date is, and the sources
    entity_id: str  # the event or deal it belongs to
    open_command: str
    sources: tuple[SourceCitation, ...]
    url: str | None = None  # the event's own page, else the first source's

    @property
    def last_day(self) -> dt.date:
        """Return the last day the item may fall on."""
        return self.end - dt.timedelta(days=1)


def first_day(date: PartialDate) -> dt.date:
    """Return the first day a date at its precision covers."""
    return date.earliest()


def day_after(date: PartialDate) -> dt.date:
    """Return the day after the last one a date at its precision covers."""
    if date.precision is Precision.DAY:
        return date.earliest() + dt.timedelta(days=1)
    if date.precision is Precision.MONTH:
        assert date.month is not None
        year, month = divmod(date.year * 12 + date.month, 12)  # the next month, 1-based
        return dt.date(year, month + 1, 1)
    return dt.date(date.year + 1, 1, 1)


def precision_note(date: PartialDate) -> str | None:
    """Return how precise a date is when it is not a day ('date to the month'), and if inferred."""
    notes = [_PRECISION_NOTE[date.precision]] if date.precision in _PRECISION_NOTE else []
    if date.inferred:
        said = f"; the source says “{date.as_stated}”" if date.as_stated else ""
        notes.append(f"the date is inferred{said}")
    return "; ".join(notes) or None


def _span_text(start: PartialDate, end: PartialDate | None) -> str:
    if end is None or end == start:
        return start.human()
    return f"{start.human()} – {end.human()}"


def _notes(dates: list[PartialDate]) -> list[str]:
    return list(dict.fromkeys(note for d in dates if (note := precision_note(d))))


def _describe(summary: str, dates: list[PartialDate], sources: list[SourceCitation]) -> str:
    lines = [summary]
    lines += [f"Precision: {note}." for note in _notes(dates)]
    for source in sources:
        where = f" · {source.locator}" if source.locator else ""
        lines.append(f"Source: {source.title}{where}")
    return "\n".join(lines)


def event_entry(store: KnowledgeStore, event: Event) -> CalendarEntry:
    """Return an event as one all-day item from its start to its end."""
    sources = [cite(store, ref) for ref in event.sources]
    dates = [event.start, *([event.end] if event.end else [])]
    summary = event.description or event.name
    if event.place:
        summary += f" Place: {event.place}."
    return CalendarEntry(
        uid=f"event.{event.id}@{UID_DOMAIN}",
        title=event.name,
        start=first_day(event.start),
        end=day_after(event.end or event.start),
        when=_span_text(event.start, event.end),
        context=" · ".join(p for p in (event.place or "", *_notes(dates)) if p) or "event",
        description=_describe(summary, dates, sources),
        entity_id=event.id,
        open_command=f"event {event.id}",
        sources=tuple(sources),
        url=event.url or next((s.url for s in sources if s.url), None),
    )


def milestone_entries(store: KnowledgeStore, deal: Deal) -> list[CalendarEntry]:
    """Return a deal's dated milestones; a UID is the deal, the milestone's kind and date."""
    entries: list[CalendarEntry] = []
    used: set[str] = set()
    for milestone in deal.milestones:
        key = f"{deal.id}.{milestone.kind}.{milestone.date.iso()}"
        base, n = key, 1
        while key in used:  # two milestones of one kind on one date
            n += 1
            key = f"{base}.{n}"
        used.add(key)
        refs: tuple[SourceRef, ...] = (milestone.source,) if milestone.source else deal.sources
        sources = [cite(store, ref) for ref in refs]
        context = f"{deal_type_name(deal)}: {deal.title}"
        summary = f"{milestone.label} ({context})."
        entries.append(
            CalendarEntry(
                uid=f"milestone.{key}@{UID_DOMAIN}",
                title=milestone.label,
                start=first_day(milestone.date),
                end=day_after(milestone.date),
                when=milestone.date.human(),
                context=" · ".join([context, *_notes([milestone.date])]),
                description=_describe(summary, [milestone.date], sources),
                entity_id=deal.id,
                open_command=f"deal {deal.id}",
                sources=tuple(sources),
                url=next((s.url for s in sources if s.url), None),
            )
        )
    return entries


def calendar_entries(store: KnowledgeStore) -> list[CalendarEntry]:
    """Return every event and dated deal milestone, earliest first (a longer one first on a day).

    Built once per knowledge snapshot: every feed request and `calendar` reads the same list.
    """

    def build() -> tuple[CalendarEntry, ...]:
        entries = [event_entry(store, e) for e in store.all(Event)]
        entries += [m for deal in store.all(Deal) for m in milestone_entries(store, deal)]
        return tuple(sorted(entries, key=lambda e: (e.start, -e.end.toordinal(), e.title)))

    return list(remember(store, "calendar-entries", build))


def ahead(entries: list[CalendarEntry], today: dt.date) -> list[CalendarEntry]:
    """Return the entries that may still fall on or after `today` (a month counts to its end)."""
    return [e for e in entries if e.last_day >= today]
