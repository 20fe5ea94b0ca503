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


class Organisation(Named, frozen=True, kw_only=True):
    """A company, investor, incubator, university, regulator or other body."""

    kind: ClassVar[str] = "organisation"
    type: OrgType
    parent: Ref | None = None
    location: str | None = None  # as the source gives it: "Shanghai", "Japan", "U.S."
    description: NonEmpty | None = None  # our own words
    topics: tuple[Ref, ...] = ()

    def text_fields(self) -> list[str]:
        return [*self.names(), self.description or "", self.location or ""]


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


class Asset(Named, frozen=True, kw_only=True):
    """A drug, programme or platform, with its codes and aliases (PH020 = BAY3713372)."""

    kind: ClassVar[str] = "asset"
    owners: tuple[Ref, ...] = ()
    target: str | None = None
    modality: str | None = None
    indications: tuple[str, ...] = ()
    therapeutic_areas: tuple[str, ...] = ()
    stage: str | None = None
    description: NonEmpty | None = None  # our own words
    topics: tuple[Ref, ...] = ()

    def text_fields(self) -> list[str]:
        return [
            *self.names(),
            self.target or "",
            self.modality or "",
            *self.indications,
            *self.therapeutic_areas,
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
