"""Loading and reloading: what a load leaves behind is freed, and the collector is as it was."""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from knowledge import KnowledgeError, KnowledgeStore, load_store

FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOOD = FIXTURES / "good"


@pytest.fixture
def traced() -> Iterator[Callable[[], int]]:
    """Trace allocations; the fixture returns the bytes still held after a full collection."""
    tracemalloc.start()

    def held() -> int:
        gc.collect()
        return tracemalloc.get_traced_memory()[0]

    try:
        yield held
    finally:
        tracemalloc.stop()


def _load_failing() -> None:
    """Load the broken fixture folder, which fails."""
    with pytest.raises(KnowledgeError):
        load_store(FIXTURES / "broken")


def test_reloads_free_the_snapshots_they_replace(traced: Callable[[], int]) -> None:
    """Ten reloads, each replacing the last snapshot, hold no more than one snapshot does."""
    load_store(GOOD)
    before = traced()
    kept: KnowledgeStore = load_store(GOOD)
    one_snapshot = traced() - before
    for _ in range(10):
        kept = load_store(GOOD)
    assert kept.entities
    assert traced() - before < 2 * one_snapshot


def test_failed_loads_free_their_garbage(traced: Callable[[], int]) -> None:
    """Ten loads that fail hold less, together, than one good snapshot does."""
    _load_failing()
    before = traced()
    yardstick = load_store(GOOD)
    one_snapshot = traced() - before
    del yardstick
    before = traced()
    for _ in range(10):
        _load_failing()
    assert traced() - before < one_snapshot


def test_a_load_leaves_a_disabled_collector_disabled() -> None:
    """A caller that turned the collector off keeps it off; one that had it on gets it back."""
    gc.disable()
    try:
        load_store()
        assert not gc.isenabled()
    finally:
        gc.enable()
    load_store()
    assert gc.isenabled()
