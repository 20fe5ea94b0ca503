"""Answer plain-language questions: spot the people, organisations and topics, guess the intent."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from handlers.commands.deal import deal_card
from handlers.commands.deal_list import deal_list
from handlers.commands.event import event_card, handle_events
from handlers.commands.profile import company_profile, person_profile
from handlers.commands.quote import pick_quote, quote_reply, quotes_of_entity
from handlers.commands.search import search_reply, search_words
from handlers.commands.stat import stat_card, stat_list
from handlers.commands.trend import trend_card, trend_list
from handlers.context import AskContext
from handlers.explain import explain_topic
from handlers.intent import detect_intent
from handlers.parse import Command, shorten, tokens
from handlers.reply import Reply, ReplyKind
from handlers.resolve import Spotted, newest_first, shared_deals, spot
from handlers.words import CUE_WORDS, STOPWORDS
from knowledge import KnowledgeStore
from knowledge.models import (
    AnyEntity,
    Asset,
    Deal,
    Event,
    Organisation,
    Person,
    Quote,
    Statistic,
    Topic,
    Trend,
)

E = TypeVar("E", Person, Organisation, Asset, Deal, Topic, Event)

_SPOT_KINDS: list[type[AnyEntity]] = [Person, Organisation, Asset, Deal, Topic, Event]
_NO_ANSWER_TRIES = ["help", "quote", "deals", "trends", "search PRMT5"]


@dataclass(frozen=True)
class Question:
    """A question taken apart: the intent, the entities it names, and its other content words."""

    text: str
    intent: str | None
    spotted: list[Spotted]
    content: str  # words to rank by: no filler, no cue words, no person or company names

    def of(self, kind: type[E]) -> list[E]:
        """Return the spotted entities of one kind."""
        found: list[E] = []
        for spotted in self.spotted:
            if isinstance(spotted.entity, kind):
                found.append(spotted.entity)
        return found


def read_question(store: KnowledgeStore, text: str) -> Question:
    """Take a question apart into intent, named entities and content words."""
    spotted = spot(store, text, _SPOT_KINDS)
    names = {
        w.casefold()
        for s in spotted
        if isinstance(s.entity, Person | Organisation)
        for w in tokens(s.phrase)
    }
    content = [
        w
        for w in tokens(text)
        if (k := w.casefold()) not in STOPWORDS and k not in CUE_WORDS and k not in names
    ]
    return Question(text, detect_intent(text), spotted, " ".join(content))


def answer_question(text: str, store: KnowledgeStore, ctx: AskContext) -> Reply:
    """Answer a question from the knowledge, or say nothing answers it and suggest commands."""
    question = read_question(store, text)
    people, orgs = question.of(Person), question.of(Organisation)
    topics, events = question.of(Topic), question.of(Event)
    deal_like = [*question.of(Deal), *question.of(Asset)]
    intent = question.intent
    reply: Reply | None = None
    if intent == "explain":
        reply = _explain(store, question)
    elif intent == "deal" or (intent is None and (deal_like or len(orgs) > 1)):
        reply = _deals(store, question)
    elif intent == "quote" or (intent is None and people):
        reply = _quote(store, question, ctx)
    elif intent == "profile":
        reply = _explain(store, question)
    elif intent == "stat":
        reply = _stats(store, question)
    elif intent == "event" or (intent is None and events):
        reply = (
            event_card(store, events[0])
            if events
            else handle_events(Command("events", "", ""), store, ctx)
        )
    elif intent == "trend":
        reply = _trends(store, question)
    elif intent is None and orgs:
        reply = company_profile(store, orgs[0])
    elif intent is None and topics:
        reply = _explain(store, question)
    return reply or _fallback(store, question)


def _explain(store: KnowledgeStore, question: Question) -> Reply | None:
    topics = question.of(Topic)
    if topics:
        return explain_topic(store, topics[0])
    people, orgs = question.of(Person), question.of(Organisation)
    if people:
        return person_profile(store, people[0])
    if orgs:
        return company_profile(store, orgs[0])
    return None


def _deals(store: KnowledgeStore, question: Question) -> Reply | None:
    named = [s.entity for s in question.spotted if not isinstance(s.entity, Person | Event)]
    shared: list[Deal] | None = shared_deals(store, named) if named else None
    if shared is None:  # no names: rank deals by the words
        hits = store.search(question.content, [Deal], limit=20) if question.content else []
        shared = [h.entity for h in hits if isinstance(h.entity, Deal)]
        if not shared:
            return None
    elif not shared:
        return None
    if len(shared) == 1:
        return deal_card(store, shared[0])
    title = f"{len(shared)} deals match “{shorten(question.text)}”"
    return deal_list(newest_first(shared), title, "deals", 1, store=store)


def _quote(store: KnowledgeStore, question: Question, ctx: AskContext) -> Reply | None:
    people, orgs, topics = question.of(Person), question.of(Organisation), question.of(Topic)
    owners: Sequence[AnyEntity] = people or orgs
    if owners:
        candidates = [q for o in owners for q in quotes_of_entity(store, o)]
    elif topics:
        candidates = [q for t in topics for q in quotes_of_entity(store, t)]
    else:
        candidates = []
    scores: dict[str, float] = {}
    if question.content:
        for hit in store.search(question.content, [Quote], limit=50):
            scores[hit.entity.id] = hit.score
    if not owners and not topics:
        candidates = [q for q in store.all(Quote) if q.id in scores]
    if not candidates:
        return None
    topic_ids = {t.id for t in topics}

    def relevance(quote: Quote) -> tuple[int, float]:
        return (len(topic_ids & set(quote.topics)), scores.get(quote.id, 0.0))

    unique = list({q.id: q for q in candidates}.values())
    ranked = sorted(unique, key=relevance, reverse=True)
    best = relevance(ranked[0])
    if best == (0, 0.0):  # nothing to rank by: a fresh quote from whoever was named
        chosen = pick_quote(ranked, ctx)
        extra: list[Quote] = []
    else:
        chosen = pick_quote([q for q in ranked if relevance(q) == best], ctx, ranked=True)
        extra = [
            q
            for q in ranked[1:3]
            if q.id != chosen.id and relevance(q)[0] == best[0] and relevance(q)[1] >= best[1] / 2
        ]
    subjects = [*owners, *topics]
    again = f"quote {subjects[0].label()}" if subjects else f"search {question.content}"
    return quote_reply(store, chosen, again, extra=extra)


def _stats(store: KnowledgeStore, question: Question) -> Reply | None:
    topic_ids = {t.id for t in question.of(Topic)}
    stats = [s for s in store.all(Statistic) if topic_ids & set(s.topics)]
    if not stats and question.content:
        hits = store.search(question.content, [Statistic], limit=10)
        stats = [h.entity for h in hits if isinstance(h.entity, Statistic)]
    if not stats:
        return None
    if len(stats) == 1:
        return stat_card(store, stats[0])
    return stat_list(store, stats, f"Statistics on “{shorten(question.text)}”", "stats", 1)


def _trends(store: KnowledgeStore, question: Question) -> Reply | None:
    topic_ids = {t.id for t in question.of(Topic)}
    trends = [t for t in store.all(Trend) if topic_ids & set(t.topics)] or list(store.all(Trend))
    if not trends:
        return None
    if len(trends) == 1:
        return trend_card(store, trends[0])
    return trend_list(store, trends, f"Trends ({len(trends)})", "trends", 1)


def _fallback(store: KnowledgeStore, question: Question) -> Reply:
    words = search_words(question.content or question.text)
    hint = "I found no direct answer to that; here is what a search of the knowledge found."
    reply = search_reply(store, words, hint=hint) if words else None
    if reply is not None and reply.kind == ReplyKind.SEARCH:
        return reply
    return Reply(
        kind=ReplyKind.NOT_FOUND,
        title="I couldn't find an answer to that",
        text=(
            "Nothing in the knowledge answers “" + shorten(question.text, 80) + "”. "
            "I only answer from the curated report, so try one of these commands."
        ),
        suggestions=_NO_ANSWER_TRIES,
        shareable=False,
    )
