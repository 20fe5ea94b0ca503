"""Validate entries with pydantic and turn its errors into messages that say how to fix them."""

from __future__ import annotations

import re
from functools import cache
from typing import Any, get_args

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails
from rapidfuzz import fuzz, process
from typing_extensions import TypedDict

from knowledge.refs import Loc, label

#: (index of the entry in its list, location inside the entry, message)
EntryError = tuple[int, Loc, str]

_QUOTED = re.compile(r"'([^']*)'")
_TYPE_HINTS = {
    "list_type": "write a list: [a, b] or one '- item' per line",
    "tuple_type": "write a list: [a, b] or one '- item' per line",
    "dict_type": "write a mapping of fields (name: value)",
    "model_type": "write a mapping of fields (name: value)",
    "model_attributes_type": "write a mapping of fields (name: value)",
    "string_type": "write text, in quotes if it looks like a number or date",
}


@cache
def list_adapter(model: type[BaseModel]) -> TypeAdapter[list[Any]]:
    return TypeAdapter(list[model])  # type: ignore[valid-type]


@cache
def _file_adapter(kinds: tuple[tuple[str, type[BaseModel]], ...]) -> TypeAdapter[dict[str, Any]]:
    fields = {key: list[model] for key, model in kinds}  # type: ignore[valid-type]
    file_type = TypedDict("KnowledgeFile", fields, total=False)  # type: ignore[misc]
    file_type.__pydantic_config__ = ConfigDict(extra="forbid")  # type: ignore[attr-defined]
    return TypeAdapter(file_type)  # type: ignore[arg-type]


def validate_file_json(
    kinds: dict[str, type[BaseModel]], payload: bytes | str
) -> dict[str, list[Any]] | None:
    """Validate a whole file given as JSON in one call; None if anything in it is wrong.

    The caller then validates the file entry by entry to say what is wrong and where.
    """
    try:
        valid: dict[str, list[Any]] = _file_adapter(tuple(kinds.items())).validate_json(payload)
    except ValidationError:
        return None
    return valid


def validate_entries(
    model: type[BaseModel], items: list[Any]
) -> tuple[list[Any], list[int], list[EntryError]]:
    """Validate a list of entries; return (valid entities, their indexes, errors of the rest)."""
    try:
        valid = list_adapter(model).validate_python(items)
        return valid, list(range(len(items))), []
    except ValidationError as exc:
        failures = exc.errors(include_url=False)
    errors: list[EntryError] = []
    bad: set[int] = set()
    for err in failures:
        index, *loc = err["loc"]
        assert isinstance(index, int)
        bad.add(index)
        errors.append((index, tuple(loc), explain(model, err)))
    keep = [i for i in range(len(items)) if i not in bad]
    valid = [model.model_validate(items[i]) for i in keep]
    return valid, keep, errors


def explain(model: type[BaseModel], err: ErrorDetails) -> str:
    """Return a pydantic error as 'where: what is wrong; how to fix it'."""
    loc = tuple(p for p in err["loc"][1:] if not isinstance(p, str) or p[:1].islower())
    kind, value, msg = err["type"], err.get("input"), err["msg"]
    where = label(loc) or "entry"
    if kind in ("extra_forbidden", "unexpected_keyword_argument"):  # models, dataclasses
        owner = _model_at(model, loc[:-1])
        allowed = list(fields_of(owner)) if owner else []
        near = _nearest(str(loc[-1]), allowed)
        hint = f"; did you mean {near!r}?" if near else ""
        return f"{where}: unknown field{hint} Allowed fields: {', '.join(allowed)}"
    if kind == "missing":
        return f"{where}: missing required field; add `{loc[-1]}: ...`"
    if kind in ("enum", "literal_error"):
        options = _QUOTED.findall(str((err.get("ctx") or {}).get("expected", "")))
        near = _nearest(str(value), options)
        hint = f"; did you mean {near!r}?" if near else ""
        return f"{where}: {value!r} is not allowed{hint} Use one of: {', '.join(options)}"
    if kind == "string_pattern_mismatch" and "a-z0-9" in str((err.get("ctx") or {}).get("pattern")):
        return (
            f"{where}: {value!r} is not a valid id; use lowercase words joined by hyphens, "
            f"e.g. {slugify(str(value))!r}"
        )
    if kind == "string_pattern_mismatch" and loc and loc[-1] == "currency":
        return (
            f"{where}: {value!r} is not a currency code; use three capitals such as USD, CNY, EUR"
        )
    if kind == "value_error":
        return f"{where}: {msg.removeprefix('Value error, ')}"
    if kind == "too_short" and loc and loc[-1] == "sources":
        return f"{where}: cite at least one source: `sources: [{{source: <source-id>}}]`"
    if kind in _TYPE_HINTS or kind.endswith(("_type", "_parsing")):
        got = f"{type(value).__name__} {_short(value)}"
        hint = _TYPE_HINTS.get(kind, "")
        msg = msg.replace("valid tuple", "valid list")  # lists are stored as tuples
        return f"{where}: {msg[:1].lower()}{msg[1:]}, got {got}" + (f"; {hint}" if hint else "")
    return f"{where}: {msg}"


def fields_of(model: type[Any]) -> dict[str, FieldInfo]:
    """Return the fields of a pydantic model or pydantic dataclass."""
    fields: dict[str, FieldInfo] = getattr(model, "__pydantic_fields__", {})
    return fields


def _model_at(model: type[Any], loc: Loc) -> type[Any] | None:
    """Return the model or dataclass that holds the field at `loc` (walking lists, optionals)."""
    current: type[Any] | None = model
    for step in loc:
        if isinstance(step, int) or current is None:
            continue
        field = fields_of(current).get(step)
        current = inner_model(field.annotation) if field else None
    return current


def inner_model(annotation: Any) -> type[Any] | None:
    """Return the model or dataclass inside an annotation (`tuple[Party, ...]` -> Party)."""
    if isinstance(annotation, type) and hasattr(annotation, "__pydantic_fields__"):
        return annotation
    for arg in get_args(annotation):
        found = inner_model(arg)
        if found is not None:
            return found
    return None


def _nearest(word: str, choices: list[str]) -> str | None:
    found = process.extractOne(word, choices, scorer=fuzz.WRatio, score_cutoff=60)
    return found[0] if found else None


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def slugify(text: str) -> str:
    """Suggest an id for a name: 'Bayer AG' -> 'bayer-ag'."""
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "an-id"
