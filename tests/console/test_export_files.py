"""`export` in the console and on the command line: files written to a path that is printed."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import openpyxl
import pytest

from bot.app import run_console
from bot.cli import main
from bot.settings import Settings


def _written(out: str) -> list[Path]:
    return [Path(p) for p in re.findall(r"^Wrote (.+)$", out, flags=re.MULTILINE)]


def test_cli_export_writes_csv_and_excel_where_it_says(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`chinabio ask 'export partner:Servier' --out DIR` prints two paths; both files parse back."""
    assert main(["ask", "export partner:Servier", "--out", str(tmp_path)]) == 0
    paths = _written(capsys.readouterr().out)
    assert sorted(p.name for p in paths) == [
        "chinabio-deals-partner-servier.csv",
        "chinabio-deals-partner-servier.xlsx",
    ]
    assert all(p.parent == tmp_path.resolve() for p in paths)
    csv_path = next(p for p in paths if p.suffix == ".csv")
    rows = list(csv.DictReader(io.StringIO(csv_path.read_text(encoding="utf-8-sig"))))
    sheet = openpyxl.load_workbook(next(p for p in paths if p.suffix == ".xlsx"))["Deals"]
    assert sheet.max_row - 1 == len(rows) == 3
    assert [c.value for c in sheet[1]] == list(rows[0])


def test_cli_export_as_json_keeps_stdout_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With --format slack the paths go to stderr, so stdout stays one JSON message."""
    assert main(["ask", "export", "--format", "slack", "--out", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert captured.out.lstrip().startswith("{")
    assert len(_written(captured.err)) == 2


def test_console_export_writes_into_the_data_folder(tmp_path: Path) -> None:
    """In the console, `/chinabio export year:2024` writes DATA_DIR/exports/… and prints the paths."""
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'c.db'}", data_dir=str(tmp_path))
    stdout = io.StringIO()
    run_console(settings, stdin=io.StringIO("/chinabio export year:2024\n"), stdout=stdout)
    paths = _written(stdout.getvalue())
    assert len(paths) == 2
    assert all(p.is_file() and p.parent == (tmp_path / "exports").resolve() for p in paths)
