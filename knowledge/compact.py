"""Shrink a loaded snapshot: equal `model_fields_set` sets and equal lists of text are shared.

Pydantic gives every model instance its own set of the field names it was given; across
~600k nested instances (100k deals) that is a quarter of the store's memory, yet there are
only a few dozen distinct sets. Lists of text repeat too (`[oncology]`, `["mRNA"]`, and the
empty lists of fields left out): a 100k-deal store holds 1.4 million lists, most of them equal
to another. Knowledge models are frozen and nothing mutates their lists in place (model_copy
copies the fields-set before updating), so sharing is safe.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any, get_origin

from pydantic import BaseModel

from knowledge.validate import inner_model


@cache
def _text_list_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """Return the fields of `model` declared as a list of text (ids, names, areas)."""
    return tuple(
        name
        for name, field in model.model_fields.items()
        if get_origin(field.annotation) is list and inner_model(field.annotation) is None
    )


@cache
def _nested_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """Return the fields of `model` that can hold other models (directly or in a list)."""
    return tuple(
        name for name, field in model.model_fields.items() if inner_model(field.annotation)
    )


def share_field_sets(entities: Iterable[BaseModel], pool: dict[Any, Any]) -> None:
    """Point every instance under `entities` at one shared fields-set and list per distinct one."""
    last: dict[type, set[str]] = {}  # most instances of a type repeat the previous set
    stack: list[BaseModel] = list(entities)
    while stack:
        model = stack.pop()
        cls = type(model)
        fields = model.__pydantic_fields_set__
        shared = last.get(cls)
        if shared is None or fields != shared:
            shared = last[cls] = pool.setdefault((cls, frozenset(fields)), fields)
        if shared is not fields:
            object.__setattr__(model, "__pydantic_fields_set__", shared)
        values = model.__dict__
        for name in _text_list_fields(cls):
            texts = values[name]
            values[name] = pool.setdefault(tuple(texts), texts)
        for name in _nested_fields(cls):
            value = values[name]
            if value.__class__ is list:
                stack.extend(value)
            elif value is not None:
                stack.append(value)
