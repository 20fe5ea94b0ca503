"""Build what answers keep per knowledge snapshot before the snapshot answers questions."""

from __future__ import annotations

from handlers.commands import deal_order
from knowledge import KnowledgeStore


def prepare(store: KnowledgeStore) -> None:
    """Build this snapshot's per-snapshot memos now, so its first questions are not slow."""
    deal_order.warm(store)
