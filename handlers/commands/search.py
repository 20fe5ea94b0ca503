"""`search WORDS`: everything in the knowledge that mentions the words, best first."""

from __future__ import annotations

from handlers.context import AskContext
from handlers.format import entity_item
from handlers.paging import more_action, page_note, paginate
from handlers.parse import Command, shorten
from handlers.reply import Reply, ReplyKind
from handlers.words import STOPWORDS
from knowledge import KnowledgeStore
from knowledge.models import Source

MAX_RESULTS = 40


def search_words(text: str) -> str:
    """Return the words worth searching for: no filler words, no one-letter words."""
    words = [w for w in text.split() if w.casefold().strip("?!.,;:") not in STOPWORDS]
    return " ".join(words)


def handle_search(cmd: Command, store: KnowledgeStore, ctx: AskContext) -> Reply:
    """Answer `search WORDS` with matching deals, companies, people, quotes, trends and figures."""
    del ctx
    return search_reply(store, cmd.words, cmd.page)


def search_reply(
    store: KnowledgeStore, query: str, page: int = 1, hint: str | None = None
) -> Reply:
    """Return a page of search results for `query`, or a NOT_FOUND reply with commands to try."""
    words = search_words(query)
    hits = (
        [h for h in store.search(words, limit=MAX_RESULTS) if not isinstance(h.entity, Source)]
        if words
        else []
    )
    if not hits:
        return Reply(
            kind=ReplyKind.NOT_FOUND,
            title=f"Nothing found for “{shorten(query)}”" if query else "Search for what?",
            text=" ".join(t for t in (hint, "Nothing in the knowledge mentions those words.") if t),
            suggestions=["help", "deals", "quote", "trends"],
            shareable=False,
        )
    shown, page, pages = paginate(hits, page)
    text = " ".join(t for t in (hint, page_note(len(hits), page, pages)) if t) or None
    return Reply(
        kind=ReplyKind.SEARCH,
        title=f"Results for “{shorten(query)}”",
        text=text,
        items=[entity_item(store, h.entity) for h in shown],
        more=more_action(f"search {query}", page, pages),
        entity_ids=[h.entity.id for h in shown],
    )
