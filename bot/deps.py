"""The shared services every adapter is handed: settings, knowledge, database, metrics."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine

from bot.db.engine import make_engine, metadata
from bot.metrics import record_knowledge_load
from bot.settings import Settings
from handlers.context import InMemoryQuoteMemory
from knowledge.reload import KnowledgeHolder


@dataclass
class Deps:
    """Built once at start-up by `build_deps`; passed to every `register(app, deps)`."""

    settings: Settings
    knowledge: KnowledgeHolder
    engine: Engine
    extras: dict[str, object] = field(default_factory=dict)


def build_deps(settings: Settings) -> Deps:
    """Load the knowledge and open the database (creating tables that do not exist yet)."""
    knowledge = KnowledgeHolder(settings.knowledge_dir, cache_dir=settings.knowledge_cache_dir)
    record_knowledge_load(knowledge.last_load.seconds, knowledge.last_load.entities)
    engine = make_engine(settings.resolved_database_url)
    import bot.db.tables  # noqa: F401  (registers every table on the metadata)

    metadata.create_all(engine)
    return Deps(settings=settings, knowledge=knowledge, engine=engine)


def quote_memory(settings: Settings) -> InMemoryQuoteMemory:
    """Return a quote memory bounded as the settings say (QUOTE_MEMORY_*)."""
    return InMemoryQuoteMemory(
        max_conversations=settings.quote_memory_conversations,
        ttl_seconds=settings.quote_memory_ttl_hours * 3600,
    )
