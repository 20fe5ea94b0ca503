"""The files of a reply people download: its table as CSV and Excel (openpyxl), and its own files."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell as SheetCell
from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from handlers.reply import Cell, Reply, Table

CSV_TYPE = "text/csv"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Excel number formats that show a date only as precisely as the source gives it.
DATE_FORMATS = {"day": "yyyy-mm-dd", "month": "mmm yyyy", "year": "yyyy"}
AMOUNT_FORMAT = "#,##0"
#: Text a spreadsheet would read as a formula (CSV injection): such cells are written as text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_WIDTH = 60


@dataclass(frozen=True)
class ExportFile:
    """One file to hand to a user."""

    name: str  # "chinabio-deals-partner-bayer.xlsx"
    media_type: str
    data: bytes
    title: str  # what a chat shows above the file
    label: str = "file"  # what a download button names it: "Excel", "CSV", "calendar (.ics)"


def export_files(reply: Reply) -> list[ExportFile]:
    """Return the reply's table as an Excel and a CSV file, then the files the reply carries."""
    files = [ExportFile(f.name, f.media_type, f.data, reply.title, f.label) for f in reply.files]
    table = reply.table
    if table is None:
        return files
    return [
        ExportFile(
            f"{table.name}.xlsx", XLSX_TYPE, table_xlsx(table, reply.title), reply.title, "Excel"
        ),
        ExportFile(f"{table.name}.csv", CSV_TYPE, table_csv(table), reply.title, "CSV"),
        *files,
    ]


def table_csv(table: Table) -> bytes:
    """Return the table as UTF-8 CSV (with a BOM, so Excel reads it right): header, then rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.heading for c in table.columns])
    for row in table.rows:
        writer.writerow([_csv_value(cell) for cell in row.cells])
    return ("\ufeff" + out.getvalue()).encode()


def _csv_value(cell: Cell) -> str:
    if cell.date is not None:
        return _iso(cell.date, cell.precision)
    if cell.amount is not None:
        return f"{cell.amount:.0f}" if cell.amount == int(cell.amount) else str(cell.amount)
    return _as_text(cell.text)


def _iso(date: dt.date, precision: str | None) -> str:
    """Return '2024', '2024-09' or '2024-09-15': no more precise than the source."""
    if precision == "year":
        return f"{date.year:04d}"
    if precision == "month":
        return f"{date.year:04d}-{date.month:02d}"
    return date.isoformat()


def _as_text(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def table_xlsx(table: Table, title: str) -> bytes:
    """Return the table as an Excel workbook: bold header, frozen panes, typed dates and amounts."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = "Deals"
    sheet.append([c.heading for c in table.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for number, row in enumerate(table.rows, start=2):
        for place, value in enumerate(row.cells, start=1):
            _write(sheet.cell(row=number, column=place), value)
    sheet.freeze_panes = "C2"  # the header row and the date and parties columns stay in view
    if table.rows:
        sheet.auto_filter.ref = sheet.dimensions
    for index, column in enumerate(table.columns, start=1):
        longest = max([len(column.heading), *(len(r.cells[index - 1].text) for r in table.rows)])
        sheet.column_dimensions[get_column_letter(index)].width = min(MAX_WIDTH, longest + 2)
    about = book.create_sheet("About")
    notes = [
        ("Title", title),
        ("Rows", str(len(table.rows))),
        ("Note", "Terms are as the source states them; the Source column cites each row."),
    ]
    for number, (label, text) in enumerate(notes, start=1):
        _write(about.cell(row=number, column=1), Cell(text=label))
        _write(about.cell(row=number, column=2), Cell(text=text))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _write(target: SheetCell | MergedCell, cell: Cell) -> None:
    """Write a typed value: a date at its precision, an amount as a number, else text."""
    if cell.date is not None:
        target.value = cell.date
        target.number_format = DATE_FORMATS.get(cell.precision or "day", "yyyy-mm-dd")
    elif cell.amount is not None:
        target.value = cell.amount
        target.number_format = AMOUNT_FORMAT
    else:
        target.value = cell.text or None
        if cell.text.startswith(_FORMULA_START):
            target.data_type = "s"  # never a formula, whatever the text begins with


def write_export(reply: Reply, folder: Path) -> list[Path]:
    """Write the reply's files into `folder` (created if needed); return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for file in export_files(reply):
        path = folder / file.name
        path.write_bytes(file.data)
        paths.append(path.resolve())
    return paths


def exports_folder(data_dir: str) -> Path:
    """Return where the console and the command line write exports: DATA_DIR/exports."""
    return Path(data_dir) / "exports"
