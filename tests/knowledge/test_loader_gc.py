"""The cyclic garbage collector around a large load: off while it runs, and no fight with the app."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from knowledge import accel, load_store


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
