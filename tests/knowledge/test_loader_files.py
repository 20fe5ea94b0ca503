"""Which files the loader reads: YAML under the folder, never hidden files or dot-folders."""

from __future__ import annotations

import shutil
from pathlib import Path

from knowledge import KnowledgeStore, load_store
from knowledge.loader import yaml_files

GOOD = Path(__file__).resolve().parent / "fixtures" / "good"


def _configmap_mount(folder: Path) -> None:
    """Lay out `folder` like a Kubernetes ConfigMap volume holding the good fixture files."""
    versioned = folder / "..2024_11_25_10_00_00.123456789"
    shutil.copytree(GOOD, versioned)
    (folder / "..data").symlink_to(versioned.name)
    for file in GOOD.glob("*.y*ml"):
        (folder / file.name).symlink_to(Path("..data") / file.name)


def test_configmap_mount_loads_each_entity_once(tmp_path: Path, good_store: KnowledgeStore) -> None:
    """A ConfigMap mount (files linked into ..data/) loads with no duplicate-id errors."""
    _configmap_mount(tmp_path)
    store = load_store(tmp_path)
    assert store.entities.keys() == good_store.entities.keys()


def test_hidden_files_and_folders_are_skipped(tmp_path: Path) -> None:
    """Editor swap files, .git and other dot-folders are not read; ordinary subfolders are."""
    shutil.copytree(GOOD, tmp_path / "k")
    root = tmp_path / "k"
    (root / ".draft.yaml").write_text("not: [valid", encoding="utf-8")
    (root / ".git").mkdir()
    (root / ".git" / "old.yaml").write_text("not: [valid", encoding="utf-8")
    (root / "more").mkdir()
    (root / "more" / "extra.yaml").write_text("topics: []\n", encoding="utf-8")
    names = [str(p.relative_to(root)) for p in yaml_files(root)]
    assert "more/extra.yaml" in names
    assert not any(name.startswith(".") or "/." in name for name in names)
    assert len(load_store(root).entities) == len(load_store(GOOD).entities)


def test_folder_under_a_dot_parent_still_loads(tmp_path: Path) -> None:
    """Only parts below the knowledge folder count: a folder inside ~/.config still loads."""
    root = tmp_path / ".config" / "knowledge"
    shutil.copytree(GOOD, root)
    assert yaml_files(root)
    assert len(load_store(root).entities) > 0


def test_byte_order_mark_is_not_part_of_the_first_key(
    tmp_path: Path, good_store: KnowledgeStore
) -> None:
    """A file saved with a UTF-8 byte-order mark (some Windows editors add one) loads as usual."""
    shutil.copytree(GOOD, tmp_path / "k")
    for path in (tmp_path / "k").glob("*.y*ml"):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    store = load_store(tmp_path / "k")
    assert store.entities == good_store.entities
