"""Answer questions about deals: which deal is meant, what was paid, when, and filtered lists."""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import replace

from handlers.commands.deal import deal_card
from handlers.commands.deal_list import deal_list, handle_deals
from handlers.commands.deal_subject import BACKGROUND_ROLES
from handlers.commands.event import event_card
from handlers.commands.profile import company_profile
from handlers.context import AskContext
from handlers.format import human_date, money_text
from handlers.memo import remember
from handlers.parse import parse_command, shorten, tokens
from handlers.question.entities import Found
from handlers.question.honest import first_line, not_in_knowledge
from handlers.question.intent import Intent
from handlers.question.overlap import stems
from handlers.reply import Reply, ReplyKind, Section
from handlers.resolve import newest_first, shared_deals
from knowledge import KnowledgeStore
from knowledge.models import Asset, Deal, Event, Organisation, Party, Person, Statistic, Topic

_DEAL_NOUNS = {"deal", "licence", "license", "acquisition", "partnership", "collaboration"}

#: Topics that name a way of dealing, not what a deal is about ("licensing deals").
_NOT_DEAL_TOPICS = {"partnering-models", "acquisitions", "funding", "partner-criteria"}


#: Topics that are therapeutic areas: `area:` also finds the deals a curator classified.
_AREAS = {"oncology": "oncology", "immunology": "immunology", "diabetes": "diabetes"}

_AREAS |= {"infectious-disease": "infectious disease"}


def modality_named(store: KnowledgeStore, text: str) -> str | None:
    """Return the longest modality the deals state that `text` names ("small molecule")."""

    def build() -> list[str]:
        found = {m for d in store.all(Deal) for m in d.modalities}
        found |= {a.modality for a in store.all(Asset) if a.modality and len(a.modality) <= 30}
        return sorted(found, key=len, reverse=True)

    padded = f" {' '.join(tokens(text.casefold()))} "
    for modality in remember(store, "question-modalities", build):
        if f" {' '.join(tokens(modality.casefold()))} " in padded:
            return modality
    return None


def deals_named(store: KnowledgeStore, found: Found, words: set[str] | None = None) -> list[Deal]:
    """Return the deals every named party, asset or deal shares; narrowed by a type word."""
    named = [e for e in found.entities if not isinstance(e, Person | Event | Topic)]
    if not named:
        return []
    deals = [e for e in named if isinstance(e, Deal)]
    shared = deals or shared_deals(store, named)
    if len(shared) > 1 and words:
        kinds = {"acquisition", "acquire", "acquired", "buy", "bought"}
        if words & kinds:
            narrowed = [d for d in shared if "acquisition" in d.type.value]
            shared = narrowed or shared
    ids = {e.id for e in named}
    asked = stems(" ".join(found.content))
    return sorted(newest_first(shared), key=lambda d: involvement(d, ids, asked))


def involvement(
    deal: Deal, ids: set[str], words: AbstractSet[str] = frozenset()
) -> tuple[int, int]:
    """Rank a deal for a question: most names asked about as its subject (a party in its own
    right, or its asset), then most of the question's other words in its title and terms."""
    subjects = {p.organisation for p in deal.parties if not _background(p)}
    named_in = ids & {*subjects, *deal.assets, deal.id}
    said = stems(" ".join([deal.title, deal.territory or "", deal.rights or ""]))
    return (-len(named_in), -len(words & said))


def _background(party: Party) -> bool:
    """Return True for a party in the background: an original licensor, or one taking part
    through a subsidiary ("through its venture arm JJDC")."""
    note = (party.note or "").casefold()
    return party.role.value in BACKGROUND_ROLES or note.startswith("through")


def amounts_of(deal: Deal) -> str:
    """Return a deal's amounts as stated, each with what it is: '$44 million purchase price; ...'."""
    parts = []
    for money in deal.money:
        amount = money_text(money)
        if money.condition:
            amount = amount.removesuffix(f" ({money.condition})")
        condition = f" ({money.condition})" if money.condition else ""
        parts.append(f"{amount} {money.label}{condition}")
    return "; ".join(parts)


def deals_answer(store: KnowledgeStore, text: str, found: Found, intent: Intent) -> Reply | None:
    """Answer with the deal the names point at, leading a list when one is the subject."""
    words = {w.casefold() for w in tokens(text)}
    deals = deals_named(store, found, words)
    if not deals:
        orgs = found.of(Organisation)
        if orgs:
            name = orgs[0].label()
            return not_in_knowledge(f"A deal with {name}", company_profile(store, orgs[0]))
        topics = [t for t in found.of(Topic) if t.id not in _NOT_DEAL_TOPICS]
        if topics:  # "car-t deals": the deals tagged with the topic
            deals = newest_first(store.deals_of(topics[0].id))
        if not deals:
            return None  # nothing named: no deal card from loose words; the search lists
    if len(deals) == 1:
        return deal_card(store, deals[0])
    ids = {e.id for e in found.entities}
    singular = "deal" in words and "deals" not in words and not words & {"every", "all", "each"}
    asked = stems(" ".join(found.content))
    if not singular and involvement(deals[0], ids, asked) == involvement(deals[1], ids, asked):
        title = f"{len(deals)} deals match “{shorten(text)}”"
        return deal_list(deals, title, "deals", 1, store=store)
    card = deal_card(store, deals[0])
    shown = {i.action.command for i in card.items if i.action}
    rest = [d for d in deals[1:] if f"deal {d.id}" not in shown]
    if not rest:
        return card
    listed = deal_list(rest, "Other deals", "deals", 1, store=store)
    others = Section(heading=f"Other deals that match ({len(rest)})", items=listed.items)
    return card.model_copy(
        update={
            "sections": [*card.sections, others],
            "entity_ids": [*card.entity_ids, *listed.entity_ids],
        }
    )


def deal_of_figure(deals: list[Deal], stat: Statistic) -> Deal | None:
    """Return the one deal among `deals` whose words a figure shares most ("five antibodies")."""
    asked = stems(f"{stat.title} {stat.measure}")

    def shared(deal: Deal) -> int:
        notes = " ".join(p.note or "" for p in deal.parties)
        return len(asked & stems(f"{deal.title} {deal.summary} {notes}"))

    ranked = sorted(deals, key=shared, reverse=True)
    if not ranked or shared(ranked[0]) == 0:
        return None
    if len(ranked) > 1 and shared(ranked[1]) == shared(ranked[0]):
        return None
    return ranked[0]


def with_deal(store: KnowledgeStore, reply: Reply, deal: Deal) -> Reply:
    """Return `reply` with the deal it belongs to listed below it ("the five antibodies" -> DAC)."""
    listed = deal_list([deal], "The deal", "deals", 1, store=store)
    section = Section(heading="The deal it is about", items=listed.items)
    return reply.model_copy(
        update={
            "sections": [*reply.sections, section],
            "entity_ids": [*reply.entity_ids, *listed.entity_ids],
        }
    )


def paid_answer(store: KnowledgeStore, text: str, found: Found, intent: Intent) -> Reply | None:
    """Say what was paid in the deal asked about: the amounts as stated, or 'not disclosed'."""
    deals = deals_named(store, found, {w.casefold() for w in tokens(text)})
    if not deals:
        return None
    deal = deals[0]
    card = deal_card(store, deal)
    understood = f"You asked about the terms of {deal.title}."
    if deal.money:
        return first_line(card, f"{deal.title}: {amounts_of(deal)}", understood)
    title = f"The terms of {deal.title} are not disclosed in the source"
    return first_line(card, title, f"{understood} The report gives no amounts for it.")


def when_answer(store: KnowledgeStore, found: Found) -> Reply | None:
    """Answer with the date of the deal or event named, at the source's precision."""
    events = found.of(Event)
    deals = deals_named(store, found)
    if events and not deals:
        return event_card(store, events[0])
    orgs = found.of(Organisation)
    named_deal = bool(found.of(Deal)) or bool(found.of(Asset)) or len(orgs) > 1
    named_deal = named_deal or bool(set(found.words) & _DEAL_NOUNS)
    if orgs and not named_deal:  # "when did Bayer's China BD start": the company's story
        return company_profile(store, orgs[0])
    if not deals:
        return None
    deal = deals[0]
    card = deal_card(store, deal)
    understood = f"You asked when {deal.title} happened."
    if deal.date is None:
        return first_line(card, f"The date of {deal.title} is not stated in the source", understood)
    return first_line(card, f"{deal.title}: {human_date(deal.date)}", understood)


def list_answer(store: KnowledgeStore, text: str, found: Found, intent: Intent) -> Reply | None:
    """Compose the `deals` command from the filters and names in the question."""
    filters = intent.filters
    named_words = {w.casefold() for s in found.spotted for w in tokens(s.phrase)}
    if filters.country and filters.country.casefold() in named_words:
        filters = replace(filters, country=None)  # "Hangzhou DAC" names a company, not a place
    parts = ["deals", *filters.command()]
    orgs, topics = found.of(Organisation), found.of(Topic)
    if not filters and (len(orgs) > 1 or bool(found.of(Deal)) or bool(found.of(Asset))):
        return deals_answer(store, text, found, intent)
    named_modality = modality_named(store, text) is not None
    if not filters and not orgs and not topics and found.content and not named_modality:
        return None  # "barriers to doing deals": not a list of deals
    if orgs:
        parts.append(f"partner:{orgs[0].id}")
    modality = modality_named(store, text)
    if modality and not topics:
        parts.append(f"modality:{modality}")
    topic = next((t for t in topics if t.id not in _NOT_DEAL_TOPICS), None)
    if topic is not None and topic.id in _AREAS:  # the area, curator's classification included
        parts.append(f"area:{_AREAS[topic.id]}")
    elif topic is not None:
        parts.append(f"topic:{topic.id}")
    command = " ".join(parts)
    reply = handle_deals(parse_command(command, with_filters=True), store, AskContext())
    if reply.kind == ReplyKind.NOT_FOUND:
        asked = shorten(" ".join(parts[1:]) or text, 60)
        return not_in_knowledge(f"A deal matching {asked}", understood=f"You asked for {command}.")
    update = {"text": f"You asked for: {command}. {reply.text or ''}".strip()}
    top = store.get(reply.entity_ids[0]) if reply.entity_ids else None
    if filters.sort == "amount" and isinstance(top, Deal) and top.money:
        update["title"] = f"Largest: {top.title}, {amounts_of(top)} — {reply.title}"
    return reply.model_copy(update=update)
