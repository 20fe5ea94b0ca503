"""Typed models of the knowledge store: one class per entity kind, as curators write them in YAML.

values.py holds ids, dates and source references; entities.py who and what the knowledge is
about; deals.py deals; evidence.py quotes, trends and statistics.
"""

from __future__ import annotations

from pydantic import BaseModel

from knowledge.models.deals import Deal, DealType, Milestone, Money, Party, PartyRole
from knowledge.models.entities import (
    Asset,
    Entity,
    Event,
    Organisation,
    OrgType,
    Person,
    Role,
    Source,
    Topic,
)
from knowledge.models.evidence import Quote, Statistic, Trend
from knowledge.models.values import (
    NonEmpty,
    PartialDate,
    Precision,
    Slug,
    SourceRef,
    Strict,
    value_type,
)

#: The YAML top-level key for each kind, and its model.
KINDS: dict[str, type[BaseModel]] = {
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

AnyEntity = (
    Source | Topic | Organisation | Person | Asset | Deal | Quote | Trend | Statistic | Event
)

__all__ = [
    "KINDS",
    "AnyEntity",
    "Asset",
    "Deal",
    "DealType",
    "Entity",
    "Event",
    "Milestone",
    "Money",
    "NonEmpty",
    "OrgType",
    "Organisation",
    "PartialDate",
    "Party",
    "PartyRole",
    "Person",
    "Precision",
    "Quote",
    "Role",
    "Slug",
    "Source",
    "SourceRef",
    "Statistic",
    "Strict",
    "Topic",
    "Trend",
    "value_type",
]
