"""Shared fixtures."""

from __future__ import annotations

import pytest

from knowledge import KnowledgeStore, load_store


@pytest.fixture(scope="session")
def store() -> KnowledgeStore:
    """The knowledge shipped with the package."""
    return load_store()
