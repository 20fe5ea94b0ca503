"""Shared fixtures."""

from __future__ import annotations

import pytest

from knowledge import KnowledgeStore, load_store
from tests import pg_schema
from tests.chat_helpers import Chat


@pytest.fixture(scope="session")
def store() -> KnowledgeStore:
    """The knowledge shipped with the package."""
    return load_store()


@pytest.fixture
def chat(store: KnowledgeStore) -> Chat:
    """A fresh conversation over the shipped knowledge, with seeded randomness."""
    return Chat(store)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Order and group the tests for `pytest -n` (pytest-xdist with `--dist loadgroup`).

    PostgreSQL tests (marked `postgres`, or in a module that lends schemas from
    tests/pg_schema.py) share one server database (`test`), where the digest's scheduler lock
    is one advisory lock for every schema: they run on one worker, one at a time, as in a plain
    run.
    Slow tests (subprocesses, the image steps) go first, so that no worker is left with one
    of them at the end while the others idle. The order is the same in every worker, as
    pytest-xdist requires; a plain `pytest` run keeps these marks and order and ignores them.
    """
    for item in items:
        if _uses_postgres(item):
            item.add_marker(pytest.mark.xdist_group("postgres"))
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


def _uses_postgres(item: pytest.Item) -> bool:
    """Whether the test is marked `postgres` or its module lends PostgreSQL schemas."""
    if item.get_closest_marker("postgres") is not None:
        return True
    module = getattr(item, "module", None)
    return module is not None and any(
        getattr(module, name, None) is getattr(pg_schema, name)
        for name in ("empty_schema", "server_url")
    )
