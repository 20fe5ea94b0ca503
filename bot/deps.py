"""The shared services every adapter is handed: settings, knowledge, database, metrics."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine

from bot.db.engine import make_engine
from bot.db.migrate import upgrade_schema
from bot.db.offload import refuse_on_event_loop
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
    """Load the knowledge, open the database and migrate it to this version's schema."""
    knowledge = KnowledgeHolder(settings.knowledge_dir, cache_dir=settings.knowledge_cache_dir)
    record_knowledge_load(knowledge.last_load.seconds, knowledge.last_load.entities)
    engine = make_engine(
        settings.resolved_database_url,
        connect_timeout=settings.database_connect_timeout,
        statement_timeout=settings.database_statement_timeout,
    )
    try:
        upgrade_schema(engine)
    except BaseException:
        engine.dispose()
        raise
    refuse_on_event_loop(engine)
    return Deps(settings=settings, knowledge=knowledge, engine=engine)


def quote_memory(settings: Settings) -> InMemoryQuoteMemory:
    """Return a quote memory bounded as the settings say (QUOTE_MEMORY_*)."""
    return InMemoryQuoteMemory(
        max_conversations=settings.quote_memory_conversations,
        ttl_seconds=settings.quote_memory_ttl_hours * 3600,
    )
