"""Read knowledge files one at a time into entities and problems, then check every reference.

Every problem is found in one run: a file that is not YAML, entries the models refuse, and
references to ids that do not exist, including those written in refused entries. A file that
is not YAML still has its `id:` lines read (`_ids_written`), so references to ids defined there
are not reported as missing: fixing its YAML checks them in the next run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from knowledge.models import KEY_OF_KIND, KINDS, AnyEntity
from knowledge.problems import Problem
from knowledge.refs import Loc, Referenced, broken, label, written_references
from knowledge.validate import validate_entries
from knowledge.yaml_lines import NodeLines, YamlSyntaxError, parse

__all__ = ["Reader"]

_TOP_KEY = re.compile(r"^([A-Za-z_]\w*)\s*:")
_ID_LINE = re.compile(r"""^(?:\s*-\s*|\s+)\{?\s*id\s*:\s*["']?([^\s"'#,{}\[\]]+)""")


@dataclass(frozen=True)
class _WrittenRef:
    """A reference in an entry the models refused: where it is and what it must name."""

    path: Path
    where: Loc  # from the top of the file: (key, index, *inside the entry)
    name: str  # the entry, as messages name it
    ref: str
    target: str


@dataclass
class Reader:
    """Accumulates entities and problems across the files of one folder."""

    on_accept: Callable[[list[AnyEntity]], object]
    problems: list[Problem] = field(default_factory=list)
    origin: dict[str, int] = field(default_factory=dict)  # id -> its list in `lists`
    lists: list[_EntryList] = field(default_factory=list)
    referenced: Referenced = field(default_factory=Referenced)  # gathered as files are read
    raw_kinds: dict[str, str] = field(default_factory=dict)  # ids of entries that failed too
    unsure: set[str] = field(default_factory=set)  # ids in files that are not YAML, kind unknown
    written_refs: list[_WrittenRef] = field(default_factory=list)
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
            self._note_ids_written(raw)
            return
        except YamlSyntaxError as exc:
            self.problems.append(Problem(str(path), exc.line, exc.message))
            self._note_ids_written(raw)
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

    def _note_ids_written(self, raw: bytes) -> None:
        """Keep the ids a file that cannot be parsed seems to define, as defined."""
        for entity_id, key in _ids_written(raw.decode("utf-8", "replace")):
            model = KINDS.get(key or "")
            if model is None:
                self.unsure.add(entity_id)
            else:
                self.raw_kinds.setdefault(entity_id, model.kind)  # type: ignore[attr-defined]

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
        for index in sorted({index for index, _, _ in errors}):
            name = _name(kind, items[index], index)
            for loc, ref, target in written_references(kind, items[index]):
                self.written_refs.append(_WrittenRef(path, (key, index, *loc), name, ref, target))
        self.accept(path, key, valid, indexes)

    def accept(self, path: Path, key: str, valid: list[Any], indexes: Sequence[int]) -> None:
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
                if ref in self.unsure:
                    continue
                path, key, index = self.where(entity.id)
                where = f"{entity.kind} {entity.id!r}: {label(loc)}"
                message = _bad_reference(where, ref, target, kind_of.get(ref), suggest)
                self.report(path, (key, index, *loc), message)
        for written in self.written_refs:
            found = kind_of.get(written.ref)
            if found == written.target or written.ref in self.unsure:
                continue
            where = f"{written.name}: {label(written.where[2:])}"
            message = _bad_reference(where, written.ref, written.target, found, suggest)
            self.report(written.path, written.where, message)


def _bad_reference(
    where: str, ref: str, target: str, found: str | None, suggest: _Suggester
) -> str:
    """Say what is wrong with a reference to `ref` and how to fix it."""
    if found is None:
        near = suggest(ref, target)
        hint = f"did you mean {near!r}? " if near else ""
        return (
            f"{where}: no {target} has id {ref!r}; {hint}"
            f"Fix the id or add it under {KEY_OF_KIND[target]}:"
        )
    return f"{where}: {ref!r} is {_a(found)}, but this field must name {_a(target)}"


def _ids_written(text: str) -> Iterator[tuple[str, str | None]]:
    """Yield (id, top-level key above it) for each `id:` line of a file that is not YAML."""
    key: str | None = None
    for line in text.splitlines():
        top = _TOP_KEY.match(line)
        if top:
            key = top.group(1)
            continue
        found = _ID_LINE.match(line)
        if found:
            yield found.group(1), key


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
