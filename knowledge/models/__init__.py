"""Typed models of the knowledge store: one class per entity kind, as curators write them in YAML.

values.py holds ids, dates and source references; entities.py who and what the knowledge is
about; deals.py deals; evidence.py quotes, trends and statistics.
"""

from __future__ import annotations

from typing import Any, TypeVar

import msgspec

from knowledge.models.deals import Deal, DealType, Milestone, Money, Party, PartyRole
from knowledge.models.entities import (
    Asset,
    CuratorArea,
    Entity,
    Event,
    KeyFact,
    Organisation,
    OrgType,
    Person,
    Place,
    Role,
    Source,
    Topic,
)
from knowledge.models.evidence import Quote, Statistic, Trend
from knowledge.models.values import (
    NonEmpty,
    PartialDate,
    Precision,
    Record,
    Ref,
    Slug,
    SourceRef,
    decode_hook,
)

#: The YAML top-level key for each kind, and its model.
KINDS: dict[str, type[Record]] = {
    "sources": Source,
    "topics": Topic,
    "organisations": Organisation,
    "people": Person,
    "assets": Asset,
    "deals": Deal,
    "quotes": Quote,
    "trends": Trend,
    "statistics": Statistic,
    "events": Event,
}
#: Each kind's YAML top-level key: "organisation" -> "organisations".
KEY_OF_KIND: dict[str, str] = {model.kind: key for key, model in KINDS.items()}  # type: ignore[attr-defined]

AnyEntity = (
    Source | Topic | Organisation | Person | Asset | Deal | Quote | Trend | Statistic | Event
)

R = TypeVar("R", bound=Record)


def build(model: type[R], data: Any) -> R:
    """Validate `data` (as parsed from YAML) into `model`; raise msgspec.ValidationError."""
    return msgspec.convert(data, model, dec_hook=decode_hook)


def encode_hook(value: Any) -> Any:
    """msgspec's hook for writing the types it does not know: dates, as all their fields."""
    if isinstance(value, PartialDate):
        return value.to_builtins()
    raise NotImplementedError(f"cannot encode {type(value).__name__}")


def to_json(record: Record) -> bytes:
    """Return a model as JSON with every field (defaults too), in field order."""
    return _ENCODER.encode(record)


_ENCODER = msgspec.json.Encoder(enc_hook=encode_hook)

__all__ = [
    "KEY_OF_KIND",
    "KINDS",
    "AnyEntity",
    "Asset",
    "CuratorArea",
    "Deal",
    "DealType",
    "Entity",
    "Event",
    "KeyFact",
    "Milestone",
    "Money",
    "NonEmpty",
    "OrgType",
    "Organisation",
    "PartialDate",
    "Party",
    "PartyRole",
    "Person",
    "Place",
    "Precision",
    "Quote",
    "Record",
    "Ref",
    "Role",
    "Slug",
    "Source",
    "SourceRef",
    "Statistic",
    "Topic",
    "Trend",
    "build",
    "decode_hook",
    "encode_hook",
    "to_json",
]
