"""Typed models of the knowledge store: one class per entity kind, as curators write them in YAML."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic.dataclasses import dataclass

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=120)]
NonEmpty = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class Strict(BaseModel):
    """Base for every YAML-facing model: unknown fields are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


#: Small values nested in entities (dates, source references, parties, money, milestones, roles)
#: are frozen, slotted dataclasses: a 100k-deal store holds about a million of them, and a slotted
#: instance has no `__dict__` and no fields-set, so it is built faster and takes a third of the
#: memory of a model. Same validation and rules as `Strict`.
value_type = dataclass(
    frozen=True,
    slots=True,
    kw_only=True,
    config=ConfigDict(extra="forbid", str_strip_whitespace=True),
)


class Precision(StrEnum):
    YEAR = "year"
    MONTH = "month"
    DAY = "day"


@value_type
class PartialDate:
    """A date known only to the precision the source gives: 2024, 2024-09 or 2024-09-15.

    YAML accepts a bare value (`2023-12`) or a mapping with what the source said
    (`{value: 2024-09, as_stated: "last September", inferred: true}`).
    """

    year: int = Field(ge=1900, le=2100)
    month: int | None = Field(default=None, ge=1, le=12)
    day: int | None = Field(default=None, ge=1, le=31)
    as_stated: str | None = None
    inferred: bool = False

    @model_validator(mode="before")
    @classmethod
    def _parse(cls, data: Any) -> Any:
        if isinstance(data, dt.date):
            return {"year": data.year, "month": data.month, "day": data.day}
        if isinstance(data, int):
            return {"year": data}
        if isinstance(data, str):
            return _parse_partial(data)
        if isinstance(data, dict) and "value" in data:
            rest = {k: v for k, v in data.items() if k != "value"}
            value = data["value"]
            if isinstance(value, dt.date):
                parsed: dict[str, Any] = {
                    "year": value.year,
                    "month": value.month,
                    "day": value.day,
                }
            elif isinstance(value, int):
                parsed = {"year": value}
            else:
                parsed = _parse_partial(str(value))
            return {**parsed, **rest}
        if isinstance(data, float | bool | list):
            raise ValueError(f"{data!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
        return data

    @model_validator(mode="after")
    def _check_real_date(self) -> PartialDate:
        if self.day is not None:
            if self.month is None:
                raise ValueError("a day needs a month")
            try:
                dt.date(self.year, self.month, self.day)
            except ValueError as exc:  # 2024-02-30
                raise ValueError(
                    f"{self.iso()} is not a real date ({exc}); write YYYY, YYYY-MM or YYYY-MM-DD"
                ) from None
        return self

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        return Precision.YEAR

    def earliest(self) -> dt.date:
        """Return the first day this date could be."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    def iso(self) -> str:
        """Return the date as ISO text at its own precision (2023, 2023-12, 2023-12-05)."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    def human(self) -> str:
        """Return the date for people: '2023', 'December 2023', '5 December 2023'."""
        if self.month is None:
            return str(self.year)
        month = dt.date(2000, self.month, 1).strftime("%B")
        if self.day is None:
            return f"{month} {self.year}"
        return f"{self.day} {month} {self.year}"


def _parse_partial(text: str) -> dict[str, Any]:
    match = _PARTIAL_DATE.match(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    return {
        "year": int(year),
        "month": int(month) if month else None,
        "day": int(day) if day else None,
    }


@value_type
class SourceRef:
    """Where a fact comes from: a source id and, optionally, the place in it."""

    source: Slug
    locator: str | None = None  # section or page, e.g. "II.2 Bayer"


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


class DealType(StrEnum):
    LICENCE = "licence"
    COLLABORATION = "collaboration"
    EQUITY_INVESTMENT = "equity-investment"
    ACQUISITION_OF_RIGHTS = "acquisition-of-rights"
    ACQUISITION = "acquisition"
    NEWCO = "newco"
    INCUBATION = "incubation"


class PartyRole(StrEnum):
    LICENSOR = "licensor"
    LICENSEE = "licensee"
    PARTNER = "partner"
    INVESTOR = "investor"
    INVESTEE = "investee"
    ACQUIRER = "acquirer"
    ACQUIRED = "acquired"  # the company bought outright
    SELLER = "seller"
    INCUBATOR = "incubator"
    INCUBATEE = "incubatee"
    NEWCO = "newco"
    FOUNDER = "founder"
    ORIGINAL_LICENSOR = "original-licensor"


@value_type
class Party:
    """An organisation's part in a deal."""

    organisation: Slug
    role: PartyRole
    note: str | None = None


@value_type
class Money:
    """An amount as the source gives it: `{amount: 44000000, currency: USD, label: upfront}`."""

    amount: float = Field(ge=0)
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
    label: NonEmpty  # what the money is: "upfront", "round size", "Bayer's contribution"
    as_stated: str | None = None  # "$44 million"
    condition: str | None = None  # "on completion of the transition"


@value_type
class Milestone:
    """A dated step of a deal that a reminder can use."""

    date: PartialDate
    label: NonEmpty
    kind: Literal[
        "signed",
        "announced",
        "closed",
        "approval",
        "designation",
        "clinical",
        "launch",
        "payment",
        "other",
    ] = "other"
    source: SourceRef | None = None


class Deal(Entity):
    """A cross-border transaction or partnership."""

    kind: ClassVar[str] = "deal"
    title: NonEmpty
    aliases: tuple[str, ...] = ()
    type: DealType
    parties: tuple[Party, ...] = Field(min_length=1)
    assets: tuple[Slug, ...] = ()
    territory: str | None = None
    rights: str | None = None
    money: tuple[Money, ...] = ()
    date: PartialDate | None = None
    status: Literal["announced", "active", "completed", "terminated", "unknown"] = "unknown"
    milestones: tuple[Milestone, ...] = ()
    therapeutic_areas: tuple[str, ...] = ()
    modalities: tuple[str, ...] = ()
    indications: tuple[str, ...] = ()
    summary: NonEmpty  # our own words
    topics: tuple[Slug, ...] = ()
    related: tuple[Slug, ...] = ()  # other deals

    def names(self) -> list[str]:
        return [self.title, *self.aliases]

    def party_ids(self) -> list[str]:
        return [p.organisation for p in self.parties]

    def text_fields(self) -> list[str]:
        return [
            *self.names(),
            self.summary,
            self.territory or "",
            self.rights or "",
            *self.therapeutic_areas,
            *self.modalities,
            *self.indications,
        ]


class Quote(Entity):
    """A verbatim quote with who said it, in what role, and where it was published."""

    kind: ClassVar[str] = "quote"
    text: NonEmpty  # verbatim, never edited
    speaker: Slug
    role: str | None = None  # the speaker's role as the source gives it
    organisation: Slug | None = None
    context: str | None = None  # our own words
    topics: tuple[Slug, ...] = ()
    date: PartialDate | None = None

    @field_validator("sources")
    @classmethod
    def _one_source(cls, value: tuple[SourceRef, ...]) -> tuple[SourceRef, ...]:
        if len(value) < 1:
            raise ValueError("a quote needs its source")
        return value

    def label(self) -> str:
        return self.text if len(self.text) <= 80 else self.text[:77] + "..."

    def names(self) -> list[str]:
        return [self.id]

    def text_fields(self) -> list[str]:
        return [self.text, self.context or ""]


class Trend(Entity):
    """A pattern in the market, in our own words, linked to the evidence."""

    kind: ClassVar[str] = "trend"
    title: NonEmpty
    summary: NonEmpty
    topics: tuple[Slug, ...] = ()
    deals: tuple[Slug, ...] = ()
    statistics: tuple[Slug, ...] = ()
    quotes: tuple[Slug, ...] = ()

    def names(self) -> list[str]:
        return [self.title]

    def text_fields(self) -> list[str]:
        return [self.title, self.summary]


class Statistic(Entity):
    """A figure: what it measures, its value, unit and period, and how the source phrased it."""

    kind: ClassVar[str] = "statistic"
    title: NonEmpty
    measure: NonEmpty  # what is measured
    value: float
    value_high: float | None = None  # for ranges like 50-60%
    qualifier: Literal[
        "exact", "about", "more-than", "less-than", "range", "at-least", "at-most"
    ] = "exact"
    unit: Literal["percent", "USD", "count", "ratio", "years", "CNY", "other"]
    as_stated: NonEmpty  # "one-third", ">80%", "$15 billion"
    period: str | None = None  # "2024", "2022-2024"
    geography: str | None = None
    topics: tuple[Slug, ...] = ()

    def names(self) -> list[str]:
        return [self.title]

    def text_fields(self) -> list[str]:
        return [self.title, self.measure, self.as_stated, self.period or "", self.geography or ""]


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
