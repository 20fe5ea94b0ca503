"""Write an import as one YAML file, check it as `chinabio validate` does, and show its diff."""

from __future__ import annotations

import bisect
import difflib
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from knowledge.build import read_each, yaml_files
from knowledge.importer.rows import Entry, RowEntries
from knowledge.problems import Problem
from knowledge.reader import Reader

#: the order of the kinds in an import file: what deals reference comes first
_KEYS = ("organisations", "assets", "deals")


@dataclass(frozen=True)
class Rendered:
    """An import file's text, and which row wrote each of its entries (by first line)."""

    text: str
    starts: list[int]  # 1-based first line of each entry, ascending
    rows: list[int]  # the row of the entry starting there

    def row_at(self, line: int) -> int | None:
        """Return the row whose entry holds `line`, or None for the file's own lines."""
        at = bisect.bisect_right(self.starts, line) - 1
        return self.rows[at] if at >= 0 else None


def render(built: Sequence[RowEntries], header: str) -> Rendered:
    """Return the YAML of these rows' entries, each added entry written once (by its first row)."""
    sections: dict[str, list[tuple[int, Entry]]] = {key: [] for key in _KEYS}
    seen: set[str] = set()
    for entries in built:
        for entry_id, (key, entry) in entries.added.items():
            if entry_id not in seen:
                seen.add(entry_id)
                sections[key].append((entries.row, entry))
        sections["deals"].append((entries.row, entries.deal))
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    starts: list[int] = []
    rows: list[int] = []
    for key in _KEYS:
        if not sections[key]:
            continue
        lines.append(f"{key}:")
        for row, entry in sections[key]:
            if key == "organisations":  # `new_organisations: add`: the type is the mapping's
                lines.append(f"  # type {entry['type']!r}: the mapping's guess, not the export's")
            starts.append(len(lines) + 1)
            rows.append(row)
            dumped = yaml.safe_dump(  # one line a value: a changed row changes its own lines
                [entry],
                sort_keys=False,
                allow_unicode=True,
                width=1 << 20,
                default_flow_style=False,
            )
            lines += ["  " + line for line in dumped.splitlines()]
    return Rendered("\n".join(lines) + "\n", starts, rows)


def check(
    folder: Path, output: Path, rendered: Rendered, export: Path
) -> list[tuple[int | None, Problem]]:
    """Validate the folder with `output` replaced by `rendered`; return (row, problem) pairs.

    The same reading and reference checks as `chinabio validate`; a problem in the import's
    entries is told as `export:row` with that row, others (the file's own lines) with None.
    """
    with tempfile.TemporaryDirectory(prefix="chinabio-import-") as scratch:
        written = Path(scratch) / output.name
        written.write_text(rendered.text, encoding="utf-8")
        files = [path for path in yaml_files(folder) if path.resolve() != output.resolve()]
        reader = Reader(on_accept=lambda _entities: None)
        read_each(reader, [*files, written])
        reader.check_references()
        found: list[tuple[int | None, Problem]] = []
        here = re.compile(re.escape(str(written)) + r":(\d+)")

        def row_of(match: re.Match[str]) -> str:  # "also defined at <scratch>:23"
            return f"{export}:{rendered.row_at(int(match.group(1))) or 0}"

        for problem in sorted(reader.problems):
            message = here.sub(row_of, problem.message)
            row = rendered.row_at(problem.line) if problem.file == str(written) else None
            if row is None:
                found.append((None, Problem(problem.file, problem.line, message)))
            else:
                found.append((row, Problem(str(export), row, message)))
        return found


def diff(output: Path, folder: Path, text: str) -> str:
    """Return the unified diff from the file now at `output` (maybe none) to `text`."""
    before = output.read_text(encoding="utf-8") if output.is_file() else ""
    name = str(output.relative_to(folder)) if output.is_relative_to(folder) else str(output)
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            text.splitlines(keepends=True),
            fromfile=f"a/{name}" if before else "/dev/null",
            tofile=f"b/{name}",
        )
    )
