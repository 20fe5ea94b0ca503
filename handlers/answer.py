"""Entry point: turn what a user typed into a Reply."""

from __future__ import annotations

from handlers.context import AskContext
from handlers.reply import Reply, ReplyKind, SourceCitation
from knowledge import KnowledgeStore
from knowledge.models import Deal, Source


def answer(text: str, store: KnowledgeStore, ctx: AskContext | None = None) -> Reply:
    """Answer `text` (a command after /chinabio, or a mention) from `store`.

    Placeholder until the command language lands: looks the words up as a deal.
    """
    ctx = ctx or AskContext()
    words = text.strip().removeprefix("deal").strip()
    for entity in store.lookup(words) if words else []:
        deals = [entity] if isinstance(entity, Deal) else store.deals_of(entity.id)
        if deals:
            deal = deals[0]
            return Reply(
                kind=ReplyKind.DEAL,
                title=deal.title,
                text=deal.summary,
                sources=[_cite(store, deal.sources[0].source)],
                entity_ids=[deal.id],
            )
    return Reply(
        kind=ReplyKind.NOT_FOUND,
        title="Nothing found",
        text=f"Nothing in the knowledge matches {text!r}.",
    )


def _cite(store: KnowledgeStore, source_id: str) -> SourceCitation:
    source = store.get(source_id)
    if isinstance(source, Source):
        return SourceCitation(
            title=source.title,
            publisher=source.publisher,
            date=source.published.human(),
            url=source.url,
        )
    return SourceCitation(title=source_id)
