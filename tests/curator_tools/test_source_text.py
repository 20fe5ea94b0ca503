"""`chinabio validate --source-text FILE`: every quote citing the source is in FILE verbatim."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.cli import main
from knowledge.loader import default_dir
from tests.fixtures import KNOWLEDGE
from tests.shared_files import shared_file

SOURCE = "chinabio-thought-leadership-2025"
#: The fixture's two Irene Hong quotes as a printed source sets them: curly quotes, a line
#: break and a double space inside a quote, an em dash around them.
PRINTED = (
    "Irene Hong said \u201cIf you\u2019re not in China, you\u2019re at risk of missing\n"
    "something big.\u201d \u2014 and later: \u201cDealmaking in China can be incredibly  "
    "rewarding, but it demands patience and local insight. Don\u2019t rush it.\u201d\n"
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the command line; return its exit code, stdout and stderr."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_quotes_printed_with_curly_quotes_and_line_breaks_pass(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Whitespace, curly quotes and dashes are normalised: both fixture quotes are found."""
    text = tmp_path / f"{SOURCE}.txt"
    text.write_text(PRINTED, encoding="utf-8")
    code, out, err = run(capsys, "validate", "--source-text", str(text), str(KNOWLEDGE))
    assert code == 0, out + err
    assert f"ok: all 2 quote(s) citing {SOURCE} appear verbatim in {text}" in out


def test_a_changed_word_is_reported_at_the_quote_text_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A quote that departs from the source gives `file:line` of its text and exit 1."""
    folder = tmp_path / "kb"
    shutil.copytree(KNOWLEDGE, folder)
    report = folder / "chinabio-report.yaml"
    edited = report.read_text(encoding="utf-8").replace("incredibly rewarding", "very rewarding")
    report.write_text(edited, encoding="utf-8")
    line = next(n for n, text in enumerate(edited.splitlines(), 1) if "very rewarding" in text)
    text = tmp_path / f"{SOURCE}.txt"
    text.write_text(PRINTED, encoding="utf-8")
    code, out, err = run(capsys, "validate", "--source-text", str(text), str(folder))
    assert code == 1
    assert out.splitlines()[1:] == [
        f"{report}:{line}: quote 'irene-hong-dont-rush' is not in the source text verbatim: "
        "the source has its first 5 word(s) but not 'very' next; copy it from the source "
        "as printed"
    ]
    assert f"1 of 2 quote(s) citing {SOURCE} not verbatim" in err


def test_the_source_is_named_by_the_file_or_by_source(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A file not named after a source needs --source; an unknown source is one clear line."""
    text = tmp_path / "report.txt"
    text.write_text("We look for teams that move from idea to clinic quickly.", encoding="utf-8")
    code, _, err = run(capsys, "validate", "--source-text", str(text), str(KNOWLEDGE))
    assert code == 1
    assert "no source 'report' in the knowledge" in err
    assert "--source ID" in err
    argv = ["validate", "--source-text", str(text), "--source", "teams-test-report"]
    code, out, _ = run(capsys, *argv, str(KNOWLEDGE))
    assert code == 0
    assert "ok: all 1 quote(s) citing teams-test-report" in out


def test_every_shipped_quote_is_verbatim_in_the_seed_report(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The shipped knowledge's quotes all appear in the report they cite (../shared's seed)."""
    seed = shared_file(f"seed/{SOURCE}.txt")
    code, out, err = run(capsys, "validate", "--source-text", str(seed), str(default_dir()))
    assert code == 0, out + err
    assert f"appear verbatim in {seed}" in out
