"""The garbage collector around a load: no fight with the app, and reloads free what they replace."""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from knowledge import KnowledgeError, KnowledgeStore, accel, load_store

FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOOD = FIXTURES / "good"


@pytest.fixture(autouse=True)
def large(monkeypatch: pytest.MonkeyPatch) -> None:
    """Count every folder as large, so loads take the speed-ups (the collector pause among them)."""
    monkeypatch.setattr(accel, "LARGE_FOLDER_BYTES", 0)


@pytest.fixture
def app_froze() -> Iterator[int]:
    """Freeze what is alive now, as the app does at start-up; yield how many objects that was."""
    gc.freeze()
    yield gc.get_freeze_count()
    gc.unfreeze()


def test_a_load_keeps_what_the_app_froze_frozen(app_froze: int) -> None:
    """A load (or reload) never unfreezes the objects the app froze at start-up."""
    load_store()
    assert gc.get_freeze_count() >= app_froze


def test_the_collector_is_on_again_after_a_load() -> None:
    """After a load the collector runs as before."""
    load_store()
    assert gc.isenabled()


def test_a_load_leaves_a_disabled_collector_disabled() -> None:
    """A caller that turned the collector off keeps it off."""
    gc.disable()
    try:
        load_store()
        assert not gc.isenabled()
    finally:
        gc.enable()


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
