"""Which fields of which kinds name another entity, and what kind that entity must be."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from knowledge.models import (
    Asset,
    Deal,
    Event,
    Organisation,
    Person,
    Quote,
    Statistic,
    Topic,
    Trend,
)

Loc = tuple[str | int, ...]

#: kind -> [(field path, kind it must name)]; "[]" walks every item of a list.
REFERENCES: dict[str, list[tuple[str, str]]] = {
    Topic.kind: [],
    Organisation.kind: [
        ("parent", "organisation"),
        ("topics[]", "topic"),
        ("place.source.source", "source"),
    ],
    Person.kind: [("roles[].organisation", "organisation"), ("topics[]", "topic")],
    Asset.kind: [
        ("owners[]", "organisation"),
        ("topics[]", "topic"),
        ("key_data[].source.source", "source"),
    ],
    Deal.kind: [
        ("parties[].organisation", "organisation"),
        ("assets[]", "asset"),
        ("related[]", "deal"),
        ("topics[]", "topic"),
        ("milestones[].source.source", "source"),
    ],
    Quote.kind: [("speaker", "person"), ("organisation", "organisation"), ("topics[]", "topic")],
    Trend.kind: [
        ("deals[]", "deal"),
        ("statistics[]", "statistic"),
        ("quotes[]", "quote"),
        ("topics[]", "topic"),
    ],
    Statistic.kind: [("topics[]", "topic"), ("same_figure_as", "statistic")],
    Event.kind: [
        ("organiser", "organisation"),
        ("part_of", "event"),
        ("speakers[]", "person"),
        ("topics[]", "topic"),
    ],
}
for _specs in REFERENCES.values():
    _specs.append(("sources[].source", "source"))

#: a field path as (field name, whether it is a list to walk) steps
Steps = tuple[tuple[str, bool], ...]

_COMPILED: dict[str, list[tuple[Steps, str]]] = {
    kind: [
        (tuple((part.removesuffix("[]"), part.endswith("[]")) for part in path.split(".")), target)
        for path, target in specs
    ]
    for kind, specs in REFERENCES.items()
}


class Referenced:
    """The distinct ids that each reference field names, gathered as entities arrive."""

    def __init__(self) -> None:
        self._ids: dict[tuple[str, Steps], set[str]] = {}

    def add(self, kind: str, entities: Sequence[Any]) -> None:
        """Gather the ids that `entities` (all of `kind`) name."""
        for steps, _ in _COMPILED.get(kind, ()):
            self._ids.setdefault((kind, steps), set()).update(gather(entities, steps))

    def ids(self, kind: str, steps: Steps) -> set[str]:
        """Return the ids named at `steps` by the entities of `kind` added."""
        return self._ids.get((kind, steps), set())


def broken(
    entities: Sequence[Any],
    kind: str,
    kind_of: Mapping[str, str],
    referenced: Referenced | None = None,
) -> Iterator[tuple[Any, Loc, str, str]]:
    """Yield (entity, location, id, kind it must be) for references to a missing or wrong kind.

    Checks the distinct ids of each field, gathered across all entities list-at-a-time (or
    already, by `referenced`, from these very entities); only entities holding a bad id are
    walked one by one to find where it is.
    """
    for steps, target in _COMPILED.get(kind, ()):
        named = referenced.ids(kind, steps) if referenced else set(gather(entities, steps))
        bad = {ref for ref in named if kind_of.get(ref) != target}
        if not bad:
            continue
        for entity in entities:
            for loc, ref, _ in _walk(entity, steps, (), target):
                if ref in bad:
                    yield entity, loc, ref, target


def gather(entities: Sequence[Any], steps: Steps) -> list[Any]:
    """Return every value at `steps` across `entities`, list at a time (None values left out)."""
    values: list[Any] = list(entities)
    for name, many in steps:
        if many:
            values = [x for v in values for x in getattr(v, name)]
        else:
            values = [x for v in values if (x := getattr(v, name)) is not None]
    return values


def _walk(value: Any, steps: Steps, loc: Loc, target: str) -> Iterator[tuple[Loc, str, str]]:
    if value is None:
        return
    if not steps:
        yield loc, value, target
        return
    (name, many), rest = steps[0], steps[1:]
    child = getattr(value, name)
    if child is None:
        return
    if many:
        for index, item in enumerate(child):
            yield from _walk(item, rest, (*loc, name, index), target)
    else:
        yield from _walk(child, rest, (*loc, name), target)


def label(loc: Loc) -> str:
    """Write a location the way a curator reads it: parties[0].organisation."""
    text = ""
    for step in loc:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else step)
    return text


def written_references(kind: str, item: Any) -> Iterator[tuple[Loc, str, str]]:
    """Yield (location, id, kind it must be) for every reference in an entry as written in YAML.

    For entries the models refused, so their references are checked in the same run.
    """
    for steps, target in _COMPILED.get(kind, ()):
        yield from _walk_written(item, steps, (), target)


def _walk_written(
    value: Any, steps: Steps, loc: Loc, target: str
) -> Iterator[tuple[Loc, str, str]]:
    if not steps:
        if isinstance(value, str):
            yield loc, value, target
        return
    if not isinstance(value, dict):
        return
    (name, many), rest = steps[0], steps[1:]
    child = value.get(name)
    if many and isinstance(child, list):
        for index, item in enumerate(child):
            yield from _walk_written(item, rest, (*loc, name, index), target)
    elif not many and child is not None:
        yield from _walk_written(child, rest, (*loc, name), target)
