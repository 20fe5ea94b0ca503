"""The building blocks of knowledge models: ids, text, dates at their precision, source references.

Small values nested in entities are frozen, slotted dataclasses (`value_type`); entities are
`Strict` models.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from functools import lru_cache
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
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
    year, month, day = _date_parts(text)
    return {"year": year, "month": month, "day": day}


@lru_cache(maxsize=65_536)  # a large folder repeats the same few thousand dates
def _date_parts(text: str) -> tuple[int, int | None, int | None]:
    match = _PARTIAL_DATE.match(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    return int(year), int(month) if month else None, int(day) if day else None


@value_type
class SourceRef:
    """Where a fact comes from: a source id and, optionally, the place in it."""

    source: Slug
    locator: str | None = None  # section or page, e.g. "II.2 Bayer"
