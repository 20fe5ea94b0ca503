"""Load a knowledge folder into a validated `KnowledgeStore`, reporting `file:line` problems.

The plain path lives in `knowledge/build.py`: read each file, parse it (`yaml_lines`), validate
its entries (`validate`) and index them (`store.SnapshotBuilder`), then check every reference
(`reader`). A large folder takes the speed-ups in `knowledge/accel/` instead (one switch:
`accel.is_large`), which end in the same snapshot or the same problems.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from knowledge import accel
from knowledge.build import (
    ReadFiles,
    build_store,
    folder_version,
    read_each,
    read_folder,
    yaml_files,
)
from knowledge.problems import KnowledgeError, Problem
from knowledge.store import KnowledgeStore

__all__ = [
    "KnowledgeError",
    "Problem",
    "ReadFiles",
    "build_store",
    "default_dir",
    "folder_version",
    "load_store",
    "read_folder",
    "yaml_files",
]


def default_dir() -> Path:
    """Return the knowledge folder shipped with the package."""
    return Path(str(resources.files("knowledge") / "data"))


def load_store(
    folder: Path | str | None = None, cache_dir: Path | None = None, *, text_now: bool = False
) -> KnowledgeStore:
    """Load, validate and index a knowledge folder; raise KnowledgeError listing every problem.

    With `text_now`, the full-text index is built alongside the others (see
    `SnapshotBuilder.build`); else on the first search. `cache_dir` is where a large folder
    keeps its caches (see knowledge/accel/).
    """
    root = Path(folder) if folder else default_dir()
    files = yaml_files(root) if root.is_dir() else []
    if files and accel.is_large(files):
        from knowledge.accel.large import load_large

        return load_large(root, files, cache_dir, text_now=text_now)
    return build_store(root, read_each, text_now=text_now)
