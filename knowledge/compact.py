"""Shrink a loaded snapshot: entities with equal `model_fields_set` sets share one set.

Pydantic gives every model instance its own set of the field names it was given; across 200k
entities that is tens of megabytes, yet there are only a few dozen distinct sets. Knowledge
models are frozen (model_copy copies the fields-set before updating), so sharing is safe.
The small values nested in entities are slotted dataclasses and hold no fields-set.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel


def share_field_sets(entities: Iterable[BaseModel], pool: dict[Any, Any]) -> None:
    """Point every entity at one shared fields-set per distinct (type, set of field names)."""
    last: dict[type, set[str]] = {}  # most entities of a type repeat the previous set
    for model in entities:
        cls = type(model)
        fields = model.__pydantic_fields_set__
        shared = last.get(cls)
        if shared is None or fields != shared:
            shared = last[cls] = pool.setdefault((cls, frozenset(fields)), fields)
        if shared is not fields:
            object.__setattr__(model, "__pydantic_fields_set__", shared)
