"""The mapping file of `chinabio import deals`: which export column holds what, and how to word it.

See docs/import-mapping.example.yaml for a mapping of a typical deal-database export.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal

import msgspec

from knowledge.models import DealType, OrgType, Record, Ref, decode_hook
from knowledge.problems import Problem
from knowledge.refs import label
from knowledge.validate import problems
from knowledge.yaml_lines import NodeLines, YamlSyntaxError, parse

#: placeholders of a template: `{licensee}`; a part in [brackets] goes when one of its is empty
PLACEHOLDER = re.compile(r"\{(\w+)\}")
_OPTIONAL = re.compile(r"\[([^\[\]]*)\]")


class Columns(Record, frozen=True, kw_only=True):
    """The export's column header for each field a deal can take from it."""

    licensor: str
    licensee: str
    date: str | None = None
    asset: str | None = None
    target: str | None = None
    modality: str | None = None
    phase: str | None = None  # at signing: worded into the summary
    territory: str | None = None
    upfront: str | None = None
    total_value: str | None = None
    royalties: str | None = None  # worded into the summary
    type: str | None = None  # the deal type, through `types`
    status: str | None = None
    title: str | None = None


#: what a template may name: every column field, and where the row is
FIELDS = frozenset(msgspec.structs.asdict(Columns(licensor="", licensee="")) | {"row": 0})


class MoneyRule(Record, frozen=True, kw_only=True):
    """The currency of the money columns, and what one unit in them is worth (1000000: millions)."""

    currency: Annotated[str, msgspec.Meta(pattern=r"^[A-Z]{3}$")] = "USD"
    unit: Annotated[float, msgspec.Meta(gt=0)] = 1


class Mapping(Record, frozen=True, kw_only=True):
    """How the rows of one export become deals (and the assets and organisations they name)."""

    source: Ref  # every imported entry cites it; it must be in the knowledge's sources
    output: Annotated[str, msgspec.Meta(pattern=r"^[^/.][^\0]*\.ya?ml$")]  # in the knowledge folder
    columns: Columns
    summary: str  # a template in our own words: "{licensee} licensed {asset} from {licensor}"
    id: str = "{licensee}-{licensor}-{asset}"
    title: str = "{licensee} licence of {asset} from {licensor}"
    locator: str | None = None  # where in the source, a template: "export of 2026-11-30, row {row}"
    sheet: str | None = None  # xlsx: the sheet (default: the first)
    delimiter: Annotated[str, msgspec.Meta(min_length=1, max_length=1)] = ","  # csv
    date_format: str | None = None  # strptime, for dates not written YYYY[-MM[-DD]]: "%d/%m/%Y"
    money: MoneyRule = MoneyRule()
    deal_type: DealType = DealType.LICENCE  # without a type column
    types: dict[str, DealType] = msgspec.field(
        default_factory=dict
    )  # the type column's values -> deal types
    organisations: dict[str, Ref] = msgspec.field(default_factory=dict)  # export name -> id
    new_organisations: Literal["error", "add"] = "error"  # a name the knowledge does not have
    new_organisation_type: OrgType = OrgType.COMPANY  # the type `add` gives them (check it)


def load_mapping(path: Path) -> tuple[Mapping | None, list[Problem]]:
    """Read a mapping file; return it, or None and every problem as file:line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
        data = parse(text)
    except OSError as exc:
        return None, [Problem(str(path), 0, f"cannot read the mapping: {exc.strerror}")]
    except (UnicodeDecodeError, YamlSyntaxError) as exc:
        line = exc.line if isinstance(exc, YamlSyntaxError) else 1
        return None, [Problem(str(path), line, f"not a YAML mapping file: {exc}")]
    lines = NodeLines(text)
    try:
        mapping = msgspec.convert(data, Mapping, dec_hook=decode_hook)
    except msgspec.ValidationError as exc:
        refused = list(problems(Mapping, data)) or [((), str(exc))]
        return None, [
            Problem(str(path), lines.line(loc), f"{label(loc) or 'mapping'}: {text}")
            for loc, text in refused
        ]
    found = [
        Problem(str(path), lines.line((name,)), message)
        for name, template in _templates(mapping)
        for message in _template_problems(template)
    ]
    return (None, found) if found else (mapping, [])


def _templates(mapping: Mapping) -> list[tuple[str, str]]:
    named = [("id", mapping.id), ("title", mapping.title), ("summary", mapping.summary)]
    return named + ([("locator", mapping.locator)] if mapping.locator else [])


def _template_problems(template: str) -> list[str]:
    unknown = sorted(set(PLACEHOLDER.findall(template)) - FIELDS)
    if unknown:
        return [f"{{{unknown[0]}}} is not a field: use one of {', '.join(sorted(FIELDS))}"]
    if not template.strip():
        return ["the template is empty: write it in your own words, with {fields}"]
    return []


def fill(template: str, values: dict[str, Any]) -> str:
    """Fill `{field}` placeholders; drop each [part] naming a field that has no value."""

    def text(name: str) -> str:
        value = values.get(name)
        return "" if value is None else str(value).strip()

    def filled(part: str) -> str:
        return PLACEHOLDER.sub(lambda m: text(m.group(1)), part)

    def optional(match: re.Match[str]) -> str:
        part = match.group(1)
        return filled(part) if all(text(n) for n in PLACEHOLDER.findall(part)) else ""

    kept, done = template, False
    while not done:  # innermost [parts] first: "[ ({modality}[, for {target}])]"
        kept, count = _OPTIONAL.subn(optional, kept)
        done = count == 0
    return re.sub(r"\s+", " ", filled(kept)).strip()
