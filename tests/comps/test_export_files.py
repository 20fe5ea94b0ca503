"""CSV and Excel files from a table: text that looks like a formula stays text."""

from __future__ import annotations

import csv
import io

import openpyxl

from bot.export_files import table_csv, table_xlsx
from handlers.reply import Cell, Column, Table, TableRow

SNEAKY = '=HYPERLINK("https://example.com","click")'


def _table() -> Table:
    columns = [Column(heading="Deal"), Column(heading="Note")]
    return Table(columns=columns, rows=[TableRow(cells=[Cell(text=SNEAKY), Cell(text="+1-2")])])


def test_excel_never_writes_a_formula() -> None:
    """A cell starting with = or + is a string in the workbook, exactly as written."""
    sheet = openpyxl.load_workbook(io.BytesIO(table_xlsx(_table(), SNEAKY)))["Deals"]
    assert sheet["A2"].value == SNEAKY
    assert sheet["A2"].data_type == "s"
    assert sheet["B2"].data_type == "s"
    about = openpyxl.load_workbook(io.BytesIO(table_xlsx(_table(), SNEAKY)))["About"]
    assert all(c.data_type != "f" for row in about.iter_rows() for c in row)


def test_csv_quotes_formula_looking_text() -> None:
    """In the CSV such text gets a leading apostrophe, so a spreadsheet shows it as text."""
    rows = list(csv.reader(io.StringIO(table_csv(_table()).decode("utf-8-sig"))))
    assert rows == [["Deal", "Note"], ["'" + SNEAKY, "'+1-2"]]
