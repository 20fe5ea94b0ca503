"""`chinabio import deals`: a deal-database export (CSV or XLSX) becomes one knowledge YAML file.

Each row is mapped (`mapping`), converted (`rows`), written with the others into the import's
file and checked with the rest of the folder exactly as `chinabio validate` checks it
(`output`); problems come back as `export:row: message`. Nothing is written while any row has
a problem, unless the bad rows are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from knowledge.build import build_store, read_each
from knowledge.importer.mapping import Mapping, load_mapping
from knowledge.importer.output import check, diff, render
from knowledge.importer.rows import RowEntries, convert_row
from knowledge.importer.table import Table, TableError, read_table
from knowledge.models import Source
from knowledge.problems import KnowledgeError, Problem
from knowledge.reader import Reader
from knowledge.store import KnowledgeStore
from knowledge.yaml_lines import NodeLines

__all__ = ["ImportPlan", "plan_import"]

#: how an import's file begins: only such a file may be replaced by an import
IMPORTED = "# Imported from"


@dataclass
class ImportPlan:
    """What an import would write where, and every problem found on the way."""

    output: Path
    problems: list[Problem] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)  # rows left out (skip_bad)
    text: str | None = None  # the file to write; None when nothing may be written
    diff: str = ""
    counts: dict[str, int] = field(default_factory=dict)  # deals, assets, organisations written

    def write(self) -> None:
        """Write the import's file (its folder made if need be)."""
        if self.text is None:
            raise ValueError("this import has problems: nothing to write")
        self.output.parent.mkdir(parents=True, exist_ok=True)
        self.output.write_text(self.text, encoding="utf-8")


def plan_import(
    export: Path, mapping_path: Path, folder: Path, *, skip_bad: bool = False
) -> ImportPlan:
    """Map, convert and check every row of `export` against the knowledge in `folder`."""
    mapping, problems = load_mapping(mapping_path)
    if mapping is None:
        return ImportPlan(folder, problems)
    output = folder / mapping.output
    plan = ImportPlan(output)
    try:
        table = read_table(export, sheet=mapping.sheet, delimiter=mapping.delimiter)
        store = _store_without(folder, output)
    except TableError as exc:
        plan.problems.append(exc.problem)
        return plan
    except KnowledgeError as exc:  # fix the knowledge first: the import is checked against it
        plan.problems += exc.problems
        return plan
    plan.problems += _mapping_problems(mapping, mapping_path, table, store)
    plan.problems += _output_problems(mapping_path, folder, output)
    if plan.problems:
        return plan
    kept: list[RowEntries] = []
    for row in table.rows:
        converted = convert_row(row, mapping, store)
        if isinstance(converted, RowEntries):
            kept.append(converted)
        else:
            plan.problems += [Problem(str(export), row.number, text) for text in converted]
            plan.skipped.append(row.number)
    header = (
        f"{IMPORTED[2:]} {export.name} by `chinabio import deals --map {mapping_path.name}`.\n"
        "Change the export and import it again rather than this file. Organisations and\n"
        "assets the knowledge lacked are added with what the export says: check them."
    )
    while kept:
        rendered = render(kept, header)
        found = check(folder, output, rendered, export)
        plan.problems += [problem for _row, problem in found]
        bad = {row for row, _ in found if row is not None}
        if any(row is None for row, _ in found) or not bad:
            break
        plan.skipped += sorted(bad)
        kept = [entries for entries in kept if entries.row not in bad]
        if not skip_bad:
            break
    else:
        plan.problems.append(Problem(str(export), 0, "no row can be imported"))
        return plan
    if plan.problems and (not skip_bad or any(p.file != str(export) for p in plan.problems)):
        return plan
    plan.text = rendered.text
    plan.diff = diff(output, folder, rendered.text)
    plan.counts = _counts(kept)
    return plan


def _store_without(folder: Path, output: Path) -> KnowledgeStore:
    """Load the knowledge without the import's own file (which the import replaces)."""

    def read(reader: Reader, files: list[Path]) -> list[tuple[Path, str]]:
        return read_each(reader, [path for path in files if path.resolve() != output.resolve()])

    if not folder.is_dir():
        raise KnowledgeError([Problem(str(folder), 0, "no such knowledge folder")])
    return build_store(folder, read)


def _mapping_problems(
    mapping: Mapping, path: Path, table: Table, store: KnowledgeStore
) -> list[Problem]:
    lines = NodeLines(path.read_text(encoding="utf-8-sig"))
    found = []
    if not isinstance(store.get(mapping.source), Source):
        message = f"source {mapping.source!r} is not in the knowledge: add it to sources.yaml"
        found.append(Problem(str(path), lines.line(("source",)), message))
    for name in mapping.columns.__struct_fields__:
        column = getattr(mapping.columns, name)
        if column is not None and column not in table.header:
            have = ", ".join(repr(h) for h in table.header if h)
            message = f"columns.{name}: {column!r} is not a column of {table.path.name} ({have})"
            found.append(Problem(str(path), lines.line(("columns", name)), message))
    return found


def _output_problems(mapping_path: Path, folder: Path, output: Path) -> list[Problem]:
    """The output must be a visible file inside the folder, new or written by an import."""
    line = NodeLines(mapping_path.read_text(encoding="utf-8-sig")).line(("output",))
    inside = output.resolve().is_relative_to(folder.resolve())
    hidden = any(part.startswith(".") for part in output.relative_to(folder).parts)
    if not inside or hidden:
        message = f"output {output} is not a visible file inside {folder}: name one such as imports/x.yaml"
        return [Problem(str(mapping_path), line, message)]
    if output.is_file() and not output.read_text(encoding="utf-8").startswith(IMPORTED):
        message = (
            f"output {output} exists and was not written by an import: an import replaces its "
            "file, so name a new one such as imports/x.yaml"
        )
        return [Problem(str(mapping_path), line, message)]
    return []


def _counts(kept: list[RowEntries]) -> dict[str, int]:
    added: dict[str, str] = {}
    for entries in kept:
        for entry_id, (key, _entry) in entries.added.items():
            added.setdefault(entry_id, key)
    keys = list(added.values())
    return {
        "deals": len(kept),
        "assets": keys.count("assets"),
        "organisations": keys.count("organisations"),
    }
