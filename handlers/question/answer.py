"""Answer a plain-word question: entities -> intent -> the existing commands, composed.

Every branch says what it understood, and when the knowledge cannot answer what was asked
it says so in the first line, then offers the nearest useful thing.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import replace

from handlers.commands.deal import deal_card
from handlers.commands.deal_list import deal_list, handle_deals
from handlers.commands.deal_subject import BACKGROUND_ROLES
from handlers.commands.event import event_card, handle_events
from handlers.commands.profile import company_profile, person_profile
from handlers.commands.search import search_reply, search_words
from handlers.commands.trend import trend_card, trend_list
from handlers.context import AskContext
from handlers.explain import explain_topic
from handlers.format import human_date, money_text
from handlers.parse import parse_command, shorten, tokens
from handlers.question.assets import asset_answer, assets_owned_by
from handlers.question.entities import Found, find_entities
from handlers.question.figures import FIGURE_NOISE, figure_reply, matching_figures
from handlers.question.honest import first_line, not_in_knowledge
from handlers.question.intent import Ask, Intent, read_intent
from handlers.question.overlap import stems
from handlers.question.people import who_answer
from handlers.question.quotes import best_quote
from handlers.reply import Reply, ReplyKind, Section
from handlers.resolve import newest_first, shared_deals
from knowledge import KnowledgeStore
from knowledge.models import (
    AnyEntity,
    Asset,
    Deal,
    Event,
    Organisation,
    Party,
    Person,
    Topic,
    Trend,
)

#: Intents that are about a named party: an unknown name there is the question's subject.
_NAMED_SUBJECT = {Ask.WHO, Ask.PROFILE, Ask.QUOTE, Ask.PAID, Ask.DEAL, Ask.LIST, Ask.COMPARE}


def answer_question(text: str, store: KnowledgeStore, ctx: AskContext) -> Reply:
    """Answer a question from the knowledge; say first when the knowledge cannot."""
    found = find_entities(store, text)
    intent = read_intent(text)
    if found.unknown and _unknown_is_subject(text, found, intent):
        return not_in_knowledge(found.unknown[0], close=found.close, typed=True)
    reply = _route(store, text, found, intent, ctx)
    if reply is not None:
        return reply
    return _fallback(store, text, found)


def _unknown_is_subject(text: str, found: Found, intent: Intent) -> bool:
    """Return True when a name the knowledge lacks is what the question is about."""
    if intent.ask in {Ask.EVENT, Ask.TREND}:
        return False  # "when is the virtual part of the forum": the events answer it
    parties = [*found.of(Person), *found.of(Organisation), *found.of(Asset), *found.of(Deal)]
    if not found.spotted:
        return True
    if intent.ask in _NAMED_SUBJECT and not parties:
        return True
    # "a deal between Novartis and Hengrui": one party unknown is enough
    return intent.ask in _NAMED_SUBJECT and any(_in_name_slot(text, u) for u in found.unknown)


_SLOT_WORDS = {"between", "and", "with", "vs", "versus", "&"}


def _in_name_slot(text: str, phrase: str) -> bool:
    words = [w.casefold() for w in tokens(text)]
    first = tokens(phrase)[0].casefold() if tokens(phrase) else ""
    at = words.index(first) if first in words else -1
    before = words[at - 1] if at > 0 else ""
    after = words[at + len(tokens(phrase))] if 0 <= at < len(words) - len(tokens(phrase)) else ""
    return before in _SLOT_WORDS or after in {"and", "&"}


def _route(
    store: KnowledgeStore, text: str, found: Found, intent: Intent, ctx: AskContext
) -> Reply | None:
    ask = intent.ask
    if ask == Ask.COMPARE:
        return _compare(store, text, found, intent)
    if ask in {Ask.PROFILE, Ask.WHO}:
        return who_answer(store, text, found, ctx, profile=ask == Ask.PROFILE)
    if ask == Ask.QUOTE:
        return _quote(store, found, ctx)
    if ask == Ask.PAID:
        return _paid(store, text, found, intent)
    if ask == Ask.WHEN:
        return _when(store, found)
    if ask == Ask.STATUS and found.of(Asset):
        return asset_answer(store, found.of(Asset)[0], status=True)
    if ask == Ask.FIGURE:
        return _figure(store, text, found, intent)
    if ask == Ask.LIST or (intent.filters and not found.of(Deal)):
        return _list(store, text, found, intent)
    if ask == Ask.TREND:
        return _trends(store, found)
    if ask == Ask.EVENT or (found.of(Event) and not found.of(Deal)):
        events = found.of(Event) or events_named_by_word(store, found.words)
        return (
            event_card(store, events[0])
            if events
            else handle_events(parse_command("events"), store, ctx)
        )
    return _by_what_is_named(store, text, found, intent, ctx)


def events_named_by_word(store: KnowledgeStore, words: list[str]) -> list[Event]:
    """Return the one event whose name holds a word of the question ("the forum")."""
    wanted = {w.casefold() for w in words}
    events = [e for e in store.all(Event) if wanted & {w.casefold() for w in tokens(e.name)}]
    return events if len(events) == 1 else []


def _by_what_is_named(
    store: KnowledgeStore, text: str, found: Found, intent: Intent, ctx: AskContext
) -> Reply | None:
    """Answer from the kind of thing named: a deal, an asset, a person, a company, a topic."""
    deals, assets = found.of(Deal), found.of(Asset)
    orgs, people, topics = found.of(Organisation), found.of(Person), found.of(Topic)
    if deals or len(orgs) > 1 or intent.ask == Ask.DEAL:
        reply = _deals(store, text, found, intent)
        if reply is not None:
            return reply
    if assets:
        return asset_answer(store, assets[0])
    if people:
        return (
            _quote(store, found, ctx)
            if intent.ask != Ask.EXPLAIN
            else person_profile(store, people[0])
        )
    if orgs:
        owned = assets_owned_by(store, orgs[0].id)
        words = {w.casefold() for w in tokens(text)}
        on_topic = any(t.id in a.topics for a in owned for t in topics)
        if len(owned) == 1 and (on_topic or words & _MAKES):
            return asset_answer(store, owned[0])
        return company_profile(store, orgs[0])
    if topics:
        return explain_topic(store, topics[0])
    return None


_DEAL_NOUNS = {"deal", "licence", "license", "acquisition", "partnership", "collaboration"}
_MAKES = {"make", "makes", "drug", "drugs", "therapy", "asset", "assets", "product", "pipeline"}
_MAKES |= {"technology", "platform", "engine", "programme", "program"}


# -- deals ----------------------------------------------------------------------------------
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


def _deals(store: KnowledgeStore, text: str, found: Found, intent: Intent) -> Reply | None:
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
    singular = "deal" in words and "deals" not in words
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


def _paid(store: KnowledgeStore, text: str, found: Found, intent: Intent) -> Reply | None:
    """Say what was paid in the deal asked about: the amounts as stated, or 'not disclosed'."""
    deals = deals_named(store, found, {w.casefold() for w in tokens(text)})
    if not deals:
        return _figure(store, text, found, intent) or _deals(store, text, found, intent)
    deal = deals[0]
    card = deal_card(store, deal)
    understood = f"You asked about the terms of {deal.title}."
    if deal.money:
        return first_line(card, f"{deal.title}: {amounts_of(deal)}", understood)
    title = f"The terms of {deal.title} are not disclosed in the source"
    return first_line(card, title, f"{understood} The report gives no amounts for it.")


def _when(store: KnowledgeStore, found: Found) -> Reply | None:
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


def _list(store: KnowledgeStore, text: str, found: Found, intent: Intent) -> Reply | None:
    """Compose the `deals` command from the filters and names in the question."""
    filters = intent.filters
    named_words = {w.casefold() for s in found.spotted for w in tokens(s.phrase)}
    if filters.country and filters.country.casefold() in named_words:
        filters = replace(filters, country=None)  # "Hangzhou DAC" names a company, not a place
    parts = ["deals", *filters.command()]
    orgs, topics = found.of(Organisation), found.of(Topic)
    if not filters and (len(orgs) > 1 or bool(found.of(Deal)) or bool(found.of(Asset))):
        return _deals(store, text, found, intent)
    if not filters and not orgs and not topics and found.content:
        return None  # "barriers to doing deals": not a list of deals
    if orgs:
        parts.append(f"partner:{orgs[0].id}")
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


#: Topics that name a way of dealing, not what a deal is about ("licensing deals").
_NOT_DEAL_TOPICS = {"partnering-models", "acquisitions", "funding", "partner-criteria"}
#: Topics that are therapeutic areas: `area:` also finds the deals a curator classified.
_AREAS = {"oncology": "oncology", "immunology": "immunology", "diabetes": "diabetes"}
_AREAS |= {"infectious-disease": "infectious disease"}


# -- figures, quotes, trends, comparisons --------------------------------------------------
def _figure(store: KnowledgeStore, text: str, found: Found, intent: Intent) -> Reply | None:
    words = [w for w in found.words if w.casefold() not in FIGURE_NOISE]
    stats = matching_figures(store, found, intent, words)
    if stats:
        return figure_reply(store, stats, shorten(text))
    deals = deals_named(store, found)
    if deals and any(d.money for d in deals) and not intent.asks_count:
        return _paid(store, text, found, intent)
    return not_in_knowledge(f"A figure answering “{shorten(text, 50)}”")


def _quote(store: KnowledgeStore, found: Found, ctx: AskContext) -> Reply | None:
    reply = best_quote(store, found, ctx)
    if reply is not None:
        return reply
    subjects: list[AnyEntity] = [*found.of(Person), *found.of(Organisation), *found.of(Topic)]
    subject = subjects[0] if subjects else None
    if subject is None:
        return None
    if isinstance(subject, Organisation):
        return not_in_knowledge(f"A quote from {subject.label()}", company_profile(store, subject))
    if isinstance(subject, Topic):
        return not_in_knowledge(f"A quote on {subject.label()}", explain_topic(store, subject))
    return not_in_knowledge(f"A quote from {subject.label()}")


def _trends(store: KnowledgeStore, found: Found) -> Reply | None:
    topic_ids = {t.id for t in found.of(Topic)}
    trends = [t for t in store.all(Trend) if topic_ids & set(t.topics)] or list(store.all(Trend))
    if not trends:
        return None
    if len(trends) == 1:
        return trend_card(store, trends[0])
    return trend_list(store, trends, f"Trends ({len(trends)})", "trends", 1)


def _compare(store: KnowledgeStore, text: str, found: Found, intent: Intent) -> Reply | None:
    """Show two or more named things side by side, each as its own answer would show it."""
    if found.unknown:
        return not_in_knowledge(found.unknown[0], close=found.close, typed=True)
    things = found.entities
    if len(things) < 2:
        return _compare_figures(store, text, found, intent)
    replies = [_one(store, e) for e in things[:3]]
    sections = [_as_section(r) for r in replies]
    ids = [i for r in replies for i in r.entity_ids] + [e.id for e in things]
    return Reply(
        kind=ReplyKind.SEARCH,
        title="Comparing " + " and ".join(e.label() for e in things[:3]),
        text="You asked to compare them; here is what the knowledge says about each.",
        sections=sections,
        entity_ids=list(dict.fromkeys(ids)),
        suggestions=[
            f"deals partner:{e.label()}" for e in things[:2] if isinstance(e, Organisation)
        ],
    )


def _compare_figures(
    store: KnowledgeStore, text: str, found: Found, intent: Intent
) -> Reply | None:
    """Compare two figures named in words: "RMB vs foreign capital decline"."""
    sides = re.split(r"\b(?:vs\.?|versus|and|compared? (?:to|with)|compare)\b", text, flags=re.I)
    stats = []
    for side in (s for s in sides if s.strip()):
        part = find_entities(store, side)
        words = [w for w in part.words if w.casefold() not in FIGURE_NOISE]
        words += [w for w in found.words if w.casefold() in {"decline", "fall", "drop", "share"}]
        wanted = list(dict.fromkeys(words))
        stats += matching_figures(store, part, intent, wanted, coverage=0.5)[:1]
    stats = list({s.id: s for s in stats}.values())
    if len(stats) < 2:
        return _figure(store, text, found, intent)
    return figure_reply(store, stats, shorten(text), side_by_side=True)


def _one(store: KnowledgeStore, entity: AnyEntity) -> Reply:
    if isinstance(entity, Organisation):
        return company_profile(store, entity)
    if isinstance(entity, Person):
        return person_profile(store, entity)
    if isinstance(entity, Topic):
        return explain_topic(store, entity)
    if isinstance(entity, Deal):
        return deal_card(store, entity)
    if isinstance(entity, Asset):
        return asset_answer(store, entity)
    return event_card(store, entity) if isinstance(entity, Event) else search_reply(store, "")


def _as_section(reply: Reply) -> Section:
    return Section(heading=reply.title, text=reply.text, facts=reply.facts[:6])


def _fallback(store: KnowledgeStore, text: str, found: Found) -> Reply:
    wanted = [w for w in found.words if w.casefold() not in FIGURE_NOISE]
    figures = matching_figures(
        store, found, read_intent(text), wanted, coverage=0.75, by_topics=False
    )
    if figures:  # "what did the US commission recommend investing?": a figure says it
        return figure_reply(store, figures, shorten(text))
    words = search_words(" ".join(found.content) or text)
    hint = "I found no direct answer to that; here is what a search of the knowledge found."
    reply = search_reply(store, words, hint=hint) if words else None
    if reply is not None and reply.kind == ReplyKind.SEARCH:
        return reply
    return not_in_knowledge(f"An answer to “{shorten(text, 50)}”")
