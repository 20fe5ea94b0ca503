"""Reload swaps in a new snapshot only when the folder is valid, and keeps the problems otherwise."""

from __future__ import annotations

import threading
from pathlib import Path

from knowledge import KnowledgeStore
from knowledge.models import Organisation
from knowledge.reload import KnowledgeHolder

NEW_ORG = """  - id: newco-bio
    name: Newco Bio
    type: biotech
    sources: [{source: fixture-report}]
"""


def test_good_reload_swaps_the_snapshot(good_copy: Path) -> None:
    """A valid edit becomes visible after reload, with a new version."""
    holder = KnowledgeHolder(good_copy)
    before = holder.store
    path = good_copy / "organisations.yaml"
    path.write_text(path.read_text(encoding="utf-8") + NEW_ORG, encoding="utf-8")
    result = holder.reload()
    assert result.ok
    assert result.problems == ()
    assert holder.last_problems == ()
    assert result.version == holder.store.version != before.version
    assert holder.store.lookup("Newco Bio", [Organisation])[0].id == "newco-bio"
    assert before.lookup("Newco Bio") == []  # the old snapshot is unchanged
    assert holder.store.search("Newco")[0].entity.id == "newco-bio"


def test_each_load_reports_where_from_how_long_and_how_many(good_copy: Path) -> None:
    """The report describes the snapshot served: a refused reload leaves it as it was."""
    holder = KnowledgeHolder(good_copy)
    first = holder.last_load
    assert first.loaded_from == "YAML files"
    assert first.entities == len(holder.store.entities)
    assert 0 < first.seconds < 60
    assert str(first).startswith(f"{first.entities:,} entities in ")
    path = good_copy / "organisations.yaml"
    path.write_text(path.read_text(encoding="utf-8") + NEW_ORG, encoding="utf-8")
    assert holder.reload().ok
    assert holder.last_load.entities == first.entities + 1
    path.write_text(path.read_text(encoding="utf-8") + "  - id: Bad Id\n", encoding="utf-8")
    assert not holder.reload().ok
    assert holder.last_load.entities == first.entities + 1


def test_bad_reload_keeps_the_old_store_and_reports_lines(good_copy: Path) -> None:
    """An invalid edit is refused: the old snapshot stays, problems say file:line."""
    holder = KnowledgeHolder(good_copy)
    before = holder.store
    path = good_copy / "organisations.yaml"
    path.write_text(
        path.read_text(encoding="utf-8") + NEW_ORG.replace("biotech", "biotek"), encoding="utf-8"
    )
    result = holder.reload()
    assert not result.ok
    assert holder.store is before
    assert result.version == before.version
    [problem] = holder.last_problems
    assert problem == result.problems[0]
    line = path.read_text(encoding="utf-8").splitlines().index("    type: biotek") + 1
    assert str(problem).startswith(f"{path}:{line}: organisation 'newco-bio': type: 'biotek'")
    path.write_text(path.read_text(encoding="utf-8").replace("biotek", "biotech"), encoding="utf-8")
    assert holder.reload().ok
    assert holder.last_problems == ()
    assert holder.store is not before


def test_readers_see_a_whole_snapshot_during_reloads(good_copy: Path) -> None:
    """Threads reading while another reloads always see a complete, consistent store."""
    holder = KnowledgeHolder(good_copy)
    errors: list[str] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            store = holder.store
            if store.lookup("LegoChem")[0].id != "legochem" or not store.search("TROP2"):
                errors.append(store.version)

    readers = [threading.Thread(target=read) for _ in range(2)]
    for thread in readers:
        thread.start()
    for _ in range(5):
        assert holder.reload().ok
    stop.set()
    for thread in readers:
        thread.join()
    assert errors == []


def test_prepare_runs_on_each_snapshot_before_a_reload_serves_it(good_copy: Path) -> None:
    """`prepare` sees the first snapshot, and each reloaded one before it is swapped in."""
    seen: list[tuple[str, bool]] = []
    first_done = threading.Event()
    holder: KnowledgeHolder | None = None

    def prepare(store: KnowledgeStore) -> None:
        seen.append((store.version, holder is not None and holder.store is store))
        first_done.set()

    holder = KnowledgeHolder(good_copy, prepare=prepare)
    assert first_done.wait(30)  # the first one in a thread: the start does not wait for it
    path = good_copy / "organisations.yaml"
    path.write_text(path.read_text(encoding="utf-8") + NEW_ORG, encoding="utf-8")
    assert holder.reload().ok
    assert seen[-1] == (holder.store.version, False)  # prepared while the old one was served
    assert len(seen) == 2
