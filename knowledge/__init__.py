"""The curated knowledge: models, loading, validation and indexes. Imports nothing from bot or handlers."""

from knowledge.loader import default_dir, load_store
from knowledge.problems import KnowledgeError, Problem
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
