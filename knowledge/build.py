"""The plain path: read a folder's YAML files, validate them and index them into a snapshot.

Read each file, parse it (`yaml_lines`), validate its entries (`validate`) and index them
(`store.SnapshotBuilder`); once every file is read, check every reference (`reader`). The
speed-ups in `knowledge/accel/` reuse `build_store` with their own way of reading files.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from knowledge.models import AnyEntity
from knowledge.problems import KnowledgeError, Problem
from knowledge.reader import Reader
from knowledge.search import TextIndex
from knowledge.store import KnowledgeStore, SnapshotBuilder

#: reads `files` into a reader, in order; returns each file with the sha256 of its bytes
ReadFiles = Callable[[Reader, list[Path]], list[tuple[Path, str]]]


def build_store(root: Path, read: ReadFiles, *, text_now: bool = False) -> KnowledgeStore:
    """Read every file of `root` with `read`, then index what it accepted; raise on problems."""
    builder = SnapshotBuilder()  # each file is indexed as soon as it is read
    text: TextIndex | None = None
    if text_now:  # full text too, in a thread
        text = TextIndex()
        text.stream()

    def accept(entities: list[AnyEntity]) -> None:
        if text is not None:
            text.feed(entities)
        builder.add(entities)

    problems, version = read_folder(root, accept, read)
    if problems:
        if text is not None:
            text.abandon()
        raise KnowledgeError(problems)
    if text is not None:
        text.close()  # every entity is fed: the thread finishes the index
    return builder.build(version, text_now=text_now, text=text)


def read_folder(
    root: Path, on_accept: Callable[[list[AnyEntity]], object], read: ReadFiles | None = None
) -> tuple[list[Problem], str]:
    """Parse and validate every YAML file under `root`; return (problems, version).

    `on_accept(entities)` gets each file's valid entities, in order, as soon as they are
    validated (the loader indexes them so).
    """
    if not root.is_dir():
        return [Problem(str(root), 0, "no such folder: point KNOWLEDGE_DIR at one")], ""
    files = yaml_files(root)
    if not files:
        message = (
            "no .yaml files here: add one (e.g. sources.yaml) or point KNOWLEDGE_DIR elsewhere"
        )
        return [Problem(str(root), 0, message)], ""
    reader = Reader(on_accept=on_accept)
    digests = (read or read_each)(reader, files)
    reader.check_references()
    return reader.problems, _version(root, digests)


def read_each(reader: Reader, files: list[Path]) -> list[tuple[Path, str]]:
    """Read, parse and validate each file in turn, in this process."""
    digests = []
    for path in files:
        raw = path.read_bytes()
        reader.read_file(path, raw)
        digests.append((path, hashlib.sha256(raw).hexdigest()))
    return digests


def yaml_files(root: Path) -> list[Path]:
    """Return the YAML files under `root`, skipping hidden files and folders.

    A Kubernetes ConfigMap or git-sync mount keeps older copies in `..data/` and
    `..2024_.../` folders; reading those too would define every id twice.
    """
    return sorted(
        path
        for path in root.rglob("*.y*ml")
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(root).parts)
    )


def folder_version(root: Path, files: list[Path]) -> str:
    """Return the version `read_folder` gives these files: a hash of their names and bytes."""
    return _version(root, [(path, hashlib.sha256(path.read_bytes()).hexdigest()) for path in files])


def _version(root: Path, digests: list[tuple[Path, str]]) -> str:
    hasher = hashlib.sha256()
    for path, digest in digests:
        hasher.update(f"{path.relative_to(root)}\0{digest}\n".encode())
    return hasher.hexdigest()[:12]
