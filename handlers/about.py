"""Ask about a message: what the knowledge has on every company, asset and topic a text names.

The text is someone else's message (a pasted headline, a partner's email), never a command: it is
only read for names, so a message saying "calendar revoke" revokes nothing.
"""

from __future__ import annotations

from handlers.commands.search import search_reply
from handlers.format import cite_all, entity_item
from handlers.reply import ListItem, Reply, ReplyKind, Section
from handlers.resolve import Spotted, deals_for, newest_first, spot
from knowledge import KnowledgeStore
from knowledge.models import AnyEntity, Asset, Deal, Event, Organisation, Person, Topic

#: How much of a message is read (an email's first screens); the rest is ignored.
MAX_MESSAGE_CHARS = 4000
#: At most this many named things, and deals they are in, are listed.
MAX_NAMED = 12
MAX_DEALS = 8
#: What a message may name, in the order the answer lists them.
KINDS: tuple[type[AnyEntity], ...] = (Organisation, Asset, Deal, Person, Topic, Event)
_GROUP = {
    Organisation.kind: "Companies and organisations",
    Asset.kind: "Assets",
    Deal.kind: "Deals named",
    Person.kind: "People",
    Topic.kind: "Topics",
    Event.kind: "Events",
}


def about_message(text: str, store: KnowledgeStore) -> Reply:
    """Return what the knowledge has on the entities `text` names; a search when it names none."""
    text = " ".join(text[:MAX_MESSAGE_CHARS].split())
    if not text:
        return Reply(
            kind=ReplyKind.NOT_FOUND,
            title="That message has no text",
            text="Pick a message with words in it (a headline, an email) and ask again.",
            shareable=False,
        )
    named = _named(store, text)
    if not named:
        found = search_reply(
            store,
            text[:300],
            hint="The message names no company, asset or topic the knowledge knows by name; "
            "here is what a search of its words found.",
        )
        return found.model_copy(update={"more": None, "shareable": False, "command": None})
    entities = [s.entity for s in named]
    sections = [
        Section(
            heading=_GROUP[kind.kind],
            items=[entity_item(store, e) for e in entities if e.kind == kind.kind],
        )
        for kind in KINDS
        if any(e.kind == kind.kind for e in entities)
    ]
    deals = _deals(store, entities)
    if deals:
        sections.append(Section(heading="Their deals in the knowledge", items=deals))
    names = ", ".join(dict.fromkeys(e.label() for e in entities))
    return Reply(
        kind=ReplyKind.ABOUT,
        title="What the knowledge has on this message",
        text=f"It names {len(entities)} thing{'s' if len(entities) != 1 else ''} the knowledge "
        f"knows: {names}. Open one for its card.",
        sections=sections,
        sources=cite_all(store, entities),
        entity_ids=[e.id for e in entities],
        shareable=False,
    )


def _named(store: KnowledgeStore, text: str) -> list[Spotted]:
    """Return the entities named in `text`, first-named first, at most MAX_NAMED."""
    spotted = spot(store, text, KINDS)
    order = text.casefold()
    spotted.sort(key=lambda s: order.find(s.phrase.casefold()))
    return spotted[:MAX_NAMED]


def _deals(store: KnowledgeStore, entities: list[AnyEntity]) -> list[ListItem]:
    """Return the deals of the named parties and assets: those naming most of them first."""
    parties = [e for e in entities if isinstance(e, Organisation | Asset)]
    named = {e.id for e in entities}
    pool = newest_first(d for e in parties for d in deals_for(store, e) if d.id not in named)

    def score(deal: Deal) -> int:
        return -len(named & {*deal.party_ids(), *deal.assets})

    return [entity_item(store, d) for d in sorted(pool, key=score)][:MAX_DEALS]
