"""Explain a topic: what it is, the trends and deals behind it, and what people said about it."""

from __future__ import annotations

from handlers.commands.quote import quotes_of_entity
from handlers.follow_targets import follow_action
from handlers.format import cite_all, entity_item, quote_block
from handlers.reply import Reply, ReplyKind, Section
from handlers.resolve import newest_first
from knowledge import KnowledgeStore
from knowledge.models import Topic, Trend

MAX_LISTED = 5
MAX_QUOTES = 2


def explain_topic(store: KnowledgeStore, topic: Topic) -> Reply:
    """Return a topic's description with its trends, deals and a few quotes."""
    trends = [t for t in store.all(Trend) if topic.id in t.topics]
    deals = newest_first(store.deals_of(topic.id))
    quotes = quotes_of_entity(store, topic)[:MAX_QUOTES]
    sections = []
    if trends:
        sections.append(
            Section(heading="Trends", items=[entity_item(store, t) for t in trends[:MAX_LISTED]])
        )
    if deals:
        sections.append(
            Section(heading="Deals", items=[entity_item(store, d) for d in deals[:MAX_LISTED]])
        )
    summary = topic.description or (trends[0].summary if trends else None)
    return Reply(
        kind=ReplyKind.TOPIC,
        title=topic.name,
        text=summary
        or f"The knowledge has no description of {topic.name}; here is what it links to it.",
        quotes=[quote_block(store, q) for q in quotes],
        sections=sections,
        sources=cite_all(store, [topic, *trends[:MAX_LISTED]]),
        suggestions=[f"quote {topic.name}", f"deals topic:{topic.name}", f"trend {topic.name}"],
        entity_ids=[topic.id, *(t.id for t in trends), *(q.id for q in quotes)],
        actions=[follow_action(topic)],
    )
