"""Answer a plain-word question: entities -> intent -> the existing commands, composed.

Every branch says what it understood, and when the knowledge cannot answer what was asked
it says so in the first line, then offers the nearest useful thing.
"""

from __future__ import annotations

from handlers.commands.event import event_card, handle_events
from handlers.commands.profile import choice_reply, company_profile, person_profile
from handlers.commands.search import search_reply, search_words
from handlers.commands.trend import trend_card, trend_list
from handlers.context import AskContext
from handlers.explain import explain_topic
from handlers.parse import parse_command, shorten, tokens
from handlers.question.assets import asset_answer, assets_owned_by
from handlers.question.compare import compare_answer
from handlers.question.deals import (
    deal_of_figure,
    deals_answer,
    deals_named,
    list_answer,
    paid_answer,
    when_answer,
    with_deal,
)
from handlers.question.entities import Found, events_named_by_word, find_entities
from handlers.question.figures import FIGURE_NOISE, figure_reply, matching_figures
from handlers.question.honest import name_not_found, not_in_knowledge
from handlers.question.intent import Ask, Intent, read_intent
from handlers.question.overlap import covered, stems
from handlers.question.people import who_answer
from handlers.question.quotes import best_quote
from handlers.reply import Reply, ReplyKind
from knowledge import KnowledgeStore
from knowledge.models import (
    AnyEntity,
    Asset,
    Deal,
    Event,
    Organisation,
    Person,
    Statistic,
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
    """Return True when `phrase` stands where a party's name goes ("between X and", "with X")."""
    words = [w.casefold() for w in tokens(text)]
    first = tokens(phrase)[0].casefold() if tokens(phrase) else ""
    at = words.index(first) if first in words else -1
    before = words[at - 1] if at > 0 else ""
    after = words[at + len(tokens(phrase))] if 0 <= at < len(words) - len(tokens(phrase)) else ""
    return before in _SLOT_WORDS or after in {"and", "&"}


def _route(
    store: KnowledgeStore, text: str, found: Found, intent: Intent, ctx: AskContext
) -> Reply | None:
    """Send the question to the answer its intent asks for; None when none answers it."""
    ask = intent.ask
    if ask == Ask.COMPARE:
        compared = compare_answer(store, text, found, intent)
        return compared or _compare_one(store, text, found, intent, ctx)
    if ask in {Ask.PROFILE, Ask.WHO}:
        return who_answer(store, text, found, ctx, profile=ask == Ask.PROFILE)
    if ask == Ask.QUOTE:
        return _quote(store, found, ctx)
    if ask == Ask.PAID:
        return (
            paid_answer(store, text, found, intent)
            or _figure(store, text, found, intent)
            or deals_answer(store, text, found, intent)
        )
    if ask == Ask.WHEN:
        return when_answer(store, found)
    if ask == Ask.STATUS and found.of(Asset):
        return asset_answer(store, found.of(Asset)[0], status=True)
    if ask == Ask.FIGURE:
        return _figure(store, text, found, intent)
    if ask == Ask.LIST or (intent.filters and not found.of(Deal)):
        return list_answer(store, text, found, intent)
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


def _compare_one(
    store: KnowledgeStore, text: str, found: Found, intent: Intent, ctx: AskContext
) -> Reply | None:
    """Answer a comparison that names fewer than two things: what is named, and how to ask."""
    tip = "To compare, name two things: compare Bayer and Servier."
    if not found.spotted:
        return None
    reply = _by_what_is_named(store, text, found, intent, ctx)
    if reply is None:
        return None
    return reply.model_copy(update={"text": f"{tip} {reply.text or ''}".strip()})


def _by_what_is_named(
    store: KnowledgeStore, text: str, found: Found, intent: Intent, ctx: AskContext
) -> Reply | None:
    """Answer from the kind of thing named: a deal, an asset, a person, a company, a topic."""
    deals, assets = found.of(Deal), found.of(Asset)
    orgs, people, topics = found.of(Organisation), found.of(Person), found.of(Topic)
    if deals or len(orgs) > 1 or intent.ask == Ask.DEAL:
        reply = deals_answer(store, text, found, intent)
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
        reply = explain_topic(store, topics[0])
        phrase = next(s.phrase for s in found.spotted if s.entity.id == topics[0].id)
        if phrase.casefold() == topics[0].name.casefold():
            return reply
        note = f"You asked about “{phrase}”, which the knowledge files under {topics[0].name}."
        return reply.model_copy(update={"text": f"{note} {reply.text or ''}".strip()})
    return None


_MAKES = {"make", "makes", "drug", "drugs", "therapy", "asset", "assets", "product", "pipeline"}

_MAKES |= {"technology", "platform", "engine", "programme", "program"}


def _figure_words(stat: Statistic) -> list[str]:
    """Return the words that describe a figure: title, measure, as stated, period, place."""
    return [stat.title, stat.measure, stat.as_stated, stat.period or "", stat.geography or ""]


def _figure(store: KnowledgeStore, text: str, found: Found, intent: Intent) -> Reply | None:
    """Answer with the figure asked for, the amounts of a deal named, or say it is not there."""
    words = [w for w in found.words if w.casefold() not in FIGURE_NOISE]
    deals = deals_named(store, found)
    if len(deals) == 1 and deals[0].money and not intent.asks_count:
        return paid_answer(store, text, found, intent)  # "how big was the Ji Xing round"
    stats = matching_figures(store, found, intent, words)
    if stats:
        reply = figure_reply(store, stats, shorten(text))
        deal = deal_of_figure(deals, stats[0])
        return with_deal(store, reply, deal) if deal is not None else reply
    if deals and any(d.money for d in deals) and not intent.asks_count:
        return paid_answer(store, text, found, intent)
    return not_in_knowledge(f"A figure answering “{shorten(text, 50)}”")


def _quote(store: KnowledgeStore, found: Found, ctx: AskContext) -> Reply | None:
    """Answer with the quote most on the point, or say whose quote is not in the knowledge."""
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
    """Answer with the trends on the topics named, or all of them."""
    topic_ids = {t.id for t in found.of(Topic)}
    trends = [t for t in store.all(Trend) if topic_ids & set(t.topics)] or list(store.all(Trend))
    if not trends:
        return None
    if len(trends) == 1:
        return trend_card(store, trends[0])
    return trend_list(store, trends, f"Trends ({len(trends)})", "trends", 1)


def _by_part_of_a_name(store: KnowledgeStore, found: Found) -> Reply | None:
    """Answer a word that is part of people's or companies' names ("Wang?"): them, or a choice."""
    if len(found.content) != 1:
        return None
    word = found.content[0]
    kinds: list[type[AnyEntity]] = [Person, Organisation]
    matches = [
        m
        for m in store.fuzzy(word, kinds, limit=5, cutoff=100.0)
        if m.matched_name == word.casefold()
    ]
    people = list({m.entity.id: m.entity for m in matches}.values())
    if len(people) == 1:
        return _one_named(store, people[0])
    if people:
        return choice_reply(store, word, people, "names")
    return None


def _one_named(store: KnowledgeStore, entity: AnyEntity) -> Reply:
    """Return a person's or a company's profile."""
    if isinstance(entity, Person):
        return person_profile(store, entity)
    assert isinstance(entity, Organisation)
    return company_profile(store, entity)


def _fallback(store: KnowledgeStore, text: str, found: Found) -> Reply:
    """Answer what nothing above answered: a name part, a figure, a search, or "not there"."""
    named = _by_part_of_a_name(store, found)
    if named is not None:
        return named
    wanted = [w for w in found.words if w.casefold() not in FIGURE_NOISE]
    figures = (
        matching_figures(store, found, read_intent(text), wanted, coverage=0.75, by_topics=False)
        if len(wanted) >= 2  # one word says too little to pick a figure by
        else []
    )
    if figures:  # "what did the US commission recommend investing?": a figure says it
        figure = figure_reply(store, figures, shorten(text))
        if covered(stems(" ".join(wanted)), stems(" ".join(_figure_words(figures[0])))) == 1.0:
            return figure
        # "the china biotech market size": a figure holds most words, not what was asked
        return not_in_knowledge(f"A figure answering “{shorten(text, 50)}”", figure)
    words = search_words(" ".join(found.content) or text)
    hint = "I found no direct answer to that; here is what a search of the knowledge found."
    reply = search_reply(store, words, hint=hint) if words else None
    if reply is not None and reply.kind == ReplyKind.SEARCH:
        missing = name_not_found(store, reply, text, found.content)
        if missing is not None:  # "tell me about Innovent": the search found "innovation"
            return not_in_knowledge(missing, close=found.close, typed=True)
        return reply
    return not_in_knowledge(f"An answer to “{shorten(text, 50)}”")
