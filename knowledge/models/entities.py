"""Who and what the knowledge is about: sources, topics, organisations, people, assets, events."""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar, Literal

from pydantic import Field

from knowledge.models.values import NonEmpty, PartialDate, Slug, SourceRef, Strict, value_type


class Entity(Strict):
    """Anything with a stable id that other entities can reference."""

    kind: ClassVar[str] = "entity"
    id: Slug
    sources: tuple[SourceRef, ...] = Field(min_length=1)

    def names(self) -> list[str]:
        """Return every name this entity can be looked up by (name first)."""
        return [self.id]

    def label(self) -> str:
        """Return the display name."""
        return self.names()[0]

    def text_fields(self) -> list[str]:
        """Return the prose that full-text search indexes."""
        return self.names()


class Source(Strict):
    """A publication the knowledge cites."""

    kind: ClassVar[str] = "source"
    id: Slug
    title: NonEmpty
    publisher: NonEmpty
    author: str | None = None
    published: PartialDate
    url: str | None = None
    type: Literal["report", "article", "interview", "press-release", "website"] = "report"
    notes: str | None = None

    def names(self) -> list[str]:
        return [self.title, self.id]

    def label(self) -> str:
        return self.title

    def text_fields(self) -> list[str]:
        return [self.title, self.publisher, self.author or "", self.notes or ""]


class Topic(Entity):
    """A subject that quotes, deals and trends are tagged with (ADC, NewCo, AI drug discovery)."""

    kind: ClassVar[str] = "topic"
    name: NonEmpty
    aliases: tuple[str, ...] = ()
    description: str | None = None

    def names(self) -> list[str]:
        return [self.name, *self.aliases]

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


class Organisation(Entity):
    """A company, investor, incubator, university, regulator or other body."""

    kind: ClassVar[str] = "organisation"
    name: NonEmpty
    aliases: tuple[str, ...] = ()
    type: OrgType
    parent: Slug | None = None
    location: str | None = None  # as the source gives it: "Shanghai", "Japan", "U.S."
    description: str | None = None  # our own words
    topics: tuple[Slug, ...] = ()

    def names(self) -> list[str]:
        return [self.name, *self.aliases]

    def text_fields(self) -> list[str]:
        return [*self.names(), self.description or "", self.location or ""]


@value_type
class Role:
    """A position a person holds or held."""

    title: NonEmpty
    organisation: Slug
    current: bool = True


class Person(Entity):
    """Someone the knowledge quotes or mentions."""

    kind: ClassVar[str] = "person"
    name: NonEmpty
    aliases: tuple[str, ...] = ()
    roles: tuple[Role, ...] = ()
    bio: str | None = None  # our own words
    topics: tuple[Slug, ...] = ()

    def names(self) -> list[str]:
        return [self.name, *self.aliases]

    def text_fields(self) -> list[str]:
        return [*self.names(), *(r.title for r in self.roles), self.bio or ""]


class Asset(Entity):
    """A drug, programme or platform, with its codes and aliases (PH020 = BAY3713372)."""

    kind: ClassVar[str] = "asset"
    name: NonEmpty
    aliases: tuple[str, ...] = ()
    owners: tuple[Slug, ...] = ()
    target: str | None = None
    modality: str | None = None
    indications: tuple[str, ...] = ()
    therapeutic_areas: tuple[str, ...] = ()
    stage: str | None = None
    description: str | None = None  # our own words
    topics: tuple[Slug, ...] = ()

    def names(self) -> list[str]:
        return [self.name, *self.aliases]

    def text_fields(self) -> list[str]:
        return [
            *self.names(),
            self.target or "",
            self.modality or "",
            *self.indications,
            *self.therapeutic_areas,
            self.description or "",
        ]


class Event(Entity):
    """A conference or forum, with its in-person and virtual parts."""

    kind: ClassVar[str] = "event"
    name: NonEmpty
    aliases: tuple[str, ...] = ()
    organiser: Slug | None = None
    part_of: Slug | None = None  # the event this session belongs to
    speakers: tuple[Slug, ...] = ()  # people
    start: PartialDate
    end: PartialDate | None = None
    place: str | None = None
    virtual_start: PartialDate | None = None
    virtual_end: PartialDate | None = None
    url: str | None = None
    description: str | None = None  # our own words
    topics: tuple[Slug, ...] = ()

    def names(self) -> list[str]:
        return [self.name, *self.aliases]

    def text_fields(self) -> list[str]:
        return [*self.names(), self.place or "", self.description or ""]
