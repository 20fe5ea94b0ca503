"""A large folder's snapshot is cached in the data folder and read back on the next start."""

from __future__ import annotations

import json
import logging
import shutil
import threading
from pathlib import Path

import pytest

from knowledge import KnowledgeError, KnowledgeStore, accel, load_store, loader
from knowledge.accel import snapshot_cache
from knowledge.loader import default_dir
from knowledge.models import Deal, to_json
from knowledge.reload import KnowledgeHolder

GOOD = Path(__file__).resolve().parent / "fixtures" / "good"


@pytest.fixture
def folder(good_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the good fixture, counted as large enough to cache."""
    monkeypatch.setattr(accel, "LARGE_FOLDER_BYTES", 0)
    return good_copy


def _cached(folder: Path, cache: Path) -> KnowledgeHolder:
    """A holder on `folder` whose snapshot cache has been written."""
    holder = KnowledgeHolder(folder, cache_dir=cache)
    holder.wait_for_cache()
    return holder


def _first_run(cache: Path) -> Path:
    """The first file of entities in the one snapshot `cache` holds."""
    (written,) = cache.glob("knowledge-*")
    return sorted(written.glob("entities-*.json"))[0]


def _cached_versions(cache: Path) -> list[str]:
    """The knowledge versions the cache folder holds a snapshot of."""
    return [path.name.split("-")[1] for path in cache.glob("knowledge-*")]


@pytest.fixture
def held_writes(monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, list[str]]:
    """Make cache writes wait for the returned event; the list gets each written version."""
    release = threading.Event()
    real_write = snapshot_cache.write
    written: list[str] = []

    def slow_write(cache_dir: Path, store: KnowledgeStore) -> Path | None:
        assert release.wait(10)
        written.append(store.version)
        return real_write(cache_dir, store)

    monkeypatch.setattr(snapshot_cache, "write", slow_write)
    return release, written


def _no_yaml(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(root: Path) -> None:
        raise AssertionError("the YAML was read")

    monkeypatch.setattr(loader, "read_folder", refuse)


def test_restart_reads_the_cached_snapshot(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The holder caches what it loaded; the next load answers the same without the YAML."""
    cache = tmp_path / "cache"
    first = _cached(folder, cache).store
    assert len(list(cache.glob("knowledge-*"))) == 1
    _no_yaml(monkeypatch)
    again = load_store(folder, cache)
    assert again.version == first.version
    assert again.entities == first.entities
    assert [h.entity.id for h in again.search("antibody")] == [
        h.entity.id for h in first.search("antibody")
    ]
    assert again.search("antibody")  # the full-text index came with it
    assert first.loaded_from == "YAML files"
    assert again.loaded_from == "snapshot cache"
    assert [m.entity.id for m in again.fuzzy("Legochen")] == [
        m.entity.id for m in first.fuzzy("Legochen")
    ]


def test_an_edited_file_misses_and_replaces_the_cache(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    old = _cached(folder, cache)
    path = next(folder.glob("*.yaml"))
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    before = old.store.version
    result = old.reload()
    old.wait_for_cache()
    assert result.ok
    assert result.version != before
    assert _cached_versions(cache) == [result.version]


def test_invalid_yaml_is_refused_even_with_an_older_snapshot_cached(
    folder: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    _cached(folder, cache)
    (folder / "broken.yaml").write_text("deals: [oops\n", encoding="utf-8")
    with pytest.raises(KnowledgeError):
        load_store(folder, cache)


def test_a_damaged_cache_is_ignored_with_a_warning(
    folder: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cache = tmp_path / "cache"
    store = _cached(folder, cache).store
    (written,) = cache.glob("knowledge-*")
    (written / "names.json").write_bytes(b"{not json")
    with caplog.at_level(logging.WARNING, logger="knowledge.accel.snapshot_cache"):
        again = load_store(folder, cache)
    assert again.entities == store.entities
    assert "ignoring knowledge cache" in caplog.text


def test_a_cache_holding_what_the_rules_refuse_is_ignored(
    folder: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Entities are validated again when read: an altered cache cannot slip in a bad entry."""
    cache = tmp_path / "cache"
    _cached(folder, cache)
    first = _first_run(cache)
    first.write_text('[{"id": "Not A Slug", "sources": []}]', encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="knowledge.accel.snapshot_cache"):
        again = load_store(folder, cache)
    assert "Not A Slug" not in again.entities
    assert "ignoring knowledge cache" in caplog.text


@pytest.mark.parametrize(
    ("field", "value"), [("id", "Not-A-Slug"), ("name", "Trailing space ")], ids=["id", "text"]
)
def test_a_cached_entry_breaking_a_file_wide_rule_is_refused(
    folder: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture, field: str, value: str
) -> None:
    """Ids and text edges are checked a file at a time, in the cache as in the YAML."""
    cache = tmp_path / "cache"
    _cached(folder, cache)
    first = _first_run(cache)
    entries = json.loads(first.read_text(encoding="utf-8"))
    assert field in entries[0]
    entries[0][field] = value
    first.write_text(json.dumps(entries), encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="knowledge.accel.snapshot_cache"):
        again = load_store(folder, cache)
    assert "ignoring knowledge cache" in caplog.text
    assert "the rules refuse" in caplog.text
    assert value not in again.entities
    assert value not in [e.label() for e in again.entities.values()]


def test_an_unwritable_cache_folder_only_logs(
    folder: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="knowledge.accel.snapshot_cache"):
        holder = KnowledgeHolder(folder, cache_dir=blocker / "cache")
        holder.wait_for_cache()
    assert holder.store.entities
    assert "could not write the knowledge cache" in caplog.text


def test_small_folders_are_not_cached(tmp_path: Path) -> None:
    """Below accel.LARGE_FOLDER_BYTES (the shipped knowledge is 100 KB) loading the YAML is faster."""
    _cached(GOOD, tmp_path / "cache")
    assert not (tmp_path / "cache").exists()


def test_a_change_to_any_model_file_changes_the_code_fingerprint(tmp_path: Path) -> None:
    """Models live in a subpackage: editing one of them must miss every older cache."""
    package = tmp_path / "knowledge"
    shutil.copytree(Path(snapshot_cache.__file__).parents[1], package)
    before = snapshot_cache.fingerprint(package)
    deals = package / "models" / "deals.py"
    deals.write_text(deals.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert snapshot_cache.fingerprint(package) != before
    assert before == snapshot_cache.fingerprint(Path(snapshot_cache.__file__).parents[1])


def test_a_cache_another_replica_wrote_first_is_kept(
    folder: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Two replicas sharing DATA_DIR: the second writer finds the cache in place, no warning."""
    cache = tmp_path / "cache"
    store = _cached(folder, cache).store
    (written,) = cache.glob("knowledge-*")
    real_is_dir = Path.is_dir
    seen: list[Path] = []

    def first_look_misses(self: Path) -> bool:  # as if the other replica had not finished yet
        if self == written and not seen:
            seen.append(self)
            return False
        return real_is_dir(self)

    with (
        caplog.at_level(logging.WARNING, logger="knowledge.accel.snapshot_cache"),
        pytest.MonkeyPatch.context() as patch,
    ):
        patch.setattr(Path, "is_dir", first_look_misses)
        assert snapshot_cache.write(cache, store) == written
    assert "could not write" not in caplog.text
    assert [p.name for p in cache.glob("knowledge-*")] == [written.name]
    assert not list(cache.glob(".partial-*"))  # no partial folder left


def test_the_snapshot_is_served_before_its_cache_is_written(
    folder: Path, tmp_path: Path, held_writes: tuple[threading.Event, list[str]]
) -> None:
    """Writing the cache (1.3 s at 100k deals) runs in a thread after the snapshot is served."""
    release, _written = held_writes
    cache = tmp_path / "cache"
    holder = KnowledgeHolder(folder, cache_dir=cache)
    assert holder.store.search("antibody")  # served while the write waits
    assert not list(cache.glob("knowledge-*"))
    release.set()
    holder.wait_for_cache(10)
    assert _cached_versions(cache) == [holder.store.version]


def test_only_the_newest_snapshot_is_cached_after_quick_reloads(
    folder: Path, tmp_path: Path, held_writes: tuple[threading.Event, list[str]]
) -> None:
    """A save still waiting when a newer snapshot is served is skipped; the newest is kept."""
    release, written = held_writes
    cache = tmp_path / "cache"
    holder = KnowledgeHolder(folder, cache_dir=cache)  # its save blocks in slow_write
    first_saver = holder._saver
    path = next(folder.glob("*.yaml"))
    for round_ in range(2):
        path.write_text(path.read_text(encoding="utf-8") + f"\n# edit {round_}\n", encoding="utf-8")
        assert holder.reload().ok
    release.set()
    assert first_saver is not None
    first_saver.join(10)
    holder.wait_for_cache(10)
    newest = holder.store.version
    assert written[-1] == newest
    assert len(written) <= 2
    assert _cached_versions(cache) == [newest]


def test_the_shipped_knowledge_reads_back_field_for_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every kind of value survives the cache, dates with what the source said included."""
    monkeypatch.setattr(accel, "LARGE_FOLDER_BYTES", 0)
    shutil.copytree(default_dir(), tmp_path / "k")
    first = _cached(tmp_path / "k", tmp_path / "cache").store
    inferred = [d for d in first.all(Deal) if d.date is not None and d.date.inferred]
    assert inferred
    assert inferred[0].date is not None
    assert inferred[0].date.as_stated
    _no_yaml(monkeypatch)
    again = load_store(tmp_path / "k", tmp_path / "cache")
    assert list(again.entities) == list(first.entities)
    assert again.entities == first.entities
    assert [to_json(e) for e in again.entities.values()] == [
        to_json(e) for e in first.entities.values()
    ]
