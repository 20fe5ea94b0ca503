"""Who and what the knowledge is about: sources, topics, organisations, people, assets, events."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, ClassVar, Literal

import msgspec

from knowledge.models.values import NonEmpty, PartialDate, Record, Ref, Slug, SourceRef


class Entity(Record, frozen=True, kw_only=True):
    """Anything with a stable id that other entities can reference."""

    kind: ClassVar[str] = "entity"
    id: Slug
    sources: Annotated[tuple[SourceRef, ...], msgspec.Meta(min_length=1)]

    def names(self) -> list[str]:
        """Return every name this entity can be looked up by (name first)."""
        return [self.id]

    def label(self) -> str:
        """Return the display name."""
        return self.names()[0]

    def text_fields(self) -> list[str]:
        """Return the prose that full-text search indexes."""
        return self.names()


class Named(Entity, frozen=True, kw_only=True):
    """An entity with a name and other names it is known by."""

    name: NonEmpty
    aliases: tuple[str, ...] = ()

    def names(self) -> list[str]:
        return [self.name, *self.aliases]


class Source(Record, frozen=True, kw_only=True):
    """A publication the knowledge cites."""

    kind: ClassVar[str] = "source"
    id: Slug
    title: NonEmpty
    publisher: NonEmpty
    author: str | None = None
    published: PartialDate
    url: str | None = None
    type: Literal["report", "article", "interview", "press-release", "website"] = "report"
    notes: NonEmpty | None = None

    def names(self) -> list[str]:
        return [self.title, self.id]

    def label(self) -> str:
        return self.title

    def text_fields(self) -> list[str]:
        return [self.title, self.publisher, self.author or "", self.notes or ""]


class Topic(Named, frozen=True, kw_only=True):
    """A subject that quotes, deals and trends are tagged with (ADC, NewCo, AI drug discovery)."""

    kind: ClassVar[str] = "topic"
    description: NonEmpty | None = None

    def text_fields(self) -> list[str]:
        return [*self.names(), self.description or ""]


class OrgType(StrEnum):
    BIOTECH = "biotech"
    PHARMA = "pharma"
    INVESTOR = "investor"
    INCUBATOR = "incubator"
    UNIVERSITY = "university"
    REGULATOR = "regulator"
    GOVERNMENT = "government"
    MEDIA = "media"
    COMPANY = "company"
    OTHER = "other"


class Place(Record, frozen=True, kw_only=True):
    """Where the source places an organisation: its country, maybe its city, and where it says so."""

    country: NonEmpty  # "China", "Korea", "Japan", "U.S.", "France"
    city: NonEmpty | None = None  # "Hangzhou", "Nanjing", "Shanghai"
    source: SourceRef

    def label(self) -> str:
        """Return 'Hangzhou, China' or 'Korea'."""
        return f"{self.city}, {self.country}" if self.city else self.country


class Organisation(Named, frozen=True, kw_only=True):
    """A company, investor, incubator, university, regulator or other body."""

    kind: ClassVar[str] = "organisation"
    type: OrgType
    parent: Ref | None = None
    parent_note: NonEmpty | None = None  # our words: how the source states the parent link
    location: str | None = None  # as the source gives it: "Shanghai", "Japan", "U.S."
    place: Place | None = None  # country and city for filters, only where the source gives them
    #: names people type that the report does not print ("jnj", "J and J"); each unambiguous
    typed_names: tuple[str, ...] = ()
    description: NonEmpty | None = None  # our own words
    topics: tuple[Ref, ...] = ()

    def text_fields(self) -> list[str]:
        return [*self.names(), self.description or "", self.location or ""]

    def names(self) -> list[str]:
        return [self.name, *self.aliases, *self.typed_names]


class Role(Record, frozen=True, kw_only=True):
    """A position a person holds or held."""

    title: NonEmpty
    organisation: Ref
    current: bool = True


class Person(Named, frozen=True, kw_only=True):
    """Someone the knowledge quotes or mentions."""

    kind: ClassVar[str] = "person"
    roles: tuple[Role, ...] = ()
    bio: NonEmpty | None = None  # our own words
    topics: tuple[Ref, ...] = ()

    def text_fields(self) -> list[str]:
        return [*self.names(), *(r.title for r in self.roles), self.bio or ""]


class CuratorArea(Record, frozen=True, kw_only=True):
    """A therapeutic area the source does not state but that follows from the target or modality."""

    area: NonEmpty  # "oncology"
    basis: NonEmpty  # our words: why, e.g. "LCB84 is a Trop2-targeted ADC, a cancer drug class"


class KeyFact(Record, frozen=True, kw_only=True):
    """One thing the source reports about an asset, in our own words, with where it says so."""

    label: NonEmpty  # "IND approvals", "orphan drug designation", "trial data"
    summary: NonEmpty  # our own words, figures as the source states them
    source: SourceRef


class Asset(Named, frozen=True, kw_only=True):
    """A drug, programme or platform, with its codes and aliases (PH020 = BAY3713372)."""

    kind: ClassVar[str] = "asset"
    owners: tuple[Ref, ...] = ()
    owners_note: NonEmpty | None = None  # our words: who holds what, as the source states it
    target: str | None = None
    modality: str | None = None
    indications: tuple[str, ...] = ()
    therapeutic_areas: tuple[str, ...] = ()
    curator_areas: tuple[CuratorArea, ...] = ()  # areas the source implies, not states
    stage: str | None = None
    #: what the source reports about it (approvals, designations, trial data), in our own words
    key_data: tuple[KeyFact, ...] = ()
    description: NonEmpty | None = None  # our own words
    topics: tuple[Ref, ...] = ()

    def text_fields(self) -> list[str]:
        return [
            *self.names(),
            self.target or "",
            self.modality or "",
            *self.indications,
            *self.therapeutic_areas,
            *(c.area for c in self.curator_areas),
            self.description or "",
        ]


class Event(Named, frozen=True, kw_only=True):
    """A conference or forum, with its in-person and virtual parts."""

    kind: ClassVar[str] = "event"
    organiser: Ref | None = None
    part_of: Ref | None = None  # the event this session belongs to
    speakers: tuple[Ref, ...] = ()  # people
    start: PartialDate
    end: PartialDate | None = None
    place: str | None = None
    virtual_start: PartialDate | None = None
    virtual_end: PartialDate | None = None
    url: str | None = None
    description: NonEmpty | None = None  # our own words
    topics: tuple[Ref, ...] = ()

    def text_fields(self) -> list[str]:
        return [*self.names(), self.place or "", self.description or ""]
