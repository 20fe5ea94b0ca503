"""Shrink a loaded snapshot: equal `model_fields_set` sets are shared between instances.

Pydantic gives every model instance its own set of the field names it was given; across
~600k nested instances (100k deals) that is a quarter of the store's memory, yet there are
only a few dozen distinct sets. Knowledge models are frozen, so a set is never mutated in
place (model_copy copies it before updating), and sharing is safe.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from pydantic import BaseModel

from knowledge.validate import inner_model


@cache
def _nested_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """Return the fields of `model` that can hold other models (directly or in a list)."""
    return tuple(
        name for name, field in model.model_fields.items() if inner_model(field.annotation)
    )


def share_field_sets(entities: Iterable[BaseModel], pool: dict[Any, set[str]]) -> None:
    """Point every instance under `entities` at one shared set per distinct fields-set."""
    stack: list[BaseModel] = list(entities)
    while stack:
        model = stack.pop()
        fields = model.__pydantic_fields_set__
        key = (type(model), frozenset(fields))
        shared = pool.setdefault(key, fields)
        if shared is not fields:
            object.__setattr__(model, "__pydantic_fields_set__", shared)
        for name in _nested_fields(type(model)):
            value = model.__dict__[name]
            if isinstance(value, list):
                stack.extend(value)
            elif value is not None:
                stack.append(value)
