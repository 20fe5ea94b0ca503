"""The cyclic garbage collector around a load: off while it runs, then on, not rescanning it."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from knowledge import KnowledgeError, load_store


def _generation_of(target: object) -> int | None:
    return next(
        (g for g in range(3) if any(found is target for found in gc.get_objects(generation=g))),
        None,
    )


def test_a_loaded_snapshot_goes_straight_to_the_oldest_generation() -> None:
    """After a load the collector is on again, and only full collections scan the snapshot."""
    store = load_store()
    assert gc.isenabled()
    assert _generation_of(store._by_kind) == 2
    assert gc.get_freeze_count() == 0  # nothing is left frozen for good


def test_a_failed_load_leaves_its_garbage_young(tmp_path: Path) -> None:
    """A load that fails moves nothing to the oldest generation: its garbage is freed soon."""
    (tmp_path / "deals.yaml").write_text("deals:\n  - id: only-an-id\n")
    with pytest.raises(KnowledgeError) as failed:
        load_store(tmp_path)
    assert gc.isenabled()
    assert _generation_of(failed.value.problems) in (0, 1)


def test_a_load_leaves_a_disabled_collector_disabled() -> None:
    """A caller that turned the collector off keeps it off."""
    gc.disable()
    try:
        load_store()
        assert not gc.isenabled()
    finally:
        gc.enable()
