"""Deals: the parties and their roles, money, dated milestones, and the deal itself."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, ClassVar, Literal

import msgspec

from knowledge.models.entities import Entity
from knowledge.models.values import NonEmpty, PartialDate, Record, Ref, SourceRef


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


class Party(Record, frozen=True, kw_only=True):
    """An organisation's part in a deal."""

    organisation: Ref
    role: PartyRole
    note: str | None = None


class Money(Record, frozen=True, kw_only=True):
    """An amount as the source gives it: `{amount: 44000000, currency: USD, label: upfront}`."""

    amount: Annotated[float, msgspec.Meta(ge=0)]
    currency: Annotated[str, msgspec.Meta(pattern=r"^[A-Z]{3}$")]
    label: NonEmpty  # what the money is: "upfront", "round size", "Bayer's contribution"
    as_stated: str | None = None  # "$44 million"
    condition: str | None = None  # "on completion of the transition"


class Milestone(Record, frozen=True, kw_only=True):
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
    #: the last day or month of a window the source gives ("expected Q3 2026": date 2026-07,
    #: until 2026-09, as_stated "expected Q3 2026"); None: the date alone
    until: PartialDate | None = None
    done: bool = False  # a curator marks an expected milestone done; reminders then stop

    def __post_init__(self) -> None:
        if self.until is not None and self.until.earliest() < self.date.earliest():
            raise ValueError(
                f"until {self.until.iso()} is before the date {self.date.iso()}: until is the "
                "window's last month or day, e.g. date 2026-07, until 2026-09 for Q3 2026"
            )


class Deal(Entity, frozen=True, kw_only=True):
    """A cross-border transaction or partnership."""

    kind: ClassVar[str] = "deal"
    title: NonEmpty
    aliases: tuple[str, ...] = ()
    type: DealType
    parties: Annotated[tuple[Party, ...], msgspec.Meta(min_length=1)]
    assets: tuple[Ref, ...] = ()
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
    topics: tuple[Ref, ...] = ()
    related: tuple[Ref, ...] = ()  # other deals

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
