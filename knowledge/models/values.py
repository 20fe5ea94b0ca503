"""The building blocks of knowledge models: ids, text, dates at their precision, source references.

Models are msgspec structs: frozen, slotted, and outside the cyclic garbage collector (they hold
only strings, numbers and other such structs). msgspec builds a 100,000-deal folder's million
values about five times faster than pydantic did. Decode with `decode_hook` so that dates parse;
`knowledge.validate` turns what a struct refuses into messages for the curator.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from functools import lru_cache
from typing import Annotated, Any

import msgspec

#: What an id must be. msgspec checks only its length; the pattern is checked for a whole file
#: at once (`knowledge.validate.fits`: one regex per file, not one per value).
ID_RULE = "a stable id: lowercase words of letters and digits joined by hyphens"
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
Slug = Annotated[str, msgspec.Meta(min_length=1, max_length=120, description=ID_RULE)]
#: Another entity's id. Not pattern-checked: it must equal an id (and ids are), which the loader
#: checks for every field `refs.REFERENCES` lists (a test keeps that list complete).
Ref = Annotated[str, msgspec.Meta(description="the id of another entity")]
#: What text must be: not empty and no spaces or line breaks at either end (a `>` or `|` block
#: keeps its last line break; `>-` and `|-` do not). Checked like ids, a file at a time. Prose
#: that may be left out is `NonEmpty | None`.
TEXT_RULE = "text without blank edges"
NonEmpty = Annotated[str, msgspec.Meta(min_length=1, description=TEXT_RULE)]

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_DATE_HELP = "write YYYY, YYYY-MM or YYYY-MM-DD"


class Record(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, gc=False):
    """Base of every YAML-facing model: unknown fields are errors, values are immutable."""


class Precision(StrEnum):
    YEAR = "year"
    MONTH = "month"
    DAY = "day"


class PartialDate:
    """A date known only to the precision the source gives: 2024, 2024-09 or 2024-09-15.

    YAML accepts a bare value (`2023-12`) or a mapping with what the source said
    (`{value: 2024-09, as_stated: "last September", inferred: true}`). Immutable; equal bare
    dates are one shared object.
    """

    __slots__ = ("as_stated", "day", "inferred", "month", "year")
    year: int
    month: int | None
    day: int | None
    as_stated: str | None
    inferred: bool

    def __init__(
        self,
        year: int,
        month: int | None = None,
        day: int | None = None,
        as_stated: str | None = None,
        inferred: bool = False,
    ) -> None:
        set_ = object.__setattr__
        set_(self, "year", year)
        set_(self, "month", month)
        set_(self, "day", day)
        set_(self, "as_stated", as_stated)
        set_(self, "inferred", inferred)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"PartialDate is immutable (tried to set {name})")

    def _key(self) -> tuple[Any, ...]:
        return (self.year, self.month, self.day, self.as_stated, self.inferred)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PartialDate) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        extra = f", as_stated={self.as_stated!r}" if self.as_stated is not None else ""
        extra += ", inferred=True" if self.inferred else ""
        return f"PartialDate({self.iso()!r}{extra})"

    @classmethod
    def parse(cls, data: Any) -> PartialDate:
        """Build a date from what YAML gives: 2024, "2024-09", a date, or a mapping.

        The mapping is `{value, as_stated, inferred}` as curators write it, or
        `{year, month, day, as_stated, inferred}` as `to_builtins` writes it.
        Raises ValueError saying how to write it.
        """
        if isinstance(data, str):
            return _bare(data)
        if isinstance(data, bool | float | list):
            raise ValueError(f"{data!r} is not a date: {_DATE_HELP}")
        if isinstance(data, int):
            return _bare(str(data)) if 1000 <= data <= 9999 else _checked(data, None, None)
        if isinstance(data, dt.date):
            return _checked(data.year, data.month, data.day)
        if not isinstance(data, dict):
            raise ValueError(f"{data!r} is not a date: {_DATE_HELP}")
        return _from_mapping(data)

    def as_written(self) -> str | dict[str, Any]:
        """Return the date as a curator writes it (what `parse` reads fastest)."""
        if self.as_stated is None and not self.inferred:
            return self.iso()
        written: dict[str, Any] = {"value": self.iso(), "as_stated": self.as_stated}
        return {**written, "inferred": True} if self.inferred else written

    def to_builtins(self) -> dict[str, Any]:
        """Return every field (as the digest's change fingerprints and the cache write them)."""
        return {
            "year": self.year,
            "month": self.month,
            "day": self.day,
            "as_stated": self.as_stated,
            "inferred": self.inferred,
        }

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


_DATE_FIELDS = {"value", "year", "month", "day", "as_stated", "inferred"}


def _from_mapping(data: dict[Any, Any]) -> PartialDate:
    unknown = [str(key) for key in data if key not in _DATE_FIELDS]
    if unknown:
        raise ValueError(
            f"unknown field {unknown[0]!r} in a date; use value, as_stated and inferred"
        )
    as_stated, inferred = data.get("as_stated"), data.get("inferred", False)
    if as_stated is not None and not isinstance(as_stated, str):
        raise ValueError(f"as_stated must be text, got {as_stated!r}")
    if not isinstance(inferred, bool):
        raise ValueError(f"inferred must be true or false, got {inferred!r}")
    if "value" in data:
        if data.keys() & {"year", "month", "day"}:
            raise ValueError("give a date as value: YYYY-MM-DD, or as year, month, day; not both")
        base = PartialDate.parse(data["value"])
    elif "year" in data:
        year, month, day = (data.get(name) for name in ("year", "month", "day"))
        if type(year) is not int or not all(p is None or type(p) is int for p in (month, day)):
            raise ValueError(f"year, month and day must be whole numbers, got {[year, month, day]}")
        base = _checked(year, month, day)
    else:
        raise ValueError(f"a date needs its value: {_DATE_HELP}")
    if as_stated is None and not inferred:
        return base
    return PartialDate(base.year, base.month, base.day, as_stated, inferred)


@lru_cache(maxsize=65_536)  # a large folder repeats the same few thousand dates: share them
def _bare(text: str) -> PartialDate:
    match = _PARTIAL_DATE.match(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a date: {_DATE_HELP}")
    year, month, day = match.groups()
    return _checked(int(year), int(month) if month else None, int(day) if day else None)


@lru_cache(maxsize=65_536)
def _checked(year: int, month: int | None, day: int | None) -> PartialDate:
    date = PartialDate(year, month, day)
    if not 1900 <= year <= 2100:
        raise ValueError(f"{date.iso()}: the year must be between 1900 and 2100")
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"{date.iso()}: the month must be between 01 and 12")
    if day is not None:
        if month is None:
            raise ValueError("a day needs a month")
        try:
            dt.date(year, month, day)
        except ValueError as exc:  # 2024-02-30
            raise ValueError(f"{date.iso()} is not a real date ({exc}); {_DATE_HELP}") from None
    return date


def decode_hook(kind: type, data: Any) -> Any:
    """msgspec's hook for the types it does not know: dates."""
    if kind is PartialDate:
        if data.__class__ is str:  # the usual bare date, straight to the shared one
            return _bare(data)
        return PartialDate.parse(data)
    raise NotImplementedError(f"no decoder for {kind}")


class SourceRef(Record, frozen=True, kw_only=True):
    """Where a fact comes from: a source id and, optionally, the place in it."""

    source: Ref
    locator: str | None = None  # section or page, e.g. "II.2 Bayer"
