"""Per-snapshot memo tables: a store never changes, so an index built from it (the organisation tree) is kept."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from knowledge import KnowledgeStore

T = TypeVar("T")

MAX_ENTRIES = 4096

# id(store) -> (weak reference to the store, its memo table). Stores are not hashable.
_TABLES: dict[int, tuple[weakref.ref[KnowledgeStore], dict[Hashable, Any]]] = {}


def table(store: KnowledgeStore) -> dict[Hashable, Any]:
    """Return the memo table of this store snapshot; it disappears with the snapshot."""
    key = id(store)
    entry = _TABLES.get(key)
    if entry is not None and entry[0]() is store:
        return entry[1]
    memo: dict[Hashable, Any] = {}
    _TABLES[key] = (weakref.ref(store, lambda _ref: _TABLES.pop(key, None)), memo)
    return memo


def remember(store: KnowledgeStore, key: Hashable, compute: Callable[[], T]) -> T:
    """Return the value kept for `key` in this store's table, computing it the first time."""
    memo = table(store)
    try:
        value: T = memo[key]
    except KeyError:
        if len(memo) >= MAX_ENTRIES:
            memo.clear()
        value = memo[key] = compute()
    return value
