"""`events` and `event NAME`: conferences and forums with their in-person and virtual dates."""

from __future__ import annotations

from handlers.commands.topical import find_tagged
from handlers.context import AskContext
from handlers.format import cite_all, entity_item, event_dates, name_of
from handlers.notfound import corrected_note, not_found
from handlers.paging import more_action, page_note, paginate
from handlers.parse import Command
from handlers.reply import Fact, Reply, ReplyKind
from knowledge import KnowledgeStore
from knowledge.models import Event


def handle_events(cmd: Command, store: KnowledgeStore, ctx: AskContext) -> Reply:
    """Answer `events` with every event, soonest first; a single event shows its card."""
    del ctx
    events = sorted(store.all(Event), key=lambda e: e.start.earliest())
    if len(events) == 1:
        return event_card(store, events[0])
    shown, page, pages = paginate(events, cmd.page)
    if not events:
        return not_found(store, "event", "", "event", [])
    return Reply(
        kind=ReplyKind.EVENT_LIST,
        title=f"Events ({len(events)})",
        text=page_note(len(events), page, pages),
        items=[entity_item(store, e) for e in shown],
        more=more_action("events", page, pages),
        entity_ids=[e.id for e in shown],
    )


def handle_event(cmd: Command, store: KnowledgeStore, ctx: AskContext) -> Reply:
    """Answer `event NAME` with the event's card."""
    if not cmd.words:
        return handle_events(cmd, store, ctx)
    found = find_tagged(store, cmd.words, Event)
    if not found.entities:
        return not_found(store, "event", cmd.words, "event", found.suggestions)
    return event_card(store, found.entities[0], corrected_note(cmd.words, found.corrected_to))


def event_card(store: KnowledgeStore, event: Event, note: str | None = None) -> Reply:
    """Return one event: dates, place, virtual dates, organiser and link."""
    facts = [Fact(label="Dates", value=event_dates(event))]
    if event.place:
        facts.append(Fact(label="Place", value=event.place))
    if event.virtual_start:
        virtual = event.virtual_start.human()
        if event.virtual_end and event.virtual_end != event.virtual_start:
            virtual += f" – {event.virtual_end.human()}"
        facts.append(Fact(label="Virtual", value=virtual))
    if event.organiser:
        facts.append(Fact(label="Organiser", value=name_of(store, event.organiser)))
    if event.part_of:
        facts.append(Fact(label="Part of", value=name_of(store, event.part_of)))
    if event.speakers:
        facts.append(
            Fact(label="Speakers", value=", ".join(name_of(store, s) for s in event.speakers))
        )
    if event.url:
        facts.append(Fact(label="Link", value=event.url))
    text = " ".join(t for t in (note, event.description) if t) or None
    return Reply(
        kind=ReplyKind.EVENT,
        title=event.name,
        text=text,
        facts=facts,
        sources=cite_all(store, [event]),
        suggestions=["events"],
        entity_ids=[event.id],
    )
