"""Shared fixtures."""

from __future__ import annotations

import pytest

from knowledge import KnowledgeStore, load_store
from tests.chat_helpers import Chat


@pytest.fixture(scope="session")
def store() -> KnowledgeStore:
    """The knowledge shipped with the package."""
    return load_store()


@pytest.fixture
def chat(store: KnowledgeStore) -> Chat:
    """A fresh conversation over the shipped knowledge, with seeded randomness."""
    return Chat(store)
