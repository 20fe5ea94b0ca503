"""`chinabio import deals`: an export becomes one YAML file that validates and answers `deal …`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from bot.cli import main
from tests.curator_tools.conftest import HEADER, ROWS, write_csv

OUTPUT = Path("imports/dealdb-test.yaml")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the command line; return its exit code, stdout and stderr."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def import_deals(
    capsys: pytest.CaptureFixture[str], export: Path, mapping: Path, folder: Path, *flags: str
) -> tuple[int, str, str]:
    """Run `chinabio import deals EXPORT --map MAPPING --knowledge FOLDER [flags]`."""
    args = ["import", "deals", str(export), "--map", str(mapping), "--knowledge", str(folder)]
    return run(capsys, *args, *flags)


def assert_answers_from_import(capsys: pytest.CaptureFixture[str], folder: Path) -> None:
    """`validate` passes on the folder and `deal TB-101` answers from the imported rows."""
    code, out, err = run(capsys, "validate", str(folder))
    assert code == 0, out + err
    code, out, _ = run(capsys, "ask", "deal TB-101", "--knowledge", str(folder))
    assert code == 0
    assert "Examplar Pharma licence of Testa Bio's TB-101" in out
    assert "Testa Bio" in out
    assert "Examplar Pharma" in out
    assert "$35 million" in out
    assert "$1.25 billion" in out  # the export's millions, as amounts
    assert "March 2026" in out or "5 March 2026" in out
    assert "worldwide excluding Greater China" in out
    assert "Deal database test export" in out  # every imported fact cites the export


def test_csv_rows_become_one_yaml_file_that_validates_and_answers(
    capsys: pytest.CaptureFixture[str], folder: Path, mapping: Path, tmp_path: Path
) -> None:
    """Two CSV rows: one file under the knowledge folder; validate passes; `deal` answers."""
    export = write_csv(tmp_path / "deals.csv", ROWS)
    code, out, err = import_deals(capsys, export, mapping, folder)
    assert code == 0, err
    assert out.startswith(f"wrote 2 deals, 2 assets, 0 organisations to {folder / OUTPUT}")
    written = (folder / OUTPUT).read_text(encoding="utf-8")
    assert "which was at Phase 1 when the deal was signed" in written
    assert "royalties tiered up to low double digits" in written
    assert "locator: test export, row 2" in written
    assert "amount: 1250000000" in written
    assert "TB-101 (small molecule, aimed at KRAS G12D), which" in written.replace("\n     ", "")
    assert_answers_from_import(capsys, folder)
    code, out, _ = run(capsys, "ask", "deal TB-202", "--knowledge", str(folder))
    assert "$410.5 million" in out
    assert "July 2026" in out  # a month-precision date stays so
    assert "TB-202 (ADC), which was at preclinical" in out  # the empty target's part left out


def test_xlsx_rows_become_the_same_deals(
    capsys: pytest.CaptureFixture[str], folder: Path, mapping: Path, tmp_path: Path
) -> None:
    """An XLSX export with date and number cells imports to deals that validate and answer."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    first = [dt.datetime(2026, 3, 5), *ROWS[0][1:8], 35, 1250, ROWS[0][10]]
    sheet.append(first)
    sheet.append(["2026-07", "Testa", "Examplar", "TB-202", None, "ADC", "preclinical", None])
    export = tmp_path / "deals.xlsx"
    book.save(export)
    code, out, err = import_deals(capsys, export, mapping, folder)
    assert code == 0, err
    assert "wrote 2 deals" in out
    assert_answers_from_import(capsys, folder)


def test_bad_rows_are_named_file_row_and_nothing_is_written(
    capsys: pytest.CaptureFixture[str], folder: Path, mapping: Path, tmp_path: Path
) -> None:
    """Unknown company, bad money, bad date: one `export:row:` line each; no file; exit 1."""
    bad = [
        ["2026-03-05", "Nowhere Therapeutics", *ROWS[0][2:]],
        ["5 March 2026", "Testa", "Examplar", "TB-303", "", "", "", "", "$35M", "", ""],
    ]
    export = write_csv(tmp_path / "deals.csv", [ROWS[1], *bad])
    code, _, err = import_deals(capsys, export, mapping, folder)
    assert code == 1
    lines = err.splitlines()
    assert any(
        line.startswith(f"{export}:3: licensor 'Nowhere Therapeutics' is not an organisation")
        for line in lines
    ), err
    assert any(line.startswith(f"{export}:4: date '5 March 2026' is not written") for line in lines)
    assert any(line.startswith(f"{export}:4: upfront ('Upfront ($M)') '$35M'") for line in lines)
    assert lines[-1] == "3 problem(s); nothing written (--skip-bad leaves bad rows out)"
    assert not (folder / OUTPUT).exists()


def test_a_row_the_validation_refuses_is_named_by_its_row(
    capsys: pytest.CaptureFixture[str], folder: Path, mapping: Path, tmp_path: Path
) -> None:
    """The written YAML goes through `validate`'s checks; a duplicate id names the export row."""
    export = write_csv(tmp_path / "deals.csv", [ROWS[0], ROWS[1], ROWS[0]])
    code, _, err = import_deals(capsys, export, mapping, folder)
    assert code == 1
    assert f"{export}:4: " in err
    assert "examplar-pharma-testa-bio-tb-101" in err, err
    assert not (folder / OUTPUT).exists()


def test_skip_bad_writes_the_good_rows_and_names_the_skipped_ones(
    capsys: pytest.CaptureFixture[str], folder: Path, mapping: Path, tmp_path: Path
) -> None:
    """With --skip-bad the good rows are written and each bad row is reported as skipped."""
    bad = ["2026-03-05", "Nowhere Therapeutics", *ROWS[0][2:]]
    export = write_csv(tmp_path / "deals.csv", [ROWS[0], bad, ROWS[1], ROWS[1]])
    code, out, err = import_deals(capsys, export, mapping, folder, "--skip-bad")
    assert code == 0, err
    assert f"{export}:3: licensor 'Nowhere Therapeutics'" in err
    assert (
        f"{export}:4: duplicate id 'examplar-pharma-testa-bio-tb-202': also defined at {export}:5"
        in err
    )
    assert err.count("(row skipped)") == 3  # row 3, and both rows of the duplicate
    assert "wrote 1 deals" in out
    assert "3 row(s) skipped" in out
    assert_answers_from_import(capsys, folder)


def test_dry_run_prints_the_diff_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], folder: Path, mapping: Path, tmp_path: Path
) -> None:
    """A dry run shows the new file as a diff; after an import, only the changed row's lines."""
    export = write_csv(tmp_path / "deals.csv", ROWS)
    code, out, err = import_deals(capsys, export, mapping, folder, "--dry-run")
    assert code == 0, err
    assert "+++ b/imports/dealdb-test.yaml" in out
    assert "+  - id: examplar-pharma-testa-bio-tb-101" in out
    assert "dry run: would write 2 deals" in err
    assert not (folder / OUTPUT).exists()

    assert import_deals(capsys, export, mapping, folder)[0] == 0
    changed = [ROWS[0], [*ROWS[1][:8], "12", *ROWS[1][9:]]]  # an upfront appears for row 3
    code, out, _ = import_deals(capsys, write_csv(export, changed), mapping, folder, "--dry-run")
    added = [line for line in out.splitlines() if line.startswith("+") and "+++" not in line]
    assert "+    - amount: 12000000" in added
    assert "+      label: upfront" in added, out
    removed = [line for line in out.splitlines() if line.startswith("-") and "---" not in line]
    assert not removed
    code, out, _ = import_deals(capsys, export, mapping, folder, "--dry-run")
    assert "12000000" in out  # the dry run wrote nothing


def test_new_organisations_add_writes_entries_for_unknown_names(
    capsys: pytest.CaptureFixture[str], folder: Path, mapping: Path, tmp_path: Path
) -> None:
    """`new_organisations: add` adds an organisation of the mapping's type; validate passes."""
    mapping.write_text(mapping.read_text() + "new_organisations: add\n", encoding="utf-8")
    export = write_csv(tmp_path / "deals.csv", [["2026", "Nowhere Therapeutics", *ROWS[0][2:]]])
    code, out, err = import_deals(capsys, export, mapping, folder)
    assert code == 0, err
    assert "1 deals, 1 assets, 1 organisations" in out
    written = (folder / OUTPUT).read_text(encoding="utf-8")
    assert (
        "# type 'company': the mapping's guess, not the export's\n  - id: nowhere-therapeutics"
        in written
    )
    assert run(capsys, "validate", str(folder))[0] == 0
    code, out, _ = run(capsys, "ask", "company Nowhere Therapeutics", "--knowledge", str(folder))
    assert "Nowhere Therapeutics" in out
    assert "TB-101" in out


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        ("  asset: Asset\n", "  asset: Drug Name\n", "columns.asset: 'Drug Name' is not a column"),
        ("source: dealdb-test-export\n", "source: nowhere\n", "source 'nowhere' is not in"),
        ('id: "{licensee}', 'id: "{buyer}', "{buyer} is not a field"),
        ("money: {currency: USD", "money: {currency: dollars", "money.currency"),
        ("output: imports/", "output: chinabio-report.yaml\n#", "was not written by an import"),
        ("output: imports/", "output: imports/../../", "is not a visible file inside"),
    ],
)
def test_mapping_problems_name_the_mapping_line(
    capsys: pytest.CaptureFixture[str],
    folder: Path,
    mapping: Path,
    tmp_path: Path,
    change: str,
    line: str,
    message: str,
) -> None:
    """A mapping that cannot work is refused at its own file:line, before any row is read."""
    text = mapping.read_text(encoding="utf-8")
    assert change in text
    mapping.write_text(text.replace(change, line), encoding="utf-8")
    number = next(
        n
        for n, text_line in enumerate(mapping.read_text().splitlines(), 1)
        if line.strip().splitlines()[0] in text_line
    )
    export = write_csv(tmp_path / "deals.csv", ROWS)
    code, _, err = import_deals(capsys, export, mapping, folder)
    assert code == 1
    assert f"{mapping}:{number}: " in err
    assert message in err, err
    assert not (folder / OUTPUT).exists()


def test_an_export_that_is_not_a_table_is_refused_plainly(
    capsys: pytest.CaptureFixture[str], folder: Path, mapping: Path, tmp_path: Path
) -> None:
    """A .xlsx that is no workbook and a .txt export get one line saying so, exit 1."""
    fake = tmp_path / "deals.xlsx"
    fake.write_text("not a workbook", encoding="utf-8")
    code, _, err = import_deals(capsys, fake, mapping, folder)
    assert code == 1
    assert f"{fake}:0: not an .xlsx workbook" in err
    text = tmp_path / "deals.txt"
    text.write_text("a,b\n", encoding="utf-8")
    code, _, err = import_deals(capsys, text, mapping, folder)
    assert code == 1
    assert "export a .csv or .xlsx file" in err


def test_a_date_format_reads_other_dates_at_their_precision(
    capsys: pytest.CaptureFixture[str], folder: Path, mapping: Path, tmp_path: Path
) -> None:
    """`date_format` reads "5 Mar 2026" as a day; without a day code a date stays a month."""
    mapping.write_text(mapping.read_text() + 'date_format: "%d %b %Y"\n', encoding="utf-8")
    export = write_csv(tmp_path / "deals.csv", [["5 Mar 2026", *ROWS[0][1:]]])
    assert import_deals(capsys, export, mapping, folder)[0] == 0
    assert "date: '2026-03-05'" in (folder / OUTPUT).read_text(encoding="utf-8")
    mapping.write_text(mapping.read_text().replace("%d %b %Y", "%b %Y"), encoding="utf-8")
    export = write_csv(export, [["Mar 2026", *ROWS[0][1:]], ["5 Mar 2026", *ROWS[1][1:]]])
    code, _, err = import_deals(capsys, export, mapping, folder)
    assert code == 1
    assert f"{export}:3: date '5 Mar 2026' does not fit the mapping's date_format '%b %Y'" in err
    export = write_csv(export, [["Mar 2026", *ROWS[0][1:]]])
    assert import_deals(capsys, export, mapping, folder)[0] == 0
    assert "date: 2026-03\n" in (folder / OUTPUT).read_text(encoding="utf-8")
