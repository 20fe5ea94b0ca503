"""Read a folder of knowledge YAML into a validated `KnowledgeStore`, reporting `file:line` problems.

The fast path parses every file with yaml_rs and validates it with one msgspec call; a file's
node tree (for line numbers) is only built when something in it needs reporting.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from knowledge import parse_cache, snapshot_cache
from knowledge.models import KINDS, AnyEntity
from knowledge.parse_worker_client import parsed_elsewhere
from knowledge.problems import KnowledgeError, Problem
from knowledge.refs import Loc, Referenced, broken, label
from knowledge.search import TextIndex
from knowledge.store import KnowledgeStore, SnapshotBuilder
from knowledge.validate import validate_entries, validate_file
from knowledge.yaml_lines import NodeLines, YamlSyntaxError, parse

__all__ = ["KnowledgeError", "Problem", "default_dir", "load_store", "read_folder", "yaml_files"]

_KEY_OF_KIND = {model.kind: key for key, model in KINDS.items()}  # type: ignore[attr-defined]


def default_dir() -> Path:
    """Return the knowledge folder shipped with the package."""
    return Path(str(resources.files("knowledge") / "data"))


def load_store(
    folder: Path | str | None = None, cache_dir: Path | None = None, *, text_now: bool = False
) -> KnowledgeStore:
    """Load, validate and index a knowledge folder; raise KnowledgeError listing every problem.

    With `cache_dir`, a large folder whose files and code match a snapshot saved there by
    `snapshot_cache.write` is read from that instead. With `text_now`, the full-text index is
    built alongside the others (see `SnapshotBuilder.build`); else on the first search.
    """
    root = Path(folder) if folder else default_dir()
    with _collector_paused():
        if cache_dir is not None and root.is_dir():
            files = yaml_files(root)
            if snapshot_cache.worth_caching(files) and snapshot_cache.holds_snapshots(cache_dir):
                cached = snapshot_cache.read(cache_dir, folder_version(root, files))
                if cached is not None:
                    return cached
        builder = SnapshotBuilder()  # each file is indexed as soon as it is read
        text: TextIndex | None = None
        if text_now:  # full text too, in a thread
            text = TextIndex()
            text.stream()

        def accept(entities: list[AnyEntity]) -> None:
            if text is not None:
                text.feed(entities)
            builder.add(entities)

        problems, digest = read_folder(root, accept, cache_dir)
        if problems:
            if text is not None:
                text.abandon()
            raise KnowledgeError(problems)
        if text is not None:
            text.close()  # every entity is fed: the thread finishes the index
        return builder.build(digest, text_now=text_now, text=text)


def folder_version(root: Path, files: list[Path]) -> str:
    """Return the version `read_folder` gives these files: a hash of their names and bytes."""
    return _version(root, [(path, hashlib.sha256(path.read_bytes()).hexdigest()) for path in files])


def _version(root: Path, digests: list[tuple[Path, str]]) -> str:
    hasher = hashlib.sha256()
    for path, digest in digests:
        hasher.update(f"{path.relative_to(root)}\0{digest}\n".encode())
    return hasher.hexdigest()[:12]


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a snapshot is built.

    Loading creates millions of acyclic objects (parsed YAML, models); each collection would
    scan all of them again, which doubled the load time of a 100k-deal folder. A snapshot
    lives long, so what a load made is then moved straight to the oldest generation (frozen
    and unfrozen), which only the rare full collections scan: the first collection after a
    load otherwise scanned all of it (0.2-0.4 s at 100k deals). A load that fails leaves its
    garbage to the young generation, which frees it soon.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        gc.freeze()  # every tracked object, to the permanent generation ...
        gc.unfreeze()  # ... and back into the oldest one, none of them scanned
    finally:
        if was_enabled:
            gc.enable()


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


def read_folder(
    root: Path,
    on_accept: Callable[[list[AnyEntity]], object],
    cache_dir: Path | None = None,
) -> tuple[list[Problem], str]:
    """Parse and validate every YAML file under `root`; return (problems, version).

    `on_accept(entities)` gets each file's valid entities, in order, as soon as they are
    validated (the loader indexes them so). With `cache_dir`, a large folder's parsed files are
    kept there (see `parse_cache`).
    """
    if not root.is_dir():
        return [Problem(str(root), 0, "no such folder: point KNOWLEDGE_DIR at one")], ""
    files = yaml_files(root)
    if not files:
        message = (
            "no .yaml files here: add one (e.g. sources.yaml) or point KNOWLEDGE_DIR elsewhere"
        )
        return [Problem(str(root), 0, message)], ""
    reader = _Reader(on_accept=on_accept)
    digests: list[tuple[Path, str]] = []
    store = parse_cache.parsed_dir(cache_dir) if cache_dir is not None else None
    with parsed_elsewhere(files, store) as frames:
        for path in files:
            frame = next(frames, None)
            if frame is not None and frame.payload is not None:
                if not reader.read_json(path, frame.payload, frame.keys):
                    reader.read_file(path, path.read_bytes())  # say what is wrong, and where
                digest = frame.sha256
            else:
                raw = path.read_bytes()
                reader.read_file(path, raw)
                digest = hashlib.sha256(raw).hexdigest()
            digests.append((path, digest))
    if cache_dir is not None and store is not None and store.is_dir():
        parse_cache.keep_only(cache_dir, [digest for _, digest in digests])
    reader.check_references()
    return reader.problems, _version(root, digests)


@dataclass
class _Reader:
    """Accumulates entities and problems across the files of one folder."""

    on_accept: Callable[[list[AnyEntity]], object]
    problems: list[Problem] = field(default_factory=list)
    origin: dict[str, int] = field(default_factory=dict)  # id -> its list in `lists`
    lists: list[_EntryList] = field(default_factory=list)
    referenced: Referenced = field(default_factory=Referenced)  # gathered as files are read
    raw_kinds: dict[str, str] = field(default_factory=dict)  # ids of entries that failed too
    _lines: dict[Path, NodeLines] = field(default_factory=dict)

    def report(self, path: Path, where: Loc, message: str) -> None:
        """Record a problem at the line of `where` inside `path`."""
        self.problems.append(Problem(str(path), self._node_lines(path).line(where), message))

    def _node_lines(self, path: Path) -> NodeLines:
        """Return the node tree of `path`, composing it the first time a problem needs it."""
        if path not in self._lines:
            self._lines[path] = NodeLines(path.read_text(encoding="utf-8"))
        return self._lines[path]

    def read_file(self, path: Path, raw: bytes) -> None:
        """Parse and validate one file."""
        try:
            data = parse(raw.decode("utf-8-sig"))  # a byte-order mark is not data
        except UnicodeDecodeError as exc:
            self.problems.append(
                Problem(str(path), 1, f"not UTF-8 text ({exc.reason}); re-save as UTF-8")
            )
            return
        except YamlSyntaxError as exc:
            self.problems.append(Problem(str(path), exc.line, exc.message))
            return
        if data is None:
            return
        if not isinstance(data, dict):
            kinds = ", ".join(KINDS)
            message = (
                f"the top level must be one mapping of kinds ({kinds}), each a list of entries"
            )
            self.problems.append(Problem(str(path), 1, message))
            return
        for key, items in data.items():
            self._read_kind(path, str(key), items)

    def _read_kind(self, path: Path, key: str, items: Any) -> None:
        model = KINDS.get(key)
        if model is None:
            near = process.extractOne(key, list(KINDS), scorer=fuzz.WRatio, score_cutoff=60)
            hint = f"did you mean {near[0]!r}? " if near else ""
            self.report(path, (key,), f"unknown kind {key!r}: {hint}Use one of: {', '.join(KINDS)}")
            return
        if items is None:
            return
        if not isinstance(items, list):
            self.report(path, (key,), f"{key} must be a list of entries, each starting with '- '")
            return
        kind: str = model.kind  # type: ignore[attr-defined]
        for item in items:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                self.raw_kinds.setdefault(item["id"], kind)
        valid, indexes, errors = validate_entries(model, items)
        for index, loc, message in errors:
            self.report(path, (key, index, *loc), f"{_name(kind, items[index], index)}: {message}")
        self._accept(path, key, valid, indexes)

    def read_json(self, path: Path, payload: bytes, keys: list[str]) -> bool:
        """Validate a file the parse worker parsed; False if it has any problem."""
        valid = validate_file(payload)
        if valid is None:
            return False
        for key in keys:
            entities = valid.get(key, [])
            self._accept(path, key, entities, range(len(entities)))
        return True

    def _accept(self, path: Path, key: str, valid: list[Any], indexes: Sequence[int]) -> None:
        """Keep validated entities, reporting ids defined twice."""
        ids = [entity.id for entity in valid]
        slot = len(self.lists)
        entries = _EntryList(path, key, ids, indexes)
        self.lists.append(entries)
        fresh = dict.fromkeys(ids, slot)
        if len(fresh) == len(ids) and fresh.keys().isdisjoint(self.origin.keys()):  # the usual case
            self.origin.update(fresh)
            kept = valid
        else:
            kept = []
            for position, entity in enumerate(valid):
                first = self.origin.get(entity.id)
                if first is not None:
                    self._duplicate(
                        entity.id, self.where(entity.id), (path, key, indexes[position])
                    )
                    continue
                self.origin[entity.id] = slot
                kept.append(entity)
        entries.kept = kept
        self.referenced.add(KINDS[key].kind, kept)  # type: ignore[attr-defined]
        if kept:
            self.on_accept(kept)

    def where(self, entity_id: str) -> tuple[Path, str, int]:
        """Return the file, kind key and list index where the entity `entity_id` was defined."""
        entries = self.lists[self.origin[entity_id]]
        return entries.path, entries.key, entries.index_of(entity_id)

    def _duplicate(
        self, entity_id: str, first: tuple[Path, str, int], again: tuple[Path, str, int]
    ) -> None:
        for here, there in ((first, again), (again, first)):
            other = f"{there[0]}:{self._node_lines(there[0]).line((there[1], there[2], 'id'))}"
            self.report(
                here[0],
                (here[1], here[2], "id"),
                f"duplicate id {entity_id!r}: also defined at {other}; ids are unique across "
                "every kind, so rename one",
            )

    def check_references(self) -> None:
        """Report every reference to an unknown id, or to an entity of the wrong kind."""
        kind_of = dict(self.raw_kinds)
        by_kind: dict[str, list[AnyEntity]] = {}
        for entries in reversed(self.lists):  # an id defined twice is of its first definition
            kind: str = KINDS[entries.key].kind  # type: ignore[attr-defined]
            kind_of.update(dict.fromkeys(entries.ids, kind))
        for entries in self.lists:
            by_kind.setdefault(KINDS[entries.key].kind, []).extend(entries.kept)  # type: ignore[attr-defined]
        suggest = _Suggester(kind_of)
        for kind, entities in by_kind.items():
            for entity, loc, ref, target in broken(entities, kind, kind_of, self.referenced):
                path, key, index = self.where(entity.id)
                where = f"{entity.kind} {entity.id!r}: {label(loc)}"
                found = kind_of.get(ref)
                if found is None:
                    near = suggest(ref, target)
                    hint = f"did you mean {near!r}? " if near else ""
                    message = (
                        f"{where}: no {target} has id {ref!r}; {hint}"
                        f"Fix the id or add it under {_KEY_OF_KIND[target]}:"
                    )
                else:
                    message = (
                        f"{where}: {ref!r} is {_a(found)}, but this field must name {_a(target)}"
                    )
                self.report(path, (key, index, *loc), message)


@dataclass
class _EntryList:
    """One kind's list of accepted entries in one file: where each id in it was defined."""

    path: Path
    key: str
    ids: list[str]
    indexes: Sequence[int]  # each entry's index in the file's list (refused ones are not here)
    kept: list[AnyEntity] = field(default_factory=list)  # the entities (no id defined before)
    _positions: dict[str, int] | None = None

    def index_of(self, entity_id: str) -> int:
        """Return the list index of the first entry with this id."""
        if self._positions is None:
            self._positions = {}
            for position, found in enumerate(self.ids):
                self._positions.setdefault(found, position)
        return self.indexes[self._positions[entity_id]]


class _Suggester:
    """Suggest the nearest existing id of a kind; bounded, since a bad folder may miss thousands."""

    LIMIT = 200

    def __init__(self, kind_of: dict[str, str]) -> None:
        self._kind_of = kind_of
        self._ids: dict[str, list[str]] | None = None
        self._done: dict[tuple[str, str], str | None] = {}

    def __call__(self, ref: str, kind: str) -> str | None:
        if (ref, kind) in self._done or len(self._done) >= self.LIMIT:
            return self._done.get((ref, kind))
        if self._ids is None:
            self._ids = {}
            for known, known_kind in self._kind_of.items():
                self._ids.setdefault(known_kind, []).append(known)
        found = process.extractOne(
            ref, self._ids.get(kind, []), scorer=fuzz.WRatio, score_cutoff=60
        )
        self._done[(ref, kind)] = found[0] if found else None
        return self._done[(ref, kind)]


def _a(kind: str) -> str:
    """Put the right article before a kind: 'an organisation', 'a deal'."""
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def _name(kind: str, item: Any, index: int) -> str:
    """Name an entry in a message: `deal 'bayer-puhe'`, or `deal #3` when it has no usable id."""
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        return f"{kind} {item['id']!r}"
    return f"{kind} #{index + 1}"
