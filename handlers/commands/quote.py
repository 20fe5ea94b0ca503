"""`quote [TOPIC|PERSON|COMPANY]`: a verbatim quote; asking again gives another one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from handlers.context import AskContext
from handlers.format import cite_all, name_of, quote_block
from handlers.notfound import corrected_note, not_found
from handlers.parse import Command
from handlers.reply import Action, ActionKind, Reply, ReplyKind
from handlers.resolve import family_of, resolve, spot
from handlers.words import STOPWORDS
from knowledge import KnowledgeStore, normalise
from knowledge.models import AnyEntity, Organisation, Person, Quote, Topic

_QUOTE_KINDS: list[type[AnyEntity]] = [Person, Organisation, Topic]
_LEADING = {"about", "on", "from", "by", "of", "re", "regarding", "for"}


@dataclass(frozen=True)
class QuoteMatch:
    """Quotes a query refers to, and how the query was understood."""

    quotes: list[Quote] = field(default_factory=list)
    corrected_to: str | None = None
    suggestions: list[str] = field(default_factory=list)
    ranked: bool = False  # best first (a topic's quotes): rotate in order, not at random


def quotes_of_entity(store: KnowledgeStore, entity: AnyEntity) -> list[Quote]:
    """Return quotes by a person, from an organisation (and its subsidiaries), or on a topic.

    Whole statements come before fragments; a topic's quotes are ranked by the quote's own
    topics and words (`rank_for_topic`).
    """
    ids = family_of(store, entity.id) if isinstance(entity, Organisation) else [entity.id]
    seen: dict[str, Quote] = {}
    for entity_id in ids:
        for quote in store.quotes_of(entity_id):
            seen.setdefault(quote.id, quote)
    if isinstance(entity, Topic):
        return rank_for_topic(entity, list(seen.values()))
    return standalone_first(list(seen.values()))


#: A quote shorter than this is a fragment ("quality over quantity"): never an answer on its own.
MIN_STANDALONE_WORDS = 8


def is_standalone(quote: Quote) -> bool:
    """Return True when a quote is a statement that can stand as an answer, not a fragment."""
    return len(quote.text.split()) >= MIN_STANDALONE_WORDS


def standalone_first(quotes: Sequence[Quote]) -> list[Quote]:
    """Return whole statements first, fragments after, each in their order."""
    return sorted(quotes, key=lambda q: not is_standalone(q))


def answerable(quotes: Sequence[Quote]) -> list[Quote]:
    """Return the quotes that stand on their own, or all of them if none does."""
    whole = [q for q in quotes if is_standalone(q)]
    return whole or list(quotes)


def rank_for_topic(topic: Topic, quotes: Sequence[Quote]) -> list[Quote]:
    """Rank quotes on a topic by the quote itself: whole, tagged with it first, naming it, focused."""
    names = [n for n in (normalise(name) for name in topic.names()) if len(n) >= 3]

    def key(quote: Quote) -> tuple[bool, int, int, int]:
        text = normalise(quote.text)
        named = sum(1 for n in names if n in text)
        where = quote.topics.index(topic.id) if topic.id in quote.topics else len(quote.topics)
        return (not is_standalone(quote), where, -named, len(quote.topics))

    return sorted(quotes, key=key)


def find_quotes(store: KnowledgeStore, query: str) -> QuoteMatch:
    """Return the quotes `query` names: a person, organisation or topic, or words in the quote."""
    exact = resolve(store, query, _QUOTE_KINDS)
    if exact.entities and exact.corrected_to is None:
        on_topic = all(isinstance(e, Topic) for e in exact.entities)
        return QuoteMatch(_union(store, exact.entities), ranked=on_topic)
    spotted = spot(store, query, _QUOTE_KINDS)
    if spotted:
        shared: list[Quote] | None = None
        for found in spotted:
            quotes = quotes_of_entity(store, found.entity)
            ids = {q.id for q in quotes}
            shared = quotes if shared is None else [q for q in shared if q.id in ids]
        if shared:
            return QuoteMatch(shared)
    if exact.entities:
        return QuoteMatch(_union(store, exact.entities), corrected_to=exact.corrected_to)
    words = " ".join(w for w in query.split() if w.casefold() not in STOPWORDS)
    hits = store.search(words, [Quote], limit=10) if words else []
    quotes = [h.entity for h in hits if isinstance(h.entity, Quote)]
    return QuoteMatch(quotes, suggestions=[] if quotes else exact.suggestions)


def _union(store: KnowledgeStore, entities: Sequence[AnyEntity]) -> list[Quote]:
    seen: dict[str, Quote] = {}
    for entity in entities:
        for quote in quotes_of_entity(store, entity):
            seen.setdefault(quote.id, quote)
    return list(seen.values())


def pick_quote(candidates: Sequence[Quote], ctx: AskContext, ranked: bool = False) -> Quote:
    """Pick a quote this conversation has not seen lately (randomly, or the best if `ranked`)."""
    recent = ctx.quote_memory.recent(ctx.conversation_id)
    unseen = [q for q in candidates if q.id not in recent]
    if unseen:
        chosen = unseen[0] if ranked else ctx.rng.choice(unseen)
    else:  # every candidate seen: repeat the one seen longest ago
        last_seen = {quote_id: index for index, quote_id in enumerate(recent)}
        chosen = min(candidates, key=lambda q: last_seen.get(q.id, -1))
    ctx.quote_memory.remember(ctx.conversation_id, chosen.id)
    return chosen


def quote_reply(
    store: KnowledgeStore,
    quote: Quote,
    again: str,
    note: str | None = None,
    extra: Sequence[Quote] = (),
) -> Reply:
    """Return a reply showing `quote` (and any `extra` ones) with an 'Another quote' button."""
    speaker = name_of(store, quote.speaker)
    organisation = name_of(store, quote.organisation)
    title = f"{speaker}, {organisation}" if organisation else speaker
    quotes = [quote, *[q for q in extra if q.id != quote.id]]
    text = " ".join(t for t in (note, quote.context) if t) or None
    return Reply(
        kind=ReplyKind.QUOTE,
        title=f"Quote: {title}",
        text=text,
        quotes=[quote_block(store, q) for q in quotes],
        sources=cite_all(store, quotes),
        actions=[Action(kind=ActionKind.RUN, label="Another quote", command=again)],
        suggestions=[
            f"person {speaker}",
            *(f"quote {name_of(store, t)}" for t in quote.topics[:2]),
        ],
        entity_ids=[q.id for q in quotes] + [quote.speaker],
        command=f"quote {quote.id}",  # Share re-runs this: the same quote, not another random one
    )


def handle_quote(cmd: Command, store: KnowledgeStore, ctx: AskContext) -> Reply:
    """Answer `quote [TOPIC|PERSON]` with a matching quote, avoiding recent repeats."""
    words = cmd.words.split()
    while words and words[0].casefold() in _LEADING:
        words.pop(0)
    query = " ".join(words)
    if not query:
        candidates: Sequence[Quote] = store.all(Quote)
        if not candidates:
            return not_found(store, "quote", "", "quote", [])
        return quote_reply(store, pick_quote(candidates, ctx), "quote")
    exact = store.get(query)
    if isinstance(exact, Quote):  # `quote <id>` from a search result's Open button
        ctx.quote_memory.remember(ctx.conversation_id, exact.id)
        return quote_reply(store, exact, f"quote {exact.speaker}")
    match = find_quotes(store, query)
    if not match.quotes:
        return not_found(store, "quote", query, "quote", match.suggestions)
    chosen = pick_quote(answerable(match.quotes), ctx, ranked=match.ranked)
    note = corrected_note(query, match.corrected_to)
    return quote_reply(store, chosen, f"quote {query}", note)
