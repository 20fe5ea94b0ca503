"""The curated knowledge: models, loading, validation and indexes. Imports nothing from bot or handlers."""

from knowledge.loader import KnowledgeError, Problem, default_dir, load_store
from knowledge.store import Hit, KnowledgeStore, Match, normalise

__all__ = [
    "Hit",
    "KnowledgeError",
    "KnowledgeStore",
    "Match",
    "Problem",
    "default_dir",
    "load_store",
    "normalise",
]
