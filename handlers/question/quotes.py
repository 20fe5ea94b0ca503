"""Answer a question with the quote most on its point: by the people, companies and topics named."""

from __future__ import annotations

from collections.abc import Sequence

from handlers.commands.quote import answerable, pick_quote, quote_reply, quotes_of_entity
from handlers.context import AskContext
from handlers.question.entities import Found
from handlers.question.overlap import covered, stems
from handlers.reply import Reply
from handlers.words import CUE_WORDS
from knowledge import KnowledgeStore
from knowledge.models import AnyEntity, Organisation, Person, Quote, Topic

_SEARCHED = 20


def _quoted(quote: Quote, asked: set[str]) -> bool:
    """Return True when the question repeats most of the quote's words ("who said X")."""
    return covered(stems(quote.text), asked) >= 0.6


def best_quote(store: KnowledgeStore, found: Found, ctx: AskContext) -> Reply | None:
    """Return the quote that best fits who and what is named and the other words; None if none."""
    people, orgs, topics = found.of(Person), found.of(Organisation), found.of(Topic)
    owners: Sequence[AnyEntity] = people or orgs
    if owners:
        candidates = [q for o in owners for q in quotes_of_entity(store, o)]
    elif topics:
        candidates = [q for t in topics for q in quotes_of_entity(store, t)]
    else:
        candidates = []
    words = " ".join(w for w in found.words if w.casefold() not in CUE_WORDS)
    scores: dict[str, float] = {}
    if candidates:  # a few quotes of who or what is named: rank them by the words they share
        wanted = stems(words)
        for quote in candidates:
            scores[quote.id] = len(wanted & stems(f"{quote.text} {quote.context or ''}"))
    elif words:  # nobody named: the full-text index finds the quotes that say it
        for hit in store.search(words, [Quote], limit=_SEARCHED):
            if isinstance(hit.entity, Quote):
                scores[hit.entity.id] = hit.score
                candidates.append(hit.entity)
    if not candidates:
        return None
    asked = stems(words)
    # a fragment is no answer on its own, unless the question points at it: it repeats the
    # line, or the fragment holds the question's words better than any whole statement does
    whole = answerable(candidates)
    floor = max((scores.get(q.id, 0.0) for q in whole), default=0.0)
    candidates = [
        q for q in candidates if q in whole or _quoted(q, asked) or scores.get(q.id, 0.0) > floor
    ]
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
    again = f"quote {subjects[0].label()}" if subjects else f"search {words}"
    reply = quote_reply(store, chosen, again, extra=extra)
    return reply.model_copy(update={"entity_ids": [*reply.entity_ids, *(t.id for t in topics)]})
