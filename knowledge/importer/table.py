"""Read a deal-database export, CSV or XLSX, into numbered rows of cells by column header."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from knowledge.problems import Problem

#: what a cell may hold: text from CSV; text, numbers or dates from XLSX; None when empty
Cell = str | int | float | dt.date | None


@dataclass(frozen=True)
class Row:
    """One data row: its number in the file (a spreadsheet's row, a CSV's line) and its cells."""

    number: int
    cells: dict[str, Cell]


@dataclass(frozen=True)
class Table:
    """The header and the non-empty data rows of an export."""

    path: Path
    header: list[str]
    rows: list[Row]


class TableError(Exception):
    """The export cannot be read; `problem` says why."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


def read_table(path: Path, *, sheet: str | None = None, delimiter: str = ",") -> Table:
    """Read `path` (.csv or .xlsx, by its suffix); raise TableError saying what is wrong."""
    suffix = path.suffix.lower()
    if suffix not in {".csv", ".xlsx"}:
        raise TableError(Problem(str(path), 0, "export a .csv or .xlsx file"))
    try:
        lines = _xlsx_rows(path, sheet) if suffix == ".xlsx" else _csv_rows(path, delimiter)
        numbered = [(number, cells) for number, cells in lines if any(_filled(c) for c in cells)]
    except OSError as exc:
        raise TableError(Problem(str(path), 0, f"cannot read it: {exc.strerror}")) from None
    except UnicodeDecodeError:
        raise TableError(Problem(str(path), 1, "not UTF-8 text; export it as UTF-8 CSV")) from None
    except csv.Error as exc:
        raise TableError(Problem(str(path), 0, f"not a CSV file: {exc}")) from None
    if not numbered:
        raise TableError(Problem(str(path), 1, "no header row: the first row names the columns"))
    (header_line, header_cells), data = numbered[0], numbered[1:]
    header = [str(cell).strip() if cell is not None else "" for cell in header_cells]
    doubled = sorted({name for name in header if name and header.count(name) > 1})
    if doubled:
        raise TableError(Problem(str(path), header_line, f"column {doubled[0]!r} appears twice"))
    rows = [Row(number, _by_column(header, cells)) for number, cells in data]
    return Table(path, header, rows)


def _by_column(header: list[str], cells: list[Cell]) -> dict[str, Cell]:
    values: dict[str, Cell] = {}
    for name, cell in zip(header, cells, strict=False):
        if name:
            values[name] = cell.strip() or None if isinstance(cell, str) else cell
    return values


def _filled(cell: Cell) -> bool:
    return cell is not None and (not isinstance(cell, str) or bool(cell.strip()))


def _csv_rows(path: Path, delimiter: str) -> list[tuple[int, list[Cell]]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        rows: list[tuple[int, list[Cell]]] = []
        line = 1
        for record in reader:
            rows.append((line, list(record)))  # the line the record starts on
            line = reader.line_num + 1
        return rows


def _xlsx_rows(path: Path, sheet: str | None) -> list[tuple[int, list[Cell]]]:
    from openpyxl import load_workbook  # only for .xlsx exports

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except OSError:
        raise
    except Exception as exc:  # not a zip, a zip that is no workbook: openpyxl's many errors
        raise TableError(Problem(str(path), 0, f"not an .xlsx workbook ({exc})")) from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            names = ", ".join(book.sheetnames)
            raise TableError(Problem(str(path), 0, f"no sheet {sheet!r}; it has: {names}"))
        worksheet = book[sheet] if sheet is not None else book.worksheets[0]
        return [
            (number, [_xlsx_cell(value) for value in values])
            for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        book.close()


def _xlsx_cell(value: Any) -> Cell:
    if isinstance(value, dt.datetime):  # a date cell: Excel keeps no date without a time
        return value.date()
    if value is None or isinstance(value, str | int | float | dt.date):
        return value
    return str(value)
