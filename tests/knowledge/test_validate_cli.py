"""`python -m bot validate DIR` prints file:line problems and exits 1, or says ok and exits 0."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ROOT = Path(__file__).resolve().parents[2]


def run_validate(folder: Path) -> subprocess.CompletedProcess[str]:
    """Run the validate command in a fresh interpreter."""
    return subprocess.run(
        [sys.executable, "-m", "bot", "validate", str(folder)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def test_valid_folder_exits_zero() -> None:
    """A valid folder prints the entity count and exits 0."""
    done = run_validate(FIXTURES / "good")
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.match(r"ok: 18 entities in .*good \(version [0-9a-f]{12}\)", done.stdout)


def test_broken_folder_prints_every_problem_and_exits_one() -> None:
    """Each problem of the broken fixture is one `file:line: message` line; exit code 1."""
    done = run_validate(FIXTURES / "broken")
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines
    assert all(re.match(r"^.+\.yaml:\d+: \S", line) for line in lines), lines
    found = {(Path(line.split(":")[0]).name, int(line.split(":")[1])) for line in lines}
    assert found == {
        ("deals.yaml", 5),  # unknown organisation 'legochen'
        ("deals.yaml", 8),  # missing summary
        ("deals.yaml", 9),  # unknown field 'summry'
        ("deals.yaml", 10),  # 2024-02-30
        ("organisations.yaml", 2),  # duplicate id, first place
        ("organisations.yaml", 6),  # duplicate id, second place
        ("syntax.yaml", 3),  # invalid YAML: the [ opened on line 3 is never closed
    }
    assert "did you mean 'legochem'?" in done.stdout
    assert "the '[' opened on this line is never closed" in done.stdout
    assert "Traceback" not in done.stderr
    assert "7 problem(s)" in done.stderr


def test_empty_folder_exits_one(tmp_path: Path) -> None:
    """An empty folder is a problem, reported without a traceback."""
    done = run_validate(tmp_path)
    assert done.returncode == 1
    assert "no .yaml files here" in done.stdout
    assert "Traceback" not in done.stderr


def test_one_run_lists_yaml_schema_and_reference_problems() -> None:
    """YAML, schema and reference problems come in one run; ids in the unparsable file count."""
    done = run_validate(FIXTURES / "every-kind")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    found = {
        (Path(line.split(":")[0]).name, int(line.split(":")[1]), line.split(": ", 1)[1])
        for line in done.stdout.splitlines()
    }
    assert {(name, line) for name, line, _ in found} == {
        ("organisations.yaml", 3),  # the quote opened on line 3 is never closed
        ("deals.yaml", 10),  # 'licnce' is not a deal type
        ("deals.yaml", 11),  # ... and that refused deal names an unknown organisation
        ("deals.yaml", 17),  # a valid deal naming an unknown organisation
    }
    messages = " | ".join(message for _, _, message in found)
    assert "no organisation has id 'nobody'" in messages
    assert "no organisation has id 'ghost'" in messages
    assert "'acme'" not in messages  # defined in organisations.yaml, which is not YAML yet
    assert "4 problem(s)" in done.stderr
