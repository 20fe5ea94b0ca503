"""Validate entries with msgspec and explain what it refuses: every problem, and how to fix it.

msgspec stops at the first problem of an entry, so an entry it refuses is walked field by field
against the model's own type information (`problems`), which finds every problem and says
how to fix each one.
"""

from __future__ import annotations

import enum
import re
import types
from collections.abc import Iterator
from functools import cache
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import msgspec
from rapidfuzz import fuzz, process

from knowledge.models import PartialDate, Record, build, decode_hook
from knowledge.models.values import ID_RULE, SLUG, TEXT_RULE
from knowledge.refs import Loc, Steps, gather, label

#: (index of the entry in its list, location inside the entry, message)
EntryError = tuple[int, Loc, str]

_LIST_HINT = "write a list: [a, b] or one '- item' per line"
_MAPPING_HINT = "write a mapping of fields (name: value)"
_AT = re.compile(r" - at `\$[^`]*`$")
#: what each plain type is called in a message, and how to write one
_TYPES: dict[type, tuple[str, str]] = {
    str: ("a valid string", "write text, in quotes if it looks like a number or date"),
    int: ("a valid integer", "write a whole number such as 2024"),
    float: ("a valid number", "write a number such as 44000000 or 0.5"),
    bool: ("a valid boolean", "write true or false"),
}


def fits(model: type[Record], entities: list[Any]) -> bool:
    """Whether every id in `entities` is a slug and none of their text has blank edges.

    msgspec checks only lengths for these (a regex per value was half its decoding time); this
    checks a whole list at once: one regex over all its ids, and the ends of each text.
    """
    if not entities:
        return True
    ids = "\n".join([entity.id for entity in entities])
    if ids.count("\n") != len(entities) - 1 or not _IDS.fullmatch(ids):  # an id may hold \n
        return False
    for steps in _rule_paths(model, TEXT_RULE):
        texts = gather(entities, steps)
        if list(map(str.strip, texts)) != texts:  # strip returns a text without blank ends as is
            return False
    return True


_IDS = re.compile(rf"{SLUG.pattern}(?:\n{SLUG.pattern})*")


@cache
def _rule_paths(model: type[msgspec.Struct], rule: str) -> list[Steps]:
    """Every field path in `model` (lists and nested values walked) whose type carries `rule`."""
    paths: list[Steps] = []
    for field in msgspec.structs.fields(model):
        kind, metas = _unwrap(field.type)
        many = False
        if get_origin(kind) in (Union, types.UnionType):  # optional
            kind, metas = _unwrap(next(a for a in get_args(kind) if a is not type(None)))
        if get_origin(kind) in (tuple, list):
            kind, metas = _unwrap(get_args(kind)[0])
            many = True
        if any(meta.description == rule for meta in metas):
            paths.append(((field.name, many),))
        elif isinstance(kind, type) and issubclass(kind, msgspec.Struct):
            paths += [((field.name, many), *inner) for inner in _rule_paths(kind, rule)]
    return paths


def validate_entries(
    model: type[Record], items: list[Any]
) -> tuple[list[Any], list[int], list[EntryError]]:
    """Validate a list of entries; return (valid entities, their indexes, errors of the rest)."""
    try:
        every = msgspec.convert(items, list[model], dec_hook=decode_hook)  # type: ignore[valid-type]
        if fits(model, every):
            return every, list(range(len(items))), []
    except msgspec.ValidationError:
        pass
    valid: list[Any] = []
    keep: list[int] = []
    errors: list[EntryError] = []
    for index, item in enumerate(items):
        try:
            entity = build(model, item)
            refused = None if fits(model, [entity]) else "it breaks a rule"
        except msgspec.ValidationError as exc:
            refused = _AT.sub("", str(exc))
        if refused is None:
            valid.append(entity)
            keep.append(index)
            continue
        found = list(problems(model, item)) or [((), refused)]
        errors += [(index, loc, f"{label(loc) or 'entry'}: {text}") for loc, text in found]
    return valid, keep, errors


def problems(annotation: Any, value: Any, loc: Loc = ()) -> Iterator[tuple[Loc, str]]:
    """Yield (location, what is wrong and how to fix it) for every problem of `value`."""
    kind, metas = _unwrap(annotation)
    if get_origin(kind) in (Union, types.UnionType):
        others = [arg for arg in get_args(kind) if arg is not type(None)]
        if value is None and len(others) < len(get_args(kind)):
            return
        if len(others) == 1:
            yield from problems(others[0], value, loc)
            return
    if isinstance(kind, type) and issubclass(kind, msgspec.Struct):
        yield from _struct_problems(kind, value, loc)
    elif get_origin(kind) in (tuple, list):
        if not isinstance(value, list):
            yield loc, _wrong_type("a valid list", value, _LIST_HINT)
            return
        shortest = max((m.min_length or 0 for m in metas), default=0)
        if len(value) < shortest:
            yield loc, _too_short(loc, shortest)
        for index, item in enumerate(value):
            yield from problems(get_args(kind)[0], item, (*loc, index))
    else:
        message = _leaf_problem(kind, metas, value, loc)
        if message:
            yield loc, message


def _struct_problems(
    model: type[msgspec.Struct], value: Any, loc: Loc
) -> Iterator[tuple[Loc, str]]:
    if not isinstance(value, dict):
        yield loc, _wrong_type("a mapping of fields", value, _MAPPING_HINT)
        return
    fields = {f.encode_name: f for f in msgspec.structs.fields(model)}
    found = False
    for key in value:
        if key not in fields:
            found = True
            near = _nearest(str(key), list(fields))
            hint = f"; did you mean {near!r}?" if near else ""
            yield (*loc, key), f"unknown field{hint} Allowed fields: {', '.join(fields)}"
    for name, field in fields.items():
        if name not in value:
            if field.required:
                found = True
                yield (*loc, name), f"missing required field; add `{name}: ...`"
            continue
        for problem in problems(field.type, value[name], (*loc, name)):
            found = True
            yield problem
    if not found:  # every field is fine alone; the model's own checks refuse the whole
        try:
            build(model, value)  # type: ignore[type-var]
        except msgspec.ValidationError as exc:
            yield loc, _AT.sub("", str(exc))


def _leaf_problem(kind: Any, metas: list[msgspec.Meta], value: Any, loc: Loc) -> str | None:
    """Explain why a plain value (text, number, choice, date) is refused; None if it is not."""
    if kind is PartialDate:
        try:
            PartialDate.parse(value)
        except ValueError as exc:
            return str(exc)
        return None
    choices = _choices(kind)
    if choices is not None:
        if value in choices:
            return None
        near = _nearest(str(value), [str(c) for c in choices])
        hint = f"; did you mean {near!r}?" if near else ""
        return f"{value!r} is not allowed{hint} Use one of: {', '.join(map(str, choices))}"
    if kind in _TYPES and not _is_a(kind, value):
        what, hint = _TYPES[kind]
        return _wrong_type(what, value, hint)
    for meta in metas:
        problem = _constraint_problem(meta, value, loc)
        if problem:
            return problem
    return None


def _constraint_problem(meta: msgspec.Meta, value: Any, loc: Loc) -> str | None:
    if meta.description == ID_RULE and not SLUG.fullmatch(value):
        return (
            f"{value!r} is not a valid id; use lowercase words joined by hyphens, "
            f"e.g. {slugify(str(value))!r}"
        )
    if meta.description == TEXT_RULE and not value.strip():
        return "must not be empty; write some text"
    if meta.description == TEXT_RULE and value != value.strip():
        return (
            "starts or ends with spaces or a line break; remove them (a `>` or `|` block "
            "keeps its last line break: write `>-` or `|-`)"
        )
    if meta.pattern is not None and not re.search(meta.pattern, value):
        if loc and loc[-1] == "currency":
            return f"{value!r} is not a currency code; use three capitals such as USD, CNY, EUR"
        return f"{value!r} does not match {meta.pattern}"
    if meta.max_length is not None and len(value) > meta.max_length:
        return f"is longer than {meta.max_length} characters; shorten it"
    if meta.ge is not None and value < meta.ge:
        return f"{value!r} is less than {meta.ge}; use {meta.ge} or more"
    return None


def _is_a(kind: type, value: Any) -> bool:
    if kind is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


def _choices(kind: Any) -> list[Any] | None:
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return [member.value for member in kind]
    if get_origin(kind) is Literal:
        return list(get_args(kind))
    return None


def _unwrap(annotation: Any) -> tuple[Any, list[msgspec.Meta]]:
    if get_origin(annotation) is Annotated:
        base, *extras = get_args(annotation)
        return base, [m for m in extras if isinstance(m, msgspec.Meta)]
    return annotation, []


def _wrong_type(what: str, value: Any, hint: str) -> str:
    return f"input should be {what}, got {type(value).__name__} {_short(value)}; {hint}"


def _too_short(loc: Loc, shortest: int) -> str:
    if loc and loc[-1] == "sources":
        return "cite at least one source: `sources: [{source: <source-id>}]`"
    return f"give at least {shortest} item{'s' if shortest > 1 else ''}"


def _nearest(word: str, choices: list[str]) -> str | None:
    found = process.extractOne(word, choices, scorer=fuzz.WRatio, score_cutoff=60)
    return found[0] if found else None


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def slugify(text: str) -> str:
    """Suggest an id for a name: 'Bayer AG' -> 'bayer-ag'."""
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "an-id"
