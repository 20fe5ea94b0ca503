"""The evidence: verbatim quotes, trends in our own words, and statistics."""

from __future__ import annotations

from typing import ClassVar, Literal

from knowledge.models.entities import Entity
from knowledge.models.values import NonEmpty, PartialDate, Ref


class Quote(Entity, frozen=True, kw_only=True):
    """A verbatim quote with who said it, in what role, and where it was published."""

    kind: ClassVar[str] = "quote"
    text: NonEmpty  # verbatim, never edited
    speaker: Ref
    role: str | None = None  # the speaker's role as the source gives it
    organisation: Ref | None = None
    context: NonEmpty | None = None  # our own words
    topics: tuple[Ref, ...] = ()
    date: PartialDate | None = None

    def label(self) -> str:
        return self.text if len(self.text) <= 80 else self.text[:77] + "..."

    def names(self) -> list[str]:
        return [self.id]

    def text_fields(self) -> list[str]:
        return [self.text, self.context or ""]


class Trend(Entity, frozen=True, kw_only=True):
    """A pattern in the market, in our own words, linked to the evidence."""

    kind: ClassVar[str] = "trend"
    title: NonEmpty
    summary: NonEmpty
    topics: tuple[Ref, ...] = ()
    deals: tuple[Ref, ...] = ()
    statistics: tuple[Ref, ...] = ()
    quotes: tuple[Ref, ...] = ()

    def names(self) -> list[str]:
        return [self.title]

    def text_fields(self) -> list[str]:
        return [self.title, self.summary]


class Statistic(Entity, frozen=True, kw_only=True):
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
    topics: tuple[Ref, ...] = ()
    #: a curator's classification: a figure from outside biotech that the source uses only as a
    #: comparison (EV sales beside biotech execution); digests do not show it under a trend
    comparison: bool = False

    def names(self) -> list[str]:
        return [self.title]

    def text_fields(self) -> list[str]:
        return [self.title, self.measure, self.as_stated, self.period or "", self.geography or ""]
