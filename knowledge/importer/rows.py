"""Turn one row of an export into a deal, and the assets and organisations it brings in.

Names are matched against the knowledge as `deal …` matches them (case and punctuation
ignored); what the row cannot give is a message for the curator, saying how to fix it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from knowledge.importer.mapping import Mapping, fill
from knowledge.importer.table import Cell, Row
from knowledge.models import Asset, Organisation, PartyRole
from knowledge.store import KnowledgeStore
from knowledge.validate import slugify

Entry = dict[str, Any]
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
_ISO_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


@dataclass
class RowEntries:
    """What one row becomes: its deal and the entries it adds (organisations, assets) by id."""

    row: int
    deal: Entry
    added: dict[str, tuple[str, Entry]] = field(default_factory=dict)  # id -> (kind key, entry)


def convert_row(row: Row, mapping: Mapping, store: KnowledgeStore) -> RowEntries | list[str]:
    """Return the row's entries, or every message saying what in the row must change."""
    values: dict[str, Any] = {"row": row.number}
    for name in mapping.columns.__struct_fields__:
        column = getattr(mapping.columns, name)
        if column is not None:
            values[name] = row.cells.get(column)
    errors: list[str] = []
    built = RowEntries(row.number, {})
    sources = [_source(mapping, values)]
    parties = []
    for role in (PartyRole.LICENSOR, PartyRole.LICENSEE):
        name = _text(values.get(role.value))
        if not name:
            errors.append(f"{role.value} ({getattr(mapping.columns, role.value)!r}) is empty")
            continue
        org_id = _organisation(name, role, mapping, store, built, sources, errors)
        if org_id:
            parties.append({"organisation": org_id, "role": role.value})
            known = store.get(org_id)  # templates name it as the knowledge does
            values[role.value] = known.label() if isinstance(known, Organisation) else name
    deal: Entry = {"id": slugify(fill(mapping.id, values)), "title": fill(mapping.title, values)}
    deal["type"] = _deal_type(values, mapping)
    deal["parties"] = parties
    asset = _text(values.get("asset"))
    if asset:
        asset_id = _asset(asset, values, parties, store, built, sources)
        if asset_id is None:
            ids = ", ".join(entity.id for entity in store.lookup(asset, [Asset]))
            errors.append(f"asset {asset!r} names several assets ({ids}): name it by its id")
        else:
            deal["assets"] = [asset_id]
    if _text(values.get("territory")):
        deal["territory"] = _text(values["territory"])
    money = [
        money
        for key, label in (("upfront", "upfront"), ("total_value", "total value"))
        if (money := _money(key, label, values, mapping, errors)) is not None
    ]
    if money:
        deal["money"] = money
    if values.get("date") is not None:
        date = _date(values["date"], mapping, errors)
        if date:
            deal["date"] = date
    if _text(values.get("status")):
        deal["status"] = _text(values["status"])
    if _text(values.get("modality")):
        deal["modalities"] = [_text(values["modality"])]
    deal["summary"] = fill(mapping.summary, values)
    deal["sources"] = sources
    if _text(values.get("title")):
        deal["title"] = _text(values["title"])
    built.deal = deal
    return errors or built


def _source(mapping: Mapping, values: dict[str, Any]) -> Entry:
    if mapping.locator is None:
        return {"source": mapping.source}
    return {"source": mapping.source, "locator": fill(mapping.locator, values)}


def _text(cell: Cell | Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _organisation(
    name: str,
    role: PartyRole,
    mapping: Mapping,
    store: KnowledgeStore,
    built: RowEntries,
    sources: list[Entry],
    errors: list[str],
) -> str | None:
    if name in mapping.organisations:
        return mapping.organisations[name]
    found = store.lookup(name, [Organisation])
    if len(found) == 1:
        return found[0].id
    if found:
        ids = ", ".join(entity.id for entity in found)
        errors.append(
            f"{role.value} {name!r} names several organisations ({ids}): "
            f"map it to one under `organisations:` in the mapping"
        )
        return None
    if mapping.new_organisations == "add":
        org_id = slugify(name)
        entry = {"id": org_id, "name": name, "type": mapping.new_organisation_type.value}
        built.added.setdefault(org_id, ("organisations", {**entry, "sources": sources}))
        return org_id
    near = store.suggest(name, [Organisation])
    hint = f" (did you mean {near[0]!r}?)" if near else ""
    errors.append(
        f"{role.value} {name!r} is not an organisation in the knowledge{hint}: add it to "
        "organisations.yaml, map the name under `organisations:` in the mapping, or set "
        "`new_organisations: add`"
    )
    return None


def _asset(
    name: str,
    values: dict[str, Any],
    parties: list[Entry],
    store: KnowledgeStore,
    built: RowEntries,
    sources: list[Entry],
) -> str | None:
    found = store.lookup(name, [Asset])
    if len(found) == 1:
        return found[0].id
    if found:  # several: the row must say which
        return None
    asset_id = slugify(name)
    entry: Entry = {"id": asset_id, "name": name}
    owners = [p["organisation"] for p in parties if p["role"] == PartyRole.LICENSOR.value]
    if owners:
        entry["owners"] = owners
    for key in ("target", "modality"):
        if _text(values.get(key)):
            entry[key] = _text(values[key])
    built.added.setdefault(asset_id, ("assets", {**entry, "sources": sources}))
    return asset_id


def _deal_type(values: dict[str, Any], mapping: Mapping) -> str:
    written = _text(values.get("type"))
    if not written:
        return mapping.deal_type.value
    chosen = mapping.types.get(written)
    return chosen.value if chosen is not None else written.casefold()  # validation explains


def _money(
    key: str, label: str, values: dict[str, Any], mapping: Mapping, errors: list[str]
) -> Entry | None:
    cell = values.get(key)
    if cell is None or cell == "":
        return None
    if isinstance(cell, bool) or not isinstance(cell, int | float | str):
        errors.append(f"{key} {cell!r} is not a number")
        return None
    written = cell if not isinstance(cell, str) else cell.replace(",", "").strip()
    if isinstance(written, str) and not _NUMBER.match(written):
        column = getattr(mapping.columns, key)
        errors.append(
            f"{key} ({column!r}) {cell!r} is not a number: write digits such as 44 or 44.5, "
            f"in {_units(mapping.money.unit)} of {mapping.money.currency} as the mapping says"
        )
        return None
    amount = float(written) * mapping.money.unit
    whole = round(amount)
    exact: int | float = whole if abs(amount - whole) < 1e-6 else amount
    return {"amount": exact, "currency": mapping.money.currency, "label": label}


def _units(unit: float) -> str:
    named: dict[float, str] = {1: "units", 1e3: "thousands", 1e6: "millions", 1e9: "billions"}
    return named.get(unit, f"units of {unit:,g}")


def _date(cell: Cell, mapping: Mapping, errors: list[str]) -> str | None:
    if isinstance(cell, dt.date):
        return cell.isoformat()
    text = _text(cell)
    if _ISO_DATE.match(text):
        return text
    if mapping.date_format:
        try:
            parsed = dt.datetime.strptime(text, mapping.date_format)
        except ValueError:
            errors.append(
                f"date {text!r} does not fit the mapping's date_format {mapping.date_format!r}"
            )
            return None
        if "%d" in mapping.date_format or "%j" in mapping.date_format:
            return parsed.date().isoformat()
        if any(code in mapping.date_format for code in ("%m", "%b", "%B")):
            return f"{parsed.year:04d}-{parsed.month:02d}"
        return f"{parsed.year:04d}"
    errors.append(
        f"date {text!r} is not written YYYY, YYYY-MM or YYYY-MM-DD: fix it in the export or "
        "give the mapping a date_format such as '%d/%m/%Y'"
    )
    return None
