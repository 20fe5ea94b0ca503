"""Helpers for the content tests: the seed report, prose fields and cross-references."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec

from knowledge.models import (
    AnyEntity,
    Asset,
    Deal,
    Event,
    Organisation,
    Person,
    Quote,
    Source,
    SourceRef,
    Statistic,
    Topic,
    Trend,
    encode_hook,
)

#: Where the report's text lives: beside the checkout, in ../shared (not in a fresh clone).
SEED = "seed/chinabio-thought-leadership-2025.txt"

#: Keys whose strings are our own words (never copied from the report).
PROSE_KEYS = frozenset(
    {"summary", "description", "context", "bio", "notes", "measure", "rights", "condition"}
    | {"label", "note", "title", "period"}
    | {"owners_note", "status_note", "parent_note", "basis"}
)

#: Runs of this many consecutive words shared with the report count as copying.
COPY_RUN = 8

_MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!$])")


@dataclass(frozen=True)
class Report:
    """The ChinaBio report as printed, with the forms the content checks compare against."""

    text: str  # markdown escapes (`\\$`) removed, whitespace kept
    flat: str  # every run of whitespace collapsed to one space
    runs: set[tuple[str, ...]]  # every run of COPY_RUN consecutive words
    sentences: list[str]


def read_report(path: Path) -> Report:
    """Read the report at `path` and prepare it for the content checks."""
    text = _MARKDOWN_ESCAPE.sub(r"\1", path.read_text(encoding="utf-8"))
    return Report(text=text, flat=collapse(text), runs=runs(words(text)), sentences=sentences(text))


def collapse(text: str) -> str:
    """Collapse every run of whitespace to one space."""
    return re.sub(r"\s+", " ", text).strip()


def words(text: str) -> list[str]:
    """Split text into lower-case words."""
    return re.findall(r"\w+", text.casefold())


def runs(tokens: list[str], size: int = COPY_RUN) -> set[tuple[str, ...]]:
    """Return every run of `size` consecutive words."""
    return {tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def prose_fields(entity: AnyEntity) -> Iterator[tuple[str, str]]:
    """Yield (path, text) for every own-words field of an entity, nested ones included."""
    if isinstance(entity, Source):  # a publication's title is its own, not ours
        if entity.notes:
            yield f"{entity.id}.notes", entity.notes
        return
    yield from _walk(msgspec.to_builtins(entity, enc_hook=encode_hook), entity.id)


def _walk(data: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(data, dict):
        for key, value in data.items():
            where = f"{path}.{key}"
            if key == "roles":  # role titles are quoted as the report prints them
                continue
            if isinstance(value, str) and key in PROSE_KEYS:
                yield where, value
            else:
                yield from _walk(value, where)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _walk(value, f"{path}[{index}]")


def references(entity: AnyEntity) -> Iterator[tuple[str, str, type[Any]]]:
    """Yield (field, referenced id, expected model) for every id an entity points at."""
    if isinstance(entity, Source):
        return
    for ref in entity.sources:
        yield "sources", ref.source, Source
    topics: list[str] = getattr(entity, "topics", [])
    for topic in topics:
        yield "topics", topic, Topic
    if isinstance(entity, Organisation) and entity.parent:
        yield "parent", entity.parent, Organisation
    if isinstance(entity, Person):
        for role in entity.roles:
            yield "roles.organisation", role.organisation, Organisation
    if isinstance(entity, Asset):
        for owner in entity.owners:
            yield "owners", owner, Organisation
    if isinstance(entity, Deal):
        yield from _deal_references(entity)
    if isinstance(entity, Quote):
        yield "speaker", entity.speaker, Person
        if entity.organisation:
            yield "organisation", entity.organisation, Organisation
    if isinstance(entity, Trend):
        yield from (("deals", i, Deal) for i in entity.deals)
        yield from (("statistics", i, Statistic) for i in entity.statistics)
        yield from (("quotes", i, Quote) for i in entity.quotes)
    if isinstance(entity, Event):
        if entity.organiser:
            yield "organiser", entity.organiser, Organisation
        if entity.part_of:
            yield "part_of", entity.part_of, Event
        yield from (("speakers", i, Person) for i in entity.speakers)


def _deal_references(deal: Deal) -> Iterator[tuple[str, str, type[Any]]]:
    for party in deal.parties:
        yield "parties.organisation", party.organisation, Organisation
    yield from (("assets", i, Asset) for i in deal.assets)
    yield from (("related", i, Deal) for i in deal.related)
    for milestone in deal.milestones:
        if isinstance(milestone.source, SourceRef):
            yield "milestones.source", milestone.source.source, Source


#: Organisations so central that the report names them beside facts about other deals.
HUBS = frozenset({"johnson-johnson", "jnj-innovation", "bayer", "servier"})

#: Our normalised form of a term -> how the report spells it (typos and plurals kept).
REPORT_SPELLINGS: dict[str, tuple[str, ...]] = {
    "oncology": ("oncology", "cancer", "tumor", "leukimea"),
    "immunology": ("immunology", "autoimmune"),
    "acute myeloid leukaemia": ("acute myoloid leukimea",),
    "autoimmune diseases": ("autoimmune and allergic diseases",),
    "ai drug discovery": ("alpowered drug discovery", "ai partnerships", "digital drug discovery"),
    "gene therapy": ("gene therapies",),
    "dna encoded library": ("dna encoded libraries",),
    "france": ("french",),
}

_SENTENCE_END = re.compile(r"(?<!U\.S\.)(?<=[.!?])\s+")


def normal_term(text: str) -> str:
    """Fold case, hyphens, British spellings and decoration so report and data compare."""
    text = text.casefold().replace("*", " ").replace("™", "").replace("®", "")
    text = re.sub(r"[-‐–]", " ", text).replace("tumour", "tumor")
    return collapse(text)


def sentences(text: str) -> list[str]:
    """Split the report into sentences (line breaks inside a sentence joined)."""
    return _SENTENCE_END.split(collapse(text))


def names_in(name: str, text: str) -> bool:
    """Return True when `name` occurs in `text` as whole words, ignoring case and hyphens."""
    pattern = rf"(?<!\w){re.escape(normal_term(name))}(?!\w)"
    return re.search(pattern, normal_term(text)) is not None


def term_is_stated(term: str, passages: list[str]) -> bool:
    """Return True when a term, or the report's own spelling of it, occurs in the passages."""
    key = normal_term(term)
    spellings = REPORT_SPELLINGS.get(key, (key,))
    folded = [normal_term(p) for p in passages]
    return any(s in p for s in spellings for p in folded)
