"""YAML aliases may repeat a little data, never a billion nodes: a bomb is refused at once, with file:line."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from knowledge import KnowledgeError, accel, load_store

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BOMB = FIXTURES / "alias-bomb.yaml"
ROOT = Path(__file__).resolve().parents[2]
#: the bomb's first alias line past the budget (a3: ten a2s, each ten a1s of ten a0s)
BOMB_LINE = 5


@pytest.fixture
def bombed(good_copy: Path) -> Path:
    """The good fixture folder with the alias bomb beside its files."""
    shutil.copy(BOMB, good_copy / "bomb.yaml")
    return good_copy


def _only_problem(folder: Path, seconds: float = 20.0) -> str:
    """Load `folder` within `seconds`, expecting exactly one problem; return it as `file:line: message`."""
    outcome: list[BaseException | None] = []

    def load() -> None:
        try:
            load_store(folder)
            outcome.append(None)
        except BaseException as exc:  # handed to the test below
            outcome.append(exc)

    loading = threading.Thread(target=load, daemon=True)  # a runaway load must not hang the run
    loading.start()
    loading.join(seconds)
    assert outcome, f"loading {folder} took over {seconds:.0f} s"
    refused = outcome[0]
    assert isinstance(refused, KnowledgeError), refused
    assert len(refused.problems) == 1, refused.problems
    return str(refused.problems[0])


def test_an_alias_bomb_is_refused_at_its_line(bombed: Path) -> None:
    """The bomb gives one problem at the alias past the budget, saying what to do instead."""
    problem = _only_problem(bombed)
    assert problem.startswith(f"{bombed / 'bomb.yaml'}:{BOMB_LINE}: ")
    assert "aliases may expand at most 10,000 nodes" in problem
    assert "write the repeated entries out" in problem


def test_an_alias_bomb_is_refused_through_the_parse_worker(
    bombed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large folder's parse workers leave the bomb to the loader, which refuses it the same way."""
    monkeypatch.setattr(accel, "LARGE_FOLDER_BYTES", 0)
    assert _only_problem(bombed).startswith(f"{bombed / 'bomb.yaml'}:{BOMB_LINE}: ")


@pytest.mark.parametrize("parallel_bytes", [0, 1 << 40], ids=["worker", "in-process"])
def test_aliases_within_the_budget_still_load(
    good_copy: Path, monkeypatch: pytest.MonkeyPatch, parallel_bytes: int
) -> None:
    """An anchored list reused by a few entries loads as if written out, both ways."""
    monkeypatch.setattr(accel, "LARGE_FOLDER_BYTES", parallel_bytes)
    (good_copy / "shared.yaml").write_text(
        "topics:\n"
        "  - id: shared-one\n"
        "    name: Shared one\n"
        "    sources: &cited [{source: fixture-report}]\n"
        "  - id: shared-two\n"
        "    name: Shared two\n"
        "    sources: *cited\n",
        encoding="utf-8",
    )
    store = load_store(good_copy)
    one, two = store.get("shared-one"), store.get("shared-two")
    assert one is not None
    assert two is not None
    assert one.sources == two.sources
    assert one.sources[0].source == "fixture-report"


def test_validate_refuses_the_bomb_in_seconds(bombed: Path) -> None:
    """`chinabio validate` prints the bomb's file:line and exits 1 well within its time limit."""
    done = subprocess.run(
        [sys.executable, "-m", "bot", "validate", str(bombed)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=30,  # today's code spent minutes expanding the aliases
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"{bombed / 'bomb.yaml'}:{BOMB_LINE}: " in done.stdout
    assert "aliases may expand at most 10,000 nodes" in done.stdout
